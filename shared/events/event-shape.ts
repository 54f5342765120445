/**
 * What an event is made of, as the contract states it: its types, the order fields its `data`
 * keeps and the bounds on it, and the states of its webhook delivery. Plain data: the events
 * (./order-events.ts, ./event-data.ts), their schemas (./reply-schemas.ts, ./request-schemas.ts)
 * and the ports all read it, and it reads none of them.
 */
import type { OrderView } from '../payments/reply-schemas.ts';

// The event catalogue: every type an endpoint may subscribe to, GET /events may be filtered by, and
// the OpenAPI document describes. Order events come from the orders' changes (./order-events.ts);
// `endpoint.disabled` from the endpoints' (./endpoint-events.ts). `webhook.test` is sent only by
// `POST /webhook-endpoints/{id}/test`, to that endpoint: it is not logged and nobody subscribes to it.
export const ORDER_EVENT_TYPES = [
  'payment.completed',
  'payment.cancelled',
  'payment.failed',
  'payment.refunded',
  'refund.failed',
  'payment.settled',
  'order.flagged',
] as const;
export type OrderEventType = (typeof ORDER_EVENT_TYPES)[number];

export const ENDPOINT_EVENT_TYPES = ['endpoint.disabled'] as const;
export type EndpointEventType = (typeof ENDPOINT_EVENT_TYPES)[number];

export const EVENT_TYPES = [...ORDER_EVENT_TYPES, ...ENDPOINT_EVENT_TYPES] as const;
export type EventType = (typeof EVENT_TYPES)[number];

/** The type of the probe `POST /webhook-endpoints/{id}/test` sends. */
export const TEST_EVENT_TYPE = 'webhook.test' as const;

/** The latest refunds an event carries (oldest first); GET /payments/{orderNo} has them all. */
export const EVENT_RECENT_REFUNDS = 10;
/** The latest refund transactions an event carries beside the payment's own; GET /payments/{orderNo} has them all. */
export const EVENT_RECENT_TRANSACTIONS = 10;
/** The most an event's envelope (a webhook's body, the bus entry's Detail, the log's body) takes, in UTF-8 bytes. */
export const MAX_EVENT_BYTES = 64 * 1024;

/** The fields of the order view an event keeps as they are (besides the ones ./event-data.ts bounds). */
export const EVENT_ORDER_FIELDS = {
  orderNo: true,
  version: true,
  status: true,
  paymentState: true,
  paid: true,
  mode: true,
  modeMismatch: true,
  amount: true,
  amountTaxFree: true,
  amountTaxable: true,
  amountVat: true,
  amountServiceFee: true,
  paidAmount: true,
  refundedAmount: true,
  refundableAmount: true,
  discountedAmount: true,
  tossPaidAmount: true,
  productDesc: true,
  autoExecute: true,
  payToken: true,
  payMethod: true,
  metadata: true,
  expiresAt: true,
  paidAt: true,
  paidTs: true,
  cancelReason: true,
  cancelNote: true,
  cancelledBy: true,
  settled: true,
  settledSeenAt: true,
  tossMoney: true,
  receiptUrl: true,
  transactions: true,
  createdAt: true,
  updatedAt: true,
  failure: true,
  attention: true,
} as const satisfies Partial<Record<keyof OrderView, true>>;

/**
 * What became of an event at one endpoint: `pending` (an attempt is due), `delivered` (a 2xx),
 * `failed` (the retry schedule ran out; redeliverable), `waiting` (the endpoint is disabled: sent
 * when it is enabled again), `cancelled` (the endpoint was deleted). The event log shows `none`
 * for an event no endpoint was to get.
 */
export type DeliveryState = 'pending' | 'delivered' | 'failed' | 'waiting' | 'cancelled';
export type DeliveryStatus = DeliveryState | 'none';

// The webhook endpoints' bounds (./endpoint-model.ts makes and reads endpoints).
/** Endpoints the API manages (the configured one is not counted: it is not the API's to create or remove). */
export const MAX_ENDPOINTS = 20;
/** The endpoint MERCHANT_WEBHOOK_URL configures: listed, delivered to, and read only through the API. */
export const ENV_ENDPOINT_ID = 'we_env';
export const ENDPOINT_ID_RE = /^we_[A-Za-z0-9]{1,32}$/;
/** The longest endpoint URL taken. */
export const MAX_URL_LENGTH = 2_048;
export const MAX_DESCRIPTION_LENGTH = 256;
/** Attempts a delivery keeps (the latest), so that its item stays small whatever happens; `attemptCount` counts them all. */
export const MAX_KEPT_ATTEMPTS = 10;


