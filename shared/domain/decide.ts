/**
 * decide(): what a VERIFIED Toss status reply means for a stored order. Pure.
 *
 * The landings, the callback receiver and the reconciler all resolve orders the same way:
 *   status = await toss.status(...)            // server to server: the only evidence
 *   d = decide(order, status, modeOfKey(apiKey))
 *   'transition'    -> store.applyTransition(order.orderNo, d.transition, source)
 *   'noChange'      -> nothing to write (already there, or Toss is behind us)
 *   'contradiction' -> no state change; flag the order and log a security event
 *
 * Once paid, the order follows Toss's state within the paid family (refunds and settlements in any
 * order), unless Toss's money facts show that the status was read before a change the order already
 * records (paidMove): then Toss is behind, no change, no flag.
 *
 * A transition's `from` is exactly the state read, so the history records the state left. When
 * the write loses a race, the store returns the item as it now is (ALL_OLD, no extra read):
 * call decide() again with that order and apply the new decision (shared/payments does this).
 * The write's condition also pins payToken and amount.
 */
import { moneyOfStatus } from './money-facts.ts';
import type { Mode, Order, TossTransaction, Transition, TransitionFields } from './order.ts';
import { refundsOf, tossRefundsOf } from './refunds.ts';
import { isSettled } from './settlement.ts';
import { numberOf, stringOf } from './unknown-values.ts';
import { canTransition, isAtOrBeyond, isPaid, isTossPayStatus, predecessorsOf, type OrderStatus } from './states.ts';

/** The facts of a Toss v2/status reply (code 0) this module relies on. */
export interface VerifiedStatus {
  mode: string;
  orderNo: string;
  payToken: string;
  /** Any string: escrow or future values are accepted and ignored. */
  payStatus: string;
  amount: number;
  payMethod?: string | null | undefined;
  paidAmount?: number | null | undefined;
  discountedAmount?: number | null | undefined;
  paidTs?: string | null | undefined;
  /** What Toss would still refund (v2 status). */
  refundableAmount?: number | null | undefined;
  transactions?: readonly Partial<Record<string, unknown>>[] | null | undefined;
}

export type ContradictionReason = 'ORDER_NO_MISMATCH' | 'PAY_TOKEN_MISMATCH' | 'AMOUNT_MISMATCH' | 'MODE_MISMATCH' | 'STATE_CONTRADICTION';

export type Decision =
  | { kind: 'noChange'; reason: 'ALREADY_THERE' | 'TOSS_BEHIND' | 'UNUSED_STATUS' | 'SUPERSEDED' }
  | { kind: 'transition'; transition: Transition }
  | { kind: 'contradiction'; reason: ContradictionReason; detail: string };

type OrderFacts = Pick<Order, 'orderNo' | 'status' | 'amount' | 'mode'> & {
  payToken?: string | undefined;
  supersededPayTokens?: readonly string[] | undefined;
  /** When known (a full order): its refunds and history make a paid move's money check sharper. */
  refunds?: Order['refunds'] | undefined;
  history?: Order['history'] | undefined;
};


/** The transaction fields we keep (never card or account data). */
export function pickTransactions(list: VerifiedStatus['transactions']): TossTransaction[] | undefined {
  if (!Array.isArray(list)) return undefined;
  return list.map((t) => {
    const out: TossTransaction = {};
    const stepType = stringOf(t.stepType);
    const transactionId = stringOf(t.transactionId);
    const transactionAmount = numberOf(t.transactionAmount);
    const discountedAmount = numberOf(t.discountedAmount);
    const paidAmount = numberOf(t.paidAmount);
    const regTs = stringOf(t.regTs);
    if (stepType !== undefined) out.stepType = stepType;
    if (transactionId !== undefined) out.transactionId = transactionId;
    if (transactionAmount !== undefined) out.transactionAmount = transactionAmount;
    if (discountedAmount !== undefined) out.discountedAmount = discountedAmount;
    if (paidAmount !== undefined) out.paidAmount = paidAmount;
    if (regTs !== undefined) out.regTs = regTs;
    return out;
  });
}

/** The order fields a verified status carries. */
export function fieldsFromStatus(s: VerifiedStatus): TransitionFields {
  const f: TransitionFields = { payToken: s.payToken };
  const payMethod = stringOf(s.payMethod);
  const paidAmount = numberOf(s.paidAmount);
  const discountedAmount = numberOf(s.discountedAmount);
  const paidTs = stringOf(s.paidTs);
  const transactions = pickTransactions(s.transactions);
  if (payMethod !== undefined) f.payMethod = payMethod;
  if (paidAmount !== undefined) f.paidAmount = paidAmount;
  if (discountedAmount !== undefined) f.discountedAmount = discountedAmount;
  if (paidTs !== undefined) f.paidTs = paidTs;
  if (transactions !== undefined) f.transactions = transactions;
  const money = moneyOfStatus(s);
  if (Object.keys(money).length > 0) f.tossMoney = money;
  return f;
}

