/**
 * The events as merchants receive them, as zod (mini) schemas: the Standard Webhooks envelope
 * (webhooks, the bus's `detail`, the log) and the event log API's replies (GET /events,
 * GET /events/{id}, the redeliveries). The code that builds them is typed with these schemas'
 * types, and the OpenAPI document (tools/openapi.ts) is made from them. No function imports this
 * module, only its types.
 */
import * as z from '../zod.ts';
import { actorSchema, allOf, isoTime, orderViewSchema, refundViewSchema, transactionSchema } from '../payments/reply-schemas.ts';
import { ENDPOINT_EVENT_TYPES, EVENT_ORDER_FIELDS, EVENT_RECENT_REFUNDS, EVENT_RECENT_TRANSACTIONS, EVENT_TYPES, MAX_EVENT_BYTES, MAX_ENDPOINTS, MAX_KEPT_ATTEMPTS, ORDER_EVENT_TYPES, TEST_EVENT_TYPE, type DeliveryState, type DeliveryStatus } from './event-shape.ts';

const DELIVERY_STATES = allOf<DeliveryState>()(['pending', 'delivered', 'failed', 'waiting', 'cancelled']);
const DELIVERY_STATUSES = allOf<DeliveryStatus>()(['none', 'pending', 'delivered', 'failed', 'waiting', 'cancelled']);

export const eventTypeSchema = z.enum(EVENT_TYPES);
export const orderEventTypeSchema = z.enum(ORDER_EVENT_TYPES);

/**
 * An event's `data` (shared/events/event-data.ts): the order as a fulfilment needs it, bounded
 * whatever the order holds; `href` leads to the rest. Refund events add the refund.
 */
export const eventDataSchema = z
  .extend(z.pick(orderViewSchema, EVENT_ORDER_FIELDS), {
    transactions: z.array(transactionSchema).check(
      z.describe(`Toss's transactions of the payment: its PAY transaction and the latest ${EVENT_RECENT_TRANSACTIONS} others, oldest first (GET \`href\` lists them all).`),
    ),
    transactionCount: z.int().check(z.gte(0), z.describe("How many transactions Toss lists for the payment (GET /payments/{orderNo} has them all).")),
    refundCount: z.int().check(z.gte(0), z.describe("How many refunds the order has (GET /payments/{orderNo} lists them all).")),
    recentRefunds: z.array(refundViewSchema).check(z.maxLength(EVENT_RECENT_REFUNDS), z.describe(`The order's latest ${EVENT_RECENT_REFUNDS} refunds, oldest first (who asked: its \`actor.id\` only; \`refund\` and GET \`href\` have the whole actor).`)),
    href: z.string().check(z.describe('The path of the whole order on this API: GET it (GET /payments/{orderNo}, merchant token) for the history, Toss\'s transactions and every refund.')),
    refund: z.optional(refundViewSchema.check(z.describe('payment.refunded and refund.failed: the refund this event is about.'))),
  })
  .check(
    z.describe(
      `The order as GET /payments/{orderNo} shows it, without what grows with it (history, older transactions and refunds: GET \`href\`). ` +
        `Free text is cut at the order's own limits (Toss's messages at 300 characters, ending in …), so a whole event is at most ${MAX_EVENT_BYTES / 1024} KiB.`,
    ),
  );
export type EventData = z.infer<typeof eventDataSchema>;

const eventIdField = z.string().check(z.describe('evt_…: the same change always gives the same id. Key your processing on it (deliveries can repeat).'));

/** An order event, as the Standard Webhooks envelope carries it: every webhook's body, the bus's `detail`. */
export const orderEventSchema = z.object({
  id: eventIdField,
  type: orderEventTypeSchema,
  timestamp: isoTime().check(z.describe("When the change was committed (the order's updatedAt).")),
  data: eventDataSchema,
});
export type OrderEvent = z.infer<typeof orderEventSchema>;

/** endpoint.disabled's `data`: the endpoint that was disabled, and why. */
export const endpointDisabledDataSchema = z.object({
  endpointId: z.string(),
  url: z.string(),
  description: z.optional(z.string()),
  reason: z.literal('failing').check(z.describe('Every attempt to it failed for WEBHOOK_DISABLE_AFTER_DAYS (5 by default).')),
  failingSince: isoTime().check(z.describe('Its first failed attempt since the last that succeeded.')),
  disabledAt: isoTime(),
});

