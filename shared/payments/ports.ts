/**
 * The ports: what the use cases need from the world, declared here where they are used. The
 * adapters implement them (shared/store: DynamoDB; shared/toss: Toss Pay over HTTP), and the
 * composition root (shared/deps.ts) wires one of each per container. Tests build their own.
 */
import type { RefundTossFacts, TossMoney } from '../domain/money-facts.ts';
import type { Actor, Attention, ExecuteLock, Mode, Order, Source, TossTransaction, Transition } from '../domain/order.ts';
import type { PaymentState, Refund, RefundLease } from '../domain/refunds.ts';
import type { LandingTokens } from './landing-token.ts';
import type { OrderStatus } from '../domain/states.ts';
import type {
  TossCancelReply,
  TossCreateReply,
  TossCreateRequest,
  TossExecuteReply,
  TossRefundReply,
  TossRefundRequest,
  TossStatusReply,
} from '../toss/schemas.ts';

// ---- the order store (shared/store/orders.ts) ----------------------------------------------------

/** What createOrder needs: the order as validated, before Toss is called. */
export type NewOrder = Omit<Order, 'status' | 'history' | 'createdAt' | 'updatedAt' | 'checks' | 'dueAt'>;

export type CreateResult = { kind: 'created'; order: Order } | { kind: 'exists'; order: Order };

export type ApplyResult =
  | { kind: 'applied'; order: Order }
  /** The order already was in the target state or beyond it (same payToken and amount). */
  | { kind: 'duplicate'; order: Order }
  /** Lost a race to a different state, or the stored payToken/amount contradict the transition. */
  | { kind: 'conflict'; order: Order; reason: 'PAY_TOKEN_MISMATCH' | 'AMOUNT_MISMATCH' | 'STATE' }
  | { kind: 'missing' };

/** A payment Toss confirmed for our key that we have no record of. */
export interface RecoveredOrder {
  orderNo: string;
  status: OrderStatus;
  payToken: string;
  amount: number;
  amountTaxFree?: number | undefined;
  mode: Mode;
  fields: Transition['set'];
  reason: string;
}

/** A lease or lock taken, or why not: held by someone else, or the order is not as expected. */
export type TakeResult = { kind: 'taken'; order: Order } | { kind: 'busy'; order: Order } | { kind: 'moved'; order: Order } | { kind: 'missing' };

/** What an order must still look like for the create lease to be taken. */
export interface LeaseExpectation {
  status: 'CREATING' | 'PAY_STANDBY';
  /** PAY_STANDBY: the payToken stored (the order has no checkoutPage). */
  payToken?: string | undefined;
}

/** A new Toss payment for an order whose earlier one's checkoutPage was lost (PAY_STANDBY only). */
export interface Replacement {
  /** The payToken stored now (its checkout was never handed out). */
  oldPayToken: string;
  leaseId: string;
  payToken: string;
  checkoutPage: string;
  expiresAt: string;
  dueAt: number;
  supersededPayTokens: string[];
}

