/**
 * The order repository: the ONLY code that knows the table's keys, indexes and conditions.
 *
 * Every state change is ONE conditional UpdateItem with ReturnValuesOnConditionCheckFailure
 * ALL_OLD: when the condition fails, the item as it was comes back with the error, so a
 * duplicate, a lost race and a contradiction are told apart without another read.
 */
import { createHash } from 'node:crypto';
import { ConditionalCheckFailedException, type AttributeValue } from '@aws-sdk/client-dynamodb';
import {
  GetCommand,
  PutCommand,
  UpdateCommand,
  type DynamoDBDocumentClient,
} from '@aws-sdk/lib-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import { appConfig } from '../config.ts';
import type { Attention, HistoryEntry, Mode, Order, Source, Transition } from '../domain/order.ts';
import { isAtOrBeyond, isTerminal, isUnfinished, type OrderStatus } from '../domain/states.ts';
import { nextCheckAt } from '../domain/schedule.ts';
import { documentClient } from './client.ts';
import { DUE_SHARDS } from './table.ts';

export const orderKey = (orderNo: string): string => `ORDER#${orderNo}`;

/** `DUE#<n>`: n = a stable hash of orderNo mod DUE_SHARDS. */
export function dueShardOf(orderNo: string): string {
  const n = createHash('sha256').update(orderNo).digest().readUInt32BE(0) % DUE_SHARDS;
  return `DUE#${n}`;
}
export const allDueShards = (): string[] => Array.from({ length: DUE_SHARDS }, (_, n) => `DUE#${n}`);

/** DynamoDB failed in a way a retry may fix (throttling, 5xx, network). */
export class StoreUnavailableError extends Error {
  override name = 'StoreUnavailableError';
}

/** What createOrder needs: the order as validated, before Toss is called. */
export type NewOrder = Omit<Order, 'status' | 'history' | 'createdAt' | 'updatedAt' | 'checks' | 'dueAt'>;

export type CreateResult = { kind: 'created'; order: Order } | { kind: 'exists'; order: Order };

export type ApplyResult =
  | { kind: 'applied'; order: Order }
  /** The order already was in the target state or beyond it (same payToken and amount). */
  | { kind: 'duplicate'; order: Order }
  /** Lost a race to a different state, or the stored payToken/amount contradict the transition. */
  | { kind: 'conflict'; order: Order; reason: 'PAY_TOKEN_MISMATCH' | 'AMOUNT_MISMATCH' | 'STATE' }
  | { kind: 'missing' };

/** A payment Toss confirmed for our key that we have no record of. */
export interface RecoveredOrder {
  orderNo: string;
  status: OrderStatus;
  payToken: string;
  amount: number;
  amountTaxFree?: number | undefined;
  mode: Mode;
  fields: Transition['set'];
  reason: string;
}

export interface OrderStore {
  readonly tableName: string;
  createOrder(o: NewOrder): Promise<CreateResult>;
  getOrder(orderNo: string, opts?: { consistent?: boolean }): Promise<Order | undefined>;
  applyTransition(orderNo: string, t: Transition, source: Source): Promise<ApplyResult>;
  recordRecoveredOrder(r: RecoveredOrder, source: Source): Promise<CreateResult>;
  /** Sets `attention` (flags the order for a person). False when there is no such order. */
  flagOrder(orderNo: string, reason: string): Promise<boolean>;
}

export interface OrderStoreOptions {
  client: DynamoDBDocumentClient;
  tableName: string;
  retentionDays: number;
  clock?: () => number;
}

const INTERNAL = new Set(['pk', 'dueShard', 'ttl']);

