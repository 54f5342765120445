/**
 * What the event log API (functions/events-api) parses: the `GET /events` query, an event id in
 * the path, the bodies of `POST /events/redeliver` and `POST /events/{id}/redeliver`, and the
 * queries of `GET /events/failed` and `GET /payments/{orderNo}/events`. The OpenAPI document
 * describes the same schemas.
 */
import * as z from '../zod.ts';
import { limitParam, MAX_CURSOR_LENGTH } from '../paging.ts';
import { endpointIdSchema } from './endpoint-requests.ts';
import { EVENT_TYPES } from './event-types.ts';

export const listEventsQuerySchema = z.strictObject({
  /** A cursor from an earlier reply (shared/paging.ts); one that is not is refused with 400 INVALID_CURSOR. */
  after: z.optional(z.string().check(z.maxLength(MAX_CURSOR_LENGTH))),
  limit: limitParam(50, 100),
  type: z.optional(z.enum(EVENT_TYPES)),
});
export const eventIdSchema = z.string().check(z.regex(/^evt_[A-Za-z0-9_-]{1,40}$/, 'an event id (evt_…)'));
const endpointId = z.optional(endpointIdSchema.check(z.describe('Only this endpoint (we_…).')));
export const redeliverRequestSchema = z.strictObject({ failedSince: z.iso.datetime({ offset: true }), endpointId });
/** `POST /events/{id}/redeliver`: every endpoint the event was given to, or the one named (a body, if any, takes nothing else). */
export const redeliverEventRequestSchema = z.strictObject({ endpointId });

/** `GET /events/failed` and `GET /payments/{orderNo}/events`: `after` is a cursor from an earlier reply (shared/paging.ts), else 400 INVALID_CURSOR. */
export const listFailedQuerySchema = z.strictObject({
  after: z.optional(z.string().check(z.maxLength(MAX_CURSOR_LENGTH))),
  limit: limitParam(20, 100),
});
export const listOrderEventsQuerySchema = listFailedQuerySchema;
