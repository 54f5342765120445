/**
 * Toss's settlement (정산): the payout of a payment's money to the merchant. Pure.
 *
 * Toss's status says only the state (SETTLEMENT_COMPLETE, SETTLEMENT_REFUND_COMPLETE), never when
 * the payout happened, and a settled payment can still be refunded (the amount is taken from the
 * merchant's next settlement), after which its state is a refund state again. So an order counts
 * as settled once any write recorded it in a settlement state, and the only time we know is when
 * that write happened: the payout itself was at or before it.
 */
import type { Order } from './order.ts';
import { isSettlement } from './states.ts';

/** ISO time of the first write that recorded the order settled; undefined when none did (or before its history). */
export function settledSeenAt(o: Pick<Order, 'history'>): string | undefined {
  return o.history.find((h) => isSettlement(h.to))?.at;
}

/** Toss paid this order's money out (seen in a settlement state now or at any time before). */
export const isSettled = (o: Pick<Order, 'history' | 'status'>): boolean => isSettlement(o.status) || settledSeenAt(o) !== undefined;
