/**
 * What a use case can refuse, as errors with a stable `code`. They carry no HTTP status: the
 * HTTP edge (shared/http/error-replies.ts) decides how each is answered, with the status
 * shared/http/error-codes.ts gives each code (which does not compile without one for each).
 */
import { StoreError } from '../store/errors.ts';
import { TossError } from '../toss/errors.ts';

/** Every code a use case refuses with (the payments', the event log's, the webhook endpoints', a listing's cursor). */
export type RefusalCode =
  | 'VALIDATION_FAILED'
  | 'INVALID_CURSOR'
  | 'ORDER_NOT_FOUND'
  | 'EVENT_NOT_FOUND'
  | 'ORDER_NO_CONFLICT'
  | 'MODE_MISMATCH'
  | 'CREATE_IN_PROGRESS'
  | CallbackRejection
  | 'IDEMPOTENCY_KEY_REUSED'
  | 'REFUND_IN_PROGRESS'
  | 'REFUND_EXCEEDS_BALANCE'
  | 'REFUND_LIMIT_REACHED'
  | 'ORDER_NOT_PAID'
  | 'ORDER_PAID'
  | 'ORDER_NOT_CANCELABLE'
  | 'WEBHOOK_NOT_CONFIGURED'
  | 'WEBHOOK_ENDPOINT_NOT_FOUND'
  | 'WEBHOOK_ENDPOINT_MANAGED_BY_CONFIGURATION'
  | 'WEBHOOK_ENDPOINT_DISABLED'
  | 'WEBHOOK_ENDPOINT_LIMIT_REACHED'
  | 'WEBHOOK_URL_NOT_ALLOWED'
  // A check that needs a service that failed (a webhook URL's name resolution): a retry may succeed.
  | 'TEMPORARILY_UNAVAILABLE';

/** The base of every use-case refusal. `retryable`: the same request later may succeed. */
export abstract class PaymentError extends Error {
  /** A RefusalCode: shared/http/error-codes.ts gives its HTTP status. */
  abstract readonly code: RefusalCode;
  readonly retryable: boolean = false;
}

export class OrderNotFoundError extends PaymentError {
  override name = 'OrderNotFoundError';
  readonly code = 'ORDER_NOT_FOUND';
  readonly orderNo: string;
  constructor(orderNo: string) {
    super('no such order');
    this.orderNo = orderNo;
  }
}

export class OrderNoConflictError extends PaymentError {
  override name = 'OrderNoConflictError';
  readonly code = 'ORDER_NO_CONFLICT';
  readonly orderNo: string;
  constructor(orderNo: string, message = 'this orderNo was already used for a different payment request') {
    super(message);
    this.orderNo = orderNo;
  }
}

/** The order was recorded under the other Toss mode (TEST vs LIVE) than our key's. */
export class ModeMismatchError extends PaymentError {
  override name = 'ModeMismatchError';
  readonly code = 'MODE_MISMATCH';
  readonly orderNo: string;
  constructor(orderNo: string, orderMode: string, keyMode: string) {
    super(`this order was created in ${orderMode} mode; the current Toss key is ${keyMode}`);
    this.orderNo = orderNo;
  }
}

/**
 * Another attempt of this create may still be talking to Toss (it holds the create lease): the
 * caller retries after `retryAfterSeconds`, when the attempt is surely over.
 */
export class CreateInProgressError extends PaymentError {
  override name = 'CreateInProgressError';
  readonly code = 'CREATE_IN_PROGRESS';
  override readonly retryable = true;
  readonly orderNo: string;
  readonly retryAfterSeconds: number;
  constructor(orderNo: string, retryAfterSeconds: number) {
    super('an earlier attempt to create this payment may still be in progress; retry later');
    this.orderNo = orderNo;
    this.retryAfterSeconds = retryAfterSeconds;
  }
}

export type CallbackRejection =
  /** The body is not a callback (missing or malformed fields). */
  | 'CALLBACK_MALFORMED'
  /** Toss has no payment with the callback's payToken. */
  | 'CALLBACK_UNKNOWN_PAYMENT'
  /** Toss has the payment, but not as paid. */
  | 'CALLBACK_NOT_CONFIRMED'
  /** Toss or the stored order disagree with the callback (orderNo, payToken, amount, mode). */
  | 'CALLBACK_CONTRADICTED';

