/**
 * GET /payments/{orderNo}: the stored order as the merchant sees it (./order-view.ts).
 * `?refresh=true` asks Toss first (its status, and its refunds: one made in Toss's console appears
 * at once). GET /payments, the list, is ./list.ts.
 */
import type { Order } from '../domain/order.ts';
import { isPaid } from '../domain/states.ts';
import { isTossError } from '../toss/errors.ts';
import { OrderNotFoundError } from './errors.ts';
import type { CallOptions, PaymentDeps } from './ports.ts';
import { orderSummary, orderView } from './order-view.ts';
import type { OrderView } from './reply-schemas.ts';
import { recordMoneyFacts } from './money-facts.ts';
import { syncRefunds } from './refund.ts';
import { applyVerifiedStatus, latest, tossRef } from './apply-status.ts';

// The views, for whoever read them here before ./order-view.ts held them.
export { orderSummary, orderView };

export async function getPaymentView(
  orderNo: string,
  deps: PaymentDeps,
  opts: CallOptions & { refresh?: boolean } = {},
): Promise<OrderView> {
  const stored = await deps.store.getOrder(orderNo);
  if (stored === undefined) throw new OrderNotFoundError(orderNo);
  const keyMode = await deps.toss.mode();
  if (opts.refresh !== true || stored.mode !== keyMode) return orderView(stored, keyMode);
  return orderView(await refreshOrder(stored, deps, opts), keyMode);
}

/** A payToken as Toss issues them (letters, digits, `_` and `-`): anything else is no order's. */
export const PAY_TOKEN_RE = /^[A-Za-z0-9_-]{1,100}$/;

/**
 * GET /payments/by-pay-token/{payToken}: the order whose payment has this payToken, as GET
 * /payments/{orderNo} shows it. Toss's status of the payToken names its orderNo (one call, under
 * the Toss timeout; nothing is written), and the order is ours only if it holds that payToken
 * (or replaced it). No index of payTokens is kept: a lookup by a person costs one Toss call,
 * and every order item stays as it is.
 */
export async function getPaymentByPayToken(payToken: string, deps: PaymentDeps, opts: CallOptions = {}): Promise<OrderView> {
  // The error never carries the payToken: it is not to be logged.
  const notFound = new OrderNotFoundError('(by payToken)');
  if (!PAY_TOKEN_RE.test(payToken)) throw notFound;
  let orderNo: string | undefined;
  try {
    const status = await deps.toss.status({ payToken }, opts);
    orderNo = typeof status.orderNo === 'string' ? status.orderNo : undefined;
  } catch (e) {
    // Toss knows no such payment (a refusal): not found. Toss failing: the caller's 5xx.
    if (isTossError(e) && !e.retryable) throw notFound;
    throw e;
  }
  const order = orderNo === undefined ? undefined : await deps.store.getOrder(orderNo);
  if (order === undefined || (order.payToken !== payToken && !(order.supersededPayTokens ?? []).includes(payToken))) throw notFound;
  return orderView(order, await deps.toss.mode());
}

/** The order as Toss has it now: its status and its refunds. Toss errors are the caller's (5xx). */
export async function refreshOrder(order: Order, deps: PaymentDeps, opts: CallOptions = {}): Promise<Order> {
  let status;
  try {
    status = await deps.toss.status(tossRef(order), opts);
  } catch (e) {
    // No payment at Toss (a create that never reached it): the stored order is all there is.
    if (isTossError(e) && !e.retryable) return order;
    throw e;
  }
  const outcome = await applyVerifiedStatus(order, status, 'refresh', deps);
  const now = latest(order, outcome);
  const synced = isPaid(now.status) ? await syncRefunds(now, status, 'refresh', deps, opts) : now;
  return recordMoneyFacts(synced, status, deps);
}
