/**
 * The event log's order: every event gets a position, 1 more than the last, taken in the same
 * transaction that logs it, and GET /events lists positions from the table itself with strongly
 * consistent reads. Why a poller following cursors sees every event exactly once, however late a
 * write lands:
 *
 * - One TransactWriteItems logs events: the counter item (`EVENTLOG`, `last`) moves from the
 *   value the writer saw (its condition) to that value plus n, and the same transaction puts each
 *   event (`EVENT#<id>`, `attribute_not_exists`) and a pointer per position (`EVENTPOS#<n>`: its
 *   id and type). It commits whole or not at all, so the counter at C means positions 1…C are
 *   all committed; and no later transaction can take a position at or below C.
 * - A page reads the counter (consistent), then the pointers and events at positions after the
 *   cursor up to it (BatchGetItem, consistent): every one of them is there. A write still in
 *   flight holds no position yet; when it commits it gets one above the counter every cursor
 *   handed out so far is at or below. So a place past the counter (or, before positions, past
 *   the log time listed) is no cursor of this log: InvalidCursorError (400), never a 500.
 *
 * A writer that saw a stale counter fails its condition and learns the value from the failed
 * transaction (ALL_OLD), so a single writer pays one round trip, and writers racing on several
 * shards retry. An event the stream delivers again fails its put: it is logged already, and
 * keeps its position. A lost reply: the SDK sends the same transaction again (its token makes
 * DynamoDB answer it as done); should that not hold, the event's `writeId` on the item is ours.
 *
 * Positions start above POSITION_BASE: events logged before positions existed sort below it,
 * by their log time (`eventSeq` in the `events` index), and are listed first from that index.
 */
import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { TransactionCanceledException, type AttributeValue } from '@aws-sdk/client-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import { GetCommand, QueryCommand, TransactWriteCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { EventRecord, EventStore } from '../events/ports.ts';
import { InvalidCursorError } from '../paging.ts';
import { batchGetItems, withoutAttributes } from './items.ts';
import { UpdateExpression } from './update-expression.ts';
import { storeSend, StoreUnavailableError } from './errors.ts';
import { EVENTS_INDEX } from './table.ts';

export const eventKey = (id: string): string => `EVENT#${id}`;
/** The counter: the last position taken. */
export const LOG_COUNTER_KEY = 'EVENTLOG';
export const positionKey = (n: number): string => `EVENTPOS#${n}`;
/** Positions are above this (15 digits, like the log times events were ordered by before): the first event's is POSITION_BASE + 1. */
export const POSITION_BASE = 100_000_000_000_000;
/** A cursor: the position, then the event's id. */
export const cursorOf = (position: number, id: string): string => `${position}#${id}`;
/** The `events` index's partition of events logged before positions (by log time). */
const LEGACY_LOG = 'EVENTS';
/** The sort key events logged before positions have: the log time, zero-padded, then the id. */
export const legacySeq = (loggedAt: number, id: string): string => `${String(loggedAt).padStart(15, '0')}#${id}`;

/** Events per transaction: 2 items each (and their deliveries) and the counter, within TransactWriteItems' 100 items and 4 MB. */
const EVENTS_PER_WRITE = 25;
const ITEMS_PER_WRITE = 100;
const BYTES_PER_WRITE = 2 * 1024 * 1024;
/**
 * Tries to take positions before giving up (the stream retries the change). Writers that keep
 * meeting each other back off, each a random time up to a doubling bound (full jitter).
 */
const WRITE_ATTEMPTS = 40;
const BACKOFF_MS = 5;
const MAX_BACKOFF_MS = 200;
/** Positions read per BatchGetItem (its limit), and rounds a filtered page may read. */
const READ_CHUNK = 100;
const READ_ROUNDS = 10;

const INTERNAL = new Set(['pk', 'eventLog', 'dueShard', 'dueAt', 'deliveryLeaseUntil', 'deliveryLeaseId', 'ttl', 'writeId', 'position', 'listKey', 'listSeq']);
export const toRecord = (item: Record<string, unknown>): EventRecord => withoutAttributes(item, INTERNAL) as unknown as EventRecord;


