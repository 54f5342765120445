/**
 * The API's OpenAPI 3.1 document, made from the code itself: the paths from THE route table
 * (shared/routes.ts), the request schemas the handlers parse with (zod, converted as their input),
 * the reply schemas the handlers' replies are typed with (converted as their output), the error
 * reply with every error code (shared/http/error-codes.ts) and, per route, the codes and statuses
 * it can answer. Merchant routes carry the bearer scheme; public routes none.
 *
 *   npm run openapi            writes docs/openapi.json
 *   node tools/openapi.ts --check   fails when docs/openapi.json is not what the code makes
 *
 * `npm run openapi` then makes the typed client's types from it (tools/client-types.ts).
 *
 * docs/openapi.json is what `GET /openapi.json` serves (functions/openapi bundles the file, so no
 * function converts schemas at run time); test/unit/openapi.test.ts fails when it is stale.
 *
 * The replies' objects are documented open (no `additionalProperties: false`): a client should
 * ignore a field it does not know, so adding one is not a breaking change. The tests check the
 * replies against the document closed (test/support/openapi-replies.ts), so the document names
 * every field the code sends.
 */
import { writeOrCheck } from './generated-file.ts';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  listEventsQuerySchema,
  eventIdSchema,
  listFailedQuerySchema,
  listOrderEventsQuerySchema,
  redeliverEventRequestSchema,
  redeliverRequestSchema,
  createEndpointRequestSchema,
  emptyRequestSchema,
  endpointIdSchema,
  updateEndpointRequestSchema,
} from '../shared/events/request-schemas.ts';
import { ENDPOINT_EVENT_TYPES, MAX_ENDPOINTS, ORDER_EVENT_TYPES, TEST_EVENT_TYPE } from '../shared/events/event-shape.ts';
import {
  createEndpointReplySchema,
  deleteEndpointReplySchema,
  endpointDetailSchema,
  endpointHealthSchema,
  endpointViewSchema,
  listEndpointsReplySchema,
  rotateSecretReplySchema,
  testEndpointReplySchema,
  deliveryAttemptSchema,
  deliverySchema,
  endpointDisabledDataSchema,
  endpointEventSchema,
  eventDataSchema,
  eventTypeSchema,
  eventViewSchema,
  listEventsReplySchema,
  orderEventSchema,
  orderEventTypeSchema,
  redeliverFailedReplySchema,
  testEventSchema,
} from '../shared/events/reply-schemas.ts';
import { ERROR_STATUS, type ErrorCode } from '../shared/http/error-codes.ts';
import { errorReplySchema, gatewayErrorSchema, issueSchema } from '../shared/http/error-schema.ts';
import { MAX_REFUNDS_PER_ORDER } from '../shared/domain/order-limits.ts';
import { ORDER_NO_RE } from '../shared/domain/order-no.ts';
import {
  callbackBodySchema,
  cancelRequestSchema,
  createPaymentSchema,
  IDEMPOTENCY_KEY_RE,
  listPaymentsQuerySchema,
  refundRequestSchema,
  statsQuerySchema,
} from '../shared/payments/request-schemas.ts';
import { CSV_COLUMNS } from '../shared/ledger/csv.ts';
import { listTransactionsQuerySchema } from '../shared/ledger/request-schemas.ts';
import { listTransactionsReplySchema, transactionViewSchema } from '../shared/ledger/reply-schemas.ts';
import { PAY_TOKEN_RE } from '../shared/payments/view.ts';
import {
  attentionSchema,
  callbackReplySchema,
  cardFactsSchema,
  cancelReasonSchema,
  createPaymentReplySchema,
  failureSchema,
  historyEntrySchema,
  listPaymentsReplySchema,
  modeSchema,
  orderStatusSchema,
  orderSummarySchema,
  orderViewSchema,
  refundReplySchema,
  refundViewSchema,
  tossMoneySchema,
  transactionSchema,
  actorSchema,
  statsReplySchema,
} from '../shared/payments/reply-schemas.ts';
import { limitDocument } from '../shared/paging.ts';
import { routeKey, routes, type Route } from '../shared/routes.ts';
import { ROLE_PERMISSIONS, ROLES, type Permission } from '../shared/roles.ts';
import { DOCS_ASSET_NAMES } from '../functions/api-docs/page.ts';
import * as z from '../shared/zod.ts';

/** Where the document is written, from the repository root. */
export const DOCUMENT_PATH = 'docs/openapi.json';
const ROOT = join(import.meta.dirname, '..');

type Json = Record<string, unknown>;
type TableRoute = (typeof routes)[number];
/** `POST /payments`, … : exactly the keys of the route table. */
type RouteKey = keyof { [R in TableRoute as `${R['method']} ${R['path']}`]: R };

const ref = (id: string): Json => ({ $ref: `#/components/schemas/${id}` });

/** Reply schemas (their output), by component name. */
const REPLY_SCHEMAS: Record<string, z.core.$ZodType> = {
  OrderStatus: orderStatusSchema,
  Mode: modeSchema,
  CancelReason: cancelReasonSchema,
  Failure: failureSchema,
  Attention: attentionSchema,
  Refund: refundViewSchema,
  HistoryEntry: historyEntrySchema,
  TossTransaction: transactionSchema,
  OrderView: orderViewSchema,
  OrderSummary: orderSummarySchema,
  ListPaymentsReply: listPaymentsReplySchema,
  CreatePaymentReply: createPaymentReplySchema,
  RefundReply: refundReplySchema,
  CallbackReply: callbackReplySchema,
  EventType: eventTypeSchema,
  OrderEventType: orderEventTypeSchema,
  EventData: eventDataSchema,
  OrderEvent: orderEventSchema,
  EndpointDisabledData: endpointDisabledDataSchema,
  EndpointEvent: endpointEventSchema,
  TestEvent: testEventSchema,
  DeliveryAttempt: deliveryAttemptSchema,
  Delivery: deliverySchema,
  EventView: eventViewSchema,
  ListEventsReply: listEventsReplySchema,
  RedeliverFailedReply: redeliverFailedReplySchema,
  WebhookEndpoint: endpointViewSchema,
  WebhookEndpointHealth: endpointHealthSchema,
  WebhookEndpointDetail: endpointDetailSchema,
  CreateWebhookEndpointReply: createEndpointReplySchema,
  RotateSecretReply: rotateSecretReplySchema,
  ListWebhookEndpointsReply: listEndpointsReplySchema,
  DeleteWebhookEndpointReply: deleteEndpointReplySchema,
  TestWebhookEndpointReply: testEndpointReplySchema,
  CardFacts: cardFactsSchema,
  TossMoney: tossMoneySchema,
  Transaction: transactionViewSchema,
  ListTransactionsReply: listTransactionsReplySchema,
  Actor: actorSchema,
  StatsReply: statsReplySchema,
  Issue: issueSchema,
  ErrorReply: errorReplySchema,
  GatewayError: gatewayErrorSchema,
};

