/**
 * The webhook retrier (EventBridge, every minute; locally inside npm start): every webhook
 * delivery that is due, within the invocation's time. Deliveries it cannot reach stay due.
 */
import type { ScheduledEvent } from 'aws-lambda';
import { deadlineOf } from '../../shared/deadline.ts';
import { eventsContainer } from '../../shared/deps.ts';
import { lambdaFunction } from '../../shared/lambda-chain.ts';
import { deliverDue } from '../../shared/events/webhooks.ts';

const c = eventsContainer('webhook-retrier');

export const handler = lambdaFunction(c, async (_event: ScheduledEvent, context): Promise<{ attempted: number }> => {
  const r = await deliverDue(c.deps, { deadline: deadlineOf(context), concurrency: c.config.WEBHOOK_CONCURRENCY });
  if (r.attempted > 0) c.logger.info('webhook retries', r);
  else c.logger.debug('webhook retries', r);
  return r;
});
