/**
 * cancelOrder (POST /payments/{orderNo}/cancel): the merchant cancels an order nobody has paid
 * (PAY_STANDBY, PAY_APPROVED, EXECUTE_FAILED) through Toss's cancel API. Toss's status decides
 * what is recorded, as everywhere: after the cancel call was answered, refused, or not answered
 * at all (a timeout or a lost reply: the cancel may have happened), v2/status, then the same
 * conditional write as the other paths, so a buyer paying at that very moment is never recorded
 * as cancelled. Already cancelled: nothing to do. Paid: OrderPaidError (refund it). Toss failing
 * for sure (5xx, 429) did nothing: that error is the reply. No answer, and Toss still shows it
 * waiting (or its status cannot be read either): the cancel's own unknown outcome is the reply
 * (504), for a retry or the reconciler to settle.
 */
import * as z from '../zod.ts';
import type { Actor, Order } from '../domain/order.ts';
import { isPaid, type OrderStatus } from '../domain/states.ts';
import { TossRefusedError, TossUnknownOutcomeError, type TossError } from '../toss/errors.ts';
import type { TossStatusReply } from '../toss/schemas.ts';
import { ModeMismatchError, OrderNotCancelableError, OrderNotFoundError, OrderPaidError } from './errors.ts';
import type { CallOptions, PaymentDeps } from './ports.ts';
import { applyVerifiedStatus, latest, tossRef } from './settle.ts';

/** States a merchant cancel is sent in: before money moved, with a payment at Toss. */
export const CANCELABLE: readonly OrderStatus[] = ['PAY_STANDBY', 'PAY_APPROVED', 'EXECUTE_FAILED'];
/** The reason Toss is given when the merchant gives none. */
const DEFAULT_REASON = 'MERCHANT';
/** Toss's limit on a cancel's `reason` (its create-and-cancel guide: 최대 50자). */
export const CANCEL_REASON_MAX = 50;

/** `POST /payments/{orderNo}/cancel` body (optional). Unknown fields are refused. */
export const cancelRequestSchema = z.strictObject({
  /** Sent to Toss as the cancel's reason, and shown on the order (`cancelNote`) and in payment.cancelled. */
  reason: z.optional(
    z.string().check(
      z.maxLength(CANCEL_REASON_MAX, `at most ${CANCEL_REASON_MAX} characters (Toss's limit)`),
      z.refine((s) => s.trim() !== '', 'must not be blank'),
      z.refine((s) => !/[\p{Cc}]/u.test(s), 'must not contain control characters'),
    ),
  ),
});
export type CancelRequest = z.infer<typeof cancelRequestSchema>;

/** `opts.actor`: who asks (recorded on the order, its history entry and payment.cancelled). */
export async function cancelOrder(orderNo: string, deps: PaymentDeps, opts: CallOptions & { actor?: Actor } = {}, input: CancelRequest = {}): Promise<Order> {
  const order = await deps.store.getOrder(orderNo);
  if (order === undefined) throw new OrderNotFoundError(orderNo);
  const keyMode = await deps.toss.mode();
  if (order.mode !== keyMode) throw new ModeMismatchError(orderNo, order.mode, keyMode);
  if (order.status === 'PAY_CANCEL') return order;
  if (isPaid(order.status)) throw new OrderPaidError();
  // Being created or executed: Toss's answer is not known yet; a retry may find it settled.
  if (!CANCELABLE.includes(order.status) || order.payToken === undefined)
    throw new OrderNotCancelableError(order.status, order.status === 'CREATING' || order.status === 'EXECUTING' || order.status === 'PAY_PROGRESS');
  /** The cancel's outcome was not known (no answer): what is answered when Toss's status cannot settle it. */
  let unknown: TossError | undefined;
  // Whether Toss took our cancel: a lost reply counts as taken (the request reached Toss; if its
  // status says cancelled, the merchant's cancel is what cancelled it as far as anyone can tell).
  let accepted = true;
  try {
    await deps.toss.cancel({ payToken: order.payToken, reason: input.reason ?? DEFAULT_REASON }, opts);
  } catch (e) {
    // Refused (e.g. the buyer paid or quit a moment ago, or it expired), or no answer (the cancel may
    // have happened): Toss's status below says what it is.
    if (e instanceof TossUnknownOutcomeError) {
      unknown = e;
      deps.logger.warn('Toss cancel outcome unknown; asking its status', { error: e });
    } else if (e instanceof TossRefusedError) {
      accepted = false;
      deps.logger.info('Toss refused the cancel; asking its status', { errorCode: e.errorCode });
    } else throw e;
  }
  let status: TossStatusReply;
  try {
    status = await deps.toss.status(tossRef(order), opts);
  } catch (e) {
    throw unknown ?? e;
  }
  // The merchant's cancel only when Toss took it: a payment already cancelled otherwise is not the merchant's doing.
  const outcome = await applyVerifiedStatus(
    order,
    status,
    'merchant',
    deps,
    accepted ? { cancelled: { reason: 'MERCHANT', note: input.reason, actor: opts.actor } } : {},
  );
  const now = latest(order, outcome);
  if (now.status === 'PAY_CANCEL') return now;
  if (isPaid(now.status) || isPaid(status.payStatus as OrderStatus)) throw new OrderPaidError();
  // Still waiting after a cancel nobody answered: it may yet land at Toss; the retry asks again.
  if (unknown !== undefined) throw unknown;
  throw new OrderNotCancelableError(now.status, true);
}
