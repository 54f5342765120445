/**
 * The stored order, as the domain sees it (shared/store maps it to and from the item): every field,
 * its refunds (the rules: ./refunds.ts) and Toss's money facts (./money-facts.ts). Types only.
 */
import type { OrderStatus } from './states.ts';

export type Mode = 'TEST' | 'LIVE';
/**
 * Who made a change: our create, a landing, Toss's callback, the reconciler, a merchant's cancel
 * or refund (`merchant`), or a merchant's `?refresh=true` read (`refresh`).
 */
export type Source = 'create' | 'return' | 'cancel' | 'callback' | 'reconciler' | 'merchant' | 'refresh';

/**
 * Why an order ended cancelled, as far as Toss told us: the merchant cancelled it (Toss accepted
 * our cancel), the buyer quit (Toss sent the buyer to the cancel landing as it confirmed the
 * cancel), or UNKNOWN (Toss's status says cancelled, never why: the expiry, or a quit we did not
 * see). EXPIRED is only ever read from orders recorded before: it was decided from our clock.
 */
export type CancelReason = 'BUYER' | 'MERCHANT' | 'UNKNOWN' | 'EXPIRED';

/**
 * Who asked for a change through the API (a refund, a cancel, a redelivery): a merchant token or a
 * console user. Changes Toss, the buyer or the reconciler made have none.
 */
export interface Actor {
  /** `merchant:<8 hex of the token's SHA-256>` or `user:<the user pool's sub>`. */
  id: string;
  /** A console user's email, as the user pool had it when they signed in. */
  email?: string;
}

export interface TossTransaction {
  stepType?: string;
  transactionId?: string;
  transactionAmount?: number;
  discountedAmount?: number;
  paidAmount?: number;
  regTs?: string;
}

export interface HistoryEntry {
  from: OrderStatus | null;
  to: OrderStatus;
  source: Source;
  /** ISO time of the write. */
  at: string;
  note?: string;
  /** Who asked for the change (a merchant's or a console user's refund or cancel); absent for the others, and on entries from before actors were recorded. */
  actor?: Actor;
  /** Internal: the id of the write that appended this entry (see shared/store: own-write recognition). */
  writeId?: string;
}

export interface Failure {
  errorCode: string;
  msg: string;
}

export interface Attention {
  reason: string;
  at: string;
}

export interface Order {
  orderNo: string;
  status: OrderStatus;
  payToken?: string;
  checkoutPage?: string;
  amount: number;
  amountTaxFree: number;
  amountTaxable?: number;
  amountVat?: number;
  amountServiceFee?: number;
  productDesc: string;
  autoExecute: boolean;
  /** ISO instant the Toss payment expires (Toss's expiredTime). */
  expiresAt: string;
  /** TEST or LIVE: the mode of the key the order was created with. */
  mode: Mode;
  /** sha256 of the canonical validated create request (absent on recovered orders). */
  requestHash?: string;
  metadata?: string;
  payMethod?: string;
  paidAmount?: number;
  discountedAmount?: number;
  paidTs?: string;
  transactions?: TossTransaction[];
  /** Toss's money facts (shared/domain/money-facts.ts); absent on orders recorded before they were kept. */
  tossMoney?: TossMoney;
  failure?: Failure;
  attention?: Attention;
  history: HistoryEntry[];
  /** History entries dropped from the item to keep it within its size (shared/domain/order-limits.ts); absent: none. */
  historyDropped?: number;
  createdAt: string;
  updatedAt: string;
  /** Reconciler attempts so far. */
  checks: number;
  /** ISO time of the reconciler's last check that changed nothing. */
  lastCheckedAt?: string;
  /** Epoch ms of the next reconciler check (unfinished orders only). */
  dueAt?: number;
  /** Id of the last write to the item (see shared/store: own-write recognition). */
  writeId?: string;
  /**
   * Internal: the X-Ray trace of the invocation that made the last write (set only where tracing
   * is on). The events function's trace of the change names it (shared/tracer.ts).
   */
  writeTraceId?: string;
  /** Counts the writes to the order (1 when recorded): events carry it, so they can be ordered. */
  version?: number;
  /**
   * The create lease: only its holder calls Toss's create for this order, until `leaseUntil`
   * (epoch ms), when its Toss call is surely over. Released early when the call failed for sure.
   */
  leaseId?: string;
  leaseUntil?: number;
  /** The execute lock of an EXECUTING order: its holder, and when its execute call is surely over. */
  execLockId?: string;
  execUntil?: number;
  /** Execute calls made for this order. */
  execAttempts?: number;
  /** Epoch ms a landing last asked Toss about this order (landings ask at most every few seconds). */
  landingCheckAt?: number;
  /**
   * payTokens of Toss payments this order replaced: their create reply (with the checkoutPage)
   * was lost, so no buyer ever had their checkout; a new payment was created for the order.
   */
  supersededPayTokens?: string[];
  /** ISO time the order was first recorded paid: the re-checks after payment count from it. */
  paidAt?: string;
  cancelReason?: CancelReason;
  /** The merchant's own words when it cancelled (POST /payments/{orderNo}/cancel `reason`, sent to Toss). */
  cancelNote?: string;
  /** Who cancelled it through the API (cancelReason MERCHANT). */
  cancelledBy?: Actor;
  /** The order's refunds, by refundNo (shared/domain/refunds.ts). */
  refunds?: Record<string, Refund>;
  /** The refundNo of the refund in flight (Toss takes one at a time). */
  refundInFlight?: string;
  /** What is refunded or being refunded (SUCCEEDED + PENDING): the balance the next refund is checked against. */
  refundReserved?: number;
}

