/** What the webhook endpoints API can refuse, each with a stable code (its status: shared/http/error-codes.ts). */
import { PaymentError } from '../payments/errors.ts';
import type { UrlRefusal } from './webhook-url.ts';

export class WebhookEndpointNotFoundError extends PaymentError {
  override name = 'WebhookEndpointNotFoundError';
  readonly code = 'WEBHOOK_ENDPOINT_NOT_FOUND';
}

/** MERCHANT_WEBHOOK_URL's endpoint (we_env): a deployment changes it, not the API. */
export class WebhookEndpointManagedError extends PaymentError {
  override name = 'WebhookEndpointManagedError';
  readonly code = 'WEBHOOK_ENDPOINT_MANAGED_BY_CONFIGURATION';
  constructor() {
    super('this endpoint is MERCHANT_WEBHOOK_URL, managed by configuration: change it with the deployment (merchantWebhookUrl), not here');
  }
}

export class WebhookEndpointLimitError extends PaymentError {
  override name = 'WebhookEndpointLimitError';
  readonly code = 'WEBHOOK_ENDPOINT_LIMIT_REACHED';
}

export class WebhookEndpointDisabledError extends PaymentError {
  override name = 'WebhookEndpointDisabledError';
  readonly code = 'WEBHOOK_ENDPOINT_DISABLED';
}

/** An endpoint URL this stage does not send to: its scheme, its host, the addresses it resolves to. */
export class WebhookUrlNotAllowedError extends PaymentError {
  override name = 'WebhookUrlNotAllowedError';
  readonly code = 'WEBHOOK_URL_NOT_ALLOWED';
  readonly reason: UrlRefusal;
  readonly issues: ReadonlyArray<{ path: string; message: string; code: string }>;
  constructor(reason: UrlRefusal, message: string) {
    super(message);
    this.reason = reason;
    this.issues = [{ path: 'url', message, code: reason }];
  }
}

/** The URL's host could not be resolved now (DNS failed, not "no such host"): a retry may succeed. */
export class WebhookUrlCheckUnavailableError extends PaymentError {
  override name = 'WebhookUrlCheckUnavailableError';
  readonly code = 'TEMPORARILY_UNAVAILABLE';
  override readonly retryable = true;
  readonly retryAfterSeconds = 5;
}
