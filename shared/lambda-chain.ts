/**
 * The middy chain every function of a container uses, in one place (the HTTP functions add their
 * error replies: shared/http/chain.ts; the scheduled and stream functions use it as it is):
 *   tracing               the invocation as a subsegment of its X-Ray trace (shared/tracer.ts: on
 *                         in Lambda only; Powertools' captureLambdaHandler), its cold start
 *                         annotated; never its response, which may hold an order
 *   injectLambdaContext   request id and function name on every log line (keys reset per
 *                         invocation); the trace id too, where there is one
 *   logMetrics            the invocation's metrics flushed once, at its end (EMF)
 * A function without a container (one that serves files built into it: the console, GET /docs)
 * takes the tracing alone (staticFunction).
 */
import type { Logger } from '@aws-lambda-powertools/logger';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import type { Metrics } from '@aws-lambda-powertools/metrics';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import middy from '@middy/core';
import type { Context } from 'aws-lambda';
import { processTracing, type Tracing } from './tracer.ts';

/** What the chain needs of a container. */
export interface ChainParts {
  readonly logger: Logger;
  readonly metrics: Metrics;
  readonly tracer: Tracing;
}

/** A function of container `c`: the chain above around `fn`. */
export function lambdaFunction<E, R>(c: ChainParts, fn: (event: E, context: Context) => Promise<R>) {
  const chain = middy<E, R, Error, Context>(fn);
  if (c.tracer.on) chain.use(c.tracer.middleware());
  return chain.use(injectLambdaContext(c.logger, { resetKeys: true })).use(logMetrics(c.metrics));
}

/** A function with no container (no logger, no metrics: it serves what is built into it): the tracing alone. */
export function staticFunction<E, R>(fn: (event: E) => Promise<R>) {
  const tracer = processTracing();
  const chain = middy<E, R, Error, Context>((event: E) => fn(event));
  return tracer.on ? chain.use(tracer.middleware()) : chain;
}
