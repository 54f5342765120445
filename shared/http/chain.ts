/**
 * The middy chain every HTTP function uses, in one place: every function's chain
 * (shared/lambda-chain.ts: the request context on every log line, the metrics flushed once), then
 *   errorReplies         every error mapped to a reply; a bug logged, counted and alarmed
 *   guard                the function's own edge guard, when it has one (the callback's)
 *   routePermission      the route's permission against the caller's (403 FORBIDDEN_ROLE before the handler)
 *   routeBodyLimit       a body over its route's limit refused (413), before anything reads it
 * A handler adds its own request middlewares (e.g. the JSON body parser) after these.
 */
import type middy from '@middy/core';
import type { APIGatewayProxyEventV2, APIGatewayProxyResultV2, APIGatewayProxyStructuredResultV2, Context } from 'aws-lambda';
import { lambdaFunction, type ChainParts } from '../lambda-chain.ts';
import type { CountMetric } from '../payments/ports.ts';
import { routeBodyLimit } from './body.ts';
import { errorReplies, type ErrorReply } from './error-replies.ts';
import { routePermission } from './route-permission.ts';

// The deadline of a Toss call in an HTTP function: the one rule (shared/deadline.ts).
export { deadlineOf } from '../deadline.ts';

export type HttpEvent = APIGatewayProxyEventV2;
export type HttpResult = APIGatewayProxyResultV2;

/** An HTTP function of container `c`: the chain above around `fn`. */
export function httpFunction(
  c: ChainParts & { deps: { count: CountMetric } },
  fn: (event: HttpEvent, context: Context) => Promise<HttpResult>,
  opts: { render?: (r: ErrorReply, event: HttpEvent) => APIGatewayProxyStructuredResultV2; guard?: middy.MiddlewareObj<HttpEvent> } = {},
) {
  const chain = lambdaFunction<HttpEvent, HttpResult>(c, fn).use(
    errorReplies({ logger: c.logger, count: c.deps.count, ...(opts.render !== undefined ? { render: opts.render } : {}) }),
  );
  return (opts.guard !== undefined ? chain.use(opts.guard) : chain).use(routePermission({ logger: c.logger, count: c.deps.count })).use(routeBodyLimit());
}
