/**
 * The callback's edge guard, as a middy middleware: only Toss's published addresses may post
 * (CALLBACK_ALLOWED_IPS, when set), and a body that is not a callback at all (too large, not JSON
 * or a form) is a security event, like every other refused callback. Every callback that fails is
 * counted by outcome: `rejected` (4xx: Toss will not succeed by sending it again) or `retry` (5xx).
 */
import type middy from '@middy/core';
import type { AppConfig } from '../config.ts';
import type { Meter } from '../meter.ts';
import { MetricDimension, MetricName } from '../metrics.ts';
import { securityEvent } from '../payments/alerts.ts';
import type { PaymentDeps } from '../payments/ports.ts';
import type { HttpEvent } from './chain.ts';
import { replyFor } from './error-replies.ts';
import { ipAllowList } from './ip.ts';
import { BodyTooLargeError, RequestError, SourceNotAllowedError } from './request-errors.ts';

export function callbackGuard(c: { config: Pick<AppConfig, 'CALLBACK_ALLOWED_IPS'>; deps: Pick<PaymentDeps, 'logger' | 'count'>; meter: Meter }): middy.MiddlewareObj<HttpEvent> {
  const allowed = c.config.CALLBACK_ALLOWED_IPS !== undefined ? ipAllowList(c.config.CALLBACK_ALLOWED_IPS) : undefined;
  return {
    before: (request) => {
      const sourceIp = request.event.requestContext?.http?.sourceIp;
      if (allowed !== undefined && !allowed(sourceIp)) {
        securityEvent(c.deps, 'CALLBACK_SOURCE_NOT_ALLOWED', { sourceIp });
        throw new SourceNotAllowedError();
      }
    },
    onError: (request) => {
      const e = request.error;
      const status = replyFor(e)?.status ?? 500;
      c.meter.publishNow(MetricName.CallbackOutcome, 'Count', 1, MetricDimension.Outcome, status >= 500 ? 'retry' : 'rejected');
      if (e instanceof RequestError && !(e instanceof SourceNotAllowedError))
        securityEvent(c.deps, e instanceof BodyTooLargeError ? 'CALLBACK_TOO_LARGE' : 'CALLBACK_MALFORMED', {
          sourceIp: request.event.requestContext?.http?.sourceIp,
        });
    },
  };
}