export interface OrderStore {
  readonly tableName: string;
  /** Records a new order as CREATING, holding the create lease `lease`. */
  createOrder(o: NewOrder, lease: { id: string; until: number }): Promise<CreateResult>;
  getOrder(orderNo: string): Promise<Order | undefined>;
  applyTransition(orderNo: string, t: Transition, source: Source): Promise<ApplyResult>;
  recordRecoveredOrder(r: RecoveredOrder, source: Source): Promise<CreateResult>;
  /** Sets `attention` (flags the order for a person). False when there is no such order. */
  flagOrder(orderNo: string, reason: string): Promise<boolean>;
  /**
   * Takes the create lease (only its holder calls Toss's create): the order must be as `expect`
   * says, and the lease free (never taken, released, or lapsed at `now`).
   */
  takeLease(orderNo: string, expect: LeaseExpectation, lease: { id: string; until: number }, now: number): Promise<TakeResult>;
  /** Frees the create lease early: its holder's Toss call is over and created nothing. */
  releaseLease(orderNo: string, leaseId: string): Promise<void>;
  /**
   * Stores the checkoutPage of the payment `payToken` when the order has none yet (the
   * reconciler recorded the payment by orderNo before our create's write). The order after the
   * write, or undefined when it has another payToken or a checkoutPage already.
   */
  attachCheckout(orderNo: string, payToken: string, checkoutPage: string): Promise<Order | undefined>;
  /** PAY_STANDBY without a checkoutPage -> the same state with a new payment (holding the lease). */
  replacePayment(orderNo: string, r: Replacement): Promise<ApplyResult>;
  /**
   * Takes the execute lock of an EXECUTING order again, for one more execute: only when the
   * lock's holder is `seenLockId` and its call is over at `now` (or ended early: endExecuteAttempt).
   */
  relockExecute(orderNo: string, seenLockId: string | undefined, lock: ExecuteLock, now: number): Promise<TakeResult>;
  /** The execute attempt under `lockId` failed for sure: the next landing or pass may execute again. */
  endExecuteAttempt(orderNo: string, lockId: string, now: number): Promise<void>;
  /**
   * Records a new refund (PENDING, holding its `lease` for the first call to Toss) before Toss is
   * called, in ONE conditional write: the order is paid with no refund running at Toss
   * (REFUND_START_STATUSES: settled ones too), none of ours is in flight, the refundNo is new, the
   * order holds fewer than MAX_REFUNDS_PER_ORDER refunds, and what is refunded or in flight is at
   * most `limit` (the order's amount minus this refund's). `refused` carries the order as it is,
   * which says why.
   */
  beginRefund(orderNo: string, refund: Refund, limit: number): Promise<{ kind: 'recorded' | 'refused'; order: Order } | { kind: 'missing' }>;
  /**
   * A PENDING refund's outcome, in ONE conditional write on the status read (`seenStatus`), which
   * also ends its lease: succeeded
   * (the order moves to `status`, statusAfterRefund's choice, in the same write; the store refuses
   * a move the state machine does not allow) or failed (its amount back in the balance).
   * `stale`: the refund is no longer PENDING or the order moved: read again.
   */
  settleRefund(
    orderNo: string,
    refundNo: string,
    outcome:
      | {
          kind: 'succeeded';
          transactionId?: string | undefined;
          /** What Toss's reply said about the refund's money. */
          toss?: RefundTossFacts | undefined;
          approvedAt?: string | undefined;
          source: Source;
          /** Who asked for the refund: on the history entry, when the refund moves the order's state. */
          actor?: Actor | undefined;
          dueAt: number | undefined;
          /** The order's state after the refund (shared/domain/refunds.ts statusAfterRefund). */
          status: OrderStatus;
          /** The refund is recorded FAILED but Toss made it: record it made, its amount reserved again (refundReserved <= maxReservedBefore). */
          overFailed?: { amount: number; maxReservedBefore: number };
        }
      | { kind: 'failed'; failure: { errorCode: string; msg: string }; amount: number; dueAt: number | undefined },
    seenStatus: OrderStatus,
  ): Promise<{ kind: 'settled' | 'stale'; order: Order } | { kind: 'missing' }>;
  /**
   * Takes the lease of a PENDING refund, to ask Toss about it: only when no other call may run
   * (no lease, or its `until` is past at `now`). `busy`: another holds it (the order as it is says
   * until when); `moved`: the refund is no longer PENDING.
   */
  takeRefundLease(orderNo: string, refundNo: string, lease: RefundLease, now: number): Promise<TakeResult>;
  /** Ends the lease `leaseId` of a refund early: its call is over and Toss surely did nothing. */
  endRefundLease(orderNo: string, refundNo: string, leaseId: string): Promise<void>;
  /**
   * Records refunds Toss made without us (source `toss`), each once, on the status read; with
   * `transactions`, Toss's list of the payment's transactions from that status too.
   */
  recordTossRefunds(
    orderNo: string,
    refunds: Refund[],
    seen: Pick<Order, 'version'>,
    transactions?: TossTransaction[] | undefined,
  ): Promise<{ kind: 'recorded' | 'stale'; order: Order } | { kind: 'missing' }>;
  /**
   * Records Toss's money facts of the payment (and its list of transactions, when given) on the
   * order exactly as read (`seen.version`): no state changes. `stale`: the order was written since.
   */
  recordTossFacts(
    orderNo: string,
    facts: { tossMoney: TossMoney; transactions?: TossTransaction[] | undefined },
    seen: Pick<Order, 'version'>,
  ): Promise<{ kind: 'recorded' | 'stale'; order: Order } | { kind: 'missing' }>;
  /**
   * A landing's right to ask Toss about the order now: true for exactly one landing per
   * `intervalMs` (the one whose write finds `landingCheckAt` as it read it, and old enough).
   */
  claimLandingCheck(orderNo: string, seenAt: number | undefined, now: number, intervalMs: number): Promise<boolean>;
}