/** Request bodies (their input: what a client sends, defaults optional), by component name. */
const REQUEST_SCHEMAS: Record<string, z.core.$ZodType> = {
  CreatePaymentRequest: createPaymentSchema,
  RefundRequest: refundRequestSchema,
  CancelRequest: cancelRequestSchema,
  RedeliverRequest: redeliverRequestSchema,
  RedeliverEventRequest: redeliverEventRequestSchema,
  CreateWebhookEndpointRequest: createEndpointRequestSchema,
  UpdateWebhookEndpointRequest: updateEndpointRequestSchema,
  EmptyRequest: emptyRequestSchema,
  TossCallback: callbackBodySchema,
};

/**
 * Zod's bounds of a safe integer say nothing a reader needs, and its date-time regex is what
 * `format: date-time` says (the tests check the format with zod's own check): left out. With
 * `open` (the reply schemas), objects are documented open (see the header).
 */
function tidy(schema: unknown, open = false): unknown {
  if (Array.isArray(schema)) return schema.map((s) => tidy(s, open));
  if (schema === null || typeof schema !== 'object') return schema;
  const out: Json = {};
  const dateTime = (schema as Json).format === 'date-time';
  for (const [k, v] of Object.entries(schema)) {
    if (k === '$schema' || k === '$id') continue;
    if (k === 'pattern' && dateTime) continue;
    if (k === 'minimum' && v === Number.MIN_SAFE_INTEGER) continue;
    if (k === 'maximum' && v === Number.MAX_SAFE_INTEGER) continue;
    if (k === 'additionalProperties' && v === false && open) continue;
    out[k] = tidy(v, open);
  }
  return out;
}

function components(schemas: Record<string, z.core.$ZodType>, io: 'input' | 'output'): Record<string, Json> {
  const registry = z.registry<{ id: string }>();
  for (const [id, schema] of Object.entries(schemas)) registry.add(schema, { id });
  const out = z.toJSONSchema(registry, { io, uri: (id) => `#/components/schemas/${id}`, unrepresentable: 'throw' });
  return tidy(out.schemas, io === 'output') as Record<string, Json>;
}

/** One schema, inline (a path or query parameter). */
const inline = (schema: z.core.$ZodType): Json => tidy(z.toJSONSchema(schema, { io: 'input', unrepresentable: 'throw' })) as Json;

/** The query parameters of a strict object schema, each with its own schema. */
function queryParameters(schema: z.core.$ZodType, descriptions: Record<string, string>): Json[] {
  const object = inline(schema) as { properties: Record<string, Json>; required?: string[] };
  const shape = (schema as unknown as { _zod: { def: { shape?: Record<string, unknown> } } })._zod.def.shape ?? {};
  return Object.entries(object.properties).map(([name, s]) => ({
    name,
    in: 'query',
    required: (object.required ?? []).includes(name),
    ...(descriptions[name] !== undefined ? { description: descriptions[name] } : {}),
    // A limit is an integer as a query string carries it: digits (shared/paging.ts).
    schema: limitDocument(shape[name]) ?? s,
  }));
}

const orderNoParameter: Json = {
  name: 'orderNo',
  in: 'path',
  required: true,
  description: 'The orderNo given at create (or generated then).',
  schema: { type: 'string', pattern: ORDER_NO_RE.source },
};
const eventIdParameter: Json = { name: 'id', in: 'path', required: true, description: 'The event id (evt_…).', schema: inline(eventIdSchema) };
const endpointIdParameter: Json = {
  name: 'id',
  in: 'path',
  required: true,
  description: 'The endpoint id (we_…; we_env: MERCHANT_WEBHOOK_URL).',
  schema: inline(endpointIdSchema),
};
/** A body that may be left out, or `{}`: read by the JSON body parser all the same. */
const OPTIONAL_BODY: readonly ErrorCode[] = ['VALIDATION_FAILED', 'BODY_TOO_LARGE', 'MALFORMED_JSON'];

/** Codes every route may answer: a bug. */
const ALWAYS: readonly ErrorCode[] = ['INTERNAL_ERROR'];
/** A JSON body read by @middy/http-json-body-parser under a size limit. */
const JSON_BODY: readonly ErrorCode[] = ['VALIDATION_FAILED', 'BAD_REQUEST', 'BODY_TOO_LARGE', 'UNSUPPORTED_MEDIA_TYPE', 'MALFORMED_JSON'];
/** A call to Toss whose every failure is the caller's to retry. */
const TOSS_CALL: readonly ErrorCode[] = ['TOSS_FAILED', 'TOSS_BUSY', 'TOSS_TIMEOUT'];
const STORE: readonly ErrorCode[] = ['TEMPORARILY_UNAVAILABLE'];

interface Operation {
  summary: string;
  description?: string;
  operationId: string;
  tags: string[];
  parameters?: Json[];
  requestBody?: Json;
  /** Success replies, by status. */
  replies: Record<string, Json>;
  /** The JSON error codes it answers with (their statuses: shared/http/error-codes.ts). */
  errors: readonly ErrorCode[];
  /** The route answers pages (the landings): errors are pages too. */
  html?: boolean;
}

const json = (schema: Json, description: string, headers?: Json): Json => ({
  description,
  ...(headers !== undefined ? { headers } : {}),
  content: { 'application/json': { schema } },
});

const html = (description: string): Json => ({ description, content: { 'text/html': { schema: { type: 'string' } } } });

