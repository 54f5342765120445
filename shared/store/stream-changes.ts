/**
 * The committed changes in a batch of the table's stream records (NEW_AND_OLD_IMAGES): each order
 * item's image after the change and before it (none for a new order), as the domain's Orders, and
 * each change of the webhook endpoints' item (./webhook-endpoints.ts), as the endpoints before and
 * after. Records of other items (the event log's, the ledger's) and removals are skipped: the
 * stream's filter (./stream-filter.ts) passes none in AWS, and locally the same pattern is applied.
 */
import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import type { DynamoDBRecord } from 'aws-lambda';
import type { Change } from '../events/ports.ts';
import { isOrderItem, toOrder } from './orders.ts';
import { ENDPOINTS_KEY, endpointsOfItem } from './webhook-endpoints.ts';

const image = (i: Record<string, unknown> | undefined): Record<string, unknown> | undefined =>
  i === undefined ? undefined : unmarshall(i as Record<string, AttributeValue>);

export function streamChanges(records: readonly DynamoDBRecord[]): Change[] {
  const changes: Change[] = [];
  for (const r of records) {
    const after = image(r.dynamodb?.NewImage as Record<string, unknown> | undefined);
    const id = r.dynamodb?.SequenceNumber;
    if (after === undefined || id === undefined) continue;
    const before = image(r.dynamodb?.OldImage as Record<string, unknown> | undefined);
    if (isOrderItem(after)) changes.push({ recordId: id, before: before === undefined ? undefined : toOrder(before), after: toOrder(after) });
    else if (after.pk === ENDPOINTS_KEY) changes.push({ recordId: id, kind: 'endpoints', before: endpointsOfItem(before), after: endpointsOfItem(after) });
  }
  return changes;
}
