/**
 * The order as the merchant sees it, money first: what was paid, refunded and is still
 * refundable, each refund, and `paymentState` in one word; as GET /payments/{orderNo} shows it
 * (and every event's `data`), and as GET /payments lists it. Times are ISO 8601 (Toss's
 * Korea-time strings converted). The shapes: ./reply-schemas.ts. Pure.
 */
import type { Mode, Order } from '../domain/order.ts';
import { transactionsOf } from '../domain/money-facts.ts';
import { moneyOf, paymentStateOf, refundsOf } from '../domain/refunds.ts';
import { isSettled, settledSeenAt } from '../domain/settlement.ts';
import { tossTimeIso } from '../domain/toss-time.ts';
import type { OrderSummary, OrderView } from './reply-schemas.ts';

/**
 * `keyMode`: the mode of the Toss key in use. An order of the other mode (the key was changed on
 * the same table) is never reported paid: nothing about it can be confirmed with this key.
 */
/** What the order view and a listed order both open with: its number, version, states and mode. */
function heading(o: Order, keyMode: Mode): Pick<OrderSummary, 'orderNo' | 'version' | 'status' | 'paymentState' | 'paid' | 'mode'> {
  const paymentState = paymentStateOf(o);
  return {
    orderNo: o.orderNo,
    // Counts the writes to the order: of two views (or events) of one order, the higher is the newer.
    version: o.version ?? 1,
    status: o.status,
    paymentState,
    // Money is kept: paid and not fully refunded, under our key's mode.
    paid: o.mode === keyMode && (paymentState === 'paid' || paymentState === 'partially_refunded'),
    mode: o.mode,
  };
}

export function orderView(o: Order, keyMode: Mode): OrderView {
  const money = moneyOf(o);
  return {
    ...heading(o, keyMode),
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
  return {
    ...heading(o, keyMode),
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
