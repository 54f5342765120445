/**
 * The middy chain every function of a container uses, in one place (the HTTP functions add their
 * error replies: shared/http/chain.ts; the scheduled and stream functions use it as it is):
 *   injectLambdaContext  request id and function name on every log line (keys reset per invocation)
 *   logMetrics           the invocation's metrics flushed once, at its end (EMF)
 */
import type { Logger } from '@aws-lambda-powertools/logger';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import type { Metrics } from '@aws-lambda-powertools/metrics';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import middy from '@middy/core';
import type { Context } from 'aws-lambda';

/** What the chain needs of a container. */
export interface ChainParts {
  readonly logger: Logger;
  readonly metrics: Metrics;
}

/** A function of container `c`: the chain above around `fn`. */
export function lambdaFunction<E, R>(c: ChainParts, fn: (event: E, context: Context) => Promise<R>) {
  return middy<E, R, Error, Context>(fn).use(injectLambdaContext(c.logger, { resetKeys: true })).use(logMetrics(c.metrics));
}
