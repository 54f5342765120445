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
import { OrderWriteRejectedError, storeSend, validationRefusal } from './errors.ts';
import { kstDayOf } from '../domain/toss-time.ts';
import { DUE_SHARDS, FLAGGED_LIST } from './table.ts';
import { withoutAttributes } from './items.ts';
import { UpdateExpression } from './update-expression.ts';

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
  /** The X-Ray trace of the invocation now, when traced: every write records it (`writeTraceId`). */
  traceId?: () => string | undefined;
}

/** The placeholders of a refund's attributes that are not their own names. */
const REFUND_NAMES = { '#inFlight': 'refundInFlight', '#reserved': 'refundReserved', '#rstatus': 'status', '#tx': 'transactionId', '#rtoss': 'toss' } as const;

/** Writes with a full history made again after another writer changed it meanwhile. */
const HISTORY_ROUNDS = 3;

const INTERNAL = new Set(['pk', 'dueShard', 'ttl', 'createdDay', 'flaggedList']);

/** The Korea-time day an order was created on (`YYYY-MM-DD`): the `byDay` index's partition. */
export const createdDayOf = kstDayOf;

/** Is this item (e.g. from the table's stream) an order? Events and other items share the table. */
export const isOrderItem = (item: Record<string, unknown>): boolean => typeof item.pk === 'string' && item.pk.startsWith('ORDER#');

/** Did the write with `writeId` produce this item (it is the last writer, or appended a history entry)? */
export const wroteItem = (item: Pick<Order, 'writeId' | 'history'>, writeId: string): boolean =>
  item.writeId === writeId || item.history.some((h) => h.writeId === writeId);

/** An order item (as stored, or as the table's stream carries it, unmarshalled) as the domain's Order. */
export function toOrder(item: Record<string, unknown>): Order {
  const o = withoutAttributes(item, INTERNAL);
  o.history ??= [];
  o.checks ??= 0;
  return o as unknown as Order;
}

function oldItem(e: unknown): Order | undefined {
  const item = (e as { Item?: Record<string, AttributeValue> }).Item;
  return item === undefined ? undefined : toOrder(unmarshall(item));
}

