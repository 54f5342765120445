/**
 * GET /openapi.json (public): the API's OpenAPI 3.1 document. It is docs/openapi.json, made from
 * the code by `npm run openapi` (tools/openapi.ts) and bundled into this function: a cold start
 * loads the document and nothing else (no zod, no logger, no AWS SDK), and the body and its ETag
 * are made once per container.
 *
 * `Content-Type: application/json`: what browsers, fetch().json(), Swagger UI, Redoc and the
 * generators expect of an `openapi.json` URL (OpenAPI's own `application/vnd.oai.openapi+json` is
 * refused or downloaded by some of them). Cached 5 minutes by anyone (the document changes only
 * with a deployment); `If-None-Match` with the ETag answers 304.
 */
import { createHash } from 'node:crypto';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import document from '../../docs/openapi.json' with { type: 'json' };

const body = JSON.stringify(document);
const etag = `"${createHash('sha256').update(body).digest('base64url').slice(0, 27)}"`;
const headers = { 'Cache-Control': 'public, max-age=300', ETag: etag };

export const handler = async (event: APIGatewayProxyEventV2): Promise<APIGatewayProxyStructuredResultV2> => {
  const ifNoneMatch = event.headers?.['if-none-match'];
  if (ifNoneMatch !== undefined && ifNoneMatch.split(',').some((t) => t.trim().replace(/^W\//, '') === etag)) return { statusCode: 304, headers, body: '' };
  return { statusCode: 200, headers: { 'Content-Type': 'application/json; charset=utf-8', ...headers }, body };
};