/**
 * The transition a verified status asks for when the stored order is not known (the callback
 * path does no read): to = Toss's state, from = every state that may move there, pinned to
 * Toss's payToken and amount. Undefined for escrow/unknown states.
 */
export function transitionFromStatus(s: VerifiedStatus): Transition | undefined {
  if (!isTossPayStatus(s.payStatus)) return undefined;
  const to: OrderStatus = s.payStatus;
  return { to, from: predecessorsOf(to), payToken: s.payToken, amount: s.amount, set: fieldsFromStatus(s) };
}

/**
 * Given the stored order, a VERIFIED Toss status reply and our key's mode: no change, a
 * transition, or a contradiction (identity mismatch, or Toss in a state the order can no
 * longer reach, e.g. Toss says PAY_COMPLETE for an order we hold as PAY_CANCEL).
 */
export function decide(order: OrderFacts, s: VerifiedStatus, ourMode: Mode): Decision {
  // A payment this order replaced (its checkout was never handed out): Toss cancelled it; old news.
  if (order.supersededPayTokens?.includes(s.payToken) === true) return { kind: 'noChange', reason: 'SUPERSEDED' };
  if (s.orderNo !== order.orderNo)
    return { kind: 'contradiction', reason: 'ORDER_NO_MISMATCH', detail: 'Toss reports another orderNo for this payment' };
  if (order.payToken !== undefined && s.payToken !== order.payToken)
    return { kind: 'contradiction', reason: 'PAY_TOKEN_MISMATCH', detail: 'Toss reports another payToken for this order' };
  if (s.amount !== order.amount)
    return { kind: 'contradiction', reason: 'AMOUNT_MISMATCH', detail: `Toss amount ${s.amount} != order amount ${order.amount}` };
  if (s.mode !== ourMode || s.mode !== order.mode)
    return { kind: 'contradiction', reason: 'MODE_MISMATCH', detail: `Toss mode ${s.mode}, key mode ${ourMode}, order mode ${order.mode}` };
  const t = transitionFromStatus(s);
  if (t === undefined) return { kind: 'noChange', reason: 'UNUSED_STATUS' };
  if (order.status === t.to) return { kind: 'noChange', reason: 'ALREADY_THERE' };
  if (isPaid(order.status) && isPaid(t.to) && paidMove(order, s, t.to) === 'behind') return { kind: 'noChange', reason: 'TOSS_BEHIND' };
  if (canTransition(order.status, t.to)) return { kind: 'transition', transition: { ...t, from: [order.status] } };
  if (isAtOrBeyond(order.status, t.to)) return { kind: 'noChange', reason: 'TOSS_BEHIND' };
  return {
    kind: 'contradiction',
    reason: 'STATE_CONTRADICTION',
    detail: `Toss says ${t.to} but the order is ${order.status}`,
  };
}

/**
 * A move within the paid family (the order and Toss both paid, in different states): follow Toss,
 * unless its status is older than what the order records. Never a contradiction: a status read
 * before a change we recorded (a refund made, a settlement seen) is the ordinary cause, and the
 * money itself is compared refund by refund against Toss's transactions (syncRefunds).
 * - PAY_COMPLETE comes before any refund or settlement (Toss lists no way back to it). Only a
 *   refund that never happened (REFUND_PROGRESS, no refund at Toss or with us, never settled)
 *   leads back there; any other way back is an older status.
 * - A status whose transactions lack a refund Toss already confirmed to us is older than it.
 */
function paidMove(order: OrderFacts, s: VerifiedStatus, to: OrderStatus): 'follow' | 'behind' {
  const tossRefunds = tossRefundsOf(pickTransactions(s.transactions));
  const confirmed = refundsOf(order).filter((r) => r.status === 'SUCCEEDED');
  if (to === 'PAY_COMPLETE') {
    const settled = order.history !== undefined && isSettled({ status: order.status, history: order.history });
    return order.status === 'REFUND_PROGRESS' && tossRefunds.length === 0 && confirmed.length === 0 && !settled ? 'follow' : 'behind';
  }
  if (!Array.isArray(s.transactions)) return 'follow';
  const listed = new Set(tossRefunds.map((t) => t.transactionId));
  return confirmed.some((r) => r.transactionId !== undefined && !listed.has(r.transactionId)) ? 'behind' : 'follow';
}
