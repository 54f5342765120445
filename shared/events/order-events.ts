/**
 * The events a merchant acts on, derived from one committed change of an order (its image before
 * and after, as the table's stream carries them). Pure: the same change always gives the same
 * events with the same ids, however often the stream delivers it.
 *
 *   payment.completed   the order became paid
 *   payment.cancelled   it ended cancelled (data.cancelReason: MERCHANT, BUYER or UNKNOWN, as Toss
 *                       told it, EXPIRED on orders recorded before; data.cancelNote: the merchant's
 *                       reason, when it gave one)
 *   payment.failed      Toss refused its create or its execute
 *   payment.refunded    a refund succeeded (partial or full; data.refund is that refund)
 *   refund.failed       a refund was refused (data.refund)
 *   payment.settled     Toss paid the order's money out to the merchant (data.settled, settledSeenAt);
 *                       once per order: later refunds are taken from the next settlement
 *   order.flagged       it needs a person (data.attention)
 */
import { createHash } from 'node:crypto';
import type { Order } from '../domain/order.ts';
import { refundsOf, type Refund } from '../domain/refunds.ts';
import { isSettled } from '../domain/settlement.ts';
import { isPaid } from '../domain/states.ts';
import { orderView } from '../payments/order-view.ts';
import { boundedData } from './event-data.ts';
import type { OrderEventType } from './event-shape.ts';
import type { OrderEvent } from './reply-schemas.ts';

export { EVENT_TYPES, ORDER_EVENT_TYPES, type EventType, type OrderEventType } from './event-shape.ts';

/**
 * An event, as the Standard Webhooks envelope carries it (its schema: ./reply-schemas.ts): `id`
 * (`evt_…`, from the orderNo, the order's version, the type and, for refund events, the refundNo),
 * `type`, `timestamp` (the order's updatedAt) and `data`, the order bounded (./event-data.ts)
 * with its version; refund events add `refund`.
 */
export type { OrderEvent };

/** What one change means: its events' types and, for refund events, the refund. */
interface Change {
  type: OrderEventType;
  refund?: Refund;
}

export function eventId(orderNo: string, version: number, type: OrderEventType, subject = ''): string {
  return `evt_${createHash('sha256').update(`${orderNo}\n${version}\n${type}\n${subject}`).digest('base64url').slice(0, 26)}`;
}

function changesOf(before: Order | undefined, after: Order): Change[] {
  const out: Change[] = [];
  const was = before?.status;
  if (isPaid(after.status) && (was === undefined || !isPaid(was))) out.push({ type: 'payment.completed' });
  if (after.status === 'PAY_CANCEL' && was !== 'PAY_CANCEL') out.push({ type: 'payment.cancelled' });
  if ((after.status === 'CREATE_FAILED' || after.status === 'EXECUTE_FAILED') && was !== after.status) out.push({ type: 'payment.failed' });
  const earlier = new Map(refundsOf(before ?? { refunds: {} }).map((r) => [r.refundNo, r.status]));
  for (const r of refundsOf(after)) {
    if (earlier.get(r.refundNo) === r.status) continue;
    if (r.status === 'SUCCEEDED') out.push({ type: 'payment.refunded', refund: r });
    if (r.status === 'FAILED') out.push({ type: 'refund.failed', refund: r });
  }
  if (isSettled(after) && (before === undefined || !isSettled(before))) out.push({ type: 'payment.settled' });
  if (after.attention !== undefined && before?.attention === undefined) out.push({ type: 'order.flagged' });
  return out;
}

/** The events of one committed change (`before` undefined: the order was just created). */
export function orderEvents(before: Order | undefined, after: Order): OrderEvent[] {
  const changes = changesOf(before, after);
  if (changes.length === 0) return [];
  const version = after.version ?? 1;
  // The order's own mode: the log shows the order as it is, whatever key a stage uses later.
  const dataOf = boundedData(orderView(after, after.mode));
  return changes.map((c) => ({
    id: eventId(after.orderNo, version, c.type, c.refund?.refundNo),
    type: c.type,
    timestamp: after.updatedAt,
    data: dataOf(c.refund?.refundNo),
  }));
}