/**
 * A place after the end of the log: no cursor handed out is ever there (a table restored from a
 * backup, another stack's cursor). Refused, so that a poller starts again rather than waiting at
 * a place the log would only reach with events it never shows.
 */
const pastTheEnd = (): InvalidCursorError => new InvalidCursorError('this cursor is past the end of the log: it is not one of this log, start again without one');

export interface EventLogOptions {
  client: DynamoDBDocumentClient;
  tableName: string;
  retentionDays: number;
  clock: () => number;
  /**
   * The item an event is logged as, given its place in the log (`eventSeq`), and the items put with
   * it in the same transaction (its deliveries: shared/store/deliveries.ts), each only where none is.
   */
  itemsOf: (e: Parameters<EventStore['logEvents']>[0][number], now: number, place: string) => { event: Record<string, unknown>; with: Record<string, unknown>[] };
}

export function createEventLog(o: EventLogOptions): Pick<EventStore, 'logEvents' | 'listEvents' | 'getEvent' | 'recentEvents'> & {
  /** The events of these ids that exist, in the order given. */
  getEvents(ids: readonly string[]): Promise<EventRecord[]>;
} {
  const { client, tableName } = o;
  /** The last position this container saw taken: the next write's guess (undefined: no counter seen yet). */
  let seen: number | undefined;
  const send = storeSend(client);

  type Outcome = Awaited<ReturnType<EventStore['logEvents']>>[number];

  /** Logs one chunk in one transaction, retrying while the counter moves under it. */
  async function logChunk(events: Parameters<EventStore['logEvents']>[0]): Promise<Outcome[]> {
    const out: (Outcome | undefined)[] = events.map(() => undefined);
    // One id for every try of this chunk: an event item carrying it was logged by one of them.
    const writeId = randomUUID();
    for (let attempt = 0; attempt < WRITE_ATTEMPTS; attempt++) {
      const pending = events.flatMap((e, i) => (out[i] === undefined ? [{ e, i }] : []));
      if (pending.length === 0) break;
      const now = o.clock();
      const last = seen ?? POSITION_BASE;
      const ttl = Math.floor(now / 1000) + o.retentionDays * 86_400;
      const items = pending.map(({ e }, k) => {
        const position = last + 1 + k;
        const eventSeq = cursorOf(position, e.id);
        const { event, with: alongside } = o.itemsOf(e, now, eventSeq);
        return { item: { ...event, id: e.id, type: e.type, position, eventSeq, writeId }, alongside };
      });
      // Where each event's own put is in the transaction: its cancellation reason is there.
      const at: number[] = [];
      let next = 1;
      const puts = items.flatMap(({ item, alongside }) => {
        at.push(next);
        next += 2 + alongside.length;
        return [
          { Put: { TableName: tableName, Item: item, ConditionExpression: 'attribute_not_exists(pk)', ReturnValuesOnConditionCheckFailure: 'ALL_OLD' as const } },
          { Put: { TableName: tableName, Item: { pk: positionKey(item.position), id: item.id, type: item.type, ttl }, ConditionExpression: 'attribute_not_exists(pk)' } },
          ...alongside.map((x) => ({ Put: { TableName: tableName, Item: x, ConditionExpression: 'attribute_not_exists(pk)' } })),
        ];
      });
      try {
        await send(
          new TransactWriteCommand({
            TransactItems: [
              {
                Update: {
                  TableName: tableName,
                  Key: { pk: LOG_COUNTER_KEY },
                  ...new UpdateExpression()
                    .set('#last = :last', { ':last': last + pending.length })
                    .when(seen === undefined ? 'attribute_not_exists(pk)' : '#last = :seen', seen === undefined ? {} : { ':seen': seen })
                    .build(),
                  ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
                },
              },
              ...puts,
            ],
          }),
        );
        seen = last + pending.length;
        for (const [k, { i }] of pending.entries()) out[i] = { kind: 'logged', record: toRecord(items[k]?.item as Record<string, unknown>) };
        continue;
      } catch (e) {
        if (!(e instanceof TransactionCanceledException)) throw e;
        const reasons = e.CancellationReasons ?? [];
        const old = (r: (typeof reasons)[number] | undefined): Record<string, unknown> | undefined =>
          r?.Item === undefined ? undefined : unmarshall(r.Item as Record<string, AttributeValue>);
        for (const [k, { i }] of pending.entries()) {
          const r = reasons[at[k] ?? -1];
          if (r?.Code !== 'ConditionalCheckFailed') continue;
          const item = old(r);
          // Ours (an earlier try whose reply was lost): logged, at the position it took then.
          out[i] = item?.writeId === writeId ? { kind: 'logged', record: toRecord(item) } : { kind: 'exists' };
        }
        const counter = reasons[0];
        const contended = reasons.some((r) => r.Code === 'TransactionConflict' || r.Code === 'ThrottlingError' || r.Code === 'ProvisionedThroughputExceeded');
        if (counter?.Code === 'ConditionalCheckFailed') {
          const now = old(counter)?.last;
          seen = typeof now === 'number' ? now : undefined;
        } else if (!contended && !reasons.some((r) => r.Code === 'ConditionalCheckFailed')) {
          throw e;
        }
        // The first stale guess is corrected at once (a cold container, one writer); after that
        // another writer is taking positions too.
        if (contended || attempt > 0) await sleep(Math.random() * Math.min(MAX_BACKOFF_MS, BACKOFF_MS * 2 ** attempt));
      }
    }
    if (out.some((x) => x === undefined)) throw new StoreUnavailableError(`the event log's position moved under ${WRITE_ATTEMPTS} tries in a row`);
    return out as Outcome[];
  }

  const batchGet = (pks: readonly string[]): Promise<Map<string, Record<string, unknown>>> => batchGetItems(send, tableName, pks);

  /** Events logged before positions, after `after` (or from the start), up to `until`: the old index, as before. */
  async function listLegacy(q: Parameters<EventStore['listEvents']>[0]): Promise<{ events: EventRecord[]; done: boolean; last?: string }> {
    const values: Record<string, unknown> = { ':log': LEGACY_LOG, ':until': legacySeq(q.legacyUntil, '') };
    let cond = '#log = :log AND #seq < :until';
    if (q.after !== undefined) {
      values[':after'] = q.after;
      cond = '#log = :log AND #seq BETWEEN :after AND :until';
    }
    const out: EventRecord[] = [];
    let startKey: Record<string, unknown> | undefined;
    let last: string | undefined;
    for (let page = 0; page < READ_ROUNDS && out.length < q.limit; page++) {
      const r = await send(
        new QueryCommand({
          TableName: tableName,
          IndexName: EVENTS_INDEX,
          KeyConditionExpression: cond,
          ExpressionAttributeNames: { '#log': 'eventLog', '#seq': 'eventSeq', ...(q.type !== undefined ? { '#type': 'type' } : {}) },
          ExpressionAttributeValues: { ...values, ...(q.type !== undefined ? { ':type': q.type } : {}) },
          ...(q.type !== undefined ? { FilterExpression: '#type = :type' } : {}),
          Limit: q.limit,
          ExclusiveStartKey: startKey,
        }),
      );
      for (const item of r.Items ?? []) {
        const seq = String(item.eventSeq);
        if (seq === q.after) continue;
        if (out.length < q.limit) {
          out.push(toRecord(item));
          last = seq;
        }
      }
      startKey = r.LastEvaluatedKey;
      if (startKey === undefined) return { events: out, done: out.length < q.limit, ...(last !== undefined ? { last } : {}) };
      if (out.length < q.limit) last = String(startKey.eventSeq);
    }
    return { events: out, done: false, ...(last !== undefined ? { last } : {}) };
  }

  return {
    async logEvents(events) {
      const out: Outcome[] = [];
      let chunk: typeof events = [];
      let bytes = 0;
      let count = 1;
      const flush = async (): Promise<void> => {
        if (chunk.length > 0) out.push(...(await logChunk(chunk)));
        chunk = [];
        bytes = 0;
        count = 1;
      };
      for (const e of events) {
        const size = Buffer.byteLength(e.body);
        // The event, its pointer, a delivery per endpoint and a pointer per waiting one.
        const n = 2 + e.deliveries.length + e.deliveries.filter((d) => d.waiting).length;
        if (chunk.length === EVENTS_PER_WRITE || (chunk.length > 0 && (bytes + size > BYTES_PER_WRITE || count + n > ITEMS_PER_WRITE))) await flush();
        chunk = [...chunk, e];
        bytes += size;
        count += n;
      }
      await flush();
      return out;
    },

    async getEvents(ids) {
      const found = new Map<string, Record<string, unknown>>();
      for (let i = 0; i < ids.length; i += READ_CHUNK) for (const [k, v] of await batchGet(ids.slice(i, i + READ_CHUNK).map(eventKey))) found.set(k, v);
      return ids.flatMap((id) => {
        const item = found.get(eventKey(id));
        return item === undefined ? [] : [toRecord(item)];
      });
    },

    async recentEvents(limit) {
      const counter = await send(new GetCommand({ TableName: tableName, Key: { pk: LOG_COUNTER_KEY }, ConsistentRead: true }));
      const top = typeof counter.Item?.last === 'number' ? counter.Item.last : POSITION_BASE;
      const from = Math.max(POSITION_BASE, top - limit);
      const positions = Array.from({ length: top - from }, (_, k) => top - k);
      const pointers = new Map<string, Record<string, unknown>>();
      for (let i = 0; i < positions.length; i += READ_CHUNK) for (const [k, v] of await batchGet(positions.slice(i, i + READ_CHUNK).map(positionKey))) pointers.set(k, v);
      const ids = positions.flatMap((n) => {
        const p = pointers.get(positionKey(n));
        return p === undefined ? [] : [String(p.id)];
      });
      return this.getEvents(ids);
    },

    async getEvent(id) {
      const r = await send(new GetCommand({ TableName: tableName, Key: { pk: eventKey(id) }, ConsistentRead: true }));
      return r.Item === undefined ? undefined : toRecord(r.Item);
    },

    async listEvents(q) {
      const out: EventRecord[] = [];
      const position = q.after === undefined ? 0 : Number(q.after.slice(0, q.after.indexOf('#')));
      let from = position;
      let lastCursor = q.after;
      // A place before positions is a log time no cursor handed out can be past.
      if (q.after !== undefined && position < POSITION_BASE && q.after >= legacySeq(q.legacyUntil, '')) throw pastTheEnd();
      if (position < POSITION_BASE) {
        const legacy = await listLegacy(q);
        out.push(...legacy.events);
        if (!legacy.done) return { events: out, ...(legacy.last !== undefined ? { next: legacy.last } : {}) };
        if (legacy.last !== undefined) lastCursor = legacy.last;
        from = POSITION_BASE;
      }
      const counter = await send(new GetCommand({ TableName: tableName, Key: { pk: LOG_COUNTER_KEY }, ConsistentRead: true }));
      const top = typeof counter.Item?.last === 'number' ? counter.Item.last : POSITION_BASE;
      // The counter only grows, and every cursor was at or below it when handed out.
      if (position > top) throw pastTheEnd();
      let bytes = 0;
      let full = false;
      for (let round = 0; round < READ_ROUNDS && from < top && !full; round++) {
        const upTo = Math.min(from + READ_CHUNK, top);
        const positions = Array.from({ length: upTo - from }, (_, k) => from + 1 + k);
        const pointers = await batchGet(positions.map(positionKey));
        const ids = positions.flatMap((n) => {
          const p = pointers.get(positionKey(n));
          return p !== undefined && (q.type === undefined || p.type === q.type) ? [String(p.id)] : [];
        });
        const items = ids.length === 0 ? new Map<string, Record<string, unknown>>() : await batchGet(ids.map(eventKey));
        for (const n of positions) {
          if (out.length >= q.limit || bytes > q.maxBytes) {
            full = true;
            break;
          }
          from = n;
          const p = pointers.get(positionKey(n));
          // Expired with its retention: passed over.
          lastCursor = cursorOf(n, p === undefined ? 'evt_expired' : String(p.id));
          if (p === undefined || (q.type !== undefined && p.type !== q.type)) continue;
          const item = items.get(eventKey(String(p.id)));
          if (item === undefined) continue;
          const r = toRecord(item);
          out.push(r);
          bytes += Buffer.byteLength(r.body);
        }
      }
      const more = full || from < top;
      return { events: out, ...(more && lastCursor !== undefined ? { next: lastCursor } : {}) };
    },
  };
}
