/**
 * What the event log API (functions/events-api) parses: the `GET /events` query, an event id in
 * the path, the bodies of `POST /events/redeliver` and `POST /events/{id}/redeliver`, and the
 * queries of `GET /events/failed` and `GET /payments/{orderNo}/events`. And what the webhook
 * endpoints API (functions/webhook-endpoints) parses: the bodies of `POST /webhook-endpoints` and
 * `PATCH /webhook-endpoints/{id}`, an endpoint id in the path, and the (empty) bodies of
 * rotate-secret and test. A URL's rules beyond its length (scheme, host, addresses) are the use
 * case's (./webhook-url.ts): they depend on the stage, and one needs the network. Unknown fields
 * are refused, as on every route. The OpenAPI document describes the same schemas.
 */
import * as z from '../zod.ts';
import { limitParam, MAX_CURSOR_LENGTH } from '../paging.ts';
import { ENDPOINT_ID_RE, EVENT_TYPES, MAX_DESCRIPTION_LENGTH, MAX_URL_LENGTH } from './event-shape.ts';

export const endpointIdSchema = /* @__PURE__ */ z.pure(() => z.string().check(z.regex(ENDPOINT_ID_RE, 'an endpoint id (we_…)')));


export const listEventsQuerySchema = /* @__PURE__ */ z.pure(() =>
  z.strictObject({
    /** A cursor from an earlier reply (shared/paging.ts); one that is not is refused with 400 INVALID_CURSOR. */
    after: z.optional(z.string().check(z.maxLength(MAX_CURSOR_LENGTH))),
    limit: limitParam(50, 100),
    type: z.optional(z.enum(EVENT_TYPES)),
  }),
);
export const eventIdSchema = /* @__PURE__ */ z.pure(() => z.string().check(z.regex(/^evt_[A-Za-z0-9_-]{1,40}$/, 'an event id (evt_…)')));
const endpointId = /* @__PURE__ */ z.pure(() => z.optional(endpointIdSchema.check(z.describe('Only this endpoint (we_…).'))));
export const redeliverRequestSchema = /* @__PURE__ */ z.pure(() => z.strictObject({ failedSince: z.iso.datetime({ offset: true }), endpointId }));
/** `POST /events/{id}/redeliver`: every endpoint the event was given to, or the one named (a body, if any, takes nothing else). */
export const redeliverEventRequestSchema = /* @__PURE__ */ z.pure(() => z.strictObject({ endpointId }));

/** `GET /events/failed` and `GET /payments/{orderNo}/events`: `after` is a cursor from an earlier reply (shared/paging.ts), else 400 INVALID_CURSOR. */
export const listFailedQuerySchema = /* @__PURE__ */ z.pure(() =>
  z.strictObject({
    after: z.optional(z.string().check(z.maxLength(MAX_CURSOR_LENGTH))),
    limit: limitParam(20, 100),
  }),
);
export const listOrderEventsQuerySchema = listFailedQuerySchema;

// The webhook endpoints API.

const url = /* @__PURE__ */ z.pure(() => z.string().check(z.minLength(1), z.maxLength(MAX_URL_LENGTH), z.describe('Where events are POSTed: https:// (http:// only on this machine, in the local stack).')));
const description = /* @__PURE__ */ z.pure(() =>
  z.string().check(
    z.maxLength(MAX_DESCRIPTION_LENGTH),
    z.refine((s) => !/\p{Cc}/u.test(s), 'must not contain control characters'),
    z.describe('Yours: what the endpoint is for.'),
  ),
);
const eventTypes = /* @__PURE__ */ z.pure(() =>
  z.array(z.enum(EVENT_TYPES)).check(
    z.minLength(1),
    z.maxLength(EVENT_TYPES.length),
    z.refine((a) => new Set(a).size === a.length, 'each type at most once'),
    z.describe('The event types it gets; leave it out for every type (those added later too).'),
  ),
);

export const createEndpointRequestSchema = /* @__PURE__ */ z.pure(() =>
  z.strictObject({
    url,
    description: z.optional(description),
    eventTypes: z.optional(eventTypes),
    enabled: z.optional(z.boolean().check(z.describe('Default true. A disabled endpoint gets no events until it is enabled.'))),
  }),
);
export type CreateEndpointRequest = z.infer<typeof createEndpointRequestSchema>;

export const updateEndpointRequestSchema = /* @__PURE__ */ z.pure(() =>
  z
    .strictObject({
      url: z.optional(url),
      description: z.optional(z.nullable(description).check(z.describe('null removes it.'))),
      eventTypes: z.optional(z.nullable(eventTypes).check(z.describe('null: every type.'))),
      enabled: z.optional(
        z.boolean().check(z.describe('true enables it again: what it missed while disabled (and what failed) is sent again (queued oldest first, arriving in any order); false stops its deliveries.')),
      ),
    })
    .check(z.refine((b) => Object.keys(b).length > 0, 'give at least one of url, description, eventTypes, enabled')),
);
export type UpdateEndpointRequest = z.infer<typeof updateEndpointRequestSchema>;

/** `POST /webhook-endpoints/{id}/rotate-secret` and `…/test` take no fields: a body, if any, is `{}`. */
export const emptyRequestSchema = /* @__PURE__ */ z.pure(() => z.strictObject({}));
