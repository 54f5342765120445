/**
 * The event log (merchant): GET /events?after=&limit=&type=, GET /events/{id},
 * POST /events/{id}/redeliver, POST /events/redeliver {"failedSince": "<ISO time>"}.
 */
import httpJsonBodyParser from '@middy/http-json-body-parser';
import { eventsContainer } from '../../shared/deps.ts';
import { getEvent, listEvents, redeliver, redeliverFailed } from '../../shared/events/event-log.ts';
import { EVENT_TYPES } from '../../shared/events/order-events.ts';
import { bodyLimit } from '../../shared/http/body.ts';
import { httpFunction } from '../../shared/http/chain.ts';
import { jsonResponse } from '../../shared/http/error-replies.ts';
import { parseRequest } from '../../shared/http/request-errors.ts';
import * as z from '../../shared/zod.ts';

const c = eventsContainer('events-api');

const listQuery = z.strictObject({
  after: z.optional(z.string().check(z.regex(/^\d{15}#evt_[A-Za-z0-9_-]+$/, 'a cursor from an earlier reply'))),
  limit: z._default(z.coerce.number().check(z.int(), z.gte(1), z.lte(100)), 50),
  type: z.optional(z.enum(EVENT_TYPES)),
});
const eventId = z.string().check(z.regex(/^evt_[A-Za-z0-9_-]{1,40}$/, 'an event id (evt_…)'));
const redeliverBody = z.strictObject({ failedSince: z.iso.datetime({ offset: true }) });

export const handler = httpFunction(c, async (event) => {
  switch (event.routeKey) {
    case 'GET /events':
      return jsonResponse(200, await listEvents(parseRequest(listQuery, event.queryStringParameters ?? {}), c.deps));
    case 'GET /events/{id}':
      return jsonResponse(200, await getEvent(parseRequest(eventId, event.pathParameters?.id, 'no such event id'), c.deps));
    case 'POST /events/{id}/redeliver':
      return jsonResponse(200, await redeliver(parseRequest(eventId, event.pathParameters?.id, 'no such event id'), c.deps));
    case 'POST /events/redeliver': {
      const { failedSince } = parseRequest(redeliverBody, event.body as unknown);
      return jsonResponse(202, await redeliverFailed(Date.parse(failedSince), c.deps));
    }
    default:
      throw new Error(`events-api has no route ${event.routeKey}`);
  }
})
  .use(bodyLimit(4 * 1024))
  .use(httpJsonBodyParser({ disableContentTypeError: true }));