/** An event about an endpoint: sent to the other endpoints (those that want it). */
export const endpointEventSchema = z.object({
  id: eventIdField,
  type: z.enum(ENDPOINT_EVENT_TYPES),
  timestamp: isoTime().check(z.describe('When the endpoint was disabled.')),
  data: endpointDisabledDataSchema,
});
export type EndpointEvent = z.infer<typeof endpointEventSchema>;

/** Any logged event. */
export type LoggedEvent = OrderEvent | EndpointEvent;

/** webhook.test: what POST /webhook-endpoints/{id}/test sends (never logged). */
export const testEventSchema = z.object({
  id: eventIdField,
  type: z.literal(TEST_EVENT_TYPE),
  timestamp: isoTime(),
  data: z.object({ endpointId: z.string(), message: z.string() }),
});
export type TestEvent = z.infer<typeof testEventSchema>;

export const deliveryAttemptSchema = z.object({
  at: isoTime(),
  status: z.optional(z.int().check(z.describe("The receiver's HTTP status; absent when no reply came."))),
  latencyMs: z.number(),
  error: z.optional(
    z.string().check(z.describe('Why it failed, when no reply came: `timeout`, `deadline` (cut to keep the stream moving; retried), `address_not_allowed` (a non-public address), a socket error code.')),
  ),
});

/** The redeliveries asked for through the API (POST /events/{id}/redeliver, POST /events/redeliver), with who asked. */
const roundsSchema = z
  .array(
    z.object({
      from: z.int().check(z.gte(0), z.describe('Where its round begins in `attempts` (0 when that attempt is no longer listed).')),
      at: isoTime(),
      actor: z.optional(actorSchema),
    }),
  )
  .check(z.describe('Each redelivery asked for through the API, oldest first, with who asked.'));

/** One endpoint's delivery of an event. */
export const deliverySchema = z.object({
  endpointId: z.string(),
  status: z.enum(DELIVERY_STATES),
  attempts: z.array(deliveryAttemptSchema).check(z.describe(`Its latest attempts (at most ${MAX_KEPT_ATTEMPTS}), oldest first.`)),
  attemptCount: z.int().check(z.gte(0), z.describe('Every attempt made, the ones no longer listed included.')),
  nextAt: z.optional(isoTime().check(z.describe('The next attempt, while one is due.'))),
  roundFrom: z.int().check(z.gte(0), z.describe('Where the current round of retries began in `attempts` (a redelivery starts a new round).')),
  rounds: z.optional(roundsSchema),
});

const logFields = {
  cursor: z.string().check(z.describe("The event's position in the log (GET /events?after=).")),
  loggedAt: isoTime(),
  delivery: z
    .object({
      status: z.enum(DELIVERY_STATUSES),
      attempts: z.array(z.extend(deliveryAttemptSchema, { endpointId: z.optional(z.string()) })),
      nextAt: z.optional(isoTime()),
      roundFrom: z.optional(z.int()),
      rounds: z.optional(roundsSchema),
    })
    .check(
      z.describe(
        'Its deliveries summed up: with one endpoint, that delivery (as before endpoints); with several, the status of the furthest behind ' +
          '(pending, waiting, failed, delivered; none: no endpoint was to get it), every listed attempt with its endpointId, and the next attempt due.',
      ),
    ),
  deliveries: z.array(deliverySchema).check(z.describe('Its delivery to each endpoint it was given to.')),
};

/** An event as the log API shows it: the envelope, where it is in the log, and its webhook deliveries. */
export const eventViewSchema = z.union([z.extend(orderEventSchema, logFields), z.extend(endpointEventSchema, logFields)]);
export type EventView = z.infer<typeof eventViewSchema>;

export const listEventsReplySchema = z.object({
  events: z.array(eventViewSchema),
  next: z.optional(z.string().check(z.describe('Present while more events remain: pass it as `after`.'))),
});
export type ListEventsReply = z.infer<typeof listEventsReplySchema>;

/** POST /events/redeliver: 202, how many deliveries that had failed were queued for a new round. */
export const redeliverFailedReplySchema = z.object({ queued: z.int().check(z.gte(0)) });
export type RedeliverFailedReply = z.infer<typeof redeliverFailedReplySchema>;

