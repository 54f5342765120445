/**
 * The reconciler's view of the table: the sparse `due` index (unfinished orders only) and the
 * one conditional write a check makes when it changes no state.
 *
 * - queryDue: ONE Query per page, key condition `dueShard = :s AND dueAt <= :now`: only orders
 *   that are unfinished AND due are read. The index projects what a check needs (no GetItem).
 *   The index is eventually consistent: a stale item only makes a conditional write fail.
 * - touch: `checks = checks + 1, dueAt = :next` (and optionally `attention` when not set yet),
 *   conditioned on the state and dueAt the caller saw, so it never resurrects the due attributes
 *   of an order another writer just finished, and two passes that both saw the same item move
 *   its next check only once.
 */
import { randomUUID } from 'node:crypto';
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import { QueryCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { appConfig } from '../config.ts';
import type { Attention, Mode } from '../domain/order.ts';
import { isOrderStatus, type OrderStatus } from '../domain/states.ts';
import { documentClient } from './client.ts';
import { allDueShards, orderKey, StoreUnavailableError } from './orders.ts';
import { DUE_INDEX } from './table.ts';

/** An unfinished order as the due index projects it. */
export interface DueOrder {
  orderNo: string;
  status: OrderStatus;
  payToken?: string | undefined;
  amount: number;
  mode: Mode;
  checks: number;
  expiresAt?: string | undefined;
  createdAt?: string | undefined;
  autoExecute: boolean;
  attention?: Attention | undefined;
  /** Epoch ms this check was due (the index's sort key). */
  dueAt: number;
  /** CREATING: until when a create attempt holds the lease (it may still be calling Toss). */
  leaseUntil?: number | undefined;
  /** EXECUTING: the execute lock's holder and when its call is surely over. */
  execLockId?: string | undefined;
  execUntil?: number | undefined;
  supersededPayTokens?: string[] | undefined;
}

export interface DuePage {
  /** The items of this page that are well-formed orders. */
  orders: DueOrder[];
  /** Items the query returned (well-formed or not): what the pass read. */
  itemsRead: number;
  /** Items DynamoDB evaluated (ScannedCount): equals itemsRead, no filter is used. */
  scanned: number;
  /** Read capacity units consumed, when DynamoDB reports it. */
  capacityUnits: number;
  nextKey?: Record<string, unknown> | undefined;
}

export type TouchResult =
  | { kind: 'touched'; checks: number; dueAt: number; flagged: boolean }
  /** The order is no longer in the state (or due time) the caller saw: nothing written. */
  | { kind: 'stale' };

export interface DueStore {
  readonly tableName: string;
  readonly shards: readonly string[];
  /** One page of orders due at `now` in `shard` (oldest due first). */
  queryDue(shard: string, now: number, opts?: { limit?: number; startKey?: Record<string, unknown> }): Promise<DuePage>;
  /**
   * A check that changed no state: one more check, next check at `dueAt`; when `flag` is given
   * and the order carries no `attention` yet, sets it (flagged: true when this write set it).
   */
  touch(
    o: Pick<DueOrder, 'orderNo' | 'status' | 'dueAt'>,
    next: { dueAt: number; flag?: Attention | undefined },
  ): Promise<TouchResult>;
}

export interface DueStoreOptions {
  client: DynamoDBDocumentClient;
  tableName: string;
  shards?: readonly string[];
}

const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);
const num = (v: unknown): number | undefined => (typeof v === 'number' && Number.isFinite(v) ? v : undefined);

