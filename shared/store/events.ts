/**
 * The event log, in the payments table: one item per event (pk `EVENT#<id>`), written only by the
 * events function from the table's own stream, never by the code that changes orders or endpoints.
 *
 * - The log's order: positions taken in the transaction that logs each event (./event-log.ts),
 *   listed from the table with consistent reads.
 * - Its deliveries: one item per endpoint it is given to (./deliveries.ts), put in the same
 *   transaction; the event names them (`endpoints`). Events logged before endpoints kept their one
 *   delivery on the event (`delivery`, and `HOOK#n` / `HOOK#FAILED` in the `due` index); they read
 *   as before and are taken over by a delivery item when they are sent again.
 * - An order's events: the `lists` index, partition `ORDER_EVENTS#<orderNo>`, sort key `listSeq` =
 *   the event's place in the log (`eventSeq`), so oldest first. Events logged before this listing
 *   carry no `listKey` and are not in it; nor are endpoint events (no order).
 */
import { QueryCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { EventStore } from '../events/ports.ts';
import { deliveryItemsOf } from './deliveries.ts';
import { storeSend } from './errors.ts';
import { createEventLog, eventKey, toRecord } from './event-log.ts';
import { listKeys, LISTS_INDEX } from './table.ts';

export { eventKey };
/** The event a place in the log (`<position>#<id>`) is of. */
const idOfPlace = (place: string): string => place.slice(place.indexOf('#') + 1);

export interface EventStoreOptions {
  client: DynamoDBDocumentClient;
  tableName: string;
  /** Days an event is kept (as long as orders: RETENTION_DAYS). */
  retentionDays: number;
  clock?: () => number;
}

export function createEventStore(opts: EventStoreOptions): EventStore {
  const { client, tableName } = opts;
  const clock = opts.clock ?? Date.now;
  const send = storeSend(client);

  const log = createEventLog({
    client,
    tableName,
    retentionDays: opts.retentionDays,
    clock,
    itemsOf: (e, now, place) => {
      const ttl = Math.floor(now / 1000) + opts.retentionDays * 86_400;
      return {
        event: {
          pk: eventKey(e.id),
          id: e.id,
          type: e.type,
          timestamp: e.timestamp,
          // Its order's listing: in log order, so oldest first. Keys written once: deliveries are items of their own.
          ...(e.orderNo !== undefined ? { orderNo: e.orderNo, listKey: listKeys.orderEvents(e.orderNo), listSeq: place } : {}),
          ...(e.endpointId !== undefined ? { endpointId: e.endpointId } : {}),
          body: e.body,
          loggedAt: now,
          endpoints: e.deliveries.map((d) => d.endpointId),
          ttl,
        },
        with: deliveryItemsOf(e, now, ttl),
      };
    },
  });

  return {
    ...log,

    async listForOrder(q) {
      const listKey = listKeys.orderEvents(q.orderNo);
      const r = await send(
        new QueryCommand({
          TableName: tableName,
          IndexName: LISTS_INDEX,
          KeyConditionExpression: '#k = :k',
          ExpressionAttributeNames: { '#k': 'listKey' },
          ExpressionAttributeValues: { ':k': listKey },
          Limit: q.limit,
          ...(q.after !== undefined ? { ExclusiveStartKey: { pk: eventKey(idOfPlace(q.after)), listKey, listSeq: q.after } } : {}),
        }),
      );
      // The index projects the whole event (ALL), so its items are the page; its deliveries are
      // items of their own, read with consistent reads by the use case.
      const last = r.LastEvaluatedKey;
      return {
        events: (r.Items ?? []).map((item) => ({ record: toRecord(item), place: String(item.listSeq) })),
        ...(last !== undefined ? { next: String(last.listSeq) } : {}),
      };
    },
  };
}