// The webhook endpoints API's replies. A secret is in a reply twice only: at creation and at rotation.

export const endpointViewSchema = z.object({
  id: z.string().check(z.describe('we_…; the endpoint MERCHANT_WEBHOOK_URL configures is we_env.')),
  url: z.string(),
  description: z.optional(z.string()),
  eventTypes: z.optional(z.array(eventTypeSchema).check(z.describe('The event types it gets; absent: every type.'))),
  enabled: z.boolean(),
  disabledReason: z.optional(
    z.enum(['failing', 'merchant']).check(z.describe('failing: every attempt failed for WEBHOOK_DISABLE_AFTER_DAYS (it keeps what it misses); merchant: PATCH enabled:false.')),
  ),
  disabledAt: z.optional(isoTime()),
  managedBy: z.enum(['api', 'configuration']).check(z.describe('configuration: MERCHANT_WEBHOOK_URL; read only here (409 WEBHOOK_ENDPOINT_MANAGED_BY_CONFIGURATION).')),
  createdAt: z.optional(isoTime()),
  updatedAt: z.optional(isoTime()),
  previousSecretExpiresAt: z.optional(isoTime().check(z.describe('After a rotation: until when the previous secret still signs, beside the new one.'))),
});
export type EndpointView = z.infer<typeof endpointViewSchema>;

export const endpointHealthSchema = z.object({
  lastAttempt: z.optional(
    z.object({
      at: isoTime(),
      eventId: z.string(),
      ok: z.boolean(),
      status: z.optional(z.int()),
      error: z.optional(z.string()),
      latencyMs: z.number(),
    }),
  ),
  lastSuccessAt: z.optional(isoTime()),
  failingSince: z.optional(isoTime().check(z.describe('Its first failed attempt since the last that succeeded: every attempt has failed since.'))),
  consecutiveFailures: z.int().check(z.gte(0)),
  lastDay: z.object({
    attempts: z.int().check(z.gte(0)),
    succeeded: z.int().check(z.gte(0)),
    failed: z.int().check(z.gte(0)),
    successRate: z.optional(z.number().check(z.gte(0), z.lte(1), z.describe('succeeded / attempts over the last 24 hours (by the hour); absent without attempts.'))),
  }),
  oldestUndelivered: z.optional(
    z
      .object({ eventId: z.string(), loggedAt: isoTime() })
      .check(z.describe('The oldest event whose delivery to it failed and has not succeeded since (pending a retry, failed, or waiting for it to be enabled).')),
  ),
});
export type EndpointHealth = z.infer<typeof endpointHealthSchema>;

export const endpointDetailSchema = z.extend(endpointViewSchema, { health: endpointHealthSchema });
export type EndpointDetail = z.infer<typeof endpointDetailSchema>;

const secret = z.string().check(z.describe('whsec_…: the signing secret (Standard Webhooks). Shown here only: keep it.'));
export const createEndpointReplySchema = z.extend(endpointViewSchema, { secret });
export type CreateEndpointReply = z.infer<typeof createEndpointReplySchema>;
export const rotateSecretReplySchema = z.extend(endpointViewSchema, { secret });
export type RotateSecretReply = z.infer<typeof rotateSecretReplySchema>;

export const listEndpointsReplySchema = z.object({
  endpoints: z.array(endpointViewSchema).check(z.describe(`The configured endpoint first (when MERCHANT_WEBHOOK_URL is set), then at most ${MAX_ENDPOINTS} the API manages, oldest first.`)),
});
export type ListEndpointsReply = z.infer<typeof listEndpointsReplySchema>;

export const deleteEndpointReplySchema = z.object({ id: z.string(), deleted: z.literal(true) });
export type DeleteEndpointReply = z.infer<typeof deleteEndpointReplySchema>;

export const testEndpointReplySchema = z.object({
  eventId: z.string().check(z.describe('The webhook.test event sent (not logged).')),
  ok: z.boolean().check(z.describe('The receiver answered 2xx.')),
  status: z.optional(z.int().check(z.describe("The receiver's HTTP status; absent when no reply came."))),
  error: z.optional(z.string().check(z.describe('Why no reply came.'))),
  latencyMs: z.number(),
});
export type TestEndpointReply = z.infer<typeof testEndpointReplySchema>;