export function createOrderStore(opts: OrderStoreOptions): OrderStore {
  const { tableName } = opts;
  const send = storeSend(opts.client);
  const clock = opts.clock ?? Date.now;
  const traceId = opts.traceId ?? (() => undefined);
  const ttlOf = (now: number) => Math.floor(now / 1000) + opts.retentionDays * 86_400;

  /** Puts a new item; the item must carry `writeId` (recognised when our own retry finds it). */
  async function putNew(given: Record<string, unknown> & { writeId: string }): Promise<CreateResult> {
    const trace = traceId();
    const item = trace === undefined ? given : { ...given, writeTraceId: trace };
    try {
      await send(
        new PutCommand({
          TableName: tableName,
          Item: item,
          ConditionExpression: 'attribute_not_exists(pk)',
          ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
        }),
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
  async function update(orderNo: string, u: UpdateExpression, entry?: HistoryEntry): Promise<{ kind: 'applied'; order: Order } | { kind: 'failed'; order: Order } | { kind: 'missing' }> {
    const writeId = randomUUID();
    const appended = entry === undefined ? undefined : { ...entry, writeId };
    /** The item whose full history this write replaces (undefined: it appends). */
    let full: Order | undefined;
    for (let round = 0; ; round++) {
      // Every write counts in `version`: events and webhooks carry it, so a merchant can order them.
      const x = u
        .copy(false)
        .when('attribute_exists(pk)')
        .when(`(${u.condition()})`)
        .set('#writeId = :writeId', { ':writeId': writeId });
      const trace = traceId();
      if (trace !== undefined) x.set('#writeTraceId = :writeTraceId', { ':writeTraceId': trace });
      if (appended !== undefined) {
        if (full === undefined) {
          x.set('#history = list_append(if_not_exists(#history, :noHistory), :h)', { ':h': [appended], ':noHistory': [] });
          x.when('(attribute_not_exists(#history) OR size(#history) < :historyMax)', { ':historyMax': HISTORY_KEPT });
        } else {
          const { kept, dropped } = keptHistory(full.history, appended);
          x.set('#history = :kept', { ':kept': kept });
          x.set('#historyDropped = if_not_exists(#historyDropped, :noneDropped) + :dropped', { ':dropped': dropped, ':noneDropped': 0 });
          if (full.version === undefined) x.when('attribute_not_exists(#version)');
          else x.when('#version = :fullVersion', { ':fullVersion': full.version });
        }
      }
      x.add('#version :versionStep', { ':versionStep': 1 });
      try {
        const r = await send(
          new UpdateCommand({
            TableName: tableName,
            Key: { pk: orderKey(orderNo) },
            ...x.build(),
            ReturnValues: 'ALL_NEW',
            ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
          }),
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
    const u = new UpdateExpression()
      .set('#attention = :a', { ':a': attention })
      .set('#flagged = :flagged', { ':flagged': FLAGGED_LIST })
      .set('#writeId = :writeId', { ':writeId': randomUUID() })
      .add('#version :one', { ':one': 1 })
      .when('attribute_exists(pk)')
      .names({ '#flagged': 'flaggedList' });
    const trace = traceId();
    if (trace !== undefined) u.set('#writeTraceId = :writeTraceId', { ':writeTraceId': trace });
    try {
      await send(new UpdateCommand({ TableName: tableName, Key: { pk: orderKey(orderNo) }, ...u.build() }));
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
      const r = await send(new GetCommand({ TableName: tableName, Key: { pk: orderKey(orderNo) }, ConsistentRead: true }));
      return r.Item === undefined ? undefined : toOrder(r.Item);
    },

    async applyTransition(orderNo, t, source) {
      if (t.from.length === 0) throw new Error('a transition needs at least one expected state');
      const now = t.at ?? clock();
      const at = new Date(now).toISOString();
      const u = new UpdateExpression().set('#status = :to', { ':to': t.to }).set('#updatedAt = :now', { ':now': at });
      const entry: HistoryEntry = { from: null, to: t.to, source, at };
      if (t.note !== undefined) entry.note = t.note;
      if (t.actor !== undefined) entry.actor = t.actor;
      // `from` of the history entry is the state actually left; it is only known after the write,
      // so the entry records the expected set's single member when there is one.
      if (t.from.length === 1 && t.from[0] !== undefined) entry.from = t.from[0];
      const fields: Record<string, unknown> = { ...t.set };
      if (t.payToken !== undefined) fields.payToken = t.payToken;
      // Toss's words are stored within bounds (shared/domain/order-limits.ts).
      if (t.set.failure !== undefined) fields.failure = boundedFailure(t.set.failure);
      if (t.lock !== undefined) {
        fields.execLockId = t.lock.id;
        fields.execUntil = t.lock.until;
      }
      u.setFields(fields);
      if (t.lock !== undefined) u.add('#execAttempts :one', { ':one': 1 });
      // Unfinished orders stay in the due index for the reconciler; paid ones for the re-checks
      // after payment; the others leave it.
      const dueAt = t.dueAt ?? dueAfterChange({ status: t.to }, now);
      if (dueAt !== undefined) u.set('#dueShard = :dueShard', { ':dueShard': dueShardOf(orderNo) }).set('#dueAt = :dueAt', { ':dueAt': dueAt });
      else u.remove('#dueShard', '#dueAt');
      if (isPaid(t.to)) u.set('#paidAt = if_not_exists(#paidAt, :now)');
      if (isTerminal(t.to)) u.set('#ttl = :ttl', { ':ttl': ttlOf(now) });
      // A settled order stored when settlement was terminal carries a ttl: it lives on now.
      else u.remove('#ttl');
      const from = Object.fromEntries(t.from.map((st, i) => [`:from${i}`, st]));
      u.when(`#status IN (${Object.keys(from).join(', ')})`, from);
      if (t.payToken !== undefined) u.when('(attribute_not_exists(#payToken) OR #payToken = :pt)', { ':pt': t.payToken });
      if (t.amount !== undefined) u.when('#amount = :amt', { ':amt': t.amount });
      if (t.leaseId !== undefined) u.when('#leaseId = :leaseId', { ':leaseId': t.leaseId });
      // Only the create lease's holder moves a CREATING order while its Toss call may run: it
      // may be replacing the very payment another writer would record.
      else if (t.from.includes('CREATING')) u.when('(#status <> :creating OR attribute_not_exists(#leaseUntil) OR #leaseUntil <= :nowMs)', { ':creating': 'CREATING', ':nowMs': now });
      // The history entry carries the write's id too, so our own write is recognised even after
      // another writer changed the item in between.
      const r = await update(orderNo, u, entry);
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
      const r = await update(
        orderNo,
        new UpdateExpression()
          .set('#attention = :a', { ':a': attention })
          .set('#flagged = :flagged', { ':flagged': FLAGGED_LIST })
          .names({ '#flagged': 'flaggedList' })
          .when('attribute_exists(pk)'),
      );
      return r.kind !== 'missing';
    },

    async takeLease(orderNo, expect, lease, now) {
      const u = new UpdateExpression()
        .set('#leaseId = :id', { ':id': lease.id })
        .set('#leaseUntil = :until', { ':until': lease.until })
        .when('#status = :status', { ':status': expect.status })
        .when('(attribute_not_exists(#leaseUntil) OR #leaseUntil <= :now)', { ':now': now });
      if (expect.status === 'PAY_STANDBY') u.when('#payToken = :pt', { ':pt': expect.payToken }).when('attribute_not_exists(#checkoutPage)');
      const r = await update(orderNo, u);
      if (r.kind !== 'failed') return r.kind === 'applied' ? { kind: 'taken', order: r.order } : r;
      const o = r.order;
      const asExpected =
        o.status === expect.status && (expect.status === 'CREATING' || (o.payToken === expect.payToken && o.checkoutPage === undefined));
      return asExpected ? { kind: 'busy', order: o } : { kind: 'moved', order: o };
    },

    async releaseLease(orderNo, leaseId) {
      await update(orderNo, new UpdateExpression().set('#leaseUntil = :zero', { ':zero': 0 }).when('#leaseId = :id', { ':id': leaseId }));
    },

    async attachCheckout(orderNo, payToken, checkoutPage) {
      const r = await update(
        orderNo,
        new UpdateExpression().set('#checkoutPage = :checkout', { ':checkout': checkoutPage }).when('#payToken = :pt AND attribute_not_exists(#checkoutPage)', { ':pt': payToken }),
      );
      return r.kind === 'applied' ? r.order : undefined;
    },

    async replacePayment(orderNo, rep) {
      const at = new Date(clock()).toISOString();
      const r = await update(
        orderNo,
        new UpdateExpression()
          .set('#payToken = :new', { ':new': rep.payToken })
          .set('#checkoutPage = :checkout', { ':checkout': rep.checkoutPage })
          .set('#expiresAt = :expiresAt', { ':expiresAt': rep.expiresAt })
          .set('#superseded = :superseded', { ':superseded': rep.supersededPayTokens })
          .set('#dueAt = :dueAt', { ':dueAt': rep.dueAt })
          .set('#updatedAt = :now', { ':now': at })
          .set('#leaseUntil = :zero', { ':zero': 0 })
          .names({ '#superseded': 'supersededPayTokens' })
          .when('#status = :standby AND #payToken = :old AND attribute_not_exists(#checkoutPage) AND #leaseId = :leaseId', {
            ':standby': 'PAY_STANDBY',
            ':old': rep.oldPayToken,
            ':leaseId': rep.leaseId,
          }),
      );
      if (r.kind === 'applied' || r.kind === 'missing') return r;
      return isAtOrBeyond(r.order.status, 'PAY_STANDBY') && r.order.status !== 'PAY_STANDBY'
        ? { kind: 'conflict', order: r.order, reason: 'STATE' }
        : { kind: 'conflict', order: r.order, reason: r.order.payToken !== rep.oldPayToken ? 'PAY_TOKEN_MISMATCH' : 'STATE' };
    },

    async relockExecute(orderNo, seenLockId, lock, now) {
      const u = new UpdateExpression()
        .set('#lockId = :id', { ':id': lock.id })
        .set('#until = :until', { ':until': lock.until })
        .add('#attempts :one', { ':one': 1 })
        .names({ '#lockId': 'execLockId', '#until': 'execUntil', '#attempts': 'execAttempts' })
        .when('#status = :executing', { ':executing': 'EXECUTING' })
        .when('(attribute_not_exists(#until) OR #until <= :now)', { ':now': now });
      if (seenLockId === undefined) u.when('attribute_not_exists(#lockId)');
      else u.when('#lockId = :seen', { ':seen': seenLockId });
      const r = await update(orderNo, u);
      if (r.kind !== 'failed') return r.kind === 'applied' ? { kind: 'taken', order: r.order } : r;
      return r.order.status === 'EXECUTING' ? { kind: 'busy', order: r.order } : { kind: 'moved', order: r.order };
    },

    async endExecuteAttempt(orderNo, lockId, now) {
      await update(
        orderNo,
        new UpdateExpression()
          .set('#until = :now', { ':now': now })
          .names({ '#lockId': 'execLockId', '#until': 'execUntil' })
          .when('#status = :executing AND #lockId = :id', { ':executing': 'EXECUTING', ':id': lockId }),
      );
    },

    async beginRefund(orderNo, r, limit) {
      const startable = Object.fromEntries(REFUND_START_STATUSES.map((st, i) => [`:st${i}`, st]));
      const r0 = await update(
        orderNo,
        new UpdateExpression()
          .set('#refunds.#rn = :r', { ':r': r })
          .set('#inFlight = :rn', { ':rn': r.refundNo })
          .set('#reserved = if_not_exists(#reserved, :zero) + :amt', { ':zero': 0, ':amt': r.amount })
          .set('#updatedAt = :now', { ':now': new Date(clock()).toISOString() })
          .set('#dueShard = :shard', { ':shard': dueShardOf(orderNo) })
          // A refund in flight is the reconciler's to conclude if this request cannot.
          .set('#dueAt = :due', { ':due': nextCheckAt(0, clock()) })
          .names(REFUND_NAMES)
          .names({ '#rn': r.refundNo })
          .when(`#status IN (${Object.keys(startable).join(', ')})`, startable)
          .when('attribute_not_exists(#inFlight)')
          .when('attribute_not_exists(#refunds.#rn)')
          .when('(attribute_not_exists(#reserved) OR #reserved <= :limit)', { ':limit': limit })
          // The order keeps within its item (shared/domain/order-limits.ts).
          .when('size(#refunds) < :maxRefunds', { ':maxRefunds': MAX_REFUNDS_PER_ORDER }),
      );
      return r0.kind === 'applied' ? { kind: 'recorded', order: r0.order } : r0.kind === 'failed' ? { kind: 'refused', order: r0.order } : r0;
    },

    async recordRefundOutcome(orderNo, refundNo, outcome, seenStatus) {
      const now = clock();
      const at = new Date(now).toISOString();
      const u = new UpdateExpression().names(REFUND_NAMES).names({ '#rn': refundNo });
      u.set('#refunds.#rn.#rstatus = :to', { ':to': outcome.kind === 'succeeded' ? 'SUCCEEDED' : 'FAILED' }).set('#updatedAt = :now', { ':now': at });
      let entry: HistoryEntry | undefined;
      if (outcome.kind === 'succeeded' && outcome.overFailed !== undefined) {
        // Toss made a refund we had recorded as refused (two asks of the same refundNo crossed):
        // Toss's word stands. Its amount is reserved again, within the balance; another refund
        // may be in flight meanwhile, so refundInFlight is left as it is.
        u.remove('#refunds.#rn.#failure');
        u.set('#reserved = #reserved + :amt', { ':amt': outcome.overFailed.amount });
        u.when('#refunds.#rn.#rstatus = :failed AND #status = :seen AND #reserved <= :maxBefore', {
          ':failed': 'FAILED',
          ':seen': seenStatus,
          ':maxBefore': outcome.overFailed.maxReservedBefore,
        });
      } else {
        u.remove('#inFlight');
        u.when('#refunds.#rn.#rstatus = :pending AND #status = :seen AND (attribute_not_exists(#inFlight) OR #inFlight = :rn)', {
          ':pending': 'PENDING',
          ':seen': seenStatus,
          ':rn': refundNo,
        });
      }
      // Concluded: no call to Toss about it is needed any more (its lease ends).
      u.remove('#refunds.#rn.#lease');
      if (outcome.kind === 'succeeded') {
        if (outcome.transactionId !== undefined) u.set('#refunds.#rn.#tx = :tx', { ':tx': outcome.transactionId });
        if (outcome.toss !== undefined) u.set('#refunds.#rn.#rtoss = :rtoss', { ':rtoss': outcome.toss });
        u.set('#refunds.#rn.#approvedAt = :approvedAt', { ':approvedAt': outcome.approvedAt ?? at });
        // The order's state after the refund, in the same write, as one move of the state machine.
        if (outcome.status !== seenStatus) {
          if (!canTransition(seenStatus, outcome.status)) throw new Error(`a refund cannot move an order from ${seenStatus} to ${outcome.status}`);
          u.set('#status = :after', { ':after': outcome.status });
          // A settled order stored when settlement was terminal carries a ttl: it lives on now.
          u.remove('#ttl');
          entry = { from: seenStatus, to: outcome.status, source: outcome.source, at, note: `refund ${refundNo}`, ...(outcome.actor !== undefined ? { actor: outcome.actor } : {}) };
        }
      } else {
        u.set('#refunds.#rn.#failure = :failure', { ':failure': boundedFailure(outcome.failure) });
        u.set('#reserved = #reserved - :amt', { ':amt': outcome.amount });
      }
      // Its place in the due index: the re-checks after payment again (or the backoff, for REFUND_PROGRESS).
      if (outcome.dueAt !== undefined) u.set('#dueShard = :shard', { ':shard': dueShardOf(orderNo) }).set('#dueAt = :due', { ':due': outcome.dueAt });
      else u.remove('#dueShard', '#dueAt');
      const r = await update(orderNo, u, entry);
      return r.kind === 'applied' ? { kind: 'recorded', order: r.order } : r.kind === 'failed' ? { kind: 'stale', order: r.order } : r;
    },

    async takeRefundLease(orderNo, refundNo, lease, now) {
      const r = await update(
        orderNo,
        new UpdateExpression()
          .set('#refunds.#rn.#lease = :lease', { ':lease': lease })
          .names(REFUND_NAMES)
          .names({ '#rn': refundNo })
          .when('#refunds.#rn.#rstatus = :pending AND (attribute_not_exists(#refunds.#rn.#lease) OR #refunds.#rn.#lease.#until <= :now)', { ':pending': 'PENDING', ':now': now }),
      );
      if (r.kind !== 'failed') return r.kind === 'applied' ? { kind: 'taken', order: r.order } : r;
      return r.order.refunds?.[refundNo]?.status === 'PENDING' ? { kind: 'busy', order: r.order } : { kind: 'moved', order: r.order };
    },

    async endRefundLease(orderNo, refundNo, leaseId) {
      await update(orderNo, new UpdateExpression().remove('#refunds.#rn.#lease').names({ '#rn': refundNo }).when('#refunds.#rn.#lease.#id = :id', { ':id': leaseId }));
    },

    async recordTossRefunds(orderNo, refunds, seen, transactions) {
      // On the order exactly as read (its version): the refunds to record were found unmatched
      // against that copy, so any write since (a refund of ours begun or concluded, another sync)
      // refuses this one, and the next check compares again. Never while one of ours is in flight.
      const u = new UpdateExpression().names(REFUND_NAMES).set('#updatedAt = :now', { ':now': new Date(clock()).toISOString() }).when('attribute_not_exists(#inFlight)');
      if (seen.version === undefined) u.when('attribute_not_exists(#version)');
      else u.when('#version = :seen', { ':seen': seen.version });
      let sum = 0;
      refunds.forEach((r, i) => {
        u.set(`#refunds.#r${i} = :r${i}`, { [`:r${i}`]: r })
          .names({ [`#r${i}`]: r.refundNo })
          .when(`attribute_not_exists(#refunds.#r${i})`);
        sum += r.amount;
      });
      u.set('#reserved = if_not_exists(#reserved, :zero) + :sum', { ':zero': 0, ':sum': sum });
      if (transactions !== undefined) u.set('#transactions = :transactions', { ':transactions': transactions });
      const r = await update(orderNo, u);
      return r.kind === 'applied' ? { kind: 'recorded', order: r.order } : r.kind === 'failed' ? { kind: 'stale', order: r.order } : r;
    },

    async recordTossFacts(orderNo, facts, seen) {
      // On the order exactly as read: the facts were found different from that copy's.
      const u = new UpdateExpression()
        .set('#money = :money', { ':money': facts.tossMoney })
        .set('#updatedAt = :now', { ':now': new Date(clock()).toISOString() })
        .names({ '#money': 'tossMoney' });
      if (facts.transactions !== undefined) u.set('#transactions = :transactions', { ':transactions': facts.transactions });
      if (seen.version === undefined) u.when('attribute_not_exists(#version)');
      else u.when('#version = :seen', { ':seen': seen.version });
      const r = await update(orderNo, u);
      return r.kind === 'applied' ? { kind: 'recorded', order: r.order } : r.kind === 'failed' ? { kind: 'stale', order: r.order } : r;
    },

    async claimLandingCheck(orderNo, seenAt, now, intervalMs) {
      const u = new UpdateExpression().set('#at = :now', { ':now': now }).names({ '#at': 'landingCheckAt' });
      if (seenAt === undefined) u.when('attribute_not_exists(#at)');
      else u.when('#at = :seen AND #at <= :cutoff', { ':seen': seenAt, ':cutoff': now - intervalMs });
      const r = await update(orderNo, u);
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
