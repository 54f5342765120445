/**
 * The payment API's replies, as zod (mini) schemas: the order as GET /payments/{orderNo} shows it
 * (also the cancel reply and every event's `data`), the listing, and the create, refund and
 * callback replies. The code that builds each reply is typed with its schema's type (`z.infer`),
 * and the OpenAPI document (tools/openapi.ts) is made from the schemas, so the document cannot
 * drift from the code; the integration suite checks every reply against the document.
 *
 * No function imports this module (only its types, which cost nothing at run time): the schemas
 * are for the document, the tests and merchants' types (shared/api-types.ts).
 */
import * as z from '../zod.ts';
import type { CancelReason, Mode, Source } from '../domain/order.ts';
import { HISTORY_KEPT } from '../domain/order-limits.ts';
import type { PaymentState, RefundSource, RefundStatus } from '../domain/refunds.ts';
import { ORDER_STATUSES } from '../domain/states.ts';

/** `allOf<T>()([...])`: the array, checked to hold every member of the union T and nothing else. */
export const allOf =
  <T extends string>() =>
  <const A extends readonly T[]>(a: A & ([T] extends [A[number]] ? unknown : 'missing a member')): A =>
    a;

const MODES = allOf<Mode>()(['TEST', 'LIVE']);
const SOURCES = allOf<Source>()(['create', 'return', 'cancel', 'callback', 'reconciler', 'merchant', 'refresh']);
const CANCEL_REASONS = allOf<CancelReason>()(['BUYER', 'MERCHANT', 'UNKNOWN', 'EXPIRED']);
const PAYMENT_STATES = allOf<PaymentState>()(['unpaid', 'paid', 'partially_refunded', 'refunded', 'cancelled', 'failed']);
const REFUND_STATUSES = allOf<RefundStatus>()(['PENDING', 'SUCCEEDED', 'FAILED']);
const REFUND_SOURCES = allOf<RefundSource>()(['api', 'toss']);

/** An ISO 8601 time this service wrote (`Date.prototype.toISOString`). */
export const isoTime = () => z.iso.datetime({ offset: true });
const won = (what: string) => z.int().check(z.gte(0), z.describe(what));

export const orderStatusSchema = z.enum(ORDER_STATUSES).check(z.describe("The order's state: Toss's payStatus, plus CREATING, CREATE_FAILED, EXECUTING and EXECUTE_FAILED around our own calls."));
export const modeSchema = z.enum(MODES).check(z.describe('The mode of the Toss key the order was created with.'));
export const cancelReasonSchema = z.enum(CANCEL_REASONS).check(
  z.describe(
    "Why the order ended cancelled, as Toss told it: MERCHANT (Toss accepted the merchant's cancel), BUYER (the buyer quit the checkout: Toss sent the buyer back as it confirmed the cancel), UNKNOWN (Toss's status says cancelled, not why: the expiry, or a quit not seen). EXPIRED only on orders recorded before UNKNOWN existed.",
  ),
);

/** Toss's reason for a refusal. */
export const failureSchema = z.object({ errorCode: z.string(), msg: z.string() });

/** Who asked for a change through the API. */
export const actorSchema = z
  .object({
    id: z.string().check(z.describe('`merchant:<8 hex of the merchant token\'s SHA-256>`, or `user:<sub>` for a person signed in to the console (the user pool\'s subject).')),
    email: z.optional(z.string().check(z.describe("A console user's email, as the user pool had it when they signed in."))),
  })
  .check(z.describe('Who asked for it: a merchant token or a console user. Absent for what Toss, the buyer or the reconciler did, and on records from before actors were kept.'));

export const refundViewSchema = z.object({
  refundNo: z.string().check(z.describe('rf_… for refunds made through the API (from the orderNo and the Idempotency-Key); tx_… for refunds made at Toss.')),
  amount: z.int().check(z.gte(1)),
  status: z.enum(REFUND_STATUSES),
  source: z.enum(REFUND_SOURCES).check(z.describe('api: asked for through POST /payments/{orderNo}/refunds; toss: made at Toss (e.g. its console).')),
  amountTaxFree: won('The tax-free part of the refund, as sent to Toss (0 for a refund made at Toss: Toss does not say its parts).'),
  amountTaxable: z.optional(won('The taxable part, as sent to Toss (refunds of a payment with tax parts).')),
  amountVat: z.optional(won('The VAT part, as sent to Toss.')),
  amountServiceFee: z.optional(won('The service-fee part, as sent to Toss.')),
  reason: z.optional(z.string()),
  actor: z.optional(actorSchema),
  requestedAt: isoTime(),
  approvedAt: z.optional(isoTime()),
  failure: z.optional(failureSchema),
});

