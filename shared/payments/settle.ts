/**
 * Settling orders from VERIFIED Toss status: the landings, the callback receiver and the
 * reconciler all go through `applyVerifiedStatus` (decide -> ONE conditional write; a lost
 * race returns the item as it is, which is decided again without another read).
 */
import { decide, type Decision, type VerifiedStatus } from '../domain/decide.ts';
import type { Actor, CancelReason, Order, Source } from '../domain/order.ts';
import { dueAfterChange } from '../domain/schedule.ts';
import type { OrderStatus } from '../domain/states.ts';
import type { PaymentDeps } from './ports.ts';
import { flag, securityEvent } from './flagging.ts';

/** The identity facts decide() needs; a full Order works too. */
export type OrderFacts = Pick<Order, 'orderNo' | 'status' | 'amount' | 'mode'> &
  Partial<Pick<Order, 'payToken' | 'expiresAt' | 'checks' | 'supersededPayTokens' | 'paidAt'>>;

export type SettleOutcome =
  /** The state changed: `order` is the item after the write. */
  | { kind: 'changed'; order: Order; from: OrderStatus }
  /** Nothing to write: already there, Toss behind us, or an unused Toss state. */
  | { kind: 'unchanged'; order: OrderFacts; reason: string }
  /** Toss and the stored order disagree: flagged and logged, no state change. */
  | { kind: 'contradiction'; order: OrderFacts; reason: string; detail: string }
  /** No stored order with this orderNo. */
  | { kind: 'missing' };

const MAX_ROUNDS = 4;

/**
 * Applies a VERIFIED status reply to `order` (as read, or as guessed by a path that does no
 * read). Contradictions are flagged (when the order exists) and logged as security events.
 */
export async function applyVerifiedStatus(
  order: OrderFacts,
  status: VerifiedStatus,
  source: Source,
  deps: PaymentDeps,
  /**
   * `leaseId`: the create lease the caller holds (a create retry recording what Toss has).
   * `cancelled`: who cancelled, when the caller has Toss's word for it and this change is the
   * cancel it saw happen (the merchant's cancel Toss accepted, a buyer's quit Toss sent to the
   * cancel landing), with the merchant's own words and who asked (`actor`). Any other cancel is
   * recorded UNKNOWN, with neither.
   */
  opts: {
    leaseId?: string;
    cancelled?: { reason: Exclude<CancelReason, 'UNKNOWN' | 'EXPIRED'>; note?: string | undefined; actor?: Actor | undefined };
  } = {},
): Promise<SettleOutcome> {
  const ourMode = await deps.toss.mode();
  let current: OrderFacts = order;
  for (let round = 0; round < MAX_ROUNDS; round++) {
    const d: Decision = decide(current, status, ourMode);
    if (d.kind === 'noChange') return { kind: 'unchanged', order: current, reason: d.reason };
    if (d.kind === 'contradiction') {
      securityEvent(deps, d.reason, { orderNo: current.orderNo, source, orderStatus: current.status, tossStatus: status.payStatus });
      await flag(deps, current.orderNo, `CONTRADICTION:${d.reason}`);
      return { kind: 'contradiction', order: current, reason: d.reason, detail: d.detail };
    }
    const t = d.transition;
    const now = deps.clock();
    // One clock for the change: the store records paidAt at `now`, the re-checks count from it.
    t.at = now;
    t.dueAt = dueAfterChange({ status: t.to, expiresAt: current.expiresAt, paidAt: current.paidAt }, now);
    if (t.to === 'PAY_CANCEL') {
      // Toss's status says cancelled, never why: only a caller that saw the cancel happen knows.
      t.set.cancelReason = opts.cancelled?.reason ?? 'UNKNOWN';
      if (opts.cancelled?.note !== undefined) t.set.cancelNote = opts.cancelled.note;
      if (opts.cancelled?.actor !== undefined) {
        t.set.cancelledBy = opts.cancelled.actor;
        t.actor = opts.cancelled.actor;
      }
    }
    if (opts.leaseId !== undefined && current.status === 'CREATING') t.leaseId = opts.leaseId;
    const r = await deps.store.applyTransition(current.orderNo, t, source);
    if (r.kind === 'applied') {
      deps.logger.info('order state changed', { orderNo: current.orderNo, from: current.status, to: t.to, source });
      return { kind: 'changed', order: r.order, from: current.status };
    }
    if (r.kind === 'missing') return { kind: 'missing' };
    // duplicate or conflict: the write told us how the order really is; decide again.
    current = r.order;
  }
  return { kind: 'unchanged', order: current, reason: 'CONTENDED' };
}

/** The Toss reference of an order: its payToken, or its orderNo when none was stored. */
export const tossRef = (o: { orderNo: string; payToken?: string | undefined }): { payToken: string } | { orderNo: string } =>
  o.payToken !== undefined ? { payToken: o.payToken } : { orderNo: o.orderNo };

/** The freshest full order we hold after a settle (no extra read). */
export function latest(order: Order, outcome: SettleOutcome): Order {
  if (outcome.kind === 'changed') return outcome.order;
  if (outcome.kind === 'unchanged' || outcome.kind === 'contradiction')
    return 'history' in outcome.order ? (outcome.order as Order) : order;
  return order;
}

