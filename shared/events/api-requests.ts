/**
 * What the event log API (functions/events-api) parses: the `GET /events` query, an event id in
 * the path, the `POST /events/redeliver` body. The OpenAPI document describes the same schemas.
 */
import * as z from '../zod.ts';
import { EVENT_TYPES } from './order-events.ts';

export const listEventsQuerySchema = z.strictObject({
  after: z.optional(z.string().check(z.regex(/^\d{15}#evt_[A-Za-z0-9_-]+$/, 'a cursor from an earlier reply'))),
  limit: z._default(z.coerce.number().check(z.int(), z.gte(1), z.lte(100)), 50),
  type: z.optional(z.enum(EVENT_TYPES)),
});
export const eventIdSchema = z.string().check(z.regex(/^evt_[A-Za-z0-9_-]{1,40}$/, 'an event id (evt_…)'));
export const redeliverRequestSchema = z.strictObject({ failedSince: z.iso.datetime({ offset: true }) });

/** A cursor of GET /events/failed and GET /payments/{orderNo}/events: a time (epoch ms) and the event, `<ms>#evt_…`. */
export const FAILED_CURSOR_RE = /^(\d{1,15})#(evt_[A-Za-z0-9_-]{1,40})$/;
export const listFailedQuerySchema = z.strictObject({
  after: z.optional(z.string().check(z.regex(FAILED_CURSOR_RE, 'a cursor from an earlier reply'))),
  limit: z._default(z.coerce.number().check(z.int(), z.gte(1), z.lte(100)), 20),
});
export const listOrderEventsQuerySchema = listFailedQuerySchema;