// ---- finding orders (shared/store/order-list.ts) --------------------------------------------------

export interface OrderList {
  /**
   * Orders created between `from` and `to` (epoch ms), newest first: all of them, or only those
   * flagged for a person (`attention`), optionally of one status and one paymentState. `next` is
   * where the listing goes on (the position a cursor carries, shared/paging.ts); given back as
   * `after`, it is checked against this listing first (InvalidCursorError when it is not one of its own).
   */
  listOrders(q: {
    from: number;
    to: number;
    status?: OrderStatus | undefined;
    paymentState?: PaymentState | undefined;
    attention: boolean;
    limit: number;
    after?: unknown;
  }): Promise<{ orders: Order[]; next?: unknown }>;
}

// ---- what the overview counts (shared/store/order-figures.ts) -------------------------------------

/** An order as the overview counts it. */
export type CountedOrder = Pick<Order, 'status' | 'amount' | 'refunds' | 'cancelReason'>;

export interface OrderFigures {
  /** The orders created on `day` (Korea time, YYYY-MM-DD), at most `budget`; `complete`: all of them. */
  ordersOfDay(day: string, budget: number): Promise<{ orders: CountedOrder[]; complete: boolean }>;
  /** How many orders are flagged for a person, counted up to `max` (`more`: there are more). */
  flaggedCount(max: number): Promise<{ count: number; more: boolean }>;
}

// ---- the due index (shared/store/due.ts) ---------------------------------------------------------

/** An unfinished order as the due index projects it. */
export interface DueOrder {
  orderNo: string;
  status: OrderStatus;
  payToken?: string | undefined;
  amount: number;
  mode: Mode;
  checks: number;
  expiresAt?: string | undefined;
  createdAt?: string | undefined;
  autoExecute: boolean;
  attention?: Attention | undefined;
  /** Epoch ms this check was due (the index's sort key). */
  dueAt: number;
  /** CREATING: until when a create attempt holds the lease (it may still be calling Toss). */
  leaseUntil?: number | undefined;
  /** EXECUTING: the execute lock's holder and when its call is surely over. */
  execLockId?: string | undefined;
  execUntil?: number | undefined;
  supersededPayTokens?: string[] | undefined;
  /** Paid orders: when they were first recorded paid (the re-checks after payment count from it). */
  paidAt?: string | undefined;
  /** The refund in flight, if any: the reconciler settles it with Toss. */
  refundInFlight?: string | undefined;
}

export interface DuePage {
  /** The items of this page that are well-formed orders. */
  orders: DueOrder[];
  /** Items the query returned (well-formed or not): what the pass read. */
  itemsRead: number;
  /** Items DynamoDB evaluated (ScannedCount): equals itemsRead, no filter is used. */
  scanned: number;
  /** Read capacity units consumed, when DynamoDB reports it. */
  capacityUnits: number;
  nextKey?: Record<string, unknown> | undefined;
}