export const historyEntrySchema = z.object({
  from: z.nullable(orderStatusSchema),
  to: orderStatusSchema,
  source: z.enum(SOURCES),
  at: isoTime(),
  note: z.optional(z.string()),
  actor: z.optional(actorSchema),
});

/** One of Toss's transactions of the payment (Toss's fields), `regTs` as ISO 8601 (left out when Toss's time could not be read). */
export const transactionSchema = z.object({
  stepType: z.optional(z.string()),
  transactionId: z.optional(z.string()),
  transactionAmount: z.optional(z.number()),
  discountedAmount: z.optional(z.number()),
  paidAmount: z.optional(z.number()),
  regTs: z.optional(isoTime()),
});

export const attentionSchema = z.object({ reason: z.string(), at: isoTime() });

/** The card of a card payment, without its number or BIN. */
export const cardFactsSchema = z.object({
  cardCompanyName: z.optional(z.string()),
  cardCompanyCode: z.optional(z.int().check(z.describe("Toss's card company code (1 신한, 2 현대, 3 삼성, 4 국민, 5 롯데, 6 하나, 7 우리, 8 농협, 10 BC)."))),
  cardMethodType: z.optional(z.string().check(z.describe('CREDIT, CHECK or PREPAYMENT.'))),
  cardUserType: z.optional(z.string().check(z.describe('PERSONAL, PERSONAL_FAMILY, CORP_PERSONAL, CORP_PRIVATE or CORP_COMPANY.'))),
  noInterest: z.optional(z.boolean().check(z.describe('무이자: the instalments carry no interest.'))),
  spreadOut: z.optional(z.int().check(z.describe('Instalment months (0: paid at once).'))),
  cardNum4Print: z.optional(z.string().check(z.describe('The last four digits (Toss may mask some).'))),
  cardAuthorizationNo: z.optional(z.string().check(z.describe("The card company's authorization number."))),
});

/** What Toss's status says about the money, in Toss's names. */
export const tossMoneySchema = z
  .object({
    amountTaxable: z.optional(z.int().check(z.describe('The taxable part as Toss applied it.'))),
    amountTaxFree: z.optional(z.int().check(z.describe('The tax-free part as Toss applied it.'))),
    amountVat: z.optional(z.int().check(z.describe('The VAT as Toss applied it.'))),
    amountServiceFee: z.optional(z.int().check(z.describe('The service fee as Toss applied it.'))),
    discountedAmount: z.optional(z.int().check(z.describe("Discounted: Toss's instant discount and the points used."))),
    discountAmountV2: z.optional(z.int().check(z.describe("Toss's instant discount."))),
    paidPointV2: z.optional(z.int().check(z.describe('Toss points used.'))),
    paidAmount: z.optional(z.int().check(z.describe("What the buyer's payment method was charged (amount − discountedAmount): the base of a cash receipt you issue yourself."))),
    disposableCupDeposit: z.optional(z.int().check(z.describe('일회용 컵 보증금.'))),
    card: z.optional(cardFactsSchema),
    accountBankCode: z.optional(z.string().check(z.describe("Toss Money: Toss's code of the buyer's bank."))),
    accountBankName: z.optional(z.string().check(z.describe("Toss Money: the buyer's bank."))),
  })
  .check(z.describe('Toss\'s money facts of the payment, as its status reports them (no card or account number). Absent on orders recorded before they were kept.'));

const receiptUrl = () => z.optional(z.url().check(z.describe("The card slip (매출전표) at Toss: Toss's salesCheckLinkUrl. Card payments only.")));

