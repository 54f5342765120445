/**
 * The buyer's landings (retUrl, retCancelUrl). The query proves nothing: the order is loaded by
 * orderNo, Toss's status decides, and for autoExecute=false a PAY_APPROVED payment is executed
 * once (executeApproved). Toss trouble never becomes an error page: the buyer sees "still
 * confirming" and the reconciler finishes the job.
 */
import type { Order } from '../domain/order.ts';
import { buyerResult, isPaid, isTerminal, type BuyerResult } from '../domain/states.ts';
import { isTossError } from '../toss/errors.ts';
import type { CallOpts, PaymentDeps } from './deps.ts';
import { OrderNotFoundError } from './errors.ts';
import { executeApproved } from './execute.ts';
import { applyVerifiedStatus, latest, tossRef } from './settle.ts';

export interface LandingResult {
  order: Order;
  result: BuyerResult;
  /** Toss's msg for a failed payment (shown to the buyer). */
  message?: string | undefined;
}

const resultOf = (order: Order): LandingResult => ({
  order,
  result: buyerResult(order.status),
  message: order.failure?.msg,
});

export async function settleLanding(
  orderNo: string,
  source: 'return' | 'cancel',
  deps: PaymentDeps,
  opts: CallOpts = {},
): Promise<LandingResult> {
  const order = await deps.store.getOrder(orderNo);
  if (order === undefined) throw new OrderNotFoundError(orderNo);
  // Our own record is evidence enough once the order is paid or finished: no Toss call.
  if (isPaid(order.status) || isTerminal(order.status)) return resultOf(order);
  let status;
  try {
    status = await deps.toss.status(tossRef(order), opts);
  } catch (e) {
    if (!isTossError(e)) throw e;
    deps.logger.warn('Toss status unavailable on landing; showing pending', { orderNo, source, error: e.name });
    return resultOf(order);
  }
  if (source === 'return') {
    const ex = await executeApproved(order, status, source, deps, opts);
    if (ex.kind !== 'notApplicable') return resultOf(ex.order);
  }
  const outcome = await applyVerifiedStatus(order, status, source, deps);
  return resultOf(latest(order, outcome));
}
