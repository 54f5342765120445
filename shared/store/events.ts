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
 */
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { EventStore } from '../events/ports.ts';
import { deliveryItemsOf } from './deliveries.ts';
import { createEventLog, eventKey } from './event-log.ts';

export { eventKey };

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
  return createEventLog({
    client,
    tableName,
    retentionDays: opts.retentionDays,
    clock,
    itemsOf: (e, now) => {
      const ttl = Math.floor(now / 1000) + opts.retentionDays * 86_400;
      return {
        event: {
          pk: eventKey(e.id),
          id: e.id,
          type: e.type,
          timestamp: e.timestamp,
          ...(e.orderNo !== undefined ? { orderNo: e.orderNo } : {}),
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
}