/** The order as GET /payments/{orderNo} shows it. */
export const orderViewSchema = z.object({
  orderNo: z.string(),
  version: z.int().check(z.gte(1), z.describe('Counts the writes to the order: of two views (or events) of one order, the higher is the newer.')),
  status: orderStatusSchema,
  paymentState: z.enum(PAYMENT_STATES).check(z.describe('What happened to the money, in one word.')),
  paid: z.boolean().check(z.describe('Money is kept: paid and not fully refunded, under the current Toss key\'s mode. Fulfil on this (or payment.completed).')),
  mode: modeSchema,
  modeMismatch: z.optional(z.literal(true).check(z.describe('The order is of the other mode than the current Toss key: nothing about it can be confirmed.'))),
  amount: z.int(),
  amountTaxFree: z.int().check(z.describe('The tax parts as sent to Toss: all four when the payment has explicit parts (amountTaxFree alone is completed by Toss\'s default rule), else amountTaxFree only and Toss split the rest.')),
  amountTaxable: z.optional(z.int()),
  amountVat: z.optional(z.int()),
  amountServiceFee: z.optional(z.int()),
  paidAmount: won('What the buyer paid (0 when nothing was paid).'),
  refundedAmount: won('What Toss confirmed refunded.'),
  refundableAmount: won('What may still be refunded (refunds in flight are taken out).'),
  refunds: z.array(refundViewSchema),
  discountedAmount: z.optional(z.number().check(z.describe('What Toss discounted.'))),
  tossPaidAmount: z.optional(z.number().check(z.describe("What the buyer's account paid after Toss's discount."))),
  productDesc: z.string(),
  autoExecute: z.boolean(),
  payToken: z.optional(z.string()),
  checkoutPage: z.optional(z.string()),
  payMethod: z.optional(z.string()),
  metadata: z.optional(z.string()),
  expiresAt: isoTime(),
  paidAt: z.optional(isoTime().check(z.describe('When this service first recorded the order paid (its clock): the time GET /payments lists, and the re-checks after payment count from.'))),
  paidTs: z.optional(isoTime().check(z.describe("Toss's own time of payment (its clock), as ISO 8601 (left out when Toss's time could not be read)."))),
  cancelReason: z.optional(cancelReasonSchema),
  cancelNote: z.optional(z.string().check(z.describe("The merchant's reason, as given to POST /payments/{orderNo}/cancel and sent to Toss."))),
  cancelledBy: z.optional(actorSchema),
  settled: z.boolean().check(z.describe('Toss paid the money out to the merchant (its status said SETTLEMENT_COMPLETE or SETTLEMENT_REFUND_COMPLETE, now or before). A settled order can still be refunded: Toss takes the amount from the next settlement.')),
  settledSeenAt: z.optional(isoTime().check(z.describe("When this service first recorded the order settled. Toss's status carries no settlement time: the payout happened at or before this."))),
  createdAt: isoTime(),
  updatedAt: isoTime(),
  tossMoney: z.optional(tossMoneySchema),
  receiptUrl: receiptUrl(),
  transactions: z.array(transactionSchema).check(z.describe("Every Toss transaction of the payment (PAY and REFUND, Toss's transactionId), oldest first.")),
  failure: z.optional(failureSchema),
  attention: z.optional(attentionSchema.check(z.describe('The order needs a person (unresolved for long, or contradicted by Toss).'))),
  history: z.array(historyEntrySchema).check(
    z.describe(`Its state changes, oldest first: the last ${HISTORY_KEPT} (and the first that recorded it settled); \`historyDropped\` counts the ones left out.`),
  ),
  historyDropped: z.optional(
    z.int().check(z.gte(1), z.describe(`Older history entries no longer kept on the order (it keeps its last ${HISTORY_KEPT}, so that it always fits its record).`)),
  ),
});
export type OrderView = z.infer<typeof orderViewSchema>;

/** An order as GET /payments lists it (what the indexes project). */
export const orderSummarySchema = z.object({
  orderNo: z.string(),
  version: z.int().check(z.gte(1)),
  status: orderStatusSchema,
  paymentState: z.enum(PAYMENT_STATES),
  paid: z.boolean(),
  mode: modeSchema,
  amount: z.int(),
  refundedAmount: won('What Toss confirmed refunded.'),
  productDesc: z.string(),
  createdAt: isoTime(),
  paidAt: z.optional(isoTime().check(z.describe('When this service first recorded the order paid (its clock), as GET /payments/{orderNo} shows it. Toss\'s own time (paidTs) is in the order.'))),
  cancelReason: z.optional(cancelReasonSchema),
  attention: z.optional(attentionSchema),
  tossMoney: z.optional(tossMoneySchema),
  receiptUrl: receiptUrl(),
  transactions: z.array(transactionSchema),
});
export type OrderSummary = z.infer<typeof orderSummarySchema>;

