/**
 * GET /payments/{orderNo}: the stored order as the merchant sees it, money first: what was paid,
 * refunded and is still refundable, each refund, and `paymentState` in one word. `?refresh=true`
 * asks Toss first (its status, and its refunds: one made in Toss's console appears at once).
 * Times are ISO 8601 (Toss's Korea-time strings converted). The shapes: shared/payments/reply-schemas.ts.
 */
import type { Mode, Order } from '../domain/order.ts';
import { transactionsOf } from '../domain/money-facts.ts';
import { moneyOf, paymentStateOf, refundsOf, type PaymentState } from '../domain/refunds.ts';
import { isSettled, settledSeenAt } from '../domain/settlement.ts';
import { isPaid, type OrderStatus } from '../domain/states.ts';
import { makeCursor, readCursor } from '../paging.ts';
import { isTossError } from '../toss/errors.ts';
import * as z from '../zod.ts';
import { tossTimeIso } from '../toss/time.ts';
import { OrderNotFoundError } from './errors.ts';
import type { CallOptions, OrderList, PaymentDeps } from './ports.ts';
import type { ListPaymentsReply, OrderSummary, OrderView } from './reply-schemas.ts';
import { recordMoneyFacts } from './money-facts.ts';
import { syncRefunds } from './refund.ts';
import { applyVerifiedStatus, latest, tossRef } from './settle.ts';

/**
 * `keyMode`: the mode of the Toss key in use. An order of the other mode (the key was changed on
 * the same table) is never reported paid: nothing about it can be confirmed with this key.
 */
export function orderView(o: Order, keyMode: Mode): OrderView {
  const money = moneyOf(o);
  const paymentState = paymentStateOf(o);
  return {
    orderNo: o.orderNo,
    /** Counts the writes to the order: of two views (or events) of one order, the higher is the newer. */
    version: o.version ?? 1,
    status: o.status,
    paymentState,
    // Money is kept: paid and not fully refunded, under our key's mode.
    paid: o.mode === keyMode && (paymentState === 'paid' || paymentState === 'partially_refunded'),
    mode: o.mode,
    ...(o.mode !== keyMode ? { modeMismatch: true } : {}),
    amount: o.amount,
    amountTaxFree: o.amountTaxFree,
    amountTaxable: o.amountTaxable,
    amountVat: o.amountVat,
    amountServiceFee: o.amountServiceFee,
    paidAmount: money.paidAmount,
    refundedAmount: money.refundedAmount,
    refundableAmount: money.refundableAmount,
    refunds: refundsOf(o).map((r) => ({
      refundNo: r.refundNo,
      amount: r.amount,
      status: r.status,
      source: r.source,
      amountTaxFree: r.amountTaxFree,
      amountTaxable: r.amountTaxable,
      amountVat: r.amountVat,
      amountServiceFee: r.amountServiceFee,
      reason: r.reason,
      actor: r.actor,
      requestedAt: r.requestedAt,
      approvedAt: r.approvedAt,
      failure: r.failure,
    })),
    /** Toss's figures: what Toss discounted, and what the buyer's account paid after it. */
    discountedAmount: o.discountedAmount,
    tossPaidAmount: o.paidAmount,
    productDesc: o.productDesc,
    autoExecute: o.autoExecute,
    payToken: o.payToken,
    checkoutPage: o.checkoutPage,
    payMethod: o.payMethod,
    metadata: o.metadata,
    expiresAt: o.expiresAt,
    // Ours: when this service recorded the payment (as the list shows it). Toss's own: its approval time.
    paidAt: o.paidAt,
    paidTs: tossTimeIso(o.paidTs),
    cancelReason: o.cancelReason,
    cancelNote: o.cancelNote,
    cancelledBy: o.cancelledBy,
    settled: isSettled(o),
    settledSeenAt: settledSeenAt(o),
    createdAt: o.createdAt,
    updatedAt: o.updatedAt,
    ...tossMoneyView(o),
    transactions: transactionsView(o),
    failure: o.failure,
    attention: o.attention,
    history: o.history.map(({ writeId: _writeId, ...entry }) => entry),
    ...(o.historyDropped !== undefined && o.historyDropped > 0 ? { historyDropped: o.historyDropped } : {}),
  };
}

