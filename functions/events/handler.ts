/**
 * The events function: reads the table's change stream (NEW_AND_OLD_IMAGES; the event source
 * mapping passes only order items and the webhook endpoints' item) and publishes each committed
 * change's events
 * (shared/events/publish.ts). Replies with the records to retry (batch item failures): the first
 * failed one and everything after it, so an order's changes are never published out of order.
 * Webhook receivers never hold it up: first attempts end by a deadline (shared/events/publish.ts).
 */
import type { DynamoDBBatchResponse, DynamoDBStreamEvent } from 'aws-lambda';
import { deadlineOf } from '../../shared/deadline.ts';
import { publishContainer } from '../../shared/deps.ts';
import { publishChanges } from '../../shared/events/publish.ts';
import { lambdaFunction } from '../../shared/lambda-chain.ts';

const c = publishContainer('events');
/** Left after the webhook budget: to record the attempts cut by it and reply. */
const RECORD_MARGIN_MS = 10_000;

export const handler = lambdaFunction(c, async (event: DynamoDBStreamEvent, context): Promise<DynamoDBBatchResponse> => {
  const changes = c.streamChanges(event.Records);
  // Each order change in the trace, named by the trace of the write that made it (when it was traced):
  // X-Ray finds this invocation from the payment's trace (annotation causedBy), and the other way.
  for (const ch of changes) {
    if (ch.kind === 'endpoints') continue;
    c.tracer.mark('## order change', { orderNo: ch.after.orderNo, orderVersion: ch.after.version ?? 1, ...(ch.after.writeTraceId !== undefined ? { causedBy: ch.after.writeTraceId } : {}) });
  }
  // First webhook attempts get the configured budget, and never the time the invocation needs to
  // record them and reply.
  const failed = await publishChanges(changes, c.deps, {
    budgetMs: c.config.WEBHOOK_FIRST_ATTEMPT_MS,
    deadline: deadlineOf(context, RECORD_MARGIN_MS),
    concurrency: c.config.WEBHOOK_CONCURRENCY,
  });
  return { batchItemFailures: failed.map((itemIdentifier) => ({ itemIdentifier })) };
});
