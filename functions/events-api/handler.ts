/**
 * The event log (merchant): GET /events?after=&limit=&type=, GET /events/failed?after=&limit=,
 * GET /payments/{orderNo}/events?after=&limit=, GET /events/{id},
 * POST /events/{id}/redeliver {"endpointId"?}, POST /events/redeliver {"failedSince": "<ISO time>", "endpointId"?}.
 */
import httpJsonBodyParser from '@middy/http-json-body-parser';
import { eventsContainer } from '../../shared/deps.ts';
import { getEvent, listEvents, listFailedEvents, listOrderEvents, redeliver, redeliverFailed } from '../../shared/events/event-log.ts';
import {
  eventIdSchema,
  listEventsQuerySchema,
  listFailedQuerySchema,
  listOrderEventsQuerySchema,
  redeliverEventRequestSchema,
  redeliverRequestSchema,
} from '../../shared/events/request-schemas.ts';
import { httpFunction } from '../../shared/http/chain.ts';
import { jsonResponse } from '../../shared/http/error-replies.ts';
import { pathOrderNo } from '../../shared/http/order-path.ts';
import { actorOfRequest } from '../../shared/http/principal.ts';
import { parseRequest } from '../../shared/http/request-errors.ts';

const c = eventsContainer('events-api');

export const handler = httpFunction(c, async (event) => {
  switch (event.routeKey) {
    case 'GET /events':
      return jsonResponse(200, await listEvents(parseRequest(listEventsQuerySchema, event.queryStringParameters ?? {}), c.deps));
    case 'GET /events/failed':
      return jsonResponse(200, await listFailedEvents(parseRequest(listFailedQuerySchema, event.queryStringParameters ?? {}), c.deps));
    case 'GET /payments/{orderNo}/events': {
      const orderNo = pathOrderNo(event, c.logger);
      return jsonResponse(200, await listOrderEvents(orderNo, parseRequest(listOrderEventsQuerySchema, event.queryStringParameters ?? {}), c.deps));
    }
    case 'GET /events/{id}':
      return jsonResponse(200, await getEvent(parseRequest(eventIdSchema, event.pathParameters?.id, 'no such event id'), c.deps));
    case 'POST /events/{id}/redeliver': {
      const id = parseRequest(eventIdSchema, event.pathParameters?.id, 'no such event id');
      // No body, an empty object, or the endpoint to send to.
      const { endpointId } = parseRequest(redeliverEventRequestSchema, event.body === undefined || event.body === '' ? {} : (event.body as unknown));
      return jsonResponse(200, await redeliver(id, endpointId, c.deps, actorOfRequest(event)));
    }
    case 'POST /events/redeliver': {
      const { failedSince, endpointId } = parseRequest(redeliverRequestSchema, event.body as unknown);
      return jsonResponse(202, await redeliverFailed(Date.parse(failedSince), endpointId, c.deps, actorOfRequest(event)));
    }
    default:
      throw new Error(`events-api has no route ${event.routeKey}`);
  }
}).use(httpJsonBodyParser({ disableContentTypeError: true }));