/** A callback refused: nothing was written, and a security event was logged. */
export class CallbackRejectedError extends PaymentError {
  override name = 'CallbackRejectedError';
  readonly code: CallbackRejection;
  /** Which fields were wrong (CALLBACK_MALFORMED). */
  readonly issues: readonly { path: string; message: string }[];
  constructor(code: CallbackRejection, message: string, issues: readonly { path: string; message: string }[] = []) {
    super(message);
    this.code = code;
    this.issues = issues;
  }
}

/** The same Idempotency-Key was used for a refund with another body. */
export class IdempotencyKeyReusedError extends PaymentError {
  override name = 'IdempotencyKeyReusedError';
  readonly code = 'IDEMPOTENCY_KEY_REUSED';
  constructor() {
    super('this Idempotency-Key was already used for a refund with another body');
  }
}

/** What a retry after a refund in flight waits when no call's end is known (seconds). */
export const REFUND_RETRY_AFTER_SECONDS = 5;

/**
 * Toss takes one refund at a time, and we one call about a refund at a time: another refund is in
 * flight, or a call to Toss about this one runs. The caller retries after `retryAfterSeconds`.
 */
export class RefundInProgressError extends PaymentError {
  override name = 'RefundInProgressError';
  readonly code = 'REFUND_IN_PROGRESS';
  override readonly retryable = true;
  readonly retryAfterSeconds: number;
  constructor(retryAfterSeconds = REFUND_RETRY_AFTER_SECONDS, message = 'another refund of this order is in progress; retry when it is over') {
    super(message);
    this.retryAfterSeconds = retryAfterSeconds;
  }
}

/** The order holds as many refunds as one order may (shared/domain/order-limits.ts): nothing was sent to Toss. */
export class RefundLimitReachedError extends PaymentError {
  override name = 'RefundLimitReachedError';
  readonly code = 'REFUND_LIMIT_REACHED';
  constructor(max: number) {
    super(`the order already holds ${max} refunds, the most one order may hold; refund the rest in Toss's console`);
  }
}

export class RefundExceedsBalanceError extends PaymentError {
  override name = 'RefundExceedsBalanceError';
  readonly code = 'REFUND_EXCEEDS_BALANCE';
  constructor(refundable: number) {
    super(`the refund exceeds what is left to refund (${refundable})`);
  }
}

/** The order holds no money (not paid, or cancelled). */
export class OrderNotPaidError extends PaymentError {
  override name = 'OrderNotPaidError';
  readonly code = 'ORDER_NOT_PAID';
  constructor(status: string) {
    super(`the order is not paid (${status})`);
  }
}

/** A paid order cannot be cancelled: refund it instead. */
export class OrderPaidError extends PaymentError {
  override name = 'OrderPaidError';
  readonly code = 'ORDER_PAID';
  constructor() {
    super('the order is paid: refund it instead');
  }
}

/** The order is in a state no cancel can be sent in (being created or executed, or failed). */
export class OrderNotCancelableError extends PaymentError {
  override name = 'OrderNotCancelableError';
  readonly code = 'ORDER_NOT_CANCELABLE';
  override readonly retryable: boolean;
  constructor(status: string, retryable: boolean) {
    super(`the order cannot be cancelled now (${status})`);
    this.retryable = retryable;
  }
}

/** A request that breaks a rule only the order can tell (e.g. its tax parts): 400, like a malformed request. */
export class InvalidRequestError extends PaymentError {
  override name = 'InvalidRequestError';
  readonly code = 'VALIDATION_FAILED';
  readonly issues: readonly { path: string; message: string; code: string }[];
  constructor(message: string, issues: readonly { path: string; message: string; code: string }[]) {
    super(message);
    this.issues = issues;
  }
}

/**
 * A failure the code expects and handles (a use-case refusal, Toss or DynamoDB failing); anything
 * else is a bug, to be logged with its stack and counted as UnhandledErrors (alarmed).
 */
export const isExpectedFailure = (e: unknown): boolean => e instanceof PaymentError || e instanceof TossError || e instanceof StoreError;
