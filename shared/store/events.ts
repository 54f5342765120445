/**
 * The event log, in the payments table: one item per event (pk `EVENT#<id>`), written only by the
 * events function from the table's own stream, never by the code that changes orders.
 *
 * - The log's order: positions taken in the transaction that logs each event (./event-log.ts),
 *   listed from the table with consistent reads.
 * - Webhook deliveries: an event whose next attempt is due carries `dueShard` `HOOK#n` / `dueAt`
 *   in the `due` GSI, as unfinished orders do for the reconciler; a delivery that gave up carries
 *   `dueShard` `HOOK#FAILED` and its failure time, so failed deliveries are listed by time.
 * - An attempt is taken with a lease (`deliveryLeaseUntil`), so no two senders send it at once.
 * - An order's events: the `lists` index, partition `ORDER_EVENTS#<orderNo>`, sort key `listSeq` =
 *   the event's place in the log (`eventSeq`), so oldest first. Events logged before this listing
 *   carry no `listKey` and are not in it.
 */
import { createHash, randomUUID } from 'node:crypto';
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { QueryCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { EventRecord, EventStore } from '../events/ports.ts';
import { storeSend } from './errors.ts';
import { createEventLog, eventKey, toRecord } from './event-log.ts';
import { DUE_INDEX, listKeys, LISTS_INDEX } from './table.ts';

export { eventKey };
/** The event a place in the log (`<position>#<id>`) is of. */
const idOfPlace = (place: string): string => place.slice(place.indexOf('#') + 1);
export const HOOK_SHARDS = 8;
export const HOOK_FAILED = 'HOOK#FAILED';
export const hookShardOf = (id: string): string => `HOOK#${createHash('sha256').update(id).digest().readUInt32BE(0) % HOOK_SHARDS}`;
export const allHookShards = (): string[] => Array.from({ length: HOOK_SHARDS }, (_, n) => `HOOK#${n}`);

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
    itemOf: (e, webhook, now, place) => ({
      pk: eventKey(e.id),
      id: e.id,
      type: e.type,
      timestamp: e.timestamp,
      orderNo: e.orderNo,
      // Its order's listing: in log order, so oldest first. Keys written once: deliveries change neither.
      listKey: listKeys.orderEvents(e.orderNo),
      listSeq: place,
      body: e.body,
      loggedAt: now,
      delivery: webhook ? { status: 'pending', attempts: [], nextAt: new Date(now).toISOString() } : { status: 'none', attempts: [] },
      ttl: Math.floor(now / 1000) + opts.retentionDays * 86_400,
      // A webhook is due at once: if the first attempt never happens (the function dies, or has no time left), the retrier sends it.
      ...(webhook ? { dueShard: hookShardOf(e.id), dueAt: now } : {}),
    }),
  });

  return {
    ...log,

    async takeDelivery(id, leaseMs) {
      const now = clock();
      const leaseId = randomUUID();
      try {
        const r = await send(
          new UpdateCommand({
            TableName: tableName,
            Key: { pk: eventKey(id) },
            UpdateExpression: 'SET #leaseUntil = :until, #leaseId = :lid',
            ConditionExpression: 'attribute_exists(pk) AND (attribute_not_exists(#leaseUntil) OR #leaseUntil <= :now)',
            ExpressionAttributeNames: { '#leaseUntil': 'deliveryLeaseUntil', '#leaseId': 'deliveryLeaseId' },
            ExpressionAttributeValues: { ':until': now + leaseMs, ':now': now, ':lid': leaseId },
            ReturnValues: 'ALL_NEW',
            ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
          }),
        );
        return { leaseId, record: toRecord(r.Attributes ?? {}) };
      } catch (e) {
        if (!(e instanceof ConditionalCheckFailedException)) throw e;
        // Our own earlier attempt (a lost reply) holds it: that is ours too.
        const old = e.Item;
        if (old?.deliveryLeaseId?.S === leaseId) return { leaseId, record: (await this.getEvent(id)) as EventRecord };
        return undefined;
      }
    },

    async recordAttempt(id, leaseId, attempt, next) {
      const names: Record<string, string> = {
        '#delivery': 'delivery',
        '#attempts': 'attempts',
        '#status': 'status',
        '#leaseUntil': 'deliveryLeaseUntil',
        '#leaseId': 'deliveryLeaseId',
        '#dueShard': 'dueShard',
        '#dueAt': 'dueAt',
      };
      const values: Record<string, unknown> = { ':a': [attempt], ':empty': [], ':status': next.status, ':lid': leaseId };
      const sets = ['#delivery.#attempts = list_append(if_not_exists(#delivery.#attempts, :empty), :a)', '#delivery.#status = :status'];
      const removes = ['#leaseUntil', '#leaseId'];
      if (next.status === 'pending') {
        values[':shard'] = hookShardOf(id);
        values[':due'] = next.at;
        sets.push('#dueShard = :shard', '#dueAt = :due');
        names['#nextAt'] = 'nextAt';
        values[':nextAt'] = new Date(next.at).toISOString();
        sets.push('#delivery.#nextAt = :nextAt');
      } else if (next.status === 'failed') {
        values[':shard'] = HOOK_FAILED;
        values[':due'] = next.at;
        sets.push('#dueShard = :shard', '#dueAt = :due');
        names['#nextAt'] = 'nextAt';
        removes.push('#delivery.#nextAt');
      } else {
        names['#nextAt'] = 'nextAt';
        removes.push('#dueShard', '#dueAt', '#delivery.#nextAt');
      }
      const r = await send(
        new UpdateCommand({
          TableName: tableName,
          Key: { pk: eventKey(id) },
          UpdateExpression: `SET ${sets.join(', ')} REMOVE ${removes.join(', ')}`,
          ConditionExpression: '#leaseId = :lid',
          ExpressionAttributeNames: names,
          ExpressionAttributeValues: values,
          ReturnValues: 'ALL_NEW',
        }),
      ).catch((e: unknown) => {
        if (e instanceof ConditionalCheckFailedException) return undefined;
        throw e;
      });
      return r === undefined ? undefined : toRecord(r.Attributes ?? {});
    },

    async queueRedelivery(id, roundFrom, actor) {
      const now = clock();
      const at = new Date(now).toISOString();
      const round = { from: roundFrom, at, ...(actor !== undefined ? { actor } : {}) };
      const r = await send(
        new UpdateCommand({
          TableName: tableName,
          Key: { pk: eventKey(id) },
          UpdateExpression:
            'SET #delivery.#status = :pending, #dueShard = :shard, #dueAt = :now, #delivery.#roundFrom = :from, #delivery.#nextAt = :at, ' +
            '#delivery.#rounds = list_append(if_not_exists(#delivery.#rounds, :none), :round)',
          ConditionExpression: 'attribute_exists(pk)',
          ExpressionAttributeNames: {
            '#delivery': 'delivery',
            '#status': 'status',
            '#dueShard': 'dueShard',
            '#dueAt': 'dueAt',
            '#roundFrom': 'roundFrom',
            '#nextAt': 'nextAt',
            '#rounds': 'rounds',
          },
          ExpressionAttributeValues: { ':pending': 'pending', ':shard': hookShardOf(id), ':now': now, ':from': roundFrom, ':at': at, ':none': [], ':round': [round] },
          ReturnValues: 'ALL_NEW',
        }),
      ).catch((e: unknown) => {
        if (e instanceof ConditionalCheckFailedException) return undefined;
        throw e;
      });
      return r === undefined ? undefined : toRecord(r.Attributes ?? {});
    },

    async dueDeliveries(now, limit) {
      const ids: string[] = [];
      for (const shard of allHookShards()) {
        if (ids.length >= limit) break;
        const r = await send(
          new QueryCommand({
            TableName: tableName,
            IndexName: DUE_INDEX,
            KeyConditionExpression: '#s = :s AND #d <= :now',
            ExpressionAttributeNames: { '#s': 'dueShard', '#d': 'dueAt' },
            ExpressionAttributeValues: { ':s': shard, ':now': now },
            Limit: limit - ids.length,
          }),
        );
        for (const item of r.Items ?? []) ids.push(String(item.pk).replace(/^EVENT#/, ''));
      }
      return ids;
    },

    async listFailed(q) {
      const r = await send(
        new QueryCommand({
          TableName: tableName,
          IndexName: DUE_INDEX,
          KeyConditionExpression: '#s = :s',
          ExpressionAttributeNames: { '#s': 'dueShard' },
          ExpressionAttributeValues: { ':s': HOOK_FAILED },
          ScanIndexForward: false,
          Limit: q.limit,
          ...(q.after !== undefined ? { ExclusiveStartKey: { pk: eventKey(q.after.id), dueShard: HOOK_FAILED, dueAt: q.after.at } } : {}),
        }),
      );
      // The `due` index projects what a retrier needs, not the event: read the events themselves.
      const places = (r.Items ?? []).map((item) => ({ id: String(item.pk).replace(/^EVENT#/, ''), at: Number(item.dueAt) }));
      const records = new Map((await log.getEvents(places.map((k) => k.id))).map((e) => [e.id, e]));
      const last = r.LastEvaluatedKey;
      return {
        events: places.flatMap((place) => {
          const record = records.get(place.id);
          return record === undefined ? [] : [{ record, place }];
        }),
        ...(last !== undefined ? { next: { at: Number(last.dueAt), id: String(last.pk).replace(/^EVENT#/, '') } } : {}),
      };
    },

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
      // The index projects the whole event (ALL), so its items are the page; a delivery recorded
      // a moment ago may show a moment later (GET /events/{id} reads the event itself).
      const last = r.LastEvaluatedKey;
      return {
        events: (r.Items ?? []).map((item) => ({ record: toRecord(item), place: String(item.listSeq) })),
        ...(last !== undefined ? { next: String(last.listSeq) } : {}),
      };
    },

    async failedSince(since, limit) {
      const ids: string[] = [];
      let startKey: Record<string, unknown> | undefined;
      do {
        const r = await send(
          new QueryCommand({
            TableName: tableName,
            IndexName: DUE_INDEX,
            KeyConditionExpression: '#s = :s AND #d >= :since',
            ExpressionAttributeNames: { '#s': 'dueShard', '#d': 'dueAt' },
            ExpressionAttributeValues: { ':s': HOOK_FAILED, ':since': since },
            ExclusiveStartKey: startKey,
          }),
        );
        for (const item of r.Items ?? []) if (ids.length < limit) ids.push(String(item.pk).replace(/^EVENT#/, ''));
        startKey = r.LastEvaluatedKey;
      } while (startKey !== undefined && ids.length < limit);
      return ids;
    },
  };
}