const landing = (source: 'return' | 'cancel'): Operation => ({
  summary: source === 'return' ? "The buyer's return landing (Toss's retUrl)" : "The buyer's cancel landing (Toss's retCancelUrl)",
  description:
    'Reached by the buyer\'s browser, sent by Toss. The query proves nothing: the order is resolved with Toss\'s status API, ' +
    'at most once every 2 s per order (`LANDING_CHECK_INTERVAL_MS`) however many requests arrive; the others answer from the stored order. ' +
    (source === 'return'
      ? 'An approved order created with `autoExecute: false` is executed here: never twice at once, and again on a later visit or reconciler pass if Toss failed for sure. '
      : 'PAY_CANCEL is recorded only when Toss\'s status confirms it. ') +
    'The reply is a Korean result page or, with MERCHANT_RESULT_URL, a 303 to that URL with `orderNo` and `result` (and for the buyer ' +
    '`timestamp` and `signature`, see docs/guides/integrate-your-shop.md). The order is shown only to the buyer, whose request carries the landing token `t` of ' +
    'the URL given to Toss; without it (an `orderNo` alone) or with a wrong one, the page says whether the order is done, nothing ' +
    'about it. A buyer never sees an error: an unknown order gets the not-found page (404), a failure the "still confirming" page ' +
    'with the failure\'s status, which reloads itself. Pages are never framed (`Content-Security-Policy: frame-ancestors \'none\'`, ' +
    '`X-Frame-Options: DENY`).',
  operationId: source === 'return' ? 'returnLanding' : 'cancelLanding',
  tags: ['Buyer'],
  parameters: [
    {
      name: 't',
      in: 'query',
      required: false,
      description: 'The landing token of the URL given to Toss: the order (base64url), a dot, and its 128-bit HMAC under a key of this service.',
      schema: { type: 'string', pattern: '^[A-Za-z0-9_-]{1,70}\\.[A-Za-z0-9_-]{22}$' },
    },
    {
      name: 'orderNo',
      in: 'query',
      required: false,
      description:
        "Without `t`: the order (the first orderNo counts). Toss appends its own `orderNo` to retUrl, with `status` and `payMethod`; payments created before landing tokens came back with ours.",
      schema: { type: 'string', pattern: ORDER_NO_RE.source },
    },
  ],
  replies: {
    '200': html('The result page (paid, refunded, cancelled, failed, or pending: it reloads itself).'),
    '303': {
      description: 'With MERCHANT_RESULT_URL: to that URL, with the order and its result (signed with the webhook secret when there is one).',
      headers: { Location: { required: true, schema: { type: 'string', format: 'uri' } } },
    },
    '404': html('No such order: the not-found page.'),
    '409': html('An order of the other Toss mode than the current key: it cannot be confirmed.'),
  },
  errors: [],
  html: true,
});

