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
import type { Attention } from '../domain/order.ts';
import { isOrderStatus } from '../domain/states.ts';
import { numberOf, stringOf } from '../domain/unknown-values.ts';
import type { DueOrder, DueStore } from '../payments/ports.ts';
import { storeSend } from './errors.ts';
import { allDueShards, orderKey } from './orders.ts';
import { DUE_INDEX, FLAGGED_LIST } from './table.ts';
import { UpdateExpression } from './update-expression.ts';

export interface DueStoreOptions {
  client: DynamoDBDocumentClient;
  tableName: string;
  shards?: readonly string[];
  /** The X-Ray trace of the invocation now, when traced: a check's write records it (`writeTraceId`). */
  traceId?: () => string | undefined;
}


/** A projected index item as a DueOrder; undefined when it lacks what a check needs. Pure. */
export function toDueOrder(item: Record<string, unknown>): DueOrder | undefined {
  const orderNo = stringOf(item.orderNo) ?? stringOf(item.pk)?.replace(/^ORDER#/, '');
  const status = item.status;
  const amount = numberOf(item.amount);
  const dueAt = numberOf(item.dueAt);
  const mode = item.mode;
  if (orderNo === undefined || !isOrderStatus(status) || amount === undefined || dueAt === undefined) return undefined;
  if (mode !== 'TEST' && mode !== 'LIVE') return undefined;
  const o: DueOrder = {
    orderNo,
    status,
    amount,
    mode,
    checks: numberOf(item.checks) ?? 0,
    autoExecute: item.autoExecute !== false,
    dueAt,
  };
  const payToken = stringOf(item.payToken);
  if (payToken !== undefined) o.payToken = payToken;
  const expiresAt = stringOf(item.expiresAt);
  if (expiresAt !== undefined) o.expiresAt = expiresAt;
  const createdAt = stringOf(item.createdAt);
  if (createdAt !== undefined) o.createdAt = createdAt;
  const attention = item.attention;
  if (attention !== null && typeof attention === 'object') o.attention = attention as Attention;
  const leaseUntil = numberOf(item.leaseUntil);
  if (leaseUntil !== undefined) o.leaseUntil = leaseUntil;
  const execLockId = stringOf(item.execLockId);
  if (execLockId !== undefined) o.execLockId = execLockId;
  const execUntil = numberOf(item.execUntil);
  if (execUntil !== undefined) o.execUntil = execUntil;
  const paidAt = stringOf(item.paidAt);
  if (paidAt !== undefined) o.paidAt = paidAt;
  const refundInFlight = stringOf(item.refundInFlight);
  if (refundInFlight !== undefined) o.refundInFlight = refundInFlight;
  if (Array.isArray(item.supersededPayTokens)) o.supersededPayTokens = item.supersededPayTokens.filter((t): t is string => typeof t === 'string');
  return o;
}

export function createDueStore(opts: DueStoreOptions): DueStore {
  const { tableName } = opts;
  const send = storeSend(opts.client);
  const shards = opts.shards ?? allDueShards();
  return {
    tableName,
    shards,

    async queryDue(shard, now, q) {
      const r = await send(
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

    async touch(o, next, facts) {
      // Own-write recognition (as in orders.ts): a retry of a touch whose reply was lost finds
      // our writeId on the item.
      const writeId = randomUUID();
      const u = new UpdateExpression()
        .set('#checks = if_not_exists(#checks, :zero) + :one', { ':zero': 0, ':one': 1 })
        .set('#writeId = :w', { ':w': writeId })
        .set('#version = if_not_exists(#version, :zero) + :one');
      const trace = opts.traceId?.();
      if (trace !== undefined) u.set('#writeTraceId = :writeTraceId', { ':writeTraceId': trace });
      // No next check (the re-checks after payment are over): the order leaves the due index.
      if (next.dueAt !== undefined) u.set('#dueAt = :next', { ':next': next.dueAt });
      else u.remove('#dueShard', '#dueAt');
      if (facts !== undefined) {
        u.set('#money = :money', { ':money': facts.tossMoney }).names({ '#money': 'tossMoney' });
        if (facts.transactions !== undefined) u.set('#transactions = :transactions', { ':transactions': facts.transactions });
      }
      if (next.flag !== undefined)
        u.set('#attention = if_not_exists(#attention, :attention)', { ':attention': next.flag })
          .set('#flagged = :flagged', { ':flagged': FLAGGED_LIST })
          .names({ '#flagged': 'flaggedList' });
      // `dueAt = :seenDue` also requires dueAt: a finished order has none and never gets one back.
      u.when('attribute_exists(pk) AND #status = :seen AND #dueAt = :seenDue', { ':seen': o.status, ':seenDue': o.dueAt });
      try {
        const r = await send(
          new UpdateCommand({
            TableName: tableName,
            Key: { pk: orderKey(o.orderNo) },
            ...u.build(),
            ReturnValues: 'UPDATED_OLD',
            ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
          }),
        );
        const old = r.Attributes ?? {};
        return {
          kind: 'touched',
          checks: (numberOf(old.checks) ?? 0) + 1,
          dueAt: next.dueAt,
          flagged: next.flag !== undefined && old.attention === undefined,
        };
      } catch (e) {
        if (!(e instanceof ConditionalCheckFailedException)) throw e;
        const item = e.Item === undefined ? undefined : unmarshall(e.Item);
        if (item?.writeId !== writeId) return { kind: 'stale' };
        const attention = item.attention as Attention | undefined;
        return {
          kind: 'touched',
          checks: numberOf(item.checks) ?? 0,
          dueAt: next.dueAt,
          flagged: next.flag !== undefined && attention?.at === next.flag.at && attention.reason === next.flag.reason,
        };
      }
    },
  };
}
