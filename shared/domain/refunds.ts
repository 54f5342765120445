/**
 * Refunds, as the order keeps them. Pure.
 *
 * An order's refunds live on the order item, keyed by refundNo: the ones the merchant asked for
 * through our API (`source: 'api'`; refundNo derived from the order and the Idempotency-Key) and
 * the ones made at Toss without us, e.g. in Toss's console (`source: 'toss'`; found in Toss's
 * status `transactions[]`, keyed by their transactionId). Toss allows one refund at a time.
 *
 * Money: `refundReserved` (on the item) is what is refunded or being refunded (SUCCEEDED +
 * PENDING), so the one conditional write that records a new refund can check the balance;
 * `refundedAmount` is what Toss has confirmed.
 */
import { createHash } from 'node:crypto';
import type { RefundTossFacts } from './money-facts.ts';
import type { Actor, Order, TossTransaction } from './order.ts';
import { canTransition, isPaid, PAID_STATUSES, type OrderStatus } from './states.ts';

export type RefundStatus = 'PENDING' | 'SUCCEEDED' | 'FAILED';
export type RefundSource = 'api' | 'toss';

/** The tax parts a refund takes (Toss's names). */
export interface RefundParts {
  amountTaxFree: number;
  amountTaxable?: number;
  amountVat?: number;
  amountServiceFee?: number;
}

export interface Refund extends RefundParts {
  refundNo: string;
  amount: number;
  status: RefundStatus;
  source: RefundSource;
  reason?: string;
  /** Who asked for it through the API (refunds made at Toss, and older ones, have none). */
  actor?: Actor;
  /** sha256 of the canonical request (api refunds): the same Idempotency-Key with another body is refused. */
  requestHash?: string;
  /** ISO time we recorded it (api), or Toss's time (toss). */
  requestedAt: string;
  /** ISO time Toss approved it. */
  approvedAt?: string;
  /** Toss's transactionId of the refund, once known: the key that matches it to `transactions[]`. */
  transactionId?: string;
  /** What Toss's refund reply said about its money (the discount and payment-method parts, the tax parts). */
  toss?: RefundTossFacts;
  failure?: { errorCode: string; msg: string };
  /** While a call to Toss for this PENDING refund may run (see RefundLease). */
  lease?: RefundLease;
}

/**
 * One Toss call at a time per refund: only the lease's holder asks Toss about the refund, until
 * `until` (epoch ms), when its call is surely over. Taken with the write that records the refund
 * (or, to ask again, by a conditional write of its own), ended by the write that settles it, or
 * early when Toss surely did nothing.
 */
export interface RefundLease {
  id: string;
  until: number;
}

/** Toss's refundNo: at most 36 characters, the same for every retry of the same Idempotency-Key. */
export function refundNoFor(orderNo: string, idempotencyKey: string): string {
  return `rf_${createHash('sha256').update(`${orderNo}\n${idempotencyKey}`).digest('base64url').slice(0, 32)}`;
}

/** The key of a refund Toss made without us (found in `transactions[]`). */
export const tossRefundNo = (transactionId: string): string => `tx_${transactionId}`.slice(0, 64);

/**
 * Paid states in which no refund is running at Toss: a new refund may start there when the money
 * allows (the balance, and Toss's refundableAmount). Settled states are among them: Toss takes a
 * refunded amount from the merchant's next settlement. Only REFUND_PROGRESS holds refunds back,
 * because Toss takes one at a time.
 */
export const REFUND_START_STATUSES: readonly OrderStatus[] = PAID_STATUSES.filter((s) => s !== 'REFUND_PROGRESS');

/**
 * The order's state once a refund of ours succeeded at Toss, as one move of the state machine.
 * Toss's state after a refund is REFUND_SUCCESS. A state that already shows a refund
 * (REFUND_SUCCESS, SETTLEMENT_REFUND_COMPLETE) stays as it is, and so does the state of a status
 * that already lists this refund (`tossListsIt`): Toss said where the payment is after it, and a
 * later settlement must not be undone by recording an earlier refund.
 */
