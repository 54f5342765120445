/**
 * The middy chain every HTTP function uses, in one place:
 *   injectLambdaContext  request id and function name on every log line (keys reset per invocation)
 *   logMetrics           the invocation's metrics flushed once, at its end (EMF)
 *   errorReplies         every error mapped to a reply; a bug logged, counted and alarmed
 *   routePermission      the route's permission against the caller's (403 FORBIDDEN_ROLE before the handler)
 * A handler adds its own request middlewares (e.g. the JSON body parser) after these.
 */
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import middy from '@middy/core';
import type { APIGatewayProxyEventV2, APIGatewayProxyResultV2, APIGatewayProxyStructuredResultV2, Context } from 'aws-lambda';
import type { PaymentContainer } from '../deps.ts';
import { errorReplies, type ErrorReply } from './error-replies.ts';
import { routePermission } from './route-permission.ts';

export type HttpEvent = APIGatewayProxyEventV2;
export type HttpResult = APIGatewayProxyResultV2;

/** Margin kept from the Lambda deadline for the writes after a Toss call. */
export const DEADLINE_MARGIN_MS = 2_000;

/** The absolute deadline Toss calls must respect in this invocation. */
export const deadlineOf = (context: Pick<Context, 'getRemainingTimeInMillis'>): number =>
  Date.now() + context.getRemainingTimeInMillis() - DEADLINE_MARGIN_MS;

/** An HTTP function of container `c`: the chain above around `fn`. */
export function httpFunction(
  c: Pick<PaymentContainer, 'logger' | 'metrics'> & { deps: { count: (name: string) => void } },
  fn: (event: HttpEvent, context: Context) => Promise<HttpResult>,
  opts: { render?: (r: ErrorReply, event: HttpEvent) => APIGatewayProxyStructuredResultV2 } = {},
) {
  return middy<HttpEvent, HttpResult, Error, Context>(fn)
    .use(injectLambdaContext(c.logger, { resetKeys: true }))
    .use(logMetrics(c.metrics))
    .use(errorReplies({ logger: c.logger, count: c.deps.count, ...(opts.render !== undefined ? { render: opts.render } : {}) }))
    .use(routePermission({ logger: c.logger, count: c.deps.count }));
}
