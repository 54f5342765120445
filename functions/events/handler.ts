/**
 * The events function: reads the table's change stream (NEW_AND_OLD_IMAGES; the event source
 * mapping passes only order items and the webhook endpoints' item) and publishes each committed
 * change's events
 * (shared/events/publish.ts). Replies with the records to retry (batch item failures): the first
 * failed one and everything after it, so an order's changes are never published out of order.
 * Webhook receivers never hold it up: first attempts end by a deadline (shared/events/publish.ts).
 */
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import middy from '@middy/core';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import type { Context, DynamoDBBatchResponse, DynamoDBStreamEvent } from 'aws-lambda';
import { eventsContainer } from '../../shared/deps.ts';
import { publishChanges, type Change } from '../../shared/events/publish.ts';
import { isOrderItem, toOrder } from '../../shared/store/orders.ts';
import { ENDPOINTS_KEY, endpointsOfItem } from '../../shared/store/webhook-endpoints.ts';

const c = eventsContainer('events');
/** Left after the webhook budget: to record the attempts cut by it and reply. */
const RECORD_MARGIN_MS = 10_000;

const image = (i: Record<string, unknown> | undefined): Record<string, unknown> | undefined =>
  i === undefined ? undefined : unmarshall(i as Record<string, AttributeValue>);

export const handler = middy(async (event: DynamoDBStreamEvent, context: Context): Promise<DynamoDBBatchResponse> => {
  const changes: Change[] = [];
  for (const r of event.Records) {
    const after = image(r.dynamodb?.NewImage as Record<string, unknown> | undefined);
    const id = r.dynamodb?.SequenceNumber;
    if (after === undefined || id === undefined) continue;
    const before = image(r.dynamodb?.OldImage as Record<string, unknown> | undefined);
    if (isOrderItem(after)) changes.push({ recordId: id, before: before === undefined ? undefined : toOrder(before), after: toOrder(after) });
    else if (after.pk === ENDPOINTS_KEY) changes.push({ recordId: id, kind: 'endpoints', before: endpointsOfItem(before), after: endpointsOfItem(after) });
  }
  // First webhook attempts get the configured budget, and never the time the invocation needs to
  // record them and reply.
  const failed = await publishChanges(changes, c.deps, {
    budgetMs: c.config.WEBHOOK_FIRST_ATTEMPT_MS,
    deadline: Date.now() + context.getRemainingTimeInMillis() - RECORD_MARGIN_MS,
    concurrency: c.config.WEBHOOK_CONCURRENCY,
  });
  return { batchItemFailures: failed.map((itemIdentifier) => ({ itemIdentifier })) };
})
  .use(injectLambdaContext(c.logger, { resetKeys: true }))
  .use(logMetrics(c.metrics));
