/**
 * Webhook deliveries, in the payments table: one item per event and endpoint
 * (`DELIVERY#<eventId>#<endpointId>`), made with its event in the log's transaction
 * (./event-log.ts), so an event is never logged without its deliveries. Each has its own attempts
 * (the latest MAX_KEPT_ATTEMPTS and a count), status, lease and due time: endpoints never wait on
 * each other, and a delivery is a small item, so writing an attempt costs what the attempt is,
 * not what the event weighs. No index is added; the sparse `due` index holds, by partition:
 *
 * - `HOOK#<endpointId>#0`…`#3` (by the next attempt's time): an endpoint's deliveries due, for the
 *   retrier, each endpoint's apart; `HOOK#0`…`HOOK#7`: the events logged before endpoints whose
 *   delivery is due (their pk `EVENT#…`);
 * - `HOOK#FAILED` (by the time it failed): deliveries whose retries ran out, for redelivery;
 * - `HOOKOPEN#<endpointId>` (by the event's log time): one pointer item per delivery to that
 *   endpoint that failed and is not delivered yet (pending a retry, failed, or waiting for the
 *   endpoint to be enabled again): its oldest undelivered event, and what a catch-up sends again.
 *   A pointer is written with the state that opens it, in one transaction, and closed (its index
 *   keys removed) with the one that delivers.
 *
 * An attempt is taken under a lease (`leaseUntil`, `leaseId`) and recorded on the condition that
 * the lease is still ours. Events logged before endpoints keep their one delivery on the event
 * item; adoptLegacy moves it to an item of its own, to the configured endpoint.
 */
