/**
 * An event's `data`: the order as a merchant's fulfilment needs it, bounded whatever the order
 * holds, so that every event fits the services that carry it (an EventBridge entry takes 256 KB,
 * a DynamoDB item 400 KB, a GET /events page must stay under Lambda's 6 MB reply). Pure.
 *
 * What it keeps: the order's identity, state and money as GET /payments/{orderNo} shows them
 * (Toss's money facts and the card slip's link included), the latest EVENT_RECENT_REFUNDS refunds
 * and Toss's payment transaction with the latest EVENT_RECENT_TRANSACTIONS others (and how many
 * there are of each), and `href`, the path of the full order. What it leaves to that path: the
 * history, the checkout page, the older refunds and transactions: they grow with the order. Free text is cut at a length the order's own rules
 * already keep to (productDesc 255, metadata 2,000, a refund reason 100), and Toss's messages at
 * a few hundred characters, a cut string ending in `…`.
 *
 * The bound: a UTF-16 unit takes at most 6 bytes in JSON (`\u001f`), so each field has a worst
 * case, and their sum is under MAX_EVENT_BYTES (test/unit/event-size.test.ts builds that order).
 */
import type { Order } from '../domain/order.ts';
import { orderView } from '../payments/view.ts';
import type { OrderView } from '../payments/reply-schemas.ts';
import type { EventData } from './reply-schemas.ts';

/** The latest refunds an event carries (oldest first); GET /payments/{orderNo} has them all. */
export const EVENT_RECENT_REFUNDS = 10;
/** The latest refund transactions an event carries beside the payment's own; GET /payments/{orderNo} has them all. */
export const EVENT_RECENT_TRANSACTIONS = 10;
/** The most an event's envelope (a webhook's body, the bus entry's Detail, the log's body) takes, in UTF-8 bytes. */
export const MAX_EVENT_BYTES = 64 * 1024;

/** The fields of the order view an event keeps as they are (besides the bounded ones below). */
export const EVENT_ORDER_FIELDS = {
  orderNo: true,
  version: true,
  status: true,
  paymentState: true,
  paid: true,
  mode: true,
  modeMismatch: true,
  amount: true,
  amountTaxFree: true,
  amountTaxable: true,
  amountVat: true,
  amountServiceFee: true,
  paidAmount: true,
  refundedAmount: true,
  refundableAmount: true,
  discountedAmount: true,
  tossPaidAmount: true,
  productDesc: true,
  autoExecute: true,
  payToken: true,
  payMethod: true,
  metadata: true,
  expiresAt: true,
  paidAt: true,
  paidTs: true,
  cancelReason: true,
  cancelNote: true,
  cancelledBy: true,
  settled: true,
  settledSeenAt: true,
  tossMoney: true,
  receiptUrl: true,
  transactions: true,
  createdAt: true,
  updatedAt: true,
  failure: true,
  attention: true,
} as const satisfies Partial<Record<keyof OrderView, true>>;

/** Longest kept length of each free-text field, in UTF-16 units (the order's own limits where it has them). */
const MAX_CHARS = {
  productDesc: 255,
  metadata: 2_000,
  payToken: 100,
  payMethod: 50,
  code: 100,
  msg: 300,
  reason: 300,
  refundNo: 64,
  refundReason: 100,
  cancelNote: 50,
  time: 40,
  tossName: 50,
  transactionId: 100,
  url: 2_000,
  actorId: 80,
  email: 254,
} as const;

/** `s` cut to `max` UTF-16 units, a cut one ending in `…` (never half a surrogate pair). */
export function clip(s: string, max: number): string {
  if (s.length <= max) return s;
  let end = max - 1;
  const last = s.charCodeAt(end - 1);
  if (last >= 0xd800 && last <= 0xdbff) end--;
  return `${s.slice(0, end)}…`;
}

const clipOpt = (s: string | undefined, max: number): string | undefined => (s === undefined ? undefined : clip(s, max));
const actorOf = (a: { id: string; email?: string | undefined } | undefined) =>
  a === undefined ? undefined : { id: clip(a.id, MAX_CHARS.actorId), ...(a.email !== undefined ? { email: clip(a.email, MAX_CHARS.email) } : {}) };
const failureOf = (f: { errorCode: string; msg: string } | undefined) => (f === undefined ? undefined : { errorCode: clip(f.errorCode, MAX_CHARS.code), msg: clip(f.msg, MAX_CHARS.msg) });

type RefundView = OrderView['refunds'][number];
/**
 * A refund bounded. `whole`: with who asked as the order has it (the refund an event is about);
 * else with the actor's id alone (the recent refunds: ten emails at their worst would take a
 * third of MAX_EVENT_BYTES; GET href has them).
 */
const boundedRefund = (r: RefundView, whole: boolean): RefundView => ({
  refundNo: clip(r.refundNo, MAX_CHARS.refundNo),
  amount: r.amount,
  status: r.status,
  source: r.source,
  amountTaxFree: r.amountTaxFree,
  amountTaxable: r.amountTaxable,
  amountVat: r.amountVat,
  amountServiceFee: r.amountServiceFee,
  reason: clipOpt(r.reason, MAX_CHARS.refundReason),
  actor: whole || r.actor === undefined ? actorOf(r.actor) : { id: clip(r.actor.id, MAX_CHARS.actorId) },
  requestedAt: clip(r.requestedAt, MAX_CHARS.time),
  approvedAt: clipOpt(r.approvedAt, MAX_CHARS.time),
  failure: failureOf(r.failure),
});

