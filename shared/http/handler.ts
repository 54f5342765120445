/**
 * The middy chain every HTTP function uses: Powertools injectLambdaContext (request id, function
 * name; keys reset per invocation), one error -> response mapper, and the use cases' deps built
 * once per container from appConfig().
 */
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import type { APIGatewayProxyEventV2, APIGatewayProxyResultV2, Context } from 'aws-lambda';
import { appConfig } from '../config.ts';
import type { PaymentDeps } from '../payments/deps.ts';
import { orderStore } from '../store/orders.ts';
import { tossClient } from '../toss/index.ts';
import { errorResponse } from './errors.ts';
import { countMetric, logger } from './observability.ts';

export type HttpEvent = APIGatewayProxyEventV2;
export type HttpResult = APIGatewayProxyResultV2;

/** Margin kept from the Lambda deadline for the writes after a Toss call. */
export const DEADLINE_MARGIN_MS = 2_000;

/** The absolute deadline Toss calls must respect in this invocation. */
export const deadlineOf = (context: Pick<Context, 'getRemainingTimeInMillis'>): number =>
  Date.now() + context.getRemainingTimeInMillis() - DEADLINE_MARGIN_MS;

let deps: PaymentDeps | undefined;
/** The container's use-case dependencies. */
export function paymentDeps(): PaymentDeps {
  if (deps === undefined) {
    const c = appConfig();
    deps = { store: orderStore(), toss: tossClient(), config: c, clock: Date.now, logger, count: countMetric };
  }
  return deps;
}

/** Wraps a handler body: logging context, errors mapped to stable JSON replies. */
export function httpHandler(fn: (event: HttpEvent, context: Context) => Promise<HttpResult>) {
  return middy(async (event: HttpEvent, context: Context): Promise<HttpResult> => {
    try {
      return await fn(event, context);
    } catch (e) {
      return errorResponse(e);
    }
  }).use(injectLambdaContext(logger, { resetKeys: true }));
}
