/**
 * The event catalogue: every type an endpoint may subscribe to, GET /events may be filtered by, and
 * the OpenAPI document describes. Order events come from the orders' changes (./order-events.ts);
 * `endpoint.disabled` from the endpoints' (./endpoint-events.ts). `webhook.test` is sent only by
 * `POST /webhook-endpoints/{id}/test`, to that endpoint: it is not logged and nobody subscribes to it.
 */
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
