/**
 * The webhook retrier (EventBridge, every minute; locally inside npm start): every webhook
 * delivery that is due, within the invocation's time. Deliveries it cannot reach stay due.
 */
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import middy from '@middy/core';
import type { Context, ScheduledEvent } from 'aws-lambda';
import { eventsContainer } from '../../shared/deps.ts';
import { deliverDue } from '../../shared/events/webhooks.ts';

const c = eventsContainer('webhook-retrier');

export const handler = middy(async (_event: ScheduledEvent, context: Context): Promise<{ attempted: number }> => {
  const r = await deliverDue(c.deps, { deadline: Date.now() + context.getRemainingTimeInMillis() - 2_000, concurrency: c.config.WEBHOOK_CONCURRENCY });
  if (r.attempted > 0) c.logger.info('webhook retries', r);
  else c.logger.debug('webhook retries', r);
  return r;
})
  .use(injectLambdaContext(c.logger, { resetKeys: true }))
  .use(logMetrics(c.metrics));
