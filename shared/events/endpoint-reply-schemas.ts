/**
 * The webhook endpoints API's replies, as zod (mini) schemas: the handlers' replies are typed with
 * them and the OpenAPI document (tools/openapi.ts) is made from them. No function imports this
 * module, only its types. A secret is in a reply twice only: at creation and at rotation.
 */
import * as z from '../zod.ts';
import { isoTime } from '../payments/reply-schemas.ts';
import { MAX_ENDPOINTS } from './endpoint-model.ts';
import { eventTypeSchema } from './reply-schemas.ts';

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
