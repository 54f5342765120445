/**
 * Finding orders (GET /payments), from two indexes, newest first, never a Scan:
 * - `byDay`: every order under the Korea-time day it was created; a range of days is read from the
 *   newest day back, one Query page at a time.
 * - `flagged`: sparse, only orders flagged for a person (attention).
 * A status filter is applied by DynamoDB, a paymentState filter here, both to the index items read
 * (a page may hold fewer than `limit`; the work per request is bounded either way).
 *
 * Where to go on (`next`, the position a cursor carries, shared/paging.ts) is the day being read
 * and the last key read there. A position given back is checked field by field against this very
 * listing before DynamoDB sees it: a day of the range, and a key of that day's index partition
 * within the range. Anything else is an InvalidCursorError (400), never DynamoDB's
 * ValidationException (a 500) and never the first page instead.
 *
 * Toss's money facts and transactions are not in the indexes (a deployed index's projection cannot
 * change: it would have to be rebuilt under a new name), so the page's orders are read for them
 * with one BatchGetItem (at most `limit` keys, only those attributes).
 */
import { QueryCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import * as z from '../zod.ts';
import type { Order } from '../domain/order.ts';
import { paymentStateOf, type PaymentState } from '../domain/refunds.ts';
import type { OrderStatus } from '../domain/states.ts';
import { InvalidCursorError } from '../paging.ts';
import { ORDER_NO_RE } from '../domain/order-no.ts';
import { DAY_MS } from '../domain/toss-time.ts';
import type { OrderList } from '../payments/ports.ts';
import { storeSend } from './errors.ts';
import { batchGetItems } from './items.ts';
import { createdDayOf, orderKey, toOrder } from './orders.ts';
import { BY_DAY_INDEX, FLAGGED_INDEX, FLAGGED_LIST } from './table.ts';

/** A Korea-time day as `createdDay` holds it. */
const DAY_RE = /^\d{4}-\d{2}-\d{2}$/;
/** The partition read for flagged orders, in a position's `d`. */
const FLAGGED_DAY = 'flagged';
/** Query pages one request may read, whatever the filters leave. */
const MAX_PAGES = 50;

/** A position as this listing hands it out: the day being read, and the last key read there. */
const positionSchema = /* @__PURE__ */ z.pure(() =>
  z.strictObject({
    d: z.string().check(z.maxLength(10)),
    k: z.optional(
      z.strictObject({
        pk: z.string().check(z.maxLength(60)),
        createdDay: z.optional(z.string().check(z.regex(DAY_RE))),
        flaggedList: z.optional(z.literal(FLAGGED_LIST)),
        createdAt: z.iso.datetime(),
      }),
    ),
  }),
);
type Position = z.infer<typeof positionSchema>;

/** The days from `to` back to `from` (inclusive), newest first. */
export const daysBetween = (from: number, to: number): string[] => {
  const out: string[] = [];
  for (let t = to; createdDayOf(t) >= createdDayOf(from); t -= DAY_MS) out.push(createdDayOf(t));
  return [...new Set(out)];
};

/**
 * `value` as a position of the listing of `days` between `from` and `to` (ISO), or an
 * InvalidCursorError: the day must be one of the listing's, and the key one of that day's
 * partition (or the flagged one), of an order, within the range.
 */
function positionOf(value: unknown, days: readonly string[], attention: boolean, from: string, to: string): Position {
  const r = z.safeParse(positionSchema, value);
  const bad = () => new InvalidCursorError('not a cursor of this listing: start again without one');
  if (!r.success) throw bad();
  const { d, k } = r.data;
  if (!days.includes(d)) throw bad();
  if (k === undefined) return r.data;
  const orderNo = k.pk.startsWith('ORDER#') ? k.pk.slice('ORDER#'.length) : '';
  if (!ORDER_NO_RE.test(orderNo) || k.pk !== orderKey(orderNo)) throw bad();
  if (k.createdAt < from || k.createdAt > to) throw bad();
  if (attention ? k.flaggedList !== FLAGGED_LIST || k.createdDay !== undefined : k.createdDay !== d || k.flaggedList !== undefined) throw bad();
  if (!attention && createdDayOf(Date.parse(k.createdAt)) !== d) throw bad();
  return r.data;
}

/** The order states that can have `paymentState` s: what DynamoDB may filter on before we compute it. */
const STATES_OF: Record<PaymentState, readonly OrderStatus[]> = {
  unpaid: ['CREATING', 'PAY_STANDBY', 'PAY_APPROVED', 'EXECUTING', 'PAY_PROGRESS'],
  paid: ['PAY_COMPLETE', 'REFUND_PROGRESS', 'REFUND_SUCCESS', 'SETTLEMENT_COMPLETE', 'SETTLEMENT_REFUND_COMPLETE'],
  partially_refunded: ['PAY_COMPLETE', 'REFUND_PROGRESS', 'REFUND_SUCCESS', 'SETTLEMENT_COMPLETE', 'SETTLEMENT_REFUND_COMPLETE'],
  refunded: ['PAY_COMPLETE', 'REFUND_PROGRESS', 'REFUND_SUCCESS', 'SETTLEMENT_COMPLETE', 'SETTLEMENT_REFUND_COMPLETE'],
  cancelled: ['PAY_CANCEL'],
  failed: ['CREATE_FAILED', 'EXECUTE_FAILED'],
};

/** The states a listing asks DynamoDB for: those of `status` and `paymentState` both (undefined: any). */
function statesFor(status: OrderStatus | undefined, paymentState: PaymentState | undefined): readonly OrderStatus[] | undefined {
  if (paymentState === undefined) return status === undefined ? undefined : [status];
  const states = STATES_OF[paymentState];
  return status === undefined ? states : states.filter((s) => s === status);
}

export function createOrderList(o: { client: DynamoDBDocumentClient; tableName: string }): OrderList {
  const send = storeSend(o.client);
  const query = async (index: string, pk: [string, string], from: string, to: string, states: readonly OrderStatus[] | undefined, limit: number, startKey?: Record<string, unknown>) => {
    const filter = states === undefined ? {} : {
      FilterExpression: `#status IN (${states.map((_, i) => `:s${i}`).join(', ')})`,
      names: { '#status': 'status' },
      values: Object.fromEntries(states.map((s, i) => [`:s${i}`, s])),
    };
    return send(
      new QueryCommand({
        TableName: o.tableName,
        IndexName: index,
        KeyConditionExpression: '#pk = :pk AND #at BETWEEN :from AND :to',
        ExpressionAttributeNames: { '#pk': pk[0], '#at': 'createdAt', ...filter.names },
        ExpressionAttributeValues: { ':pk': pk[1], ':from': from, ':to': to, ...filter.values },
        ...(filter.FilterExpression !== undefined ? { FilterExpression: filter.FilterExpression } : {}),
        ScanIndexForward: false,
        Limit: limit,
        ExclusiveStartKey: startKey,
      }),
    );
  };

  return {
    async listOrders(q) {
      const from = new Date(q.from).toISOString();
      const to = new Date(q.to).toISOString();
      const days = q.attention ? [FLAGGED_DAY] : daysBetween(q.from, q.to);
      const after = q.after === undefined ? undefined : positionOf(q.after, days, q.attention, from, to);
      const states = statesFor(q.status, q.paymentState);
      const orders: ReturnType<typeof toOrder>[] = [];
      let i = after === undefined ? 0 : days.indexOf(after.d);
      let startKey: Record<string, unknown> | undefined = after?.k;
      // Nothing can match (a status that never has this paymentState): no read at all.
      if (states !== undefined && states.length === 0) return { orders };
      for (let pages = 0; pages < MAX_PAGES && i < days.length && orders.length < q.limit; pages++) {
        const day = days[i] as string;
        const r = await query(
          q.attention ? FLAGGED_INDEX : BY_DAY_INDEX,
          q.attention ? ['flaggedList', FLAGGED_LIST] : ['createdDay', day],
          from,
          to,
          states,
          q.limit - orders.length,
          startKey,
        );
        for (const item of r.Items ?? []) {
          const order = toOrder(item);
          if (q.paymentState === undefined || paymentStateOf(order) === q.paymentState) orders.push(order);
        }
        startKey = r.LastEvaluatedKey;
        if (startKey === undefined) i++;
      }
      const withMoney = await moneyFactsOf(orders);
      if (i >= days.length) return { orders: withMoney };
      return { orders: withMoney, next: { d: days[i] as string, ...(startKey !== undefined ? { k: startKey } : {}) } };
    },
  };

  /** The orders with their money facts and transactions, read in one BatchGetItem (its unprocessed keys again, a few times). */
  async function moneyFactsOf(orders: Order[]): Promise<Order[]> {
    if (orders.length === 0) return orders;
    const found = await batchGetItems(send, o.tableName, orders.map((x) => orderKey(x.orderNo)), {
      attributes: ['tossMoney', 'transactions'],
      consistent: false,
      attempts: MONEY_READ_ATTEMPTS,
      backoffMs: 50,
    });
    return orders.map((x) => {
      const item = found.get(orderKey(x.orderNo));
      if (item === undefined) return x;
      const { pk: _pk, ...facts } = item;
      return { ...x, ...facts } as Order;
    });
  }
}

const MONEY_READ_ATTEMPTS = 4;
