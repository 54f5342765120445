/**
 * The API's types for merchants' TypeScript: what to send and what comes back, inferred from the
 * very schemas the handlers parse requests with and type their replies with (the OpenAPI document,
 * docs/openapi.json, is made from the same schemas). Types only: importing this module loads
 * nothing at run time.
 *
 *   import type { CreatePaymentRequest, CreatePaymentReply, OrderEvent } from './shared/api-types.ts';
 *
 * Requests are the schemas' input (what you may send: defaults optional); replies their output.
 * Replies may gain fields: code that reads them should ignore fields it does not know.
 */
import type * as z from './zod.ts';
import type { createEndpointRequestSchema, listEventsQuerySchema, redeliverEventRequestSchema, redeliverRequestSchema, updateEndpointRequestSchema } from './events/request-schemas.ts';
import type { EventType } from './events/event-shape.ts';
import type { EndpointEvent, OrderEvent, TestEvent } from './events/reply-schemas.ts';
import type { cancelRequestSchema, createPaymentSchema, listPaymentsQuerySchema, refundRequestSchema } from './payments/request-schemas.ts';
import type { listTransactionsQuerySchema } from './ledger/request-schemas.ts';

// ---- Requests ------------------------------------------------------------------------------
/** `POST /payments` body. */
export type CreatePaymentRequest = z.input<typeof createPaymentSchema>;
/** `POST /payments/{orderNo}/refunds` body (with the `Idempotency-Key` header). */
export type RefundRequest = z.input<typeof refundRequestSchema>;
/** `POST /payments/{orderNo}/cancel` body (optional). */
export type CancelPaymentRequest = z.input<typeof cancelRequestSchema>;
/** `GET /payments` query parameters (as strings in the URL). */
export type ListPaymentsQuery = { [K in keyof z.input<typeof listPaymentsQuerySchema>]?: string };
/** `GET /events` query parameters (as strings in the URL). */
export type ListEventsQuery = { [K in keyof z.input<typeof listEventsQuerySchema>]?: string };
/** `GET /transactions` query parameters (as strings in the URL). */
export type ListTransactionsQuery = { [K in keyof z.input<typeof listTransactionsQuerySchema>]?: string };
/** `POST /events/redeliver` body. */
export type RedeliverRequest = z.input<typeof redeliverRequestSchema>;
/** `POST /events/{id}/redeliver` body (optional). */
export type RedeliverEventRequest = z.input<typeof redeliverEventRequestSchema>;
/** `POST /webhook-endpoints` body. */
export type CreateWebhookEndpointRequest = z.input<typeof createEndpointRequestSchema>;
/** `PATCH /webhook-endpoints/{id}` body. */
export type UpdateWebhookEndpointRequest = z.input<typeof updateEndpointRequestSchema>;

// ---- Replies -------------------------------------------------------------------------------
export type {
  CallbackReply,
  CreatePaymentReply,
  ListPaymentsReply,
  OrderSummary,
  OrderView,
  RefundReply,
} from './payments/reply-schemas.ts';
/** `POST /payments/{orderNo}/cancel` answers the order as `GET /payments/{orderNo}` shows it. */
export type { OrderView as CancelPaymentReply } from './payments/reply-schemas.ts';
export type { EventView, ListEventsReply, RedeliverFailedReply } from './events/reply-schemas.ts';
/** The webhook endpoints API's replies (a secret only in the create and rotate replies). */
export type {
  CreateEndpointReply as CreateWebhookEndpointReply,
  DeleteEndpointReply as DeleteWebhookEndpointReply,
  EndpointDetail as WebhookEndpointDetail,
  EndpointView as WebhookEndpoint,
  ListEndpointsReply as ListWebhookEndpointsReply,
  RotateSecretReply,
  TestEndpointReply as TestWebhookEndpointReply,
} from './events/reply-schemas.ts';
/** `GET /transactions` (JSON): the ledger's page, each row a TransactionView. */
export type { ListTransactionsReply, TransactionView } from './ledger/reply-schemas.ts';
/** The JSON error reply, and what API Gateway answers by itself (401, 403, 429, …). */
export type { ErrorReplyBody as ErrorReply, GatewayErrorBody as GatewayError } from './http/error-schema.ts';
/** Every `error.code` (shared/http/error-codes.ts has each one's status). */
export type { ErrorCode } from './http/error-codes.ts';

// ---- Events --------------------------------------------------------------------------------
/** An event: the body of every webhook, the `detail` of the bus's events, an entry of GET /events. */
export type { OrderEvent };
/** endpoint.disabled: sent to the other endpoints when one is disabled for failing. */
export type { EndpointEvent };
/** webhook.test: what POST /webhook-endpoints/{id}/test sends. */
export type { TestEvent };
export type { EventType };
/** What a webhook's body may be. */
export type WebhookEvent = OrderEvent | EndpointEvent | TestEvent;
/** The event of one type (`data.refund` is there on payment.refunded and refund.failed). */
export type OrderEventOf<T extends OrderEvent['type']> = OrderEvent & { type: T };