/** Every route's operation, by route key. Every route of shared/routes.ts has one (the type says so). */
const OPERATIONS: Record<RouteKey, Operation> = {
  'POST /payments': {
    summary: 'Create a payment',
    description:
      'Records the order, then creates the payment at Toss; send the buyer to `checkoutPage`. The orderNo is the idempotency key: ' +
      'the same request again answers 200 with the same payment, another body under the same orderNo 409 ORDER_NO_CONFLICT.',
    operationId: 'createPayment',
    tags: ['Payments'],
    requestBody: { required: true, content: { 'application/json': { schema: ref('CreatePaymentRequest') } } },
    replies: {
      '201': json(ref('CreatePaymentReply'), 'Created at Toss.'),
      '200': json(ref('CreatePaymentReply'), 'The same request again: the payment it created.'),
    },
    errors: [...JSON_BODY, 'ORDER_NO_CONFLICT', 'MODE_MISMATCH', 'CREATE_IN_PROGRESS', 'TOSS_REFUSED', ...TOSS_CALL, ...STORE, ...ALWAYS],
  },
  'GET /payments': {
    summary: 'List orders, newest first',
    description: 'By day (the last 30 days without `from`) or only the flagged ones (`attention=true`: the last year). Page with `cursor`.',
    operationId: 'listPayments',
    tags: ['Payments'],
    parameters: queryParameters(listPaymentsQuerySchema, {
      status: 'Only orders in this state.',
      paymentState: 'Only orders whose money is in this state (`paid`, `partially_refunded`, `refunded`, `cancelled`, `failed`, `unpaid`): a filter over the orders read, so a page may hold fewer than `limit` and still have a `next`.',
      attention: 'Only orders flagged for a person.',
      from: 'The oldest creation time listed (at most 366 days before `to`).',
      to: 'The newest creation time listed (default: now).',
      limit: 'Orders per page, 1 to 100, in digits.',
      cursor: '`next` of the previous page, with the same other parameters (`limit` may change). Any other is refused: 400 INVALID_CURSOR.',
    }),
    replies: { '200': json(ref('ListPaymentsReply'), 'A page of orders.') },
    errors: ['VALIDATION_FAILED', 'INVALID_CURSOR', ...STORE, ...ALWAYS],
  },
  'GET /payments/return': landing('return'),
  'GET /payments/cancel': landing('cancel'),
  'POST /payments/callback': {
    summary: "Toss's resultCallback",
    description:
      'Called by Toss, never by merchants. V2 JSON or V1 form. The body is only a hint: it is confirmed with Toss\'s status API, ' +
      'then orderNo, payToken, amount and mode are checked against the stored order. Answers 200 when the order is (now or already) paid; 4xx when refused (nothing written); 5xx when a retry may succeed, so Toss retries.',
    operationId: 'tossCallback',
    tags: ['Toss'],
    requestBody: {
      required: true,
      content: { 'application/json': { schema: ref('TossCallback') }, 'application/x-www-form-urlencoded': { schema: ref('TossCallback') } },
    },
    replies: { '200': json(ref('CallbackReply'), 'The order is paid.') },
    errors: [
      'SOURCE_NOT_ALLOWED',
      'BODY_TOO_LARGE',
      'VALIDATION_FAILED',
      'CALLBACK_MALFORMED',
      'CALLBACK_UNKNOWN_PAYMENT',
      'CALLBACK_NOT_CONFIRMED',
      'CALLBACK_CONTRADICTED',
      ...TOSS_CALL,
      ...STORE,
      ...ALWAYS,
    ],
  },
  'GET /payments/{orderNo}': {
    summary: 'Read an order',
    description: 'The stored order, its money, its refunds and its history. `refresh=true` asks Toss first (its status and its refunds).',
    operationId: 'getPayment',
    tags: ['Payments'],
    parameters: [
      orderNoParameter,
      { name: 'refresh', in: 'query', required: false, description: '`true`: ask Toss first.', schema: { type: 'string', enum: ['true', 'false'], default: 'false' } },
    ],
    replies: { '200': json(ref('OrderView'), 'The order.') },
    errors: ['ORDER_NOT_FOUND', ...TOSS_CALL, ...STORE, ...ALWAYS],
  },
  'POST /payments/{orderNo}/refunds': {
    summary: 'Refund a paid order (fully or partly)',
    description:
      'Exactly once per Idempotency-Key: the same key and body again answers 200 with the same refund, another body 409 ' +
      'IDEMPOTENCY_KEY_REUSED. A refund Toss did not answer stays PENDING and is settled by the same request again or by the reconciler; ' +
      'while a call to Toss about it runs, the same request gets 409 REFUND_IN_PROGRESS with Retry-After and nothing is sent. ' +
      `An order holds at most ${MAX_REFUNDS_PER_ORDER} refunds (422 REFUND_LIMIT_REACHED, checked before Toss is asked).`,
    operationId: 'refundPayment',
    tags: ['Payments'],
    parameters: [
      orderNoParameter,
      {
        name: 'Idempotency-Key',
        in: 'header',
        required: true,
        description: 'Yours: the same key is the same refund.',
        schema: { type: 'string', pattern: IDEMPOTENCY_KEY_RE.source },
      },
    ],
    requestBody: { required: true, content: { 'application/json': { schema: ref('RefundRequest') } } },
    replies: {
      '201': json(ref('RefundReply'), 'Recorded now.'),
      '200': json(ref('RefundReply'), 'The same key and body again: the refund as it is now.'),
    },
    errors: [
      ...JSON_BODY,
      'ORDER_NOT_FOUND',
      'MODE_MISMATCH',
      'IDEMPOTENCY_KEY_REUSED',
      'REFUND_IN_PROGRESS',
      'REFUND_EXCEEDS_BALANCE',
      'REFUND_LIMIT_REACHED',
      'ORDER_NOT_PAID',
      'TOSS_REFUSED',
      ...TOSS_CALL,
      ...STORE,
      ...ALWAYS,
    ],
  },
  'POST /payments/{orderNo}/cancel': {
    summary: 'Cancel an order nobody has paid',
    description:
      'A paid order is refunded instead (409 ORDER_PAID, also when the buyer paid a moment before). The body is optional: ' +
      "`reason` (at most 50 characters, Toss's limit) is sent to Toss and shown as the order's `cancelNote` and in payment.cancelled. " +
      'Already cancelled: 200. Being created or executed: 409 ORDER_NOT_CANCELABLE (retry). When Toss\'s cancel goes unanswered, ' +
      'Toss\'s status decides: cancelled 200, paid 409 ORDER_PAID, still waiting 504 TOSS_TIMEOUT (retry).',
    operationId: 'cancelPayment',
    tags: ['Payments'],
    parameters: [orderNoParameter],
    requestBody: { required: false, content: { 'application/json': { schema: ref('CancelRequest') } } },
    replies: { '200': json(ref('OrderView'), 'The order, cancelled.') },
    errors: ['VALIDATION_FAILED', 'BODY_TOO_LARGE', 'ORDER_NOT_FOUND', 'MODE_MISMATCH', 'ORDER_PAID', 'ORDER_NOT_CANCELABLE', ...TOSS_CALL, ...STORE, ...ALWAYS],
  },
  'GET /events': {
    summary: 'The event log, oldest first',
    description:
      'Events are listed at once, in log order: following `next` (or the last `cursor` you got) shows every event exactly once, however late it was written. ' +
      'A page holds at most `limit` events and 1 MiB. A cursor this log did not hand out (altered, made up, past the end of the log) is refused: 400 INVALID_CURSOR.',
    operationId: 'listEvents',
    tags: ['Events'],
    parameters: queryParameters(listEventsQuerySchema, {
      after: '`next` of the previous page (or an event\'s `cursor`): opaque, whatever `type` and `limit` it is used with.',
      limit: 'Events per page, 1 to 100, in digits.',
      type: 'Only events of this type.',
    }),
    replies: { '200': json(ref('ListEventsReply'), 'A page of events.') },
    errors: ['VALIDATION_FAILED', 'INVALID_CURSOR', ...STORE, ...ALWAYS],
  },
  'GET /events/{id}': {
    summary: 'One event, with its webhook deliveries',
    operationId: 'getEvent',
    tags: ['Events'],
    parameters: [eventIdParameter],
    replies: { '200': json(ref('EventView'), 'The event.') },
    errors: ['VALIDATION_FAILED', 'EVENT_NOT_FOUND', ...STORE, ...ALWAYS],
  },
  'POST /events/{id}/redeliver': {
    summary: 'Send an event to its webhook endpoints again, now',
    description:
      'To every endpoint the event was given to that is still there and enabled (none left: to the endpoints that want it now), or, with ' +
      '`endpointId`, to that one (even one it was not given to). One attempt each, at once; if it fails, the retry schedule starts over.',
    operationId: 'redeliverEvent',
    tags: ['Events'],
    parameters: [eventIdParameter],
    requestBody: { required: false, content: { 'application/json': { schema: ref('RedeliverEventRequest') } } },
    replies: { '200': json(ref('EventView'), 'The event, with the new attempts.') },
    errors: [...OPTIONAL_BODY, 'EVENT_NOT_FOUND', 'WEBHOOK_NOT_CONFIGURED', 'WEBHOOK_ENDPOINT_NOT_FOUND', 'WEBHOOK_ENDPOINT_DISABLED', ...STORE, ...ALWAYS],
  },
  'POST /events/redeliver': {
    summary: 'Queue every delivery that failed since a time for a new round',
    description: 'Every endpoint\'s, or (`endpointId`) one endpoint\'s.',
    operationId: 'redeliverFailed',
    tags: ['Events'],
    requestBody: { required: true, content: { 'application/json': { schema: ref('RedeliverRequest') } } },
    replies: { '202': json(ref('RedeliverFailedReply'), 'Queued; the webhook retrier sends them.') },
    errors: ['VALIDATION_FAILED', 'BAD_REQUEST', 'BODY_TOO_LARGE', 'MALFORMED_JSON', 'WEBHOOK_NOT_CONFIGURED', 'WEBHOOK_ENDPOINT_NOT_FOUND', ...STORE, ...ALWAYS],
  },
  'POST /webhook-endpoints': {
    summary: 'Add a webhook endpoint',
    description:
      `Where events are POSTed, signed with the endpoint's own secret (\`whsec_…\`, in this reply only). At most ${MAX_ENDPOINTS} ` +
      '(422 WEBHOOK_ENDPOINT_LIMIT_REACHED; two creates at once can never make more). A deployed stage takes `https://` URLs whose host ' +
      'resolves to public addresses only (400 WEBHOOK_URL_NOT_ALLOWED), checked again at every delivery; the local stack also `http://` on ' +
      `the machine itself. Events logged from now on go to it, those of its \`eventTypes\` only (all without).`,
    operationId: 'createWebhookEndpoint',
    tags: ['Webhook endpoints'],
    requestBody: { required: true, content: { 'application/json': { schema: ref('CreateWebhookEndpointRequest') } } },
    replies: { '201': json(ref('CreateWebhookEndpointReply'), 'Created, with its secret.') },
    errors: [...JSON_BODY, 'WEBHOOK_URL_NOT_ALLOWED', 'WEBHOOK_ENDPOINT_LIMIT_REACHED', ...STORE, ...ALWAYS],
  },
  'GET /webhook-endpoints': {
    summary: 'List the webhook endpoints',
    description: `Without their secrets. MERCHANT_WEBHOOK_URL, when configured, is \`we_env\`.`,
    operationId: 'listWebhookEndpoints',
    tags: ['Webhook endpoints'],
    replies: { '200': json(ref('ListWebhookEndpointsReply'), 'Every endpoint.') },
    errors: [...STORE, ...ALWAYS],
  },
  'GET /webhook-endpoints/{id}': {
    summary: 'A webhook endpoint and its health',
    description:
      'Its last attempt, its failing streak, the last 24 hours\' attempts and success rate, and its oldest undelivered event. ' +
      `An endpoint of the API whose every attempt fails for WEBHOOK_DISABLE_AFTER_DAYS is disabled (\`disabledReason: failing\`).`,
    operationId: 'getWebhookEndpoint',
    tags: ['Webhook endpoints'],
    parameters: [endpointIdParameter],
    replies: { '200': json(ref('WebhookEndpointDetail'), 'The endpoint.') },
    errors: ['VALIDATION_FAILED', 'WEBHOOK_ENDPOINT_NOT_FOUND', ...STORE, ...ALWAYS],
  },
  'PATCH /webhook-endpoints/{id}': {
    summary: 'Change a webhook endpoint',
    description:
      '`url`, `description`, `eventTypes`, `enabled`; the others stay. `enabled: true` on a disabled endpoint sends again what it missed ' +
      '(waiting and failed deliveries, queued oldest first, through the retrier) and starts its failing streak afresh. The configured endpoint ' +
      `(\`we_env\`) is changed by a deployment: 409 WEBHOOK_ENDPOINT_MANAGED_BY_CONFIGURATION.`,
    operationId: 'updateWebhookEndpoint',
    tags: ['Webhook endpoints'],
    parameters: [endpointIdParameter],
    requestBody: { required: true, content: { 'application/json': { schema: ref('UpdateWebhookEndpointRequest') } } },
    replies: { '200': json(ref('WebhookEndpoint'), 'The endpoint, changed.') },
    errors: [...JSON_BODY, 'WEBHOOK_ENDPOINT_NOT_FOUND', 'WEBHOOK_ENDPOINT_MANAGED_BY_CONFIGURATION', 'WEBHOOK_URL_NOT_ALLOWED', ...STORE, ...ALWAYS],
  },
  'DELETE /webhook-endpoints/{id}': {
    summary: 'Delete a webhook endpoint',
    description: `Its pending deliveries are cancelled.`,
    operationId: 'deleteWebhookEndpoint',
    tags: ['Webhook endpoints'],
    parameters: [endpointIdParameter],
    replies: { '200': json(ref('DeleteWebhookEndpointReply'), 'Deleted.') },
    errors: [...OPTIONAL_BODY, 'WEBHOOK_ENDPOINT_NOT_FOUND', 'WEBHOOK_ENDPOINT_MANAGED_BY_CONFIGURATION', ...STORE, ...ALWAYS],
  },
  'POST /webhook-endpoints/{id}/rotate-secret': {
    summary: "Rotate a webhook endpoint's secret",
    description:
      'A new secret, in this reply only. For WEBHOOK_SECRET_ROTATION_HOURS (24 by default; `previousSecretExpiresAt`) every delivery ' +
      'carries both signatures in `webhook-signature`, so a receiver verifying with either accepts it; then only the new one. ' +
      `Rotating again within that time drops the oldest at once.`,
    operationId: 'rotateWebhookEndpointSecret',
    tags: ['Webhook endpoints'],
    parameters: [endpointIdParameter],
    requestBody: { required: false, content: { 'application/json': { schema: ref('EmptyRequest') } } },
    replies: { '200': json(ref('RotateSecretReply'), 'The endpoint with its new secret.') },
    errors: [...OPTIONAL_BODY, 'WEBHOOK_ENDPOINT_NOT_FOUND', 'WEBHOOK_ENDPOINT_MANAGED_BY_CONFIGURATION', ...STORE, ...ALWAYS],
  },
  'POST /webhook-endpoints/{id}/test': {
    summary: 'Send a webhook.test event to an endpoint, now',
    description: `Signed like every delivery, enabled or not; not logged and not counted in its health. The reply says what the receiver did.`,
    operationId: 'testWebhookEndpoint',
    tags: ['Webhook endpoints'],
    parameters: [endpointIdParameter],
    requestBody: { required: false, content: { 'application/json': { schema: ref('EmptyRequest') } } },
    replies: { '200': json(ref('TestWebhookEndpointReply'), "The receiver's answer, or why none came.") },
    errors: [...OPTIONAL_BODY, 'WEBHOOK_ENDPOINT_NOT_FOUND', ...STORE, ...ALWAYS],
  },
  'GET /transactions': {
    summary: 'The ledger: every Toss transaction by time (거래 대사)',
    description:
      "Every PAY and REFUND transaction of the orders, with Toss's transactionId, oldest first: reconcile with Toss by it. " +
      'Without `from`, the 30 days before `to` (default now); at most 366 days. Page with `cursor`, giving the same `from` and `to`: ' +
      'a cursor made for another query, or not made by this API, is 400 INVALID_CURSOR. `Accept: text/csv` answers a CSV for Excel ' +
      '(UTF-8 with a byte order mark, CRLF, a header row; the time in Korea time and as ISO 8601; a text cell a spreadsheet would run as a ' +
      "formula starts with an apostrophe); the next page's address is then in a `Link` header (`rel=\"next\"`).",
    operationId: 'listTransactions',
    tags: ['Ledger'],
    // Accept chooses the reply's content type (OpenAPI does not describe an Accept parameter: the replies' content types say it).
    parameters: [
      ...queryParameters(listTransactionsQuerySchema, {
        from: 'The oldest transaction time listed (inclusive; at most 366 days before `to`).',
        to: 'The newest transaction time listed (inclusive; default: now).',
        limit: 'Transactions per page: 1 to 1000, digits only (default 100).',
        cursor: '`next` of the previous page (or the `Link` of a CSV page).',
      }),
    ],
    replies: {
      '200': {
        description: 'A page of transactions: JSON, or the CSV (`Accept: text/csv`).',
        headers: {
          Link: { required: false, description: 'CSV: the next page, `<?…&cursor=…>; rel="next"` (relative to this request), while more may remain.', schema: { type: 'string' } },
          'Content-Disposition': { required: false, description: 'CSV: `attachment; filename="transactions-<from>-<to>.csv"` (Korea-time days).', schema: { type: 'string' } },
        },
        content: {
          'application/json': { schema: ref('ListTransactionsReply') },
          'text/csv': {
            schema: { type: 'string', description: `Columns: ${CSV_COLUMNS.join(', ')}.` },
            example: `${CSV_COLUMNS.join(',')}\r\n2026-02-09 15:44:25,2026-02-09T06:44:25.000Z,81a6bafc-b7b6-4959-82ba-e74034f379ea,PAY,ORDER-1,10000,1000,9000,8182,0,818,0,CARD,LIVE,\r\n`,
          },
        },
      },
    },
    errors: ['VALIDATION_FAILED', 'INVALID_CURSOR', ...STORE, ...ALWAYS],
  },
  'GET /payments/by-pay-token/{payToken}': {
    summary: 'Find an order by its payToken',
    description:
      "The order whose Toss payment has this payToken, as GET /payments/{orderNo} shows it. Toss's status of the payToken names its orderNo " +
      '(one Toss call; nothing is written), and the order must hold that payToken (or have replaced it). 404 when Toss or this service knows no such payment.',
    operationId: 'getPaymentByPayToken',
    tags: ['Payments'],
    parameters: [{ name: 'payToken', in: 'path', required: true, description: "Toss's payToken of the payment.", schema: { type: 'string', pattern: PAY_TOKEN_RE.source } }],
    replies: { '200': json(ref('OrderView'), 'The order.') },
    errors: ['ORDER_NOT_FOUND', ...TOSS_CALL, ...STORE, ...ALWAYS],
  },
  'GET /payments/{orderNo}/events': {
    summary: "One order's events, with their webhook deliveries",
    description:
      'Oldest first (in log order), from an index of the events by order (never a Scan). Page with `after` (the `next` of the previous page): a cursor made for another order, ' +
      'or not made by this API, is 400 INVALID_CURSOR. A page holds at most `limit` events and 1 MiB. Events logged before this listing existed are not in it (GET /events has them).',
    operationId: 'listOrderEvents',
    tags: ['Events'],
    parameters: [
      orderNoParameter,
      ...queryParameters(listOrderEventsQuerySchema, { after: '`next` of the previous page: opaque.', limit: 'Events per page, 1 to 100, in digits.' }),
    ],
    replies: { '200': json(ref('ListEventsReply'), "A page of the order's events.") },
    errors: ['VALIDATION_FAILED', 'INVALID_CURSOR', 'ORDER_NOT_FOUND', ...STORE, ...ALWAYS],
  },
  'GET /events/failed': {
    summary: 'Events whose webhook delivery failed',
    description:
      'The events whose delivery gave up after its last retry, the latest failure first (POST /events/{id}/redeliver sends one again, POST /events/redeliver all since a time). ' +
      'Page with `after`: a cursor not made by this listing is 400 INVALID_CURSOR. A page holds at most `limit` events and 1 MiB.',
    operationId: 'listFailedEvents',
    tags: ['Events'],
    parameters: queryParameters(listFailedQuerySchema, { after: '`next` of the previous page: opaque.', limit: 'Events per page, 1 to 100, in digits.' }),
    replies: { '200': json(ref('ListEventsReply'), 'A page of events.') },
    errors: ['VALIDATION_FAILED', 'INVALID_CURSOR', ...STORE, ...ALWAYS],
  },
  'GET /stats': {
    summary: 'The overview: orders, payments, refunds and webhooks per day',
    description:
      'Per Korea-time day of creation (`from` to `to`, at most 31 days; default the last 7): orders, paid ones and their amount, refunds, cancels, abandoned and failed ones; ' +
      'the orders flagged for a person; how the latest 200 webhook deliveries went. Read from the indexes (never a Scan), at most 10,000 orders: past that, `complete: false`.',
    operationId: 'getStats',
    tags: ['Payments'],
    parameters: queryParameters(statsQuerySchema, { from: 'The first day (YYYY-MM-DD, Korea time).', to: 'The last day (default: today in Korea).' }),
    replies: { '200': json(ref('StatsReply'), 'The figures.') },
    errors: ['VALIDATION_FAILED', ...STORE, ...ALWAYS],
  },
  'GET /console': {
    summary: 'The operator console',
    description:
      'A Korean web page for the merchant\'s staff: people sign in with the stack\'s user pool (roles viewer, operator, admin) and the page calls this API with their token. ' +
      'Public (it holds no data); strict Content-Security-Policy, never framed.',
    operationId: 'console',
    tags: ['Console'],
    replies: { '200': html('The page.') },
    errors: [],
  },
  'GET /console/{asset+}': {
    summary: "The console's script and style sheet",
    description: 'Named by their content (a year in caches).',
    operationId: 'consoleAsset',
    tags: ['Console'],
    parameters: [{ name: 'asset', in: 'path', required: true, description: 'A file name the page names.', schema: { type: 'string' } }],
    replies: {
      '200': { description: 'The file.', content: { 'text/javascript': { schema: { type: 'string' } }, 'text/css': { schema: { type: 'string' } } } },
      '404': { description: 'No such file.', content: { 'text/plain': { schema: { type: 'string' } } } },
    },
    errors: [],
  },
  'GET /openapi.json': {
    summary: 'This document',
    description: 'Public. Cached for 5 minutes; `If-None-Match` with its ETag answers 304.',
    operationId: 'openApiDocument',
    tags: ['API'],
    replies: {
      '200': {
        description: 'The OpenAPI 3.1 document.',
        headers: { ETag: { schema: { type: 'string' } } },
        content: { 'application/json': { schema: { type: 'object' } } },
      },
      '304': { description: 'Not modified (`If-None-Match`).', headers: { ETag: { schema: { type: 'string' } } } },
    },
    errors: [],
  },
  'GET /docs': {
    summary: 'This document, rendered',
    description:
      'Public. An HTML page (Swagger UI, its files served by this API under `/docs/`): browse the routes, their bodies and replies, and ' +
      '"Try it out" with a merchant token you type in (kept in the page, never stored). Nothing is loaded from elsewhere.',
    operationId: 'apiDocsPage',
    tags: ['API'],
    replies: { '200': html('The reference page.') },
    errors: [],
  },
  'GET /docs/{asset}': {
    summary: "A file of the rendered document's page",
    description: 'Swagger UI and the page\'s own style and script, cached for good (the page names each with `?v=<digest>`); gzipped when the client accepts it.',
    operationId: 'apiDocsAsset',
    tags: ['API'],
    parameters: [
      { name: 'asset', in: 'path', required: true, description: 'A file the page loads.', schema: { type: 'string', enum: [...DOCS_ASSET_NAMES] } },
    ],
    replies: {
      '200': {
        description: 'The file.',
        headers: { ETag: { schema: { type: 'string' } } },
        content: { 'text/javascript': { schema: { type: 'string' } }, 'text/css': { schema: { type: 'string' } } },
      },
      '404': json(ref('GatewayError'), 'No such file (`{"message":"Not Found"}`).'),
    },
    errors: [],
  },
};

