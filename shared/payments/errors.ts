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