export function statusAfterRefund(seen: OrderStatus, tossListsIt = false): OrderStatus {
  if (tossListsIt || seen === 'REFUND_SUCCESS' || seen === 'SETTLEMENT_REFUND_COMPLETE' || !isPaid(seen)) return seen;
  return canTransition(seen, 'REFUND_SUCCESS') ? 'REFUND_SUCCESS' : seen;
}

export const refundsOf = (o: Pick<Order, 'refunds'>): Refund[] =>
  Object.values(o.refunds ?? {}).sort((a, b) => a.requestedAt.localeCompare(b.requestedAt) || a.refundNo.localeCompare(b.refundNo));

export interface Money {
  /** What the buyer paid us (the payment's amount; 0 when nothing was paid). */
  paidAmount: number;
  /** What Toss confirmed refunded. */
  refundedAmount: number;
  /** What may still be refunded (refunds in flight are already taken out). */
  refundableAmount: number;
}

export function moneyOf(o: Pick<Order, 'status' | 'amount' | 'refunds'>): Money {
  if (!isPaid(o.status)) return { paidAmount: 0, refundedAmount: 0, refundableAmount: 0 };
  const refunds = refundsOf(o);
  const sum = (s: RefundStatus) => refunds.filter((r) => r.status === s).reduce((a, r) => a + r.amount, 0);
  const refunded = sum('SUCCEEDED');
  return { paidAmount: o.amount, refundedAmount: refunded, refundableAmount: Math.max(0, o.amount - refunded - sum('PENDING')) };
}

/** What happened to the money, in one word (GET /payments' `paymentState` filter takes these). */
export const PAYMENT_STATES = ['unpaid', 'paid', 'partially_refunded', 'refunded', 'cancelled', 'failed'] as const;
export type PaymentState = (typeof PAYMENT_STATES)[number];

/** What happened to the money, in one word. */
export function paymentStateOf(o: Pick<Order, 'status' | 'amount' | 'refunds'>): PaymentState {
  if (o.status === 'PAY_CANCEL') return 'cancelled';
  if (o.status === 'CREATE_FAILED' || o.status === 'EXECUTE_FAILED') return 'failed';
  if (!isPaid(o.status)) return 'unpaid';
  const m = moneyOf(o);
  if (m.refundedAmount === 0) return 'paid';
  return m.refundedAmount >= m.paidAmount ? 'refunded' : 'partially_refunded';
}

/** Refunds Toss reports (`transactions[]`, stepType REFUND), as positive amounts. */
export interface TossRefundFact {
  transactionId: string;
  amount: number;
  regTs?: string;
}

export function tossRefundsOf(transactions: readonly TossTransaction[] | undefined): TossRefundFact[] {
  return (transactions ?? [])
    .filter((t) => t.stepType === 'REFUND' && typeof t.transactionId === 'string' && typeof t.transactionAmount === 'number')
    .map((t) => ({
      transactionId: t.transactionId as string,
      amount: Math.abs(t.transactionAmount as number),
      ...(t.regTs !== undefined ? { regTs: t.regTs } : {}),
    }));
}

/**
 * What Toss's refunds mean for ours. Pure.
 * - `unmatched`: Toss refunds no refund of ours carries the transactionId of.
 * - `ambiguous`: true while a refund of ours is PENDING without a transactionId: an unmatched Toss
 *   refund may be that one (its reply was lost), so nothing may be recorded as made at Toss until
 *   the pending one is matched (by asking Toss again with the same refundNo).
 */
export function compareRefunds(ours: readonly Refund[], toss: readonly TossRefundFact[]): { unmatched: TossRefundFact[]; ambiguous: boolean } {
  const known = new Set(ours.map((r) => r.transactionId).filter((t): t is string => t !== undefined));
  const unmatched = toss.filter((t) => !known.has(t.transactionId));
  const ambiguous = unmatched.length > 0 && ours.some((r) => r.status === 'PENDING' && r.transactionId === undefined);
  return { unmatched, ambiguous };
}
