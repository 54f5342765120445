/**
 * GET /openapi.json (public): the API's OpenAPI 3.1 document. It is docs/openapi.json, made from
 * the code by `npm run openapi` (tools/openapi.ts) and bundled into this function: a cold start
 * loads the document and nothing else (no zod, no logger, no AWS SDK).
 *
 * Its `servers` follow the address it is served from: API Gateway's `domainName` (the custom
 * domain or the execute-api host, as the client reached it), `x-forwarded-proto`, and the stage
 * when it is not `$default`, so "try it" in a tool calls this very API. An address that does not
 * look like a host keeps the file's own `{apiUrl}` template. Each address's body and its ETag are
 * made once per container.
 *
 * `Content-Type: application/json`: what browsers, fetch().json(), Swagger UI, Redoc and the
 * generators expect of an `openapi.json` URL (OpenAPI's own `application/vnd.oai.openapi+json` is
 * refused or downloaded by some of them). Cached 5 minutes by anyone (the document changes only
 * with a deployment); `If-None-Match` with the ETag answers 304.
 */
import { createHash } from 'node:crypto';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import document from '../../docs/openapi.json' with { type: 'json' };

/** A host as API Gateway (or the local gateway, with its port) gives it. */
const HOST = /^(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)*[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?::\d{1,5})?$/;
const STAGE = /^[A-Za-z0-9_-]{1,128}$/;

/** The address the request reached this API at; undefined when it does not look like one. */
export function servedFrom(event: Pick<APIGatewayProxyEventV2, 'headers' | 'requestContext'>): string | undefined {
  const host = event.requestContext?.domainName ?? '';
  const proto = event.headers?.['x-forwarded-proto'] ?? 'https';
  const stage = event.requestContext?.stage ?? '$default';
  if (!HOST.test(host) || (proto !== 'https' && proto !== 'http') || (stage !== '$default' && !STAGE.test(stage))) return undefined;
  return `${proto}://${host}${stage === '$default' ? '' : `/${stage}`}`;
}

interface Variant {
  body: string;
  etag: string;
}
const variant = (doc: unknown): Variant => {
  const body = JSON.stringify(doc);
  return { body, etag: `"${createHash('sha256').update(body).digest('base64url').slice(0, 27)}"` };
};
const asIs = variant(document);
/** The document per address it was served from (a container sees a few: its domains). */
const byAddress = new Map<string, Variant>();
const MAX_ADDRESSES = 16;

function documentFor(address: string | undefined): Variant {
  if (address === undefined) return asIs;
  let v = byAddress.get(address);
  if (v === undefined) {
    if (byAddress.size >= MAX_ADDRESSES) byAddress.clear();
    v = variant({ ...document, servers: [{ url: address, description: 'This API, where this document was served from.' }] });
    byAddress.set(address, v);
  }
  return v;
}

export const handler = async (event: APIGatewayProxyEventV2): Promise<APIGatewayProxyStructuredResultV2> => {
  const { body, etag } = documentFor(servedFrom(event));
  const headers = { 'Cache-Control': 'public, max-age=300', ETag: etag };
  const ifNoneMatch = event.headers?.['if-none-match'];
  if (ifNoneMatch !== undefined && ifNoneMatch.split(',').some((t) => t.trim().replace(/^W\//, '') === etag)) return { statusCode: 304, headers, body: '' };
  return { statusCode: 200, headers: { 'Content-Type': 'application/json; charset=utf-8', ...headers }, body };
};
