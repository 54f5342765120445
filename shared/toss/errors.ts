/**
 * Typed Toss failures. None of them ever carries the apiKey or a request/reply body.
 *
 * Every failure says what Toss did, because that decides what the caller may do next:
 * - TossRefusedError: Toss answered `code: -1` for good; nothing happened, and asking again
 *   gets the same answer.
 * - TossBusyError: Toss asked us to come back later (HTTP 429, or an errorCode Toss documents
 *   as transient); nothing happened, and asking again later may succeed.
 * - TossServerError: HTTP 5xx, or Toss could not be reached at all; nothing happened as far as
 *   the reply says, and a retry later may succeed.
 * - TossUnknownOutcomeError: the request was (or may have been) sent but no usable reply came
 *   back. What Toss did is UNKNOWN: only the status API can tell.
 */

/** The base of every Toss failure. `retryable`: the same call later may succeed. */
export abstract class TossError extends Error {
  abstract readonly retryable: boolean;
}

/** Toss answered `code: -1` and the errorCode is final: nothing happened. */
export class TossRefusedError extends TossError {
  override name = 'TossRefusedError';
  readonly retryable = false;
  readonly errorCode: string;
  readonly msg: string;
  readonly httpStatus: number;
  constructor(errorCode: string, msg: string, httpStatus: number) {
    super(`Toss refused: ${errorCode} (${httpStatus})`);
    this.errorCode = errorCode;
    this.msg = msg;
    this.httpStatus = httpStatus;
  }
}

/**
 * Toss asked us to try later: HTTP 429 (throttling) or a `code: -1` reply whose errorCode means
 * "not now" (TRANSIENT_ERROR_CODES). Nothing happened. Never a refusal, never a security event.
 */
export class TossBusyError extends TossError {
  override name = 'TossBusyError';
  readonly retryable = true;
  readonly errorCode: string;
  readonly httpStatus: number;
  /** Seconds Toss asked us to wait (its Retry-After header), or our default. */
  readonly retryAfterSeconds: number;
  constructor(errorCode: string, httpStatus: number, retryAfterSeconds: number) {
    super(`Toss asked to try later: ${errorCode} (${httpStatus})`);
    this.errorCode = errorCode;
    this.httpStatus = httpStatus;
    this.retryAfterSeconds = retryAfterSeconds;
  }
}

/** Toss answered 5xx (or could not be reached at all): a retry later may succeed. */
export class TossServerError extends TossError {
  override name = 'TossServerError';
  readonly retryable = true;
  readonly httpStatus: number | undefined;
  constructor(message: string, httpStatus?: number) {
    super(message);
    this.httpStatus = httpStatus;
  }
}

/**
 * The request was (or may have been) sent but no usable reply came back: timeout, connection
 * reset, malformed reply. What Toss did is UNKNOWN: resolve it with the status API, never guess.
 */
export class TossUnknownOutcomeError extends TossError {
  override name = 'TossUnknownOutcomeError';
  readonly retryable = true;
  readonly reason: 'timeout' | 'connection' | 'malformed';
  constructor(reason: 'timeout' | 'connection' | 'malformed', message: string) {
    super(message);
    this.reason = reason;
  }
}

/**
 * errorCodes that mean "try later" rather than "no": a system error on Toss's side, a
 * transaction still running, the banks' maintenance window. Toss adds codes without notice;
 * an unknown code is a refusal.
 */
export const TRANSIENT_ERROR_CODES: ReadonlySet<string> = new Set([
  'COMMON_SYSTEM_ERROR',
  'TRANSACTION_PENDING_ERROR',
  'COMMON_BREAK_TIME_OF_BANK',
]);

/** What we wait before trying again when Toss did not say (seconds). */
export const DEFAULT_RETRY_AFTER_SECONDS = 5;

export const isTossError = (e: unknown): e is TossError => e instanceof TossError;

/** Toss did nothing and said so: a retry later may succeed (5xx, 429, transient errorCode). */
export const isTossNothingHappened = (e: unknown): e is TossServerError | TossBusyError =>
  e instanceof TossServerError || e instanceof TossBusyError;

/** Toss has no payment for this payToken or orderNo (HTTP 404, or a *_NOT_FOUND errorCode). */
export const isTossNotFound = (e: unknown): e is TossRefusedError =>
  e instanceof TossRefusedError && (e.httpStatus === 404 || /NOT_FOUND/.test(e.errorCode));