export type TouchResult =
  | { kind: 'touched'; checks: number; dueAt: number | undefined; flagged: boolean }
  /** The order is no longer in the state (or due time) the caller saw: nothing written. */
  | { kind: 'stale' };

export interface DueStore {
  readonly tableName: string;
  readonly shards: readonly string[];
  /** One page of orders due at `now` in `shard` (oldest due first). */
  queryDue(shard: string, now: number, opts?: { limit?: number; startKey?: Record<string, unknown> }): Promise<DuePage>;
  /**
   * A check that changed no state: one more check, next check at `dueAt`; when `flag` is given
   * and the order carries no `attention` yet, sets it (flagged: true when this write set it).
   */
  touch(
    o: Pick<DueOrder, 'orderNo' | 'status' | 'dueAt'>,
    /** `dueAt` undefined: no next check, the order leaves the due index. */
    next: { dueAt: number | undefined; flag?: Attention | undefined },
    /** A paid order's money facts from the status the check read, recorded in the same write. */
    facts?: { tossMoney: TossMoney; transactions?: TossTransaction[] | undefined },
  ): Promise<TouchResult>;
}

// ---- Toss (shared/toss/client.ts) ------------------------------------------------------------------

/** Per-call options of Toss calls. */
export interface CallOptions {
  /** Absolute epoch ms by which the call must be over (e.g. Lambda time left minus a margin). */
  deadline?: number | undefined;
}

export interface TossClient {
  createPayment(req: TossCreateRequest, o?: CallOptions): Promise<TossCreateReply>;
  status(ref: { payToken: string } | { orderNo: string }, o?: CallOptions): Promise<TossStatusReply>;
  execute(req: { payToken: string; orderNo?: string }, o?: CallOptions): Promise<TossExecuteReply>;
  cancel(req: { payToken: string; reason?: string }, o?: CallOptions): Promise<TossCancelReply>;
  /** v2/refunds with our refundNo (idempotent at Toss). Never retried by the client. */
  refund(req: TossRefundRequest, o?: CallOptions): Promise<TossRefundReply>;
  /** TEST or LIVE, from the key. */
  mode(): Promise<'TEST' | 'LIVE'>;
  /** The longest a call started now with `o` may take (ms): it is answered or given up by then. */
  callTimeoutMs(o?: CallOptions): number;
}

// ---- logging, metrics, the clock -----------------------------------------------------------------

/** What a log line may carry besides its message: one Error (logged with its stack), or fields (an Error in a field is too). */
export type LogExtra = [Error] | Record<string, unknown>[];

/** The subset of Powertools Logger the use cases call. */
export interface PaymentLogger {
  debug(message: string, ...extra: LogExtra): void;
  info(message: string, ...extra: LogExtra): void;
  warn(message: string, ...extra: LogExtra): void;
  error(message: string, ...extra: LogExtra): void;
}

/** Counts one occurrence of a metric (shared/metrics.ts MetricName). */
export type CountMetric = (name: string) => void;

/** What the use cases read of the configuration. */
export interface PaymentConfig {
  PUBLIC_BASE_URL: string;
  CREATE_LEASE_GRACE_MS: number;
  EXECUTE_LOCK_GRACE_MS: number;
  LANDING_CHECK_INTERVAL_MS: number;
}

export interface PaymentDeps {
  store: OrderStore;
  toss: TossClient;
  /** The landing tokens (./landing-token.ts): made for the URLs given to Toss, checked by the landings. */
  tokens: LandingTokens;
  /** From shared/config.ts (appConfigSchema): where this API is reached, and how long its leases, locks and landing checks last. */
  config: PaymentConfig;
  clock: () => number;
  logger: PaymentLogger;
  count: CountMetric;
}
