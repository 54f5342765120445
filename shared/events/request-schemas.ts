/**
 * What the event log API (functions/events-api) parses: the `GET /events` query, an event id in
 * the path, the `POST /events/redeliver` body, the (empty) body of `POST /events/{id}/redeliver`, and
 * the queries of `GET /events/failed` and `GET /payments/{orderNo}/events`. The OpenAPI document
 * describes the same schemas.
 */
import * as z from '../zod.ts';
import { limitParam, MAX_CURSOR_LENGTH } from '../paging.ts';
import { EVENT_TYPES } from './event-shape.ts';

export const listEventsQuerySchema = z.strictObject({
  /** A cursor from an earlier reply (shared/paging.ts); one that is not is refused with 400 INVALID_CURSOR. */
  after: z.optional(z.string().check(z.maxLength(MAX_CURSOR_LENGTH))),
  limit: limitParam(50, 100),
  type: z.optional(z.enum(EVENT_TYPES)),
});
export const eventIdSchema = z.string().check(z.regex(/^evt_[A-Za-z0-9_-]{1,40}$/, 'an event id (evt_…)'));
export const redeliverRequestSchema = z.strictObject({ failedSince: z.iso.datetime({ offset: true }) });
/** `POST /events/{id}/redeliver` takes no fields: a body, if any, is `{}` (unknown fields are refused, as on every route). */
export const redeliverEventRequestSchema = z.strictObject({});

/** `GET /events/failed` and `GET /payments/{orderNo}/events`: `after` is a cursor from an earlier reply (shared/paging.ts), else 400 INVALID_CURSOR. */
export const listFailedQuerySchema = z.strictObject({
  after: z.optional(z.string().check(z.maxLength(MAX_CURSOR_LENGTH))),
  limit: limitParam(20, 100),
});
export const listOrderEventsQuerySchema = listFailedQuerySchema;
