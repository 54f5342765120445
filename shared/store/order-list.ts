/**
 * Finding orders (GET /payments), from two indexes, newest first, never a Scan:
 * - `byDay`: every order under the Korea-time day it was created; a range of days is read from the
 *   newest day back, one Query page at a time.
 * - `flagged`: sparse, only orders flagged for a person (attention).
 * A status filter is applied to the index items read (a page may hold fewer than `limit`).
 * The cursor says where to go on: the day and the last key read.
 *
 * Toss's money facts and transactions are not in the indexes (a deployed index's projection cannot
 * change: it would have to be rebuilt under a new name), so the page's orders are read for them
 * with one BatchGetItem (at most `limit` keys, only those attributes).
 */
import { BatchGetCommand, QueryCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { Order } from '../domain/order.ts';
import type { OrderStatus } from '../domain/states.ts';
import type { OrderList } from '../payments/ports.ts';
import { storeFailure, StoreUnavailableError } from './errors.ts';
import { createdDayOf, orderKey, toOrder } from './orders.ts';
import { BY_DAY_INDEX, FLAGGED_INDEX, FLAGGED_LIST } from './table.ts';

interface Cursor {
  /** The day being read (byDay), or 'flagged'. */
  d: string;
  k?: Record<string, unknown>;
}

const DAY = 86_400_000;
const encode = (c: Cursor): string => Buffer.from(JSON.stringify(c)).toString('base64url');
export function decodeCursor(s: string): Cursor | undefined {
  try {
    const c = JSON.parse(Buffer.from(s, 'base64url').toString('utf8')) as Cursor;
    return typeof c.d === 'string' ? c : undefined;
  } catch {
    return undefined;
  }
}

/** The days from `to` back to `from` (inclusive), newest first. */
export const daysBetween = (from: number, to: number): string[] => {
  const out: string[] = [];
  for (let t = to; createdDayOf(t) >= createdDayOf(from); t -= DAY) out.push(createdDayOf(t));
  return [...new Set(out)];
};

export function createOrderList(o: { client: DynamoDBDocumentClient; tableName: string }): OrderList {
  const query = async (index: string, pk: [string, string], from: string, to: string, status: OrderStatus | undefined, limit: number, startKey?: Record<string, unknown>) => {
    try {
      return await o.client.send(
        new QueryCommand({
          TableName: o.tableName,
          IndexName: index,
          KeyConditionExpression: '#pk = :pk AND #at BETWEEN :from AND :to',
          ExpressionAttributeNames: { '#pk': pk[0], '#at': 'createdAt', ...(status !== undefined ? { '#status': 'status' } : {}) },
          ExpressionAttributeValues: { ':pk': pk[1], ':from': from, ':to': to, ...(status !== undefined ? { ':status': status } : {}) },
          ...(status !== undefined ? { FilterExpression: '#status = :status' } : {}),
          ScanIndexForward: false,
          Limit: limit,
          ExclusiveStartKey: startKey,
        }),
      );
    } catch (e) {
      throw storeFailure(e);
    }
  };

  return {
    async listOrders(q) {
      const from = new Date(q.from).toISOString();
      const to = new Date(q.to).toISOString();
      const cursor = q.cursor === undefined ? undefined : decodeCursor(q.cursor);
      const days = q.attention ? ['flagged'] : daysBetween(q.from, q.to);
      let i = cursor === undefined ? 0 : Math.max(0, days.indexOf(cursor.d));
      let startKey = cursor?.k;
      const orders: ReturnType<typeof toOrder>[] = [];
      // Bounded work per request: at most this many Query pages, whatever the filter leaves.
      for (let pages = 0; pages < 50 && i < days.length && orders.length < q.limit; pages++) {
        const day = days[i] as string;
        const r = await query(
          q.attention ? FLAGGED_INDEX : BY_DAY_INDEX,
          q.attention ? ['flaggedList', FLAGGED_LIST] : ['createdDay', day],
          from,
          to,
          q.status,
          q.limit - orders.length,
          startKey,
        );
        orders.push(...(r.Items ?? []).map((item) => toOrder(item)));
        startKey = r.LastEvaluatedKey;
        if (startKey === undefined) i++;
      }
      const more = i < days.length;
      const withMoney = await moneyFactsOf(orders);
      return { orders: withMoney, ...(more ? { next: encode({ d: days[i] as string, ...(startKey !== undefined ? { k: startKey } : {}) }) } : {}) };
    },
  };

  /** The orders with their money facts and transactions, read in one BatchGetItem (its unprocessed keys again, a few times). */
  async function moneyFactsOf(orders: Order[]): Promise<Order[]> {
    if (orders.length === 0) return orders;
    const found = new Map<string, Record<string, unknown>>();
    let keys: Record<string, unknown>[] | undefined = orders.map((x) => ({ pk: orderKey(x.orderNo) }));
    for (let attempt = 0; keys !== undefined && keys.length > 0; attempt++) {
      if (attempt === MONEY_READ_ATTEMPTS) throw new StoreUnavailableError("DynamoDB left some orders' money facts unread");
      if (attempt > 0) await new Promise((r) => setTimeout(r, 50 * 2 ** attempt));
      let r;
      try {
        r = await o.client.send(
          new BatchGetCommand({
            RequestItems: {
              [o.tableName]: {
                Keys: keys,
                ProjectionExpression: '#pk, #money, #transactions',
                ExpressionAttributeNames: { '#pk': 'pk', '#money': 'tossMoney', '#transactions': 'transactions' },
              },
            },
          }),
        );
      } catch (e) {
        throw storeFailure(e);
      }
      for (const item of r.Responses?.[o.tableName] ?? []) found.set(String(item.pk), item);
      keys = r.UnprocessedKeys?.[o.tableName]?.Keys;
    }
    return orders.map((x) => {
      const item = found.get(orderKey(x.orderNo));
      if (item === undefined) return x;
      const { pk: _pk, ...facts } = item;
      return { ...x, ...facts } as Order;
    });
  }
}

const MONEY_READ_ATTEMPTS = 4;