const retryAfter: Json = { 'Retry-After': { description: 'Seconds to wait before trying again.', schema: { type: 'string', pattern: '^[0-9]+$' } } };

/** A JSON error reply that carries one of `codes`: the ErrorReply component, its code narrowed. */
const errorReply = (codes: readonly ErrorCode[]): Json => ({
  $ref: '#/components/schemas/ErrorReply',
  properties: { error: { properties: { code: { enum: codes } } } },
});

/** What API Gateway itself answers on a route, before or instead of its function. */
function gatewayReplies(route: Route): Record<string, string> {
  return {
    ...(route.auth === 'merchant'
      ? { '401': 'No Authorization header (API Gateway: `{"message":"Unauthorized"}`).', '403': 'The token is not accepted (API Gateway: `{"message":"Forbidden"}`).' }
      : {}),
    ...(route.method === 'POST' || route.method === 'PATCH' ? { '413': 'Over API Gateway\'s payload limit (`{"message":"Request Entity Too Large"}`).' } : {}),
    '429': 'Throttled by API Gateway (`{"message":"Too Many Requests"}`).',
    '500': 'The function failed (API Gateway: `{"message":"Internal Server Error"}`).',
    '503': 'The function did not answer in time (API Gateway: `{"message":"Service Unavailable"}`).',
  };
}