export const listPaymentsReplySchema = z.object({
  orders: z.array(orderSummarySchema),
  next: z.optional(z.string().check(z.describe('Present while more orders remain: pass it as `cursor`.'))),
});
export type ListPaymentsReply = z.infer<typeof listPaymentsReplySchema>;

/** POST /payments: 201 created, 200 the same request again. */
export const createPaymentReplySchema = z.object({
  orderNo: z.string(),
  payToken: z.optional(z.string()),
  checkoutPage: z.optional(z.string().check(z.describe("Send the buyer here (a full-page redirect). Absent when Toss refused the create."))),
  status: orderStatusSchema,
  expiresAt: isoTime(),
  failure: z.optional(failureSchema),
});
export type CreatePaymentReply = z.infer<typeof createPaymentReplySchema>;

/** POST /payments/{orderNo}/refunds: 201 recorded now, 200 the same Idempotency-Key and body again. */
export const refundReplySchema = z.object({
  orderNo: z.string(),
  refundNo: z.string(),
  status: z.enum(REFUND_STATUSES).check(z.describe('PENDING: Toss did not answer yet; it is settled by the same request again or by the reconciler.')),
  amount: z.int(),
  refundedAmount: z.int(),
  refundableAmount: z.int(),
});
export type RefundReply = z.infer<typeof refundReplySchema>;

/** POST /payments/callback: 200 when the order is (now or already) paid. */
export const callbackReplySchema = z.object({
  result: z.literal('OK'),
  orderNo: z.string(),
  status: orderStatusSchema,
});
export type CallbackReply = z.infer<typeof callbackReplySchema>;

const counted = (what: string) => z.int().check(z.gte(0), z.describe(what));
const dayFigures = {
  orders: counted('Orders created.'),
  paid: counted('Of those, paid (money moved: paid, refunded or settled).'),
  paidAmount: counted('What those paid, in won.'),
  refunds: counted('Refunds Toss confirmed, of the paid ones.'),
  refundedAmount: counted('What those refunds gave back, in won.'),
  cancelled: counted('Cancelled by the merchant before anyone paid.'),
  abandoned: counted('Never paid: the buyer quit, or the checkout expired.'),
  failed: counted('Refused by Toss (create or execute).'),
  open: counted('Not finished yet.'),
};

/** GET /stats: the overview. */
export const statsReplySchema = z.object({
  from: z.string().check(z.describe('The first day counted (Korea time, YYYY-MM-DD).')),
  to: z.string().check(z.describe('The last day counted (Korea time).')),
  complete: z.boolean().check(z.describe('Every order of every day was counted. False when the read budget (10,000 orders) ended first: see countedFrom.')),
  countedFrom: z.optional(z.string().check(z.describe('When not complete: the oldest day counted in full (older days are partly or not counted).'))),
  days: z.array(z.object({ day: z.string(), ...dayFigures })).check(z.describe('Per Korea-time day of creation, oldest first.')),
  totals: z.object(dayFigures),
  attention: z.object({
    orders: counted('Orders flagged for a person now (GET /payments?attention=true lists them).'),
    more: z.optional(z.literal(true).check(z.describe('There are more than 1,000.'))),
  }),
  webhooks: z
    .object({
      sampled: counted('Events with a webhook among the latest 200 of the log.'),
      delivered: counted('Of those, delivered.'),
      failed: counted('Of those, given up after the last retry (GET /events/failed).'),
      pending: counted('Of those, still being tried.'),
      successRate: z.optional(z.number().check(z.gte(0), z.lte(1), z.describe('delivered / (delivered + failed); absent when neither.'))),
    })
    .check(z.describe('How the latest webhook deliveries went.')),
});
export type StatsReply = z.infer<typeof statsReplySchema>;
