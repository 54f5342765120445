/** The stored order, as the domain sees it (shared/store maps it to and from the item). */
import type { TossMoney } from './money-facts.ts';
import type { Refund } from './refunds.ts';
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