import { createHash, randomUUID } from 'node:crypto';
import { ConditionalCheckFailedException, TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { GetCommand, QueryCommand, TransactWriteCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { MAX_KEPT_ATTEMPTS } from '../events/event-shape.ts';
import type { Actor } from '../domain/order.ts';
import type { DeliveryKey, DeliveryRecord, DeliveryState, DeliveryStore, EventToLog, FailedPlace, LeasedDeliveries, RedeliveryRound } from '../events/ports.ts';
import { storeSend, StoreUnavailableError } from './errors.ts';
import { eventKey } from './event-log.ts';
import { DUE_INDEX } from './table.ts';
import { batchGetItems, withoutAttributes } from './items.ts';
import { UpdateExpression } from './update-expression.ts';

/** The shards of the events logged before endpoints whose delivery is due (as the code before endpoints wrote them). */
export const HOOK_SHARDS = 8;
export const HOOK_FAILED = 'HOOK#FAILED';
/** The `due` shard of an event logged before endpoints (`HOOK#n`, from its id). */
export const hookShardOf = (eventId: string): string => `HOOK#${createHash('sha256').update(eventId).digest().readUInt32BE(0) % HOOK_SHARDS}`;
export const allHookShards = (): string[] => Array.from({ length: HOOK_SHARDS }, (_, n) => `HOOK#${n}`);
/**
 * Each endpoint's due deliveries have shards of their own (`HOOK#<endpointId>#n`): the retrier reads
 * every endpoint's apart, so one endpoint's backlog (a receiver down for days) is never read before,
 * or instead of, another's due deliveries. A few shards each, so that no index partition takes all
 * of one busy endpoint's writes.
 */
export const ENDPOINT_SHARDS = 4;
export const dueShardOf = (eventId: string, endpointId: string): string =>
  `HOOK#${endpointId}#${createHash('sha256').update(eventId).digest().readUInt32BE(0) % ENDPOINT_SHARDS}`;
const endpointShards = (endpointId: string): string[] => Array.from({ length: ENDPOINT_SHARDS }, (_, n) => `HOOK#${endpointId}#${n}`);

export const deliveryKey = (eventId: string, endpointId: string): string => `DELIVERY#${eventId}#${endpointId}`;
const openKey = (eventId: string, endpointId: string): string => `HOOKOPEN#${eventId}#${endpointId}`;
/** The `due` partition of an endpoint's open deliveries. */
export const openShard = (endpointId: string): string => `HOOKOPEN#${endpointId}`;

/** The key a `due` index item names: a delivery, or an event logged before endpoints. */
export function keyOfItem(pk: string): DeliveryKey | undefined {
  if (pk.startsWith('EVENT#')) return { kind: 'legacy', eventId: pk.slice('EVENT#'.length) };
  const m = /^(?:DELIVERY|HOOKOPEN)#(evt_[A-Za-z0-9_-]+)#(we_[A-Za-z0-9]+)$/.exec(pk);
  return m?.[1] !== undefined && m[2] !== undefined ? { kind: 'delivery', eventId: m[1], endpointId: m[2] } : undefined;
}

const INTERNAL = new Set(['pk', 'dueShard', 'dueAt', 'leaseUntil', 'leaseId', 'ttl']);
const toRecord = (item: Record<string, unknown>): DeliveryRecord => withoutAttributes(item, INTERNAL) as unknown as DeliveryRecord;
const iso = (ms: number): string => new Date(ms).toISOString();

/** Reads and writes a redelivery tries while attempts move the delivery's count under it. */
const ROUND_TRIES = 5;
/** A redelivery's round as the delivery keeps it: the attemptCount it begins at, when, and who asked. */
const roundOf = (from: number, now: number, actor: Actor | undefined): RedeliveryRound => ({ from, at: iso(now), ...(actor !== undefined ? { actor } : {}) });

export interface DeliveryStoreOptions {
  client: DynamoDBDocumentClient;
  tableName: string;
  /** Days a delivery is kept (as long as its event: RETENTION_DAYS). */
  retentionDays: number;
  clock?: () => number;
}

/**
 * The items an event's deliveries are logged as (put with the event, each only where none is): a
 * delivery due at once per endpoint, or one waiting for a disabled endpoint (with its pointer
 * among that endpoint's open deliveries).
 */
export function deliveryItemsOf(e: Pick<EventToLog, 'id' | 'type' | 'deliveries' | 'lease'>, now: number, ttl: number): Record<string, unknown>[] {
  return e.deliveries.flatMap(({ endpointId, waiting }) => {
    const pk = deliveryKey(e.id, endpointId);
    const base = { pk, eventId: e.id, endpointId, type: e.type, loggedAt: now, attempts: [], attemptCount: 0, roundFrom: 0, ttl };
    // Due at once: if the first attempt is never made (the function dies, or has no time left), the
    // retrier makes it (once the lease of the invocation that logged it, if any, is over or given up).
    const lease = e.lease !== undefined ? { leaseId: e.lease.id, leaseUntil: e.lease.until } : {};
    if (!waiting) return [{ ...base, status: 'pending', nextAt: iso(now), dueShard: dueShardOf(e.id, endpointId), dueAt: now, ...lease }];
    return [
      { ...base, status: 'waiting', open: true },
      { pk: openKey(e.id, endpointId), dueShard: openShard(endpointId), dueAt: now, ttl },
    ];
  });
}

/** What every call of the store shares: its table, its clock, its items' expiry, its sending. */
interface StoreContext {
  tableName: string;
  clock: () => number;
  ttlOf: (now: number) => number;
  send: DynamoDBDocumentClient['send'];
}

function contextOf(opts: DeliveryStoreOptions): StoreContext {
  return {
    tableName: opts.tableName,
    clock: opts.clock ?? Date.now,
    ttlOf: (now) => Math.floor(now / 1000) + opts.retentionDays * 86_400,
    send: storeSend(opts.client),
  };
}

const conditionFailed = (e: unknown): boolean =>
  e instanceof ConditionalCheckFailedException || (e instanceof TransactionCanceledException && (e.CancellationReasons ?? []).some((r) => r.Code === 'ConditionalCheckFailed'));

/** The pointer among its endpoint's open deliveries: opened (its index keys set) or closed (removed). */
const pointer = (c: StoreContext, r: Pick<DeliveryRecord, 'eventId' | 'endpointId' | 'loggedAt'>, open: boolean, now: number) => ({
  Update: {
    TableName: c.tableName,
    Key: { pk: openKey(r.eventId, r.endpointId) },
    ...(open
      ? new UpdateExpression().set('#dueShard = :shard, #dueAt = :logged, #ttl = :ttl', { ':shard': openShard(r.endpointId), ':logged': r.loggedAt, ':ttl': c.ttlOf(now) })
      : new UpdateExpression().remove('#dueShard', '#dueAt')
    ).build(),
  },
});

/**
 * What is done with a delivery whose lease is held: the whole of what the events function's first
 * attempts need (its log gives them their lease), so its bundle holds these writes alone.
 */
export function createLeasedDeliveries(opts: DeliveryStoreOptions): LeasedDeliveries {
  return leased(contextOf(opts));
}

function leased(c: StoreContext): LeasedDeliveries {
  const { tableName, clock, send } = c;

  /**
   * One write of a delivery under its lease (and, with `open`, its pointer with it in one
   * transaction). False when the lease is no longer ours.
   */
  async function underLease(r: DeliveryRecord, leaseId: string, set: Record<string, unknown>, remove: string[], open?: boolean): Promise<boolean> {
    const u = new UpdateExpression().remove('#leaseId', '#leaseUntil', ...remove.map((k) => `#${k}`)).when('#leaseId = :lid', { ':lid': leaseId });
    u.setFields(set);
    const update = { TableName: tableName, Key: { pk: deliveryKey(r.eventId, r.endpointId) }, ...u.build() };
    try {
      if (open === undefined) await send(new UpdateCommand(update));
      else await send(new TransactWriteCommand({ TransactItems: [{ Update: update }, pointer(c, r, open, clock())] }));
      return true;
    } catch (e) {
      if (conditionFailed(e)) return false;
      throw e;
    }
  }

  return {
    async release(eventId, endpointId, leaseId) {
      try {
        await send(
            new UpdateCommand({
              TableName: tableName,
              Key: { pk: deliveryKey(eventId, endpointId) },
              ...new UpdateExpression().remove('#leaseUntil', '#leaseId').when('#leaseId = :lid', { ':lid': leaseId }).build(),
            })
        );
      } catch (e) {
        if (!(e instanceof ConditionalCheckFailedException)) throw e;
      }
    },

    async record(r, leaseId, attempt, next) {
      const attempts = [...r.attempts, attempt].slice(-MAX_KEPT_ATTEMPTS);
      const attemptCount = r.attemptCount + 1;
      const delivered = next.status === 'delivered';
      const set: Record<string, unknown> = { attempts, attemptCount, status: next.status, open: !delivered };
      const remove: string[] = [];
      if (next.status === 'pending') Object.assign(set, { dueShard: dueShardOf(r.eventId, r.endpointId), dueAt: next.at, nextAt: iso(next.at) });
      else if (next.status === 'failed') {
        Object.assign(set, { dueShard: HOOK_FAILED, dueAt: next.at });
        remove.push('nextAt');
      } else remove.push('dueShard', 'dueAt', 'nextAt');
      // The pointer opens with its first failure and closes with the delivery.
      const pointerChange = delivered ? (r.open === true ? false : undefined) : r.open === true ? undefined : true;
      if (!(await underLease(r, leaseId, set, remove, pointerChange))) return undefined;
      const { nextAt: _old, ...rest } = r;
      return { ...rest, attempts, attemptCount, status: next.status, open: !delivered, ...(next.status === 'pending' ? { nextAt: iso(next.at) } : {}) };
    },

    async park(r, leaseId) {
      return underLease(r, leaseId, { status: 'waiting', open: true }, ['dueShard', 'dueAt', 'nextAt'], r.open === true ? undefined : true);
    },

    async cancel(r, leaseId) {
      return underLease(r, leaseId, { status: 'cancelled' }, ['dueShard', 'dueAt', 'nextAt']);
    },
  };
}

/** The whole store (the retrier, the event log and endpoints APIs, the overview): the leased writes and the rest. */
export function createDeliveryStore(opts: DeliveryStoreOptions): DeliveryStore {
  const c = contextOf(opts);
  const { tableName, clock, ttlOf, send } = c;

  /** A delivery's attemptCount (undefined: there is no such delivery). */
  async function attemptCountOf(pk: string): Promise<number | undefined> {
    const r = await send(new GetCommand({ TableName: tableName, Key: { pk }, ConsistentRead: true, ProjectionExpression: '#c', ExpressionAttributeNames: { '#c': 'attemptCount' } }));
    return r.Item === undefined ? undefined : typeof r.Item.attemptCount === 'number' ? r.Item.attemptCount : 0;
  }

  async function queryKeys(shard: string, cond: string, values: Record<string, unknown>, limit: number, startKey?: Record<string, unknown>) {
    return send(
        new QueryCommand({
          TableName: tableName,
          IndexName: DUE_INDEX,
          KeyConditionExpression: `#s = :s AND ${cond}`,
          ExpressionAttributeNames: { '#s': 'dueShard', '#d': 'dueAt' },
          ExpressionAttributeValues: { ':s': shard, ...values },
          Limit: limit,
          ExclusiveStartKey: startKey,
        })
    );
  }

  return {
    ...leased(c),
    async getDeliveries(wanted) {
      const keys = wanted.flatMap((w) => w.endpointIds.map((ep) => deliveryKey(w.eventId, ep)));
      const out = new Map<string, Map<string, DeliveryRecord>>();
      for (const item of (await batchGetItems(send, tableName, keys)).values()) {
        const r = toRecord(item);
        let m = out.get(r.eventId);
        if (m === undefined) out.set(r.eventId, (m = new Map()));
        m.set(r.endpointId, r);
      }
      return out;
    },

    async take(eventId, endpointId, leaseMs) {
      const now = clock();
      const leaseId = randomUUID();
      try {
        const r = await send(
            new UpdateCommand({
              TableName: tableName,
              Key: { pk: deliveryKey(eventId, endpointId) },
              ...new UpdateExpression()
                .set('#leaseUntil = :until, #leaseId = :lid', { ':until': now + leaseMs, ':lid': leaseId })
                .when('attribute_exists(pk) AND #status = :pending AND (attribute_not_exists(#leaseUntil) OR #leaseUntil <= :now)', { ':pending': 'pending', ':now': now })
                .build(),
              ReturnValues: 'ALL_NEW',
              ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
            })
        );
        return { leaseId, record: toRecord(r.Attributes ?? {}) };
      } catch (e) {
        if (!(e instanceof ConditionalCheckFailedException)) throw e;
        // Our own earlier attempt (a lost reply) holds it: that is ours too.
        if (e.Item?.leaseId?.S !== leaseId) return undefined;
        const item = await send(new GetCommand({ TableName: tableName, Key: { pk: deliveryKey(eventId, endpointId) }, ConsistentRead: true }));
        return item.Item === undefined ? undefined : { leaseId, record: toRecord(item.Item) };
      }
    },

    async queue(event, endpointId, actor) {
      const pk = deliveryKey(event.id, endpointId);
      // The round's `from` is the attemptCount it begins at, which the write must be sure of: read,
      // then write on the condition that no attempt was recorded between (rarely tried again).
      for (let attempt = 0; attempt < ROUND_TRIES; attempt++) {
        const count = await attemptCountOf(pk);
        const now = clock();
        try {
          const r = await send(
              new UpdateCommand({
                TableName: tableName,
                Key: { pk },
                ...new UpdateExpression()
                  .set('#status = :pending, #dueShard = :shard, #dueAt = :now, #nextAt = :at, #roundFrom = :from', {
                    ':pending': 'pending',
                    ':shard': dueShardOf(event.id, endpointId),
                    ':now': now,
                    ':at': iso(now),
                    ':from': count ?? 0,
                  })
                  .set('#eventId = :e, #endpointId = :ep, #type = :type, #loggedAt = if_not_exists(#loggedAt, :logged)', {
                    ':e': event.id,
                    ':ep': endpointId,
                    ':type': event.type,
                    ':logged': event.loggedAt,
                  })
                  .set('#attempts = if_not_exists(#attempts, :empty), #attemptCount = if_not_exists(#attemptCount, :from), #ttl = if_not_exists(#ttl, :ttl)', {
                    ':empty': [],
                    ':ttl': ttlOf(now),
                  })
                  .set('#rounds = list_append(if_not_exists(#rounds, :empty), :round)', { ':round': [roundOf(count ?? 0, now, actor)] })
                  .when(count === undefined ? 'attribute_not_exists(pk)' : '#attemptCount = :from')
                  .build(),
                ReturnValues: 'ALL_NEW',
              })
          );
          return toRecord(r.Attributes ?? {});
        } catch (e) {
          if (!(e instanceof ConditionalCheckFailedException)) throw e;
        }
      }
      throw new StoreUnavailableError(`a delivery's attempts moved under ${ROUND_TRIES} redeliveries in a row`);
    },

    async close(eventId, endpointId) {
      const now = clock();
      try {
        await send(
            new TransactWriteCommand({
              TransactItems: [
                {
                  Update: {
                    TableName: tableName,
                    Key: { pk: deliveryKey(eventId, endpointId) },
                    ...new UpdateExpression()
                      .set('#status = :cancelled', { ':cancelled': 'cancelled' })
                      .remove('#dueShard', '#dueAt', '#nextAt')
                      .when('#status IN (:waiting, :failed)', { ':waiting': 'waiting', ':failed': 'failed' })
                      .build(),
                  },
                },
                pointer(c, { eventId, endpointId, loggedAt: 0 }, false, now),
              ],
            })
        );
        return true;
      } catch (e) {
        if (conditionFailed(e)) return false;
        throw e;
      }
    },

    async requeue(eventId, endpointId, from, redelivery) {
      const pk = deliveryKey(eventId, endpointId);
      for (let attempt = 0; attempt < ROUND_TRIES; attempt++) {
        // A redelivery records its round, whose `from` the write must be sure of (as queue's).
        const count = redelivery === undefined ? undefined : await attemptCountOf(pk);
        if (redelivery !== undefined && count === undefined) return undefined;
        const now = clock();
        const states = Object.fromEntries(from.map((st, i) => [`:from${i}`, st]));
        const u = new UpdateExpression()
          .set('#status = :pending, #dueShard = :shard, #dueAt = :now, #nextAt = :at, #roundFrom = #attemptCount', {
            ':pending': 'pending',
            ':shard': dueShardOf(eventId, endpointId),
            ':now': now,
            ':at': iso(now),
          })
          .when(`attribute_exists(pk) AND #status IN (${Object.keys(states).join(', ')})`, states);
        if (redelivery !== undefined && count !== undefined) {
          u.set('#rounds = list_append(if_not_exists(#rounds, :empty), :round)', { ':empty': [], ':round': [roundOf(count, now, redelivery.actor)] }).when('#attemptCount = :count', {
            ':count': count,
          });
        }
        try {
          const r = await send(
              new UpdateCommand({
                TableName: tableName,
                Key: { pk },
                ...u.build(),
                ReturnValues: 'ALL_NEW',
                ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
              })
          );
          return toRecord(r.Attributes ?? {});
        } catch (e) {
          if (!(e instanceof ConditionalCheckFailedException)) throw e;
          // Not in one of `from`: nothing to queue. Else an attempt moved the count: read again.
          const status = e.Item?.status?.S;
          if (redelivery === undefined || status === undefined || !(from as readonly string[]).includes(status)) return undefined;
        }
      }
      throw new StoreUnavailableError(`a delivery's attempts moved under ${ROUND_TRIES} redeliveries in a row`);
    },

    async addEndpoint(eventId, endpointId) {
      try {
        await send(
            new UpdateCommand({
              TableName: tableName,
              Key: { pk: eventKey(eventId) },
              ...new UpdateExpression()
                .set('#endpoints = list_append(if_not_exists(#endpoints, :empty), :one)', { ':empty': [], ':one': [endpointId] })
                .when('attribute_exists(pk) AND NOT contains(#endpoints, :ep)', { ':ep': endpointId })
                .build(),
            })
        );
      } catch (e) {
        if (!(e instanceof ConditionalCheckFailedException)) throw e;
      }
    },

    async due(endpointIds, now, perEndpoint) {
      /** The due items of these shards, oldest due first, at most `limit` in all. */
      const read = async (shards: readonly string[], limit: number): Promise<DeliveryKey[]> => {
        const keys: DeliveryKey[] = [];
        for (const shard of shards) {
          let startKey: Record<string, unknown> | undefined;
          do {
            const r = await queryKeys(shard, '#d <= :now', { ':now': now }, Math.min(1_000, limit - keys.length), startKey);
            for (const item of r.Items ?? []) {
              const k = keyOfItem(String(item.pk));
              if (k !== undefined) keys.push(k);
            }
            startKey = r.LastEvaluatedKey;
          } while (startKey !== undefined && keys.length < limit);
          if (keys.length >= limit) break;
        }
        return keys;
      };
      const each = await Promise.all([...endpointIds.map((id) => read(endpointShards(id), perEndpoint)), read(allHookShards(), perEndpoint)]);
      return each.flat();
    },

    async anyDue(endpointId) {
      for (const shard of endpointShards(endpointId)) if (((await queryKeys(shard, '#d >= :zero', { ':zero': 0 }, 1)).Items ?? []).length > 0) return true;
      return false;
    },

    async failedSince(since, limit) {
      const keys: DeliveryKey[] = [];
      let startKey: Record<string, unknown> | undefined;
      do {
        const r = await queryKeys(HOOK_FAILED, '#d >= :since', { ':since': since }, 1_000, startKey);
        for (const item of r.Items ?? []) {
          const k = keyOfItem(String(item.pk));
          if (k !== undefined && keys.length < limit) keys.push(k);
        }
        startKey = r.LastEvaluatedKey;
      } while (startKey !== undefined && keys.length < limit);
      return keys;
    },

    async listFailed(q) {
      const startKey =
        q.after === undefined
          ? undefined
          : { pk: q.after.endpointId === undefined ? eventKey(q.after.id) : deliveryKey(q.after.id, q.after.endpointId), dueShard: HOOK_FAILED, dueAt: q.after.at };
      const r = await send(
          new QueryCommand({
            TableName: tableName,
            IndexName: DUE_INDEX,
            KeyConditionExpression: '#s = :s',
            ExpressionAttributeNames: { '#s': 'dueShard' },
            ExpressionAttributeValues: { ':s': HOOK_FAILED },
            ScanIndexForward: false,
            Limit: q.limit,
            ExclusiveStartKey: startKey,
          })
      );
      const placeOf = (item: Record<string, unknown>): { key: DeliveryKey; place: FailedPlace } | undefined => {
        const key = keyOfItem(String(item.pk));
        if (key === undefined) return undefined;
        return { key, place: { at: Number(item.dueAt), id: key.eventId, ...(key.kind === 'delivery' ? { endpointId: key.endpointId } : {}) } };
      };
      const last = r.LastEvaluatedKey === undefined ? undefined : placeOf(r.LastEvaluatedKey);
      return { items: (r.Items ?? []).flatMap((item) => placeOf(item) ?? []), ...(last !== undefined ? { next: last.place } : {}) };
    },

    async openDeliveries(endpointId, after, limit) {
      const m = /^(\d+)#(.+)$/.exec(after);
      const startKey = m?.[1] !== undefined && m[2] !== undefined ? { pk: m[2], dueShard: openShard(endpointId), dueAt: Number(m[1]) } : undefined;
      const r = await queryKeys(openShard(endpointId), '#d >= :zero', { ':zero': 0 }, limit, startKey);
      const items = (r.Items ?? []).flatMap((item) => {
        const k = keyOfItem(String(item.pk));
        return k?.kind === 'delivery' ? [{ eventId: k.eventId, loggedAt: Number(item.dueAt), place: `${Number(item.dueAt)}#${String(item.pk)}` }] : [];
      });
      return { items, more: r.LastEvaluatedKey !== undefined };
    },

    async adoptLegacy(r, endpointId) {
      const now = clock();
      const legacy = r.delivery ?? { status: 'none' as const, attempts: [] };
      const pk = deliveryKey(r.id, endpointId);
      const status: DeliveryState = legacy.status === 'none' ? 'cancelled' : legacy.status;
      const attempts = legacy.attempts.slice(-MAX_KEPT_ATTEMPTS);
      const open = (status === 'pending' && legacy.attempts.length > 0) || status === 'failed';
      const dueAt = legacy.nextAt !== undefined ? Date.parse(legacy.nextAt) : now;
      const item: Record<string, unknown> = {
        pk,
        eventId: r.id,
        endpointId,
        type: r.type,
        loggedAt: r.loggedAt,
        status,
        attempts,
        attemptCount: legacy.attempts.length,
        roundFrom: Math.min(legacy.roundFrom ?? 0, legacy.attempts.length),
        // Its redeliveries' rounds (who asked): their `from` an index into every attempt, as attemptCount is.
        ...(legacy.rounds !== undefined ? { rounds: legacy.rounds } : {}),
        open,
        ttl: ttlOf(now),
        ...(status === 'pending' ? { dueShard: dueShardOf(r.id, endpointId), dueAt, nextAt: iso(dueAt) } : {}),
        // When it failed is not kept on the event: its last attempt's time is.
        ...(status === 'failed' ? { dueShard: HOOK_FAILED, dueAt: Date.parse(legacy.attempts.at(-1)?.at ?? iso(r.loggedAt)) } : {}),
      };
      try {
        await send(
            new TransactWriteCommand({
              TransactItems: [
                {
                  Update: {
                    TableName: tableName,
                    Key: { pk: eventKey(r.id) },
                    ...new UpdateExpression()
                      .set('#endpoints = :eps', { ':eps': [endpointId] })
                      .remove('#dueShard', '#dueAt', '#delivery')
                      // Not while the old code's attempt holds its lease.
                      .when('attribute_exists(pk) AND attribute_not_exists(#endpoints) AND (attribute_not_exists(#deliveryLeaseUntil) OR #deliveryLeaseUntil <= :now)', { ':now': now })
                      .build(),
                  },
                },
                { Put: { TableName: tableName, Item: item, ConditionExpression: 'attribute_not_exists(pk)' } },
                ...(open ? [pointer(c, { eventId: r.id, endpointId, loggedAt: r.loggedAt }, true, now)] : []),
              ],
            })
        );
        return true;
      } catch (e) {
        if (conditionFailed(e)) return false;
        throw e;
      }
    },
  };
}