/** A projected index item as a DueOrder; undefined when it lacks what a check needs. Pure. */
export function toDueOrder(item: Record<string, unknown>): DueOrder | undefined {
  const orderNo = str(item.orderNo) ?? str(item.pk)?.replace(/^ORDER#/, '');
  const status = item.status;
  const amount = num(item.amount);
  const dueAt = num(item.dueAt);
  const mode = item.mode;
  if (orderNo === undefined || !isOrderStatus(status) || amount === undefined || dueAt === undefined) return undefined;
  if (mode !== 'TEST' && mode !== 'LIVE') return undefined;
  const o: DueOrder = {
    orderNo,
    status,
    amount,
    mode,
    checks: num(item.checks) ?? 0,
    autoExecute: item.autoExecute !== false,
    dueAt,
  };
  const payToken = str(item.payToken);
  if (payToken !== undefined) o.payToken = payToken;
  const expiresAt = str(item.expiresAt);
  if (expiresAt !== undefined) o.expiresAt = expiresAt;
  const createdAt = str(item.createdAt);
  if (createdAt !== undefined) o.createdAt = createdAt;
  const attention = item.attention;
  if (attention !== null && typeof attention === 'object') o.attention = attention as Attention;
  const leaseUntil = num(item.leaseUntil);
  if (leaseUntil !== undefined) o.leaseUntil = leaseUntil;
  const execLockId = str(item.execLockId);
  if (execLockId !== undefined) o.execLockId = execLockId;
  const execUntil = num(item.execUntil);
  if (execUntil !== undefined) o.execUntil = execUntil;
  if (Array.isArray(item.supersededPayTokens)) o.supersededPayTokens = item.supersededPayTokens.filter((t): t is string => typeof t === 'string');
  return o;
}

function wrap(e: unknown): unknown {
  if (e instanceof ConditionalCheckFailedException) return e;
  const err = e as { name?: string; $metadata?: { httpStatusCode?: number } };
  const status = err.$metadata?.httpStatusCode;
  if (status === undefined || status >= 500 || /Throttl|Exceeded|Timeout|Abort|Unavailable|InternalServer/.test(err.name ?? ''))
    return new StoreUnavailableError(`DynamoDB unavailable: ${err.name ?? 'error'}`, { cause: e });
  return e;
}

export function createDueStore(opts: DueStoreOptions): DueStore {
  const { client, tableName } = opts;
  const shards = opts.shards ?? allDueShards();
  return {
    tableName,
    shards,

    async queryDue(shard, now, q) {
      let r;
      try {
        r = await client.send(
          new QueryCommand({
            TableName: tableName,
            IndexName: DUE_INDEX,
            KeyConditionExpression: '#s = :s AND #d <= :now',
            ExpressionAttributeNames: { '#s': 'dueShard', '#d': 'dueAt' },
            ExpressionAttributeValues: { ':s': shard, ':now': now },
            Limit: q?.limit ?? 100,
            ExclusiveStartKey: q?.startKey,
            ReturnConsumedCapacity: 'TOTAL',
          }),
        );
      } catch (e) {
        throw wrap(e);
      }
      const items = r.Items ?? [];
      const orders = items.map((i) => toDueOrder(i)).filter((o): o is DueOrder => o !== undefined);
      return {
        orders,
        itemsRead: items.length,
        scanned: r.ScannedCount ?? items.length,
        capacityUnits: r.ConsumedCapacity?.CapacityUnits ?? 0,
        nextKey: r.LastEvaluatedKey,
      };
    },

    async touch(o, next) {
      // Own-write recognition (as in orders.ts): a retry of a touch whose reply was lost finds
      // our writeId on the item.
      const writeId = randomUUID();
      const names: Record<string, string> = { '#status': 'status', '#dueAt': 'dueAt', '#checks': 'checks', '#writeId': 'writeId' };
      const values: Record<string, unknown> = { ':seen': o.status, ':seenDue': o.dueAt, ':next': next.dueAt, ':zero': 0, ':one': 1, ':w': writeId };
      const sets = ['#checks = if_not_exists(#checks, :zero) + :one', '#dueAt = :next', '#writeId = :w'];
      if (next.flag !== undefined) {
        names['#attention'] = 'attention';
        values[':attention'] = next.flag;
        sets.push('#attention = if_not_exists(#attention, :attention)');
      }
      try {
        const r = await client.send(
          new UpdateCommand({
            TableName: tableName,
            Key: { pk: orderKey(o.orderNo) },
            UpdateExpression: `SET ${sets.join(', ')}`,
            // `dueAt = :seenDue` also requires dueAt: a finished order has none and never gets one back.
            ConditionExpression: 'attribute_exists(pk) AND #status = :seen AND #dueAt = :seenDue',
            ExpressionAttributeNames: names,
            ExpressionAttributeValues: values,
            ReturnValues: 'UPDATED_OLD',
            ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
          }),
        );
        const old = r.Attributes ?? {};
        return {
          kind: 'touched',
          checks: (num(old.checks) ?? 0) + 1,
          dueAt: next.dueAt,
          flagged: next.flag !== undefined && old.attention === undefined,
        };
      } catch (e) {
        if (!(e instanceof ConditionalCheckFailedException)) throw wrap(e);
        const item = e.Item === undefined ? undefined : unmarshall(e.Item);
        if (item?.writeId !== writeId) return { kind: 'stale' };
        const attention = item.attention as Attention | undefined;
        return {
          kind: 'touched',
          checks: num(item.checks) ?? 0,
          dueAt: next.dueAt,
          flagged: next.flag !== undefined && attention?.at === next.flag.at && attention.reason === next.flag.reason,
        };
      }
    },
  };
}

let singleton: DueStore | undefined;
/** The container's due store, built from appConfig(). */
export function dueStore(): DueStore {
  if (singleton === undefined) {
    const c = appConfig();
    singleton = createDueStore({
      client: documentClient(),
      tableName: c.TABLE_NAME,
    });
  }
  return singleton;
}
