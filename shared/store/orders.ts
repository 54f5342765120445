/**
 * The order repository: the ONLY code that knows the table's keys, indexes and conditions.
 *
 * Every state change is ONE conditional UpdateItem with ReturnValuesOnConditionCheckFailure
 * ALL_OLD: when the condition fails, the item as it was comes back with the error, so a
 * duplicate, a lost race and a contradiction are told apart without another read.
 *
 * Own-write recognition: the SDK retries a request whose reply was lost (a reset connection, a
 * timeout). When the first attempt WAS applied, the retry fails its condition against our own
 * write. So every write carries a fresh `writeId` (on the item, and on the history entry it
 * appends), and a failed condition whose returned item carries our writeId is our own earlier
 * attempt: the write is reported as applied, with that item.
 */
import { hash, randomUUID } from 'node:crypto';
import { ConditionalCheckFailedException, type AttributeValue } from '@aws-sdk/client-dynamodb';
import {
  GetCommand,
  PutCommand,
  UpdateCommand,
  type DynamoDBDocumentClient,
} from '@aws-sdk/lib-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import type { Attention, HistoryEntry, Order, Transition } from '../domain/order.ts';
import { boundedFailure, HISTORY_KEPT, keptHistory, MAX_REFUNDS_PER_ORDER } from '../domain/order-limits.ts';
import { REFUND_START_STATUSES } from '../domain/refunds.ts';
import { canTransition, isAtOrBeyond, isPaid, isTerminal, type OrderStatus } from '../domain/states.ts';
import { dueAfterChange, nextCheckAt } from '../domain/schedule.ts';
import type { ApplyResult, CreateResult, OrderStore } from '../payments/ports.ts';
import { OrderWriteRejectedError, storeFailure, validationRefusal } from './errors.ts';
import { toKst } from '../toss/time.ts';
import { DUE_SHARDS, FLAGGED_LIST } from './table.ts';

export const orderKey = (orderNo: string): string => `ORDER#${orderNo}`;

/** `DUE#<n>`: n = a stable hash of orderNo mod DUE_SHARDS. */
export function dueShardOf(orderNo: string): string {
  const n = hash('sha256', orderNo, 'buffer').readUInt32BE(0) % DUE_SHARDS;
  return `DUE#${n}`;
}
export const allDueShards = (): string[] => Array.from({ length: DUE_SHARDS }, (_, n) => `DUE#${n}`);

export interface OrderStoreOptions {
  client: DynamoDBDocumentClient;
  tableName: string;
  retentionDays: number;
  clock?: () => number;
}

/** Writes with a full history made again after another writer changed it meanwhile. */
const HISTORY_ROUNDS = 3;

const INTERNAL = new Set(['pk', 'dueShard', 'ttl', 'createdDay', 'flaggedList']);

/** The Korea-time day an order was created on (`YYYY-MM-DD`): the `byDay` index's partition. */
export const createdDayOf = (ms: number): string => toKst(ms).slice(0, 10);

/** Is this item (e.g. from the table's stream) an order? Events and other items share the table. */
export const isOrderItem = (item: Record<string, unknown>): boolean => typeof item.pk === 'string' && item.pk.startsWith('ORDER#');

/** Did the write with `writeId` produce this item (it is the last writer, or appended a history entry)? */
export const wroteItem = (item: Pick<Order, 'writeId' | 'history'>, writeId: string): boolean =>
  item.writeId === writeId || item.history.some((h) => h.writeId === writeId);

/** An order item (as stored, or as the table's stream carries it, unmarshalled) as the domain's Order. */
export function toOrder(item: Record<string, unknown>): Order {
  const o: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(item)) if (!INTERNAL.has(k)) o[k] = v;
  o.history ??= [];
  o.checks ??= 0;
  return o as unknown as Order;
}

function oldItem(e: unknown): Order | undefined {
  const item = (e as { Item?: Record<string, AttributeValue> }).Item;
  return item === undefined ? undefined : toOrder(unmarshall(item));
}