/** Fields a transition may set on the order besides its status. */
export interface TransitionFields {
  payToken?: string;
  checkoutPage?: string;
  payMethod?: string;
  paidAmount?: number;
  discountedAmount?: number;
  paidTs?: string;
  transactions?: TossTransaction[];
  tossMoney?: TossMoney;
  failure?: Failure;
  /** A replacement payment's expiry (a new checkout for an order whose first one was lost). */
  expiresAt?: string;
  supersededPayTokens?: string[];
  cancelReason?: CancelReason;
  cancelNote?: string;
  cancelledBy?: Actor;
}

/** The execute lock a transition to EXECUTING takes: its id and when its call is surely over. */
export interface ExecuteLock {
  id: string;
  until: number;
}

/**
 * A state change to apply as ONE conditional write: the order must be in one of `from`, and
 * (when given) carry `payToken` (or none yet) and `amount`.
 */
export interface Transition {
  to: OrderStatus;
  from: readonly OrderStatus[];
  payToken?: string;
  amount?: number;
  set: TransitionFields;
  note?: string;
  /** Who asked for the change: recorded on its history entry. */
  actor?: Actor;
  /** Epoch ms of the next reconciler check when `to` is unfinished (store default: 1 minute). */
  dueAt?: number;
  /**
   * Epoch ms of the change (updatedAt, the history entry, paidAt), when `dueAt` was computed from
   * it: a paid order's first re-check is then exactly its paidAt + 1 hour. Default: the store's clock.
   */
  at?: number;
  /** Only for `to: EXECUTING`: the lock this write takes (counts one execute attempt). */
  lock?: ExecuteLock;
  /** Only from CREATING: the create lease the write must still hold (a replacement payment). */
  leaseId?: string;
}

// ---- refunds (their rules: ./refunds.ts) ----

export type RefundStatus = 'PENDING' | 'SUCCEEDED' | 'FAILED';
export type RefundSource = 'api' | 'toss';

/** The tax parts a refund takes (Toss's names). */
export interface RefundParts {
  amountTaxFree: number;
  amountTaxable?: number;
  amountVat?: number;
  amountServiceFee?: number;
}

export interface Refund extends RefundParts {
  refundNo: string;
  amount: number;
  status: RefundStatus;
  source: RefundSource;
  reason?: string;
  /** Who asked for it through the API (refunds made at Toss, and older ones, have none). */
  actor?: Actor;
  /** sha256 of the canonical request (api refunds): the same Idempotency-Key with another body is refused. */
  requestHash?: string;
  /** ISO time we recorded it (api), or Toss's time (toss). */
  requestedAt: string;
  /** ISO time Toss approved it. */
  approvedAt?: string;
  /** Toss's transactionId of the refund, once known: the key that matches it to `transactions[]`. */
  transactionId?: string;
  /** What Toss's refund reply said about its money (the discount and payment-method parts, the tax parts). */
  toss?: RefundTossFacts;
  failure?: { errorCode: string; msg: string };
  /** While a call to Toss for this PENDING refund may run (see RefundLease). */
  lease?: RefundLease;
}

/**
 * One Toss call at a time per refund: only the lease's holder asks Toss about the refund, until
 * `until` (epoch ms), when its call is surely over. Taken with the write that records the refund
 * (or, to ask again, by a conditional write of its own), ended by the write that records its outcome, or
 * early when Toss surely did nothing.
 */
export interface RefundLease {
  id: string;
  until: number;
}

// ---- Toss's money facts (how they are read: ./money-facts.ts) ----

/** The card of a card payment, without its number. Toss's names. */
export interface CardFacts {
  cardCompanyName?: string;
  cardCompanyCode?: number;
  /** CREDIT, CHECK or PREPAYMENT. */
  cardMethodType?: string;
  /** PERSONAL, PERSONAL_FAMILY, CORP_PERSONAL, CORP_PRIVATE, CORP_COMPANY. */
  cardUserType?: string;
  noInterest?: boolean;
  /** Instalment months (0: paid at once). */
  spreadOut?: number;
  /** The last four digits (Toss may mask some). */
  cardNum4Print?: string;
  cardAuthorizationNo?: string;
}

/** What Toss says about the money of a payment. Toss's names, except `receiptUrl` (its salesCheckLinkUrl). */
export interface TossMoney {
  amountTaxable?: number;
  amountTaxFree?: number;
  amountVat?: number;
  amountServiceFee?: number;
  /** Instant discount and points together. */
  discountedAmount?: number;
  discountAmountV2?: number;
  paidPointV2?: number;
  /** What the buyer's payment method was charged (amount − discountedAmount). */
  paidAmount?: number;
  disposableCupDeposit?: number;
  card?: CardFacts;
  accountBankCode?: string;
  accountBankName?: string;
  /** The card slip (매출전표) at Toss. */
  receiptUrl?: string;
}

/** What Toss's reply to a refund says about its money (kept on the refund). */
export interface RefundTossFacts {
  /** Negative, as Toss gives them. */
  refundedDiscountAmount?: number;
  refundedPaidAmount?: number;
  amountTaxFree?: number;
  amountTaxable?: number;
  amountVat?: number;
  amountServiceFee?: number;
}
