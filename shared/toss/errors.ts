/**
 * Typed Toss failures. None of them ever carries the apiKey or a request/reply body.
 */

/** Toss answered `code: -1`: it refused the request (the outcome is known: nothing happened). */
export class TossRefusedError extends Error {
  override name = 'TossRefusedError';
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

/** Toss answered 5xx (or could not be reached at all): a retry later may succeed. */
export class TossServerError extends Error {
  override name = 'TossServerError';
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
export class TossUnknownOutcomeError extends Error {
  override name = 'TossUnknownOutcomeError';
  readonly reason: 'timeout' | 'connection' | 'malformed';
  constructor(reason: 'timeout' | 'connection' | 'malformed', message: string) {
    super(message);
    this.reason = reason;
  }
}

export const isTossError = (e: unknown): e is TossRefusedError | TossServerError | TossUnknownOutcomeError =>
  e instanceof TossRefusedError || e instanceof TossServerError || e instanceof TossUnknownOutcomeError;