export function createOrderStore(opts: OrderStoreOptions): OrderStore {
  const { client, tableName } = opts;
  const clock = opts.clock ?? Date.now;
  const ttlOf = (now: number) => Math.floor(now / 1000) + opts.retentionDays * 86_400;

  async function send<T>(fn: () => Promise<T>): Promise<T> {
    try {
      return await fn();
    } catch (e) {
      throw storeFailure(e);
    }
  }

  /** Puts a new item; the item must carry `writeId` (recognised when our own retry finds it). */
  async function putNew(item: Record<string, unknown> & { writeId: string }): Promise<CreateResult> {
    try {
      await send(() =>
        client.send(
          new PutCommand({
            TableName: tableName,
            Item: item,
            ConditionExpression: 'attribute_not_exists(pk)',
            ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
          }),
        ),
      );
      return { kind: 'created', order: toOrder(item) };
    } catch (e) {
      if (e instanceof ConditionalCheckFailedException) {
        const old = oldItem(e);
        if (old !== undefined) return wroteItem(old, item.writeId) ? { kind: 'created', order: old } : { kind: 'exists', order: old };
      }
      throw e;
    }
  }

  /**
   * One conditional UpdateItem that sets `writeId`: `applied` with the item after the write (or,
   * when the condition failed against our own earlier attempt, the item as it is); `failed` with
   * the item as it was; `missing` when there is no item.
   *
   * `entry`: a history entry the write appends (carrying the write's id). The item keeps
   * HISTORY_KEPT entries: when its history is full, the write's condition fails on that alone, and
   * the same write is made again with the history replaced by the entries kept
   * (shared/domain/order-limits.ts keptHistory), on the item exactly as it came back (its version).
   *
   * DynamoDB refusing the write for good (a ValidationException, e.g. the item would outgrow
   * 400 KB) flags the order in a small write of its own and throws OrderWriteRejectedError.
   */
  async function update(
    orderNo: string,
    u: { set: string[]; remove?: string[]; add?: string[]; condition: string; names: Record<string, string>; values: Record<string, unknown> },
    entry?: HistoryEntry,
  ): Promise<{ kind: 'applied'; order: Order } | { kind: 'failed'; order: Order } | { kind: 'missing' }> {
    const writeId = randomUUID();
    const appended = entry === undefined ? undefined : { ...entry, writeId };
    /** The item whose full history this write replaces (undefined: it appends). */
    let full: Order | undefined;
    for (let round = 0; ; round++) {
      // Every write counts in `version`: events and webhooks carry it, so a merchant can order them.
      const names: Record<string, string> = { ...u.names, '#writeId': 'writeId', '#version': 'version' };
      const values: Record<string, unknown> = { ...u.values, ':writeId': writeId, ':versionStep': 1 };
      const sets = [...u.set, '#writeId = :writeId'];
      const conditions = ['attribute_exists(pk)', `(${u.condition})`];
      if (appended !== undefined) {
        names['#history'] = 'history';
        if (full === undefined) {
          Object.assign(values, { ':h': [appended], ':noHistory': [], ':historyMax': HISTORY_KEPT });
          sets.push('#history = list_append(if_not_exists(#history, :noHistory), :h)');
          conditions.push('(attribute_not_exists(#history) OR size(#history) < :historyMax)');
        } else {
          const { kept, dropped } = keptHistory(full.history, appended);
          names['#historyDropped'] = 'historyDropped';
          Object.assign(values, { ':kept': kept, ':dropped': dropped, ':noneDropped': 0 });
          sets.push('#history = :kept', '#historyDropped = if_not_exists(#historyDropped, :noneDropped) + :dropped');
          if (full.version === undefined) conditions.push('attribute_not_exists(#version)');
          else {
            values[':fullVersion'] = full.version;
            conditions.push('#version = :fullVersion');
          }
        }
      }
      const expr = [
        `SET ${sets.join(', ')}`,
        ...(u.remove !== undefined && u.remove.length > 0 ? [`REMOVE ${u.remove.join(', ')}`] : []),
        `ADD ${[...(u.add ?? []), '#version :versionStep'].join(', ')}`,
      ].join(' ');
      try {
        const r = await send(() =>
          client.send(
            new UpdateCommand({
              TableName: tableName,
              Key: { pk: orderKey(orderNo) },
              UpdateExpression: expr,
              ConditionExpression: conditions.join(' AND '),
              ExpressionAttributeNames: names,
              ExpressionAttributeValues: values,
              ReturnValues: 'ALL_NEW',
              ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
            }),
          ),
        );
        return { kind: 'applied', order: toOrder(r.Attributes ?? {}) };
      } catch (e) {
        if (!(e instanceof ConditionalCheckFailedException)) {
          const refusal = validationRefusal(e);
          if (refusal === undefined) throw e;
          throw new OrderWriteRejectedError(orderNo, refusal, await flagRejected(orderNo, refusal), e);
        }
        const old = oldItem(e);
        if (old === undefined) return { kind: 'missing' };
        if (wroteItem(old, writeId)) return { kind: 'applied', order: old };
        // A full history (or one another writer changed since we replaced it): replace it, once more.
        const replace = appended !== undefined && old.history.length >= HISTORY_KEPT && (full === undefined || old.version !== full.version);
        if (!replace || round >= HISTORY_ROUNDS) return { kind: 'failed', order: old };
        full = old;
      }
    }
  }

  /**
   * Flags an order whose write DynamoDB refused for good: a small write of its own, outside
   * `update` (which would meet the refusal again). True when it was recorded.
   */
  async function flagRejected(orderNo: string, reason: string): Promise<boolean> {
    const attention: Attention = { reason: `WRITE_REJECTED:${reason}`, at: new Date(clock()).toISOString() };
    try {
      await send(() =>
        client.send(
          new UpdateCommand({
            TableName: tableName,
            Key: { pk: orderKey(orderNo) },
            UpdateExpression: 'SET #attention = :a, #flagged = :flagged, #writeId = :writeId ADD #version :one',
            ConditionExpression: 'attribute_exists(pk)',
            ExpressionAttributeNames: { '#attention': 'attention', '#flagged': 'flaggedList', '#writeId': 'writeId', '#version': 'version' },
            ExpressionAttributeValues: { ':a': attention, ':flagged': FLAGGED_LIST, ':writeId': randomUUID(), ':one': 1 },
          }),
        ),
      );
      return true;
    } catch {
      return false;
    }
  }

  return {
    tableName,

    async createOrder(o, lease) {
      const now = clock();
      const at = new Date(now).toISOString();
      const status: OrderStatus = 'CREATING';
      const writeId = randomUUID();
      const history: HistoryEntry[] = [{ from: null, to: status, source: 'create', at, writeId }];
      return putNew({
        ...o,
        pk: orderKey(o.orderNo),
        status,
        history,
        createdAt: at,
        updatedAt: at,
        checks: 0,
        dueShard: dueShardOf(o.orderNo),
        dueAt: nextCheckAt(0, now),
        leaseId: lease.id,
        leaseUntil: lease.until,
        // Refunds are recorded into this map by refundNo (a nested path needs the map to exist).
        refunds: {},
        version: 1,
        createdDay: createdDayOf(now),
        writeId,
      });
    },

    async getOrder(orderNo) {
      const r = await send(() =>
        client.send(new GetCommand({ TableName: tableName, Key: { pk: orderKey(orderNo) }, ConsistentRead: true })),
      );
      return r.Item === undefined ? undefined : toOrder(r.Item);
    },

    async applyTransition(orderNo, t, source) {
      if (t.from.length === 0) throw new Error('a transition needs at least one expected state');
      const now = t.at ?? clock();
      const at = new Date(now).toISOString();
      const names: Record<string, string> = { '#status': 'status', '#updatedAt': 'updatedAt' };
      const values: Record<string, unknown> = { ':to': t.to, ':now': at };
      const entry: HistoryEntry = { from: null, to: t.to, source, at };
      if (t.note !== undefined) entry.note = t.note;
      if (t.actor !== undefined) entry.actor = t.actor;
      // `from` of the history entry is the state actually left; it is only known after the write,
      // so the entry records the expected set's single member when there is one.
      if (t.from.length === 1 && t.from[0] !== undefined) entry.from = t.from[0];
      const sets = ['#status = :to', '#updatedAt = :now'];
      const removes: string[] = [];
      const adds: string[] = [];
      const fields: Record<string, unknown> = { ...t.set };
      if (t.payToken !== undefined) fields.payToken = t.payToken;
      // Toss's words are stored within bounds (shared/domain/order-limits.ts).
      if (t.set.failure !== undefined) fields.failure = boundedFailure(t.set.failure);
      if (t.lock !== undefined) {
        fields.execLockId = t.lock.id;
        fields.execUntil = t.lock.until;
        names['#execAttempts'] = 'execAttempts';
        values[':one'] = 1;
        adds.push('#execAttempts :one');
      }
      for (const [k, v] of Object.entries(fields)) {
        if (v === undefined) continue;
        names[`#f_${k}`] = k;
        values[`:f_${k}`] = v;
        sets.push(`#f_${k} = :f_${k}`);
      }
      names['#dueShard'] = 'dueShard';
      names['#dueAt'] = 'dueAt';
      // Unfinished orders stay in the due index for the reconciler; paid ones for the re-checks
      // after payment; the others leave it.
      const dueAt = t.dueAt ?? dueAfterChange({ status: t.to }, now);
      if (dueAt !== undefined) {
        values[':dueShard'] = dueShardOf(orderNo);
        values[':dueAt'] = dueAt;
        sets.push('#dueShard = :dueShard', '#dueAt = :dueAt');
      } else {
        removes.push('#dueShard', '#dueAt');
      }
      if (isPaid(t.to)) {
        names['#paidAt'] = 'paidAt';
        sets.push('#paidAt = if_not_exists(#paidAt, :now)');
      }
      names['#ttl'] = 'ttl';
      if (isTerminal(t.to)) {
        values[':ttl'] = ttlOf(now);
        sets.push('#ttl = :ttl');
      } else {
        // A settled order stored when settlement was terminal carries a ttl: it lives on now.
        removes.push('#ttl');
      }
      const fromKeys = t.from.map((s, i) => {
        values[`:from${i}`] = s;
        return `:from${i}`;
      });
      const cond = [`#status IN (${fromKeys.join(', ')})`];
      if (t.payToken !== undefined) {
        names['#payToken'] = 'payToken';
        values[':pt'] = t.payToken;
        cond.push('(attribute_not_exists(#payToken) OR #payToken = :pt)');
      }
      if (t.amount !== undefined) {
        names['#amount'] = 'amount';
        values[':amt'] = t.amount;
        cond.push('#amount = :amt');
      }
      if (t.leaseId !== undefined) {
        names['#leaseId'] = 'leaseId';
        values[':leaseId'] = t.leaseId;
        cond.push('#leaseId = :leaseId');
      } else if (t.from.includes('CREATING')) {
        // Only the create lease's holder moves a CREATING order while its Toss call may run: it
        // may be replacing the very payment another writer would record.
        names['#leaseUntil'] = 'leaseUntil';
        values[':creating'] = 'CREATING';
        values[':nowMs'] = now;
        cond.push('(#status <> :creating OR attribute_not_exists(#leaseUntil) OR #leaseUntil <= :nowMs)');
      }
      // The history entry carries the write's id too, so our own write is recognised even after
      // another writer changed the item in between.
      const r = await update(orderNo, { set: sets, remove: removes, add: adds, condition: cond.join(' AND '), names, values }, entry);
      if (r.kind === 'applied' || r.kind === 'missing') return r;
      return classifyFailure(r.order, t);
    },

    async recordRecoveredOrder(r, source) {
      const now = clock();
      const at = new Date(now).toISOString();
      const attention: Attention = { reason: r.reason, at };
      const item: Record<string, unknown> & { writeId: string } = {
        ...r.fields,
        pk: orderKey(r.orderNo),
        orderNo: r.orderNo,
        status: r.status,
        payToken: r.payToken,
        amount: r.amount,
        amountTaxFree: r.amountTaxFree ?? 0,
        productDesc: '',
        autoExecute: true,
        expiresAt: at,
        mode: r.mode,
        attention,
        history: [{ from: null, to: r.status, source, at, note: 'recovered: Toss confirmed a payment we had no record of' }],
        createdAt: at,
        updatedAt: at,
        checks: 0,
        refunds: {},
        version: 1,
        createdDay: createdDayOf(now),
        flaggedList: FLAGGED_LIST,
        writeId: randomUUID(),
      };
      item.history = [{ ...(item.history as HistoryEntry[])[0], writeId: item.writeId }];
      if (isPaid(r.status)) item.paidAt = at;
      const dueAt = dueAfterChange({ status: r.status }, now);
      if (dueAt !== undefined) {
        item.dueShard = dueShardOf(r.orderNo);
        item.dueAt = dueAt;
      }
      if (isTerminal(r.status)) item.ttl = ttlOf(now);
      return putNew(item);
    },

    async flagOrder(orderNo, reason) {
      const attention: Attention = { reason, at: new Date(clock()).toISOString() };
      const r = await update(orderNo, {
        set: ['#attention = :a', '#flagged = :flagged'],
        condition: 'attribute_exists(pk)',
        names: { '#attention': 'attention', '#flagged': 'flaggedList' },
        values: { ':a': attention, ':flagged': FLAGGED_LIST },
      });
      return r.kind !== 'missing';
    },

    async takeLease(orderNo, expect, lease, now) {
      const names: Record<string, string> = { '#status': 'status', '#leaseId': 'leaseId', '#leaseUntil': 'leaseUntil' };
      const values: Record<string, unknown> = { ':status': expect.status, ':id': lease.id, ':until': lease.until, ':now': now };
      const cond = ['#status = :status', '(attribute_not_exists(#leaseUntil) OR #leaseUntil <= :now)'];
      if (expect.status === 'PAY_STANDBY') {
        names['#payToken'] = 'payToken';
        names['#checkoutPage'] = 'checkoutPage';
        values[':pt'] = expect.payToken;
        cond.push('#payToken = :pt', 'attribute_not_exists(#checkoutPage)');
      }
      const r = await update(orderNo, { set: ['#leaseId = :id', '#leaseUntil = :until'], condition: cond.join(' AND '), names, values });
      if (r.kind !== 'failed') return r.kind === 'applied' ? { kind: 'taken', order: r.order } : r;
      const o = r.order;
      const asExpected =
        o.status === expect.status && (expect.status === 'CREATING' || (o.payToken === expect.payToken && o.checkoutPage === undefined));
      return asExpected ? { kind: 'busy', order: o } : { kind: 'moved', order: o };
    },

    async releaseLease(orderNo, leaseId) {
      await update(orderNo, {
        set: ['#leaseUntil = :zero'],
        condition: '#leaseId = :id',
        names: { '#leaseId': 'leaseId', '#leaseUntil': 'leaseUntil' },
        values: { ':id': leaseId, ':zero': 0 },
      });
    },

    async attachCheckout(orderNo, payToken, checkoutPage) {
      const r = await update(orderNo, {
        set: ['#checkoutPage = :checkout'],
        condition: '#payToken = :pt AND attribute_not_exists(#checkoutPage)',
        names: { '#payToken': 'payToken', '#checkoutPage': 'checkoutPage' },
        values: { ':pt': payToken, ':checkout': checkoutPage },
      });
      return r.kind === 'applied' ? r.order : undefined;
    },

    async replacePayment(orderNo, rep) {
      const at = new Date(clock()).toISOString();
      const r = await update(orderNo, {
        set: [
          '#payToken = :new',
          '#checkoutPage = :checkout',
          '#expiresAt = :expiresAt',
          '#superseded = :superseded',
          '#dueAt = :dueAt',
          '#updatedAt = :now',
          '#leaseUntil = :zero',
        ],
        condition: '#status = :standby AND #payToken = :old AND attribute_not_exists(#checkoutPage) AND #leaseId = :leaseId',
        names: {
          '#status': 'status',
          '#payToken': 'payToken',
          '#checkoutPage': 'checkoutPage',
          '#expiresAt': 'expiresAt',
          '#superseded': 'supersededPayTokens',
          '#dueAt': 'dueAt',
          '#updatedAt': 'updatedAt',
          '#leaseId': 'leaseId',
          '#leaseUntil': 'leaseUntil',
        },
        values: {
          ':new': rep.payToken,
          ':checkout': rep.checkoutPage,
          ':expiresAt': rep.expiresAt,
          ':superseded': rep.supersededPayTokens,
          ':dueAt': rep.dueAt,
          ':now': at,
          ':zero': 0,
          ':standby': 'PAY_STANDBY',
          ':old': rep.oldPayToken,
          ':leaseId': rep.leaseId,
        },
      });
      if (r.kind === 'applied' || r.kind === 'missing') return r;
      return isAtOrBeyond(r.order.status, 'PAY_STANDBY') && r.order.status !== 'PAY_STANDBY'
        ? { kind: 'conflict', order: r.order, reason: 'STATE' }
        : { kind: 'conflict', order: r.order, reason: r.order.payToken !== rep.oldPayToken ? 'PAY_TOKEN_MISMATCH' : 'STATE' };
    },

    async relockExecute(orderNo, seenLockId, lock, now) {
      const names = { '#status': 'status', '#lockId': 'execLockId', '#until': 'execUntil', '#attempts': 'execAttempts' };
      const values: Record<string, unknown> = { ':executing': 'EXECUTING', ':id': lock.id, ':until': lock.until, ':now': now, ':one': 1 };
      const cond = ['#status = :executing', '(attribute_not_exists(#until) OR #until <= :now)'];
      if (seenLockId === undefined) cond.push('attribute_not_exists(#lockId)');
      else {
        values[':seen'] = seenLockId;
        cond.push('#lockId = :seen');
      }
      const r = await update(orderNo, { set: ['#lockId = :id', '#until = :until'], add: ['#attempts :one'], condition: cond.join(' AND '), names, values });
      if (r.kind !== 'failed') return r.kind === 'applied' ? { kind: 'taken', order: r.order } : r;
      return r.order.status === 'EXECUTING' ? { kind: 'busy', order: r.order } : { kind: 'moved', order: r.order };
    },

    async endExecuteAttempt(orderNo, lockId, now) {
      await update(orderNo, {
        set: ['#until = :now'],
        condition: '#status = :executing AND #lockId = :id',
        names: { '#status': 'status', '#lockId': 'execLockId', '#until': 'execUntil' },
        values: { ':executing': 'EXECUTING', ':id': lockId, ':now': now },
      });
    },

    async beginRefund(orderNo, r, limit) {
      const startable = Object.fromEntries(REFUND_START_STATUSES.map((st, i) => [`:st${i}`, st]));
      const r0 = await update(orderNo, {
        set: ['#refunds.#rn = :r', '#inFlight = :rn', '#reserved = if_not_exists(#reserved, :zero) + :amt', '#updatedAt = :now', '#dueShard = :shard', '#dueAt = :due'],
        condition: [
          `#status IN (${Object.keys(startable).join(', ')})`,
          'attribute_not_exists(#inFlight)',
          'attribute_not_exists(#refunds.#rn)',
          '(attribute_not_exists(#reserved) OR #reserved <= :limit)',
          // The order keeps within its item (shared/domain/order-limits.ts).
          'size(#refunds) < :maxRefunds',
        ].join(' AND '),
        names: {
          '#status': 'status',
          '#refunds': 'refunds',
          '#rn': r.refundNo,
          '#inFlight': 'refundInFlight',
          '#reserved': 'refundReserved',
          '#updatedAt': 'updatedAt',
          '#dueShard': 'dueShard',
          '#dueAt': 'dueAt',
        },
        values: {
          ':r': r,
          ':rn': r.refundNo,
          ':amt': r.amount,
          ':zero': 0,
          ':limit': limit,
          ':maxRefunds': MAX_REFUNDS_PER_ORDER,
          ...startable,
          ':now': new Date(clock()).toISOString(),
          ':shard': dueShardOf(orderNo),
          // A refund in flight is the reconciler's to settle if this request cannot.
          ':due': nextCheckAt(0, clock()),
        },
      });
      return r0.kind === 'applied' ? { kind: 'recorded', order: r0.order } : r0.kind === 'failed' ? { kind: 'refused', order: r0.order } : r0;
    },

    async settleRefund(orderNo, refundNo, outcome, seenStatus) {
      const now = clock();
      const at = new Date(now).toISOString();
      const names: Record<string, string> = {
        '#status': 'status',
        '#refunds': 'refunds',
        '#rn': refundNo,
        '#rstatus': 'status',
        '#inFlight': 'refundInFlight',
        '#updatedAt': 'updatedAt',
        '#lease': 'lease',
      };
      const values: Record<string, unknown> = { ':pending': 'PENDING', ':rn': refundNo, ':now': at, ':seen': seenStatus };
      const sets = ['#refunds.#rn.#rstatus = :to', '#updatedAt = :now'];
      const removes = ['#inFlight'];
      let condition = '#refunds.#rn.#rstatus = :pending AND #status = :seen AND (attribute_not_exists(#inFlight) OR #inFlight = :rn)';
      let entry: HistoryEntry | undefined;
      if (outcome.kind === 'succeeded' && outcome.overFailed !== undefined) {
        // Toss made a refund we had recorded as refused (two asks of the same refundNo crossed):
        // Toss's word stands. Its amount is reserved again, within the balance; another refund
        // may be in flight meanwhile, so refundInFlight is left as it is.
        removes.length = 0;
        delete names['#inFlight'];
        delete values[':pending'];
        delete values[':rn'];
        names['#failure'] = 'failure';
        names['#reserved'] = 'refundReserved';
        values[':failed'] = 'FAILED';
        values[':amt'] = outcome.overFailed.amount;
        values[':maxBefore'] = outcome.overFailed.maxReservedBefore;
        removes.push('#refunds.#rn.#failure');
        sets.push('#reserved = #reserved + :amt');
        condition = '#refunds.#rn.#rstatus = :failed AND #status = :seen AND #reserved <= :maxBefore';
      }
      // Settled: no call to Toss about it is needed any more (its lease ends).
      removes.push('#refunds.#rn.#lease');
      if (outcome.kind === 'succeeded') {
        values[':to'] = 'SUCCEEDED';
        if (outcome.transactionId !== undefined) {
          names['#tx'] = 'transactionId';
          values[':tx'] = outcome.transactionId;
          sets.push('#refunds.#rn.#tx = :tx');
        }
        if (outcome.toss !== undefined) {
          names['#rtoss'] = 'toss';
          values[':rtoss'] = outcome.toss;
          sets.push('#refunds.#rn.#rtoss = :rtoss');
        }
        names['#approvedAt'] = 'approvedAt';
        values[':approvedAt'] = outcome.approvedAt ?? at;
        sets.push('#refunds.#rn.#approvedAt = :approvedAt');
        // The order's state after the refund, in the same write, as one move of the state machine.
        if (outcome.status !== seenStatus) {
          if (!canTransition(seenStatus, outcome.status)) throw new Error(`a refund cannot move an order from ${seenStatus} to ${outcome.status}`);
          values[':after'] = outcome.status;
          sets.push('#status = :after');
          // A settled order stored when settlement was terminal carries a ttl: it lives on now.
          names['#ttl'] = 'ttl';
          removes.push('#ttl');
          entry = { from: seenStatus, to: outcome.status, source: outcome.source, at, note: `refund ${refundNo}`, ...(outcome.actor !== undefined ? { actor: outcome.actor } : {}) };
        }
      } else {
        values[':to'] = 'FAILED';
        names['#failure'] = 'failure';
        names['#reserved'] = 'refundReserved';
        values[':failure'] = boundedFailure(outcome.failure);
        values[':amt'] = outcome.amount;
        sets.push('#refunds.#rn.#failure = :failure', '#reserved = #reserved - :amt');
      }
      // Its place in the due index: the re-checks after payment again (or the backoff, for REFUND_PROGRESS).
      names['#dueShard'] = 'dueShard';
      names['#dueAt'] = 'dueAt';
      if (outcome.dueAt !== undefined) {
        values[':shard'] = dueShardOf(orderNo);
        values[':due'] = outcome.dueAt;
        sets.push('#dueShard = :shard', '#dueAt = :due');
      } else removes.push('#dueShard', '#dueAt');
      const r = await update(
        orderNo,
        {
          set: sets,
          remove: removes,
          condition,
          names,
          values,
        },
        entry,
      );
      return r.kind === 'applied' ? { kind: 'settled', order: r.order } : r.kind === 'failed' ? { kind: 'stale', order: r.order } : r;
    },

    async takeRefundLease(orderNo, refundNo, lease, now) {
      const r = await update(orderNo, {
        set: ['#refunds.#rn.#lease = :lease'],
        condition: '#refunds.#rn.#rstatus = :pending AND (attribute_not_exists(#refunds.#rn.#lease) OR #refunds.#rn.#lease.#until <= :now)',
        names: { '#refunds': 'refunds', '#rn': refundNo, '#rstatus': 'status', '#lease': 'lease', '#until': 'until' },
        values: { ':lease': lease, ':pending': 'PENDING', ':now': now },
      });
      if (r.kind !== 'failed') return r.kind === 'applied' ? { kind: 'taken', order: r.order } : r;
      return r.order.refunds?.[refundNo]?.status === 'PENDING' ? { kind: 'busy', order: r.order } : { kind: 'moved', order: r.order };
    },

    async endRefundLease(orderNo, refundNo, leaseId) {
      await update(orderNo, {
        set: [],
        remove: ['#refunds.#rn.#lease'],
        condition: '#refunds.#rn.#lease.#id = :id',
        names: { '#refunds': 'refunds', '#rn': refundNo, '#lease': 'lease', '#id': 'id' },
        values: { ':id': leaseId },
      });
    },

    async recordTossRefunds(orderNo, refunds, seen, transactions) {
      // On the order exactly as read (its version): the refunds to record were found unmatched
      // against that copy, so any write since (a refund of ours begun or settled, another sync)
      // refuses this one, and the next check compares again. Never while one of ours is in flight.
      const names: Record<string, string> = { '#refunds': 'refunds', '#reserved': 'refundReserved', '#updatedAt': 'updatedAt', '#version': 'version', '#inFlight': 'refundInFlight' };
      const values: Record<string, unknown> = { ':zero': 0, ':now': new Date(clock()).toISOString() };
      const sets = ['#updatedAt = :now'];
      const cond = ['attribute_not_exists(#inFlight)'];
      if (seen.version === undefined) cond.push('attribute_not_exists(#version)');
      else {
        cond.push('#version = :seen');
        values[':seen'] = seen.version;
      }
      let sum = 0;
      refunds.forEach((r, i) => {
        names[`#r${i}`] = r.refundNo;
        values[`:r${i}`] = r;
        sets.push(`#refunds.#r${i} = :r${i}`);
        cond.push(`attribute_not_exists(#refunds.#r${i})`);
        sum += r.amount;
      });
      values[':sum'] = sum;
      sets.push('#reserved = if_not_exists(#reserved, :zero) + :sum');
      if (transactions !== undefined) {
        names['#transactions'] = 'transactions';
        values[':transactions'] = transactions;
        sets.push('#transactions = :transactions');
      }
      const r = await update(orderNo, { set: sets, condition: cond.join(' AND '), names, values });
      return r.kind === 'applied' ? { kind: 'recorded', order: r.order } : r.kind === 'failed' ? { kind: 'stale', order: r.order } : r;
    },

    async recordTossFacts(orderNo, facts, seen) {
      // On the order exactly as read: the facts were found different from that copy's.
      const names: Record<string, string> = { '#money': 'tossMoney', '#updatedAt': 'updatedAt' };
      const values: Record<string, unknown> = { ':money': facts.tossMoney, ':now': new Date(clock()).toISOString() };
      const sets = ['#money = :money', '#updatedAt = :now'];
      if (facts.transactions !== undefined) {
        names['#transactions'] = 'transactions';
        values[':transactions'] = facts.transactions;
        sets.push('#transactions = :transactions');
      }
      let condition = 'attribute_not_exists(#version)';
      if (seen.version !== undefined) {
        condition = '#version = :seen';
        values[':seen'] = seen.version;
      }
      const r = await update(orderNo, { set: sets, condition, names, values });
      return r.kind === 'applied' ? { kind: 'recorded', order: r.order } : r.kind === 'failed' ? { kind: 'stale', order: r.order } : r;
    },

    async claimLandingCheck(orderNo, seenAt, now, intervalMs) {
      const names = { '#at': 'landingCheckAt' };
      const values: Record<string, unknown> = { ':now': now };
      const cond = seenAt === undefined ? 'attribute_not_exists(#at)' : '#at = :seen AND #at <= :cutoff';
      if (seenAt !== undefined) Object.assign(values, { ':seen': seenAt, ':cutoff': now - intervalMs });
      const r = await update(orderNo, { set: ['#at = :now'], condition: cond, names, values });
      return r.kind === 'applied';
    },
  };
}

/** Why a conditional transition failed, from the item as it was (no extra read). */
export function classifyFailure(old: Order, t: Transition): ApplyResult {
  if (t.payToken !== undefined && old.payToken !== undefined && old.payToken !== t.payToken)
    return { kind: 'conflict', order: old, reason: 'PAY_TOKEN_MISMATCH' };
  if (t.amount !== undefined && old.amount !== t.amount) return { kind: 'conflict', order: old, reason: 'AMOUNT_MISMATCH' };
  if (isAtOrBeyond(old.status, t.to)) return { kind: 'duplicate', order: old };
  return { kind: 'conflict', order: old, reason: 'STATE' };
}