type TransactionView = OrderView['transactions'][number];
const boundedTransaction = (t: TransactionView): TransactionView => ({
  ...t,
  stepType: clipOpt(t.stepType, MAX_CHARS.tossName),
  transactionId: clipOpt(t.transactionId, MAX_CHARS.transactionId),
  regTs: clipOpt(t.regTs, MAX_CHARS.time),
});
/** The payment's own transactions (PAY) and the latest EVENT_RECENT_TRANSACTIONS others, in Toss's order. */
export function boundedTransactions(list: readonly TransactionView[]): TransactionView[] {
  const others = list.filter((t) => t.stepType !== 'PAY');
  const recent = new Set(others.slice(-EVENT_RECENT_TRANSACTIONS));
  // A payment has one PAY transaction; more would be Toss's to explain, and are cut like the rest.
  const pays = new Set(list.filter((t) => t.stepType === 'PAY').slice(0, 2));
  return list.filter((t) => pays.has(t) || recent.has(t)).map(boundedTransaction);
}

type TossMoneyView = NonNullable<OrderView['tossMoney']>;
function boundedTossMoney(m: TossMoneyView | undefined): TossMoneyView | undefined {
  if (m === undefined) return undefined;
  const card = m.card;
  return {
    ...m,
    accountBankCode: clipOpt(m.accountBankCode, MAX_CHARS.tossName),
    accountBankName: clipOpt(m.accountBankName, MAX_CHARS.tossName),
    card:
      card === undefined
        ? undefined
        : {
            ...card,
            cardCompanyName: clipOpt(card.cardCompanyName, MAX_CHARS.tossName),
            cardMethodType: clipOpt(card.cardMethodType, MAX_CHARS.tossName),
            cardUserType: clipOpt(card.cardUserType, MAX_CHARS.tossName),
            cardNum4Print: clipOpt(card.cardNum4Print, MAX_CHARS.tossName),
            cardAuthorizationNo: clipOpt(card.cardAuthorizationNo, MAX_CHARS.tossName),
          },
  };
}

/** The path of the full order on this API (GET, with the merchant token). */
export const orderPath = (orderNo: string): string => `/payments/${encodeURIComponent(orderNo)}`;

/** The bounded data of events about the order `view` shows (`refundNo`: the refund a refund event is about). */
export function boundedData(view: OrderView): (refundNo?: string) => EventData {
  const kept = Object.fromEntries(Object.keys(EVENT_ORDER_FIELDS).map((k) => [k, view[k as keyof OrderView]])) as Pick<OrderView, keyof typeof EVENT_ORDER_FIELDS>;
  const base: EventData = {
    ...kept,
    productDesc: clip(view.productDesc, MAX_CHARS.productDesc),
    metadata: clipOpt(view.metadata, MAX_CHARS.metadata),
    payToken: clipOpt(view.payToken, MAX_CHARS.payToken),
    payMethod: clipOpt(view.payMethod, MAX_CHARS.payMethod),
    expiresAt: clip(view.expiresAt, MAX_CHARS.time),
    paidAt: clipOpt(view.paidAt, MAX_CHARS.time),
    paidTs: clipOpt(view.paidTs, MAX_CHARS.time),
    cancelNote: clipOpt(view.cancelNote, MAX_CHARS.cancelNote),
    cancelledBy: actorOf(view.cancelledBy),
    settledSeenAt: clipOpt(view.settledSeenAt, MAX_CHARS.time),
    createdAt: clip(view.createdAt, MAX_CHARS.time),
    updatedAt: clip(view.updatedAt, MAX_CHARS.time),
    failure: failureOf(view.failure),
    attention: view.attention === undefined ? undefined : { reason: clip(view.attention.reason, MAX_CHARS.reason), at: clip(view.attention.at, MAX_CHARS.time) },
    tossMoney: boundedTossMoney(view.tossMoney),
    // A link cut short would lead nowhere: one past the bound is left out (GET href has it).
    receiptUrl: view.receiptUrl !== undefined && view.receiptUrl.length <= MAX_CHARS.url ? view.receiptUrl : undefined,
    transactions: boundedTransactions(view.transactions),
    transactionCount: view.transactions.length,
    refundCount: view.refunds.length,
    recentRefunds: view.refunds.slice(-EVENT_RECENT_REFUNDS).map((r) => boundedRefund(r, false)),
    href: orderPath(view.orderNo),
  };
  const byNo = new Map(view.refunds.map((r) => [r.refundNo, r]));
  return (refundNo) => {
    const subject = refundNo === undefined ? undefined : byNo.get(refundNo);
    return subject === undefined ? base : { ...base, refund: boundedRefund(subject, true) };
  };
}

/** The bounded data of an event about `o` (`refundNo`: the refund a refund event is about). */
export function eventData(o: Order, refundNo?: string): EventData {
  // The order's own mode: the log shows the order as it is, whatever key a stage uses later.
  return boundedData(orderView(o, o.mode))(refundNo);
}
