/**
 * Store failures, handled one way: every store module sends through storeSend, so DynamoDB
 * failing is read by the one rule (storeFailure). Conditional-write outcomes are not failures
 * (the store returns them as results); what is thrown is DynamoDB itself failing.
 */
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';

/** The base of every store failure. `retryable`: the same call later may succeed. */
export abstract class StoreError extends Error {
  abstract readonly retryable: boolean;
}

/** DynamoDB failed in a way a retry may fix: throttling, a 5xx, the network, a timeout. */
export class StoreUnavailableError extends StoreError {
  override name = 'StoreUnavailableError';
  readonly retryable = true;
}

/**
 * DynamoDB refused a write to an order for a reason no retry changes (a ValidationException: the
 * item would outgrow DynamoDB's 400 KB, or the request is wrong). The change it carried is not
 * recorded: the order is flagged for a person (`flagged`: that small write of its own succeeded),
 * and whoever meets this error counts it (OrderWritesRejected, alarmed). Never retried, never skipped.
 */
export class OrderWriteRejectedError extends StoreError {
  override name = 'OrderWriteRejectedError';
  readonly retryable = false;
  readonly orderNo: string;
  /** `ITEM_TOO_LARGE`, or `VALIDATION` for any other refusal. */
  readonly reason: 'ITEM_TOO_LARGE' | 'VALIDATION';
  readonly flagged: boolean;
  constructor(orderNo: string, reason: 'ITEM_TOO_LARGE' | 'VALIDATION', flagged: boolean, cause: unknown) {
    super(`DynamoDB refused a write to order ${orderNo} (${reason})`, { cause });
    this.orderNo = orderNo;
    this.reason = reason;
    this.flagged = flagged;
  }
}

/** A DynamoDB refusal no retry changes (ValidationException), and why: the item's size or anything else. */
export function validationRefusal(e: unknown): 'ITEM_TOO_LARGE' | 'VALIDATION' | undefined {
  const err = e as { name?: string; message?: string };
  if (err?.name !== 'ValidationException') return undefined;
  return /item size|maximum allowed size|exceed/i.test(err.message ?? '') ? 'ITEM_TOO_LARGE' : 'VALIDATION';
}

/** Error names DynamoDB or the SDK give to failures a retry may fix. */
const TRANSIENT = new Set([
  'ProvisionedThroughputExceededException',
  'ThrottlingException',
  'RequestLimitExceeded',
  'InternalServerError',
  'ServiceUnavailable',
  'TransactionConflictException',
  'TimeoutError',
  'AbortError',
]);

/**
 * The one rule for what a DynamoDB failure means: transient ones (throttling, 5xx, network, no
 * HTTP status at all) become StoreUnavailableError; a failed condition and anything else (a bug:
 * a bad expression, a missing table) pass through unchanged.
 */
export function storeFailure(e: unknown): unknown {
  if (e instanceof ConditionalCheckFailedException) return e;
  const err = e as { name?: string; $metadata?: { httpStatusCode?: number }; code?: string };
  const status = err.$metadata?.httpStatusCode;
  const network = typeof err.code === 'string' && /^(ECONN|ETIMEDOUT|EPIPE|ENOTFOUND|EAI_AGAIN|UND_ERR)/.test(err.code);
  if (TRANSIENT.has(err.name ?? '') || (status !== undefined && status >= 500) || network || status === undefined)
    return new StoreUnavailableError(`DynamoDB unavailable: ${err.name ?? 'error'}`, { cause: e });
  return e;
}

/**
 * THE way the store's modules call DynamoDB: `client.send`, its failure read by storeFailure, so
 * a transient one is a StoreUnavailableError wherever it happens. A failed condition (and a
 * cancelled transaction) comes through as it is: its caller reads the item it carries.
 */
export function storeSend(client: DynamoDBDocumentClient): DynamoDBDocumentClient['send'] {
  const send = client.send.bind(client) as (...args: unknown[]) => Promise<unknown>;
  return ((...args: unknown[]) =>
    send(...args).catch((e: unknown) => {
      throw storeFailure(e);
    })) as DynamoDBDocumentClient['send'];
}
