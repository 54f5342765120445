/**
 * The buyer's landings (retUrl, retCancelUrl). The query proves nothing: the order is loaded by
 * orderNo, Toss's status decides, and for autoExecute=false a PAY_APPROVED payment is executed
 * (executeApproved). Toss trouble never becomes an error page: the buyer sees "still
 * confirming" and the reconciler finishes the job.
 *
 * Landings are anonymous, so they cannot be used to flood Toss: per order, at most one landing
 * LANDING_CHECK_INTERVAL_MS (configuration, 2 s by default) asks Toss (the one whose conditional write claims the check);
 * every other hit answers from the stored order (the pending page reloads itself).
 */
import type { Order } from '../domain/order.ts';
import { paymentStateOf } from '../domain/refunds.ts';
import { buyerResult, isPaid, isTerminal, type BuyerResult } from '../domain/states.ts';
import { isTossError } from '../toss/errors.ts';
import type { CallOptions, PaymentDeps } from './ports.ts';
import { OrderNotFoundError } from './errors.ts';
import { executeApproved } from './execute.ts';
import { applyVerifiedStatus, latest, tossRef } from './apply-status.ts';

export interface LandingResult {
  order: Order;
  result: BuyerResult;
  /** Toss's msg for a failed payment (shown to the buyer). */
  message?: string | undefined;
  /** The order was created under the other Toss mode than our key's: nothing here is confirmed. */
  modeMismatch?: boolean;
}

const resultOf = (order: Order): LandingResult => ({
  order,
  result: paymentStateOf(order) === 'refunded' ? 'refunded' : buyerResult(order.status),
  message: order.failure?.msg,
});

/**
 * `buyer`: the request carries the order's landing token (./landing-token.ts), so it is the
 * buyer's browser sent back by Toss, not someone who knows the orderNo. A cancel landing of the
 * buyer whose own status call finds Toss's cancel (this write records it) is the buyer's quit:
 * Toss sends the buyer to retCancelUrl as it cancels. Any other cancel is recorded UNKNOWN.
 */
export async function resolveLanding(
  orderNo: string,
  source: 'return' | 'cancel',
  deps: PaymentDeps,
  opts: CallOptions & { buyer?: boolean } = {},
): Promise<LandingResult> {
  const order = await deps.store.getOrder(orderNo);
  if (order === undefined) throw new OrderNotFoundError(orderNo);
  // TEST and LIVE never mix: an order of the other mode is never shown as paid.
  if (order.mode !== (await deps.toss.mode())) return { order, result: 'failed', modeMismatch: true };
  // Our own record is evidence enough once the order is paid or finished: no Toss call.
  if (isPaid(order.status) || isTerminal(order.status)) return resultOf(order);
  const now = deps.clock();
  const window = deps.config.LANDING_CHECK_INTERVAL_MS;
  const recent = order.landingCheckAt !== undefined && now - order.landingCheckAt < window;
  if (recent || !(await deps.store.claimLandingCheck(orderNo, order.landingCheckAt, now, window)))
    return resultOf(order);
  let status;
  try {
    status = await deps.toss.status(tossRef(order), opts);
  } catch (e) {
    if (!isTossError(e)) throw e;
    deps.logger.warn('Toss status unavailable on landing; showing pending', { orderNo, source, error: e });
    return resultOf(order);
  }
  if (source === 'return') {
    const ex = await executeApproved(order, status, source, deps, opts);
    if (ex.kind !== 'notApplicable') return resultOf(ex.order);
  }
  const quit = source === 'cancel' && opts.buyer === true;
  const outcome = await applyVerifiedStatus(order, status, source, deps, quit ? { cancelled: { reason: 'BUYER' } } : {});
  return resultOf(latest(order, outcome));
}
