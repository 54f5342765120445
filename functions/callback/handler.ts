/**
 * POST /payments/callback (public): Toss's resultCallback, V2 JSON or V1 form, base64 or not.
 * 200 when the order is (now or already) paid; 4xx and nothing written when malformed or
 * contradicted (a security event); 5xx when Toss or DynamoDB failed transiently, so Toss retries.
 */
import { paymentContainer } from '../../shared/deps.ts';
import { MetricDimension, MetricName } from '../../shared/metrics.ts';
import { bodyBytes, parseObjectBody } from '../../shared/http/body.ts';
import { callbackGuard } from '../../shared/http/callback-guard.ts';
import { deadlineOf, httpFunction } from '../../shared/http/chain.ts';
import { jsonResponse } from '../../shared/http/error-replies.ts';
import { aboutOrder } from '../../shared/http/order-path.ts';
import { handleCallback } from '../../shared/payments/callback.ts';
import type { CallbackReply } from '../../shared/payments/reply-schemas.ts';

const c = paymentContainer('callback');

export const handler = httpFunction(c, async (event, context) => {
  // Its size was checked against the route's limit (shared/routes.ts) before this ran.
  const fields = parseObjectBody(bodyBytes(event), event.headers);
  const r = await handleCallback(fields, c.deps, { deadline: deadlineOf(context) });
  aboutOrder(c.logger, r.order.orderNo);
  const outcome = r.kind === 'recovered' ? 'recovered' : r.applied ? 'applied' : 'duplicate';
  c.meter.publishNow(MetricName.CallbackOutcome, 'Count', 1, MetricDimension.Outcome, outcome);
  c.logger.info('callback accepted', { outcome, status: r.order.status });
  return jsonResponse(200, { result: 'OK', orderNo: r.order.orderNo, status: r.order.status } satisfies CallbackReply);
}, { guard: callbackGuard(c) });
