/**
 * The webhook endpoints (merchant tokens and console admins: `webhooks:manage`; who changed one is
 * logged): POST /webhook-endpoints,
 * GET /webhook-endpoints, GET|PATCH|DELETE /webhook-endpoints/{id},
 * POST /webhook-endpoints/{id}/rotate-secret, POST /webhook-endpoints/{id}/test.
 */
import httpJsonBodyParser from '@middy/http-json-body-parser';
import { eventsContainer } from '../../shared/deps.ts';
import { createEndpoint, deleteEndpoint, getEndpoint, listEndpoints, rotateSecret, testEndpoint, updateEndpoint } from '../../shared/events/endpoints.ts';
import { createEndpointRequestSchema, emptyRequestSchema, endpointIdSchema, updateEndpointRequestSchema } from '../../shared/events/request-schemas.ts';
import { jsonBodyIfAny } from '../../shared/http/body.ts';
import { httpFunction } from '../../shared/http/chain.ts';
import { jsonResponse } from '../../shared/http/error-replies.ts';
import { actorOfRequest } from '../../shared/http/principal.ts';
import { parseRequest } from '../../shared/http/request-errors.ts';

const c = eventsContainer('webhook-endpoints');

/** A body that may be absent: nothing, or `{}`. */
const bodyOrEmpty = (body: unknown): unknown => (body === undefined || body === '' ? {} : body);

export const handler = httpFunction(c, async (event) => {
  const id = (): string => parseRequest(endpointIdSchema, event.pathParameters?.id, 'no such endpoint id');
  switch (event.routeKey) {
    case 'POST /webhook-endpoints':
      return jsonResponse(201, await createEndpoint(parseRequest(createEndpointRequestSchema, event.body as unknown), c.deps, actorOfRequest(event)));
    case 'GET /webhook-endpoints':
      return jsonResponse(200, await listEndpoints(c.deps));
    case 'GET /webhook-endpoints/{id}':
      return jsonResponse(200, await getEndpoint(id(), c.deps));
    case 'PATCH /webhook-endpoints/{id}': {
      const endpointId = id();
      return jsonResponse(200, await updateEndpoint(endpointId, parseRequest(updateEndpointRequestSchema, event.body as unknown), c.deps, actorOfRequest(event)));
    }
    case 'DELETE /webhook-endpoints/{id}':
      return jsonResponse(200, await deleteEndpoint(id(), c.deps, actorOfRequest(event)));
    case 'POST /webhook-endpoints/{id}/rotate-secret': {
      const endpointId = id();
      parseRequest(emptyRequestSchema, bodyOrEmpty(event.body));
      return jsonResponse(200, await rotateSecret(endpointId, c.deps, actorOfRequest(event)));
    }
    case 'POST /webhook-endpoints/{id}/test': {
      const endpointId = id();
      parseRequest(emptyRequestSchema, bodyOrEmpty(event.body));
      return jsonResponse(200, await testEndpoint(endpointId, c.deps));
    }
    default:
      throw new Error(`webhook-endpoints has no route ${event.routeKey}`);
  }
}).use(jsonBodyIfAny(httpJsonBodyParser({ disableContentTypeError: true })));