function responses(route: Route, op: Operation): Json {
  const out: Record<string, Json> = { ...op.replies };
  const byStatus = new Map<number, ErrorCode[]>();
  // Every authorized route checks the caller's permission first (shared/http/route-permission.ts).
  const errors: readonly ErrorCode[] = route.auth === 'merchant' ? [...op.errors, 'FORBIDDEN_ROLE'] : op.errors;
  for (const code of errors) byStatus.set(ERROR_STATUS[code], [...(byStatus.get(ERROR_STATUS[code]) ?? []), code]);
  const gateway = gatewayReplies(route);
  const statuses = [...new Set([...byStatus.keys(), ...Object.keys(gateway).map(Number), ...(op.html === true ? [500, 502, 503, 504] : [])])].sort();
  for (const status of statuses) {
    const codes = byStatus.get(status) ?? [];
    const content: Record<string, Json> = {};
    const schemas: Json[] = [];
    if (codes.length > 0) schemas.push(errorReply(codes));
    if (gateway[status] !== undefined) schemas.push(ref('GatewayError'));
    if (schemas.length > 0) content['application/json'] = { schema: schemas.length === 1 ? schemas[0] : { anyOf: schemas } };
    if (op.html === true && status >= 500) content['text/html'] = { schema: { type: 'string' } };
    const said = [
      ...(codes.length > 0 ? [`${codes.map((c) => `\`${c}\``).join(', ')}.`] : []),
      ...(op.html === true && status >= 500 ? ['The "still confirming" page (it reloads itself).'] : []),
      ...(gateway[status] !== undefined ? [gateway[status]] : []),
    ];
    const retry = codes.some((c) => c === 'TOSS_BUSY' || c === 'TEMPORARILY_UNAVAILABLE' || c === 'CREATE_IN_PROGRESS' || c === 'REFUND_IN_PROGRESS');
    out[String(status)] = { description: said.join(' '), ...(retry ? { headers: retryAfter } : {}), content };
  }
  return out;
}

/** Standard Webhooks: what every delivery to a webhook endpoint carries. */
function webhooks(): Json {
  const header = (name: string, description: string): Json => ({ name, in: 'header', required: true, description, schema: { type: 'string' } });
  const parameters = [
    header('webhook-id', 'The event id (the same for every delivery of the event, at every endpoint).'),
    header('webhook-timestamp', 'Unix seconds the delivery was signed.'),
    header(
      'webhook-signature',
      "`v1,` and the base64 HMAC-SHA256 of `{webhook-id}.{webhook-timestamp}.{body}` keyed with the endpoint's secret; after a rotation, for " +
        'WEBHOOK_SECRET_ROTATION_HOURS, two (the new secret\'s and the previous one\'s), space-separated.',
    ),
  ];
  const hook = (type: string, schema: string, summary: string, description: string): [string, Json] => [
    type,
    {
      post: {
        summary,
        description,
        operationId: `webhook.${type}`,
        tags: ['Webhooks'],
        // Sent by this service to the merchant: no scheme of the API applies (the signature is in the headers).
        security: [],
        parameters,
        requestBody: { required: true, content: { 'application/json': { schema: { allOf: [ref(schema)], properties: { type: { const: type } } } } } },
        responses: { '2XX': { description: 'Received.' } },
      },
    },
  ];
  const delivered =
    'Signed as Standard Webhooks describes (verify it). Deliveries repeat and may arrive out of order: key on `id`, order by `data.version`. ' +
    'Any 2xx is success; anything else is retried on WEBHOOK_RETRY_SCHEDULE.';
  return Object.fromEntries([
    ...ORDER_EVENT_TYPES.map((type) => hook(type, 'OrderEvent', `${type}, POSTed to every webhook endpoint that wants it`, delivered)),
    ...ENDPOINT_EVENT_TYPES.map((type) =>
      hook(type, 'EndpointEvent', `${type}, POSTed to the other webhook endpoints that want it`, `An endpoint was disabled: every attempt to it failed for WEBHOOK_DISABLE_AFTER_DAYS. ${delivered}`),
    ),
    hook(TEST_EVENT_TYPE, 'TestEvent', `${TEST_EVENT_TYPE}, POSTed by POST /webhook-endpoints/{id}/test`, 'Signed like every delivery; sent once, never retried, never logged.'),
  ]);
}

function packageVersion(): string {
  return (JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string }).version;
}

/** Who may call a route that needs `permission` (shared/roles.ts), in a sentence. */
function whoMay(permission: Permission): string {
  const roles = ROLES.filter((r) => ROLE_PERMISSIONS[r].includes(permission));
  return `Needs \`${permission}\`: merchant tokens${roles.length > 0 ? ` and console users of the ${roles.join(', ')} role${roles.length > 1 ? 's' : ''}` : ' only'}; others get 403 FORBIDDEN_ROLE.`;
}

/**
 * A route's path as the document names it. OpenAPI has no greedy path parameter: API Gateway's
 * `{asset+}` (the rest of the path) is written `{asset}`, which is what it holds (the console's
 * files are single names).
 */
export const documentPath = (path: string): string => path.replace(/\{([^}+]+)\+\}/g, '{$1}');

/** The document. Deterministic: the same code makes the same bytes. */
export function openApiDocument(): Json {
  const paths: Record<string, Record<string, Json>> = {};
  for (const route of routes) {
    const op = (OPERATIONS as Record<string, Operation | undefined>)[routeKey(route)];
    if (op === undefined) throw new Error(`no operation for ${routeKey(route)}`);
    const who = route.auth === 'merchant' ? whoMay(route.permission) : undefined;
    const description = [op.description, who].filter((x) => x !== undefined).join(' ');
    const operation: Json = {
      operationId: op.operationId,
      summary: op.summary,
      ...(description !== '' ? { description } : {}),
      ...(route.auth === 'merchant' ? { 'x-permission': route.permission } : {}),
      tags: op.tags,
      ...(route.auth === 'merchant' ? { security: [{ merchantToken: [] }] } : { security: [] }),
      ...(op.parameters !== undefined ? { parameters: op.parameters } : {}),
      ...(op.requestBody !== undefined ? { requestBody: op.requestBody } : {}),
      responses: responses(route, op),
    };
    (paths[documentPath(route.path)] ??= {})[route.method.toLowerCase()] = operation;
  }
  return {
    openapi: '3.1.0',
    info: {
      title: 'Toss Pay for AWS',
      version: packageVersion(),
      description:
        'A serverless Toss Pay (pay.toss.im) integration for merchants. Merchant routes take `Authorization: Bearer <merchant token>`; ' +
        'the public ones are reached by buyers\' browsers and by Toss. Every JSON error is `{"error": {"code", "message", ...}}` with a ' +
        'stable code (the `ErrorReply` schema lists them all). Replies may gain fields: ignore the ones you do not know.',
    },
    servers: [{ url: '{apiUrl}', variables: { apiUrl: { default: 'http://127.0.0.1:3000', description: "The stack's ApiUrl output (npm start: http://127.0.0.1:3000)." } } }],
    tags: [
      { name: 'Payments', description: 'Create, read, list, refund and cancel orders (merchant).' },
      { name: 'Events', description: 'The event log and webhook redeliveries (merchant).' },
      { name: 'Webhook endpoints', description: 'Where events are POSTed, their secrets and their health (merchant; the admin role).' },
      { name: 'Ledger', description: "Every Toss transaction by time, JSON or CSV, for 거래 대사 (merchant)." },
      { name: 'Buyer', description: "The buyer's landings from Toss's checkout (public)." },
      { name: 'Toss', description: "Toss's resultCallback (public)." },
      { name: 'API', description: 'This document (public).' },
      { name: 'Console', description: 'The operator console: its page and files (public; the API calls it makes carry the user\'s token).' },
      { name: 'Webhooks', description: 'What is POSTed to the webhook endpoints (and MERCHANT_WEBHOOK_URL).' },
    ],
    paths,
    webhooks: webhooks(),
    components: {
      securitySchemes: {
        merchantToken: {
          type: 'http',
          scheme: 'bearer',
          description:
            'A merchant token (MERCHANT_TOKENS locally; the merchant tokens secret when deployed): every permission. Or a console user\'s ' +
            "token from the stack's user pool (the ID or access token issued to the console's app client): the permissions of the user's role " +
            '(`x-permission` of each operation; viewer reads, operator also refunds, cancels and redelivers, admin also manages webhook endpoints).',
        },
      },
      schemas: Object.fromEntries(
        Object.entries({ ...components(REPLY_SCHEMAS, 'output'), ...components(REQUEST_SCHEMAS, 'input') }).sort(([a], [b]) => a.localeCompare(b)),
      ),
    },
  };
}

/** The document as docs/openapi.json holds it. */
export const documentText = (): string => `${JSON.stringify(openApiDocument(), null, 2)}\n`;

/** Every error code, as the document lists them (the ErrorReply schema's enum). */
export const documentedErrorCodes = (doc: Json): string[] =>
  (((doc.components as Json).schemas as Record<string, { properties: { error: { properties: { code: { enum: string[] } } } } }>).ErrorReply?.properties.error
    .properties.code.enum ?? []);

if (import.meta.main) writeOrCheck(ROOT, DOCUMENT_PATH, documentText(), 'npm run openapi');