/** Toss's money facts (without the receipt link, which is the order's `receiptUrl`); nothing for an order recorded before they were kept. */
function tossMoneyView(o: Pick<Order, 'tossMoney'>): Pick<OrderView, 'tossMoney' | 'receiptUrl'> {
  if (o.tossMoney === undefined) return {};
  const { receiptUrl, ...money } = o.tossMoney;
  return { tossMoney: money, ...(receiptUrl !== undefined ? { receiptUrl } : {}) };
}

/** Every Toss transaction of the order, times as ISO 8601. */
const transactionsView = (o: Pick<Order, 'transactions' | 'refunds'>): OrderView['transactions'] =>
  transactionsOf(o).map((t) => ({ ...t, regTs: tossTimeIso(t.regTs) }));

/**
 * An order as a listing shows it (GET /payments): the fields the indexes project, and Toss's money
 * facts and transactions, which the listing reads from the orders themselves (shared/store/order-list.ts).
 */
export function orderSummary(o: Order, keyMode: Mode): OrderSummary {
  const money = moneyOf(o);
  const paymentState = paymentStateOf(o);
  return {
    orderNo: o.orderNo,
    version: o.version ?? 1,
    status: o.status,
    paymentState,
    paid: o.mode === keyMode && (paymentState === 'paid' || paymentState === 'partially_refunded'),
    mode: o.mode,
    amount: o.amount,
    refundedAmount: money.refundedAmount,
    productDesc: o.productDesc,
    createdAt: o.createdAt,
    paidAt: o.paidAt,
    cancelReason: o.cancelReason,
    attention: o.attention,
    ...tossMoneyView(o),
    transactions: transactionsView(o),
  };
}

/** Days a listing covers when the request names no start. */
export const DEFAULT_LIST_DAYS = 30;
/** The longest range one listing may cover. */
export const MAX_LIST_DAYS = 366;

/** The listing whose cursors GET /payments hands out (shared/paging.ts). */
const LIST_SCOPE = 'payments';

/** What a GET /payments cursor holds: the time range of its listing (fixed by its first page), and the store's position in it. */
const listCursorSchema = z.strictObject({
  w: z.tuple([z.int(), z.int()]).check(z.refine(([from, to]) => from >= 0 && from <= to && to - from <= MAX_LIST_DAYS * 86_400_000)),
  p: z.unknown(),
});

export async function listPayments(
  q: {
    from?: number | undefined;
    to?: number | undefined;
    status?: OrderStatus | undefined;
    paymentState?: PaymentState | undefined;
    attention: boolean;
    limit: number;
    cursor?: string | undefined;
  },
  deps: Pick<PaymentDeps, 'toss' | 'clock'> & { orders: OrderList },
): Promise<ListPaymentsReply> {
  // A cursor belongs to the parameters it was made for (any other is refused); `limit` may change from page to page.
  const bound = { status: q.status, paymentState: q.paymentState, attention: q.attention, from: q.from, to: q.to };
  let from: number;
  let to: number;
  let after: unknown;
  if (q.cursor !== undefined) {
    // The range of the first page: "the last 30 days" does not move under a client paging through it.
    const c = readCursor(LIST_SCOPE, bound, q.cursor, listCursorSchema);
    [from, to] = c.w;
    after = c.p;
  } else {
    to = q.to ?? deps.clock();
    // Flagged orders are few: by default all of them; otherwise the most recent days.
    from = q.from ?? (q.attention ? to - MAX_LIST_DAYS * 86_400_000 : to - DEFAULT_LIST_DAYS * 86_400_000);
  }
  const r = await deps.orders.listOrders({ from, to, status: q.status, paymentState: q.paymentState, attention: q.attention, limit: q.limit, after });
  const keyMode = await deps.toss.mode();
  return {
    orders: r.orders.map((o) => orderSummary(o, keyMode)),
    ...(r.next !== undefined ? { next: makeCursor(LIST_SCOPE, bound, { w: [from, to], p: r.next }) } : {}),
  };
}

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