function toOrder(item: Record<string, unknown>): Order {
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

const TRANSIENT = new Set([
  'ProvisionedThroughputExceededException',
  'ThrottlingException',
  'RequestLimitExceeded',
  'InternalServerError',
  'ServiceUnavailable',
  'TransactionConflictException',
  'TimeoutError',
  'AbortError',
]);

/** Wraps a transient DynamoDB failure (throttling, 5xx, network) in StoreUnavailableError. */
function storeError(e: unknown): unknown {
  if (e instanceof ConditionalCheckFailedException) return e;
  const err = e as { name?: string; $metadata?: { httpStatusCode?: number }; code?: string };
  const status = err.$metadata?.httpStatusCode;
  const network = typeof err.code === 'string' && /^(ECONN|ETIMEDOUT|EPIPE|ENOTFOUND|EAI_AGAIN|UND_ERR)/.test(err.code);
  if (TRANSIENT.has(err.name ?? '') || (status !== undefined && status >= 500) || network || status === undefined)
    return new StoreUnavailableError(`DynamoDB unavailable: ${err.name ?? 'error'}`, { cause: e });
  return e;
}

export function createOrderStore(opts: OrderStoreOptions): OrderStore {
  const { client, tableName } = opts;
  const clock = opts.clock ?? Date.now;
  const ttlOf = (now: number) => Math.floor(now / 1000) + opts.retentionDays * 86_400;

  async function send<T>(fn: () => Promise<T>): Promise<T> {
    try {
      return await fn();
    } catch (e) {
      throw storeError(e);
    }
  }

  async function putNew(item: Record<string, unknown>): Promise<CreateResult> {
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
        if (old !== undefined) return { kind: 'exists', order: old };
      }
      throw e;
    }
  }

  return {
    tableName,

    async createOrder(o) {
      const now = clock();
      const at = new Date(now).toISOString();
      const status: OrderStatus = 'CREATING';
      const history: HistoryEntry[] = [{ from: null, to: status, source: 'create', at }];
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
      });
    },

    async getOrder(orderNo, gopts) {
      const r = await send(() =>
        client.send(new GetCommand({ TableName: tableName, Key: { pk: orderKey(orderNo) }, ConsistentRead: gopts?.consistent ?? true })),
      );
      return r.Item === undefined ? undefined : toOrder(r.Item);
    },

    async applyTransition(orderNo, t, source) {
      if (t.from.length === 0) throw new Error('a transition needs at least one expected state');
      const now = clock();
      const at = new Date(now).toISOString();
      const names: Record<string, string> = { '#status': 'status', '#history': 'history', '#updatedAt': 'updatedAt' };
      const values: Record<string, unknown> = { ':to': t.to, ':now': at, ':empty': [] };
      const entry: HistoryEntry = { from: null, to: t.to, source, at };
      if (t.note !== undefined) entry.note = t.note;
      // `from` of the history entry is the state actually left; it is only known after the write,
      // so the entry records the expected set's single member when there is one.
      if (t.from.length === 1 && t.from[0] !== undefined) entry.from = t.from[0];
      values[':h'] = [entry];
      const sets = ['#status = :to', '#updatedAt = :now', '#history = list_append(if_not_exists(#history, :empty), :h)'];
      const removes: string[] = [];
      const fields: Record<string, unknown> = { ...t.set };
      if (t.payToken !== undefined) fields.payToken = t.payToken;
      for (const [k, v] of Object.entries(fields)) {
        if (v === undefined) continue;
        names[`#f_${k}`] = k;
        values[`:f_${k}`] = v;
        sets.push(`#f_${k} = :f_${k}`);
      }
      names['#dueShard'] = 'dueShard';
      names['#dueAt'] = 'dueAt';
      if (isUnfinished(t.to)) {
        values[':dueShard'] = dueShardOf(orderNo);
        values[':dueAt'] = t.dueAt ?? nextCheckAt(0, now);
        sets.push('#dueShard = :dueShard', '#dueAt = :dueAt');
      } else {
        removes.push('#dueShard', '#dueAt');
      }
      if (isTerminal(t.to)) {
        names['#ttl'] = 'ttl';
        values[':ttl'] = ttlOf(now);
        sets.push('#ttl = :ttl');
      }
      const fromKeys = t.from.map((s, i) => {
        values[`:from${i}`] = s;
        return `:from${i}`;
      });
      const cond = ['attribute_exists(pk)', `#status IN (${fromKeys.join(', ')})`];
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
      const update = `SET ${sets.join(', ')}${removes.length > 0 ? ` REMOVE ${removes.join(', ')}` : ''}`;
      try {
        const r = await send(() =>
          client.send(
            new UpdateCommand({
              TableName: tableName,
              Key: { pk: orderKey(orderNo) },
              UpdateExpression: update,
              ConditionExpression: cond.join(' AND '),
              ExpressionAttributeNames: names,
              ExpressionAttributeValues: values,
              ReturnValues: 'ALL_NEW',
              ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
            }),
          ),
        );
        return { kind: 'applied', order: toOrder(r.Attributes ?? {}) };
      } catch (e) {
        if (!(e instanceof ConditionalCheckFailedException)) throw e;
        const old = oldItem(e);
        if (old === undefined) return { kind: 'missing' };
        return classifyFailure(old, t);
      }
    },

    async recordRecoveredOrder(r, source) {
      const now = clock();
      const at = new Date(now).toISOString();
      const attention: Attention = { reason: r.reason, at };
      const item: Record<string, unknown> = {
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
      };
      if (isUnfinished(r.status)) {
        item.dueShard = dueShardOf(r.orderNo);
        item.dueAt = nextCheckAt(0, now);
      }
      if (isTerminal(r.status)) item.ttl = ttlOf(now);
      return putNew(item);
    },

    async flagOrder(orderNo, reason) {
      const attention: Attention = { reason, at: new Date(clock()).toISOString() };
      try {
        await send(() =>
          client.send(
            new UpdateCommand({
              TableName: tableName,
              Key: { pk: orderKey(orderNo) },
              UpdateExpression: 'SET #attention = :a',
              ConditionExpression: 'attribute_exists(pk)',
              ExpressionAttributeNames: { '#attention': 'attention' },
              ExpressionAttributeValues: { ':a': attention },
            }),
          ),
        );
        return true;
      } catch (e) {
        if (e instanceof ConditionalCheckFailedException) return false;
        throw e;
      }
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

let singleton: OrderStore | undefined;
/** The container's store (one DynamoDB client per container), built from appConfig(). */
export function orderStore(): OrderStore {
  if (singleton === undefined) {
    const c = appConfig();
    singleton = createOrderStore({
      client: documentClient(),
      tableName: c.TABLE_NAME,
      retentionDays: c.RETENTION_DAYS,
    });
  }
  return singleton;
}
