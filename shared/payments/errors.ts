/** Use-case outcomes that become a 4xx reply (shared/http maps them). */
export class OrderNotFoundError extends Error {
  override name = 'OrderNotFoundError';
  readonly orderNo: string;
  constructor(orderNo: string) {
    super('no such order');
    this.orderNo = orderNo;
  }
}

export class OrderNoConflictError extends Error {
  override name = 'OrderNoConflictError';
  readonly orderNo: string;
  constructor(orderNo: string) {
    super('this orderNo was already used for a different payment request');
    this.orderNo = orderNo;
  }
}

/** A callback that is unconfirmed by Toss or contradicted by Toss or the stored order. */
export class CallbackRejectedError extends Error {
  override name = 'CallbackRejectedError';
  readonly code: 'CALLBACK_NOT_CONFIRMED' | 'CALLBACK_CONTRADICTED';
  readonly httpStatus: 409 | 422;
  constructor(code: 'CALLBACK_NOT_CONFIRMED' | 'CALLBACK_CONTRADICTED', message: string, httpStatus: 409 | 422) {
    super(message);
    this.code = code;
    this.httpStatus = httpStatus;
  }
}

/** The order was recorded under the other Toss mode (TEST vs LIVE) than our key's. */
export class ModeMismatchError extends Error {
  override name = 'ModeMismatchError';
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
export class CreateInProgressError extends Error {
  override name = 'CreateInProgressError';
  readonly orderNo: string;
  readonly retryAfterSeconds: number;
  constructor(orderNo: string, retryAfterSeconds: number) {
    super('an earlier attempt to create this payment may still be in progress; retry later');
    this.orderNo = orderNo;
    this.retryAfterSeconds = retryAfterSeconds;
  }
}
