/**
 * Turns an HTTP request into the API Gateway HTTP API payload-2.0 event, following what the
 * real service sends: lower-cased headers with duplicates comma-joined, `cookie` headers moved
 * to `cookies`, duplicate query parameters comma-joined, and the body as UTF-8 text only for
 * text-like content types (base64 with `isBase64Encoded: true` for everything else, including
 * form posts and requests without a content type).
 */
import { randomBytes } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { APIGatewayEventRequestContextV2, APIGatewayProxyEventV2, APIGatewayRequestAuthorizerEventV2 } from 'aws-lambda';

export const LOCAL_ACCOUNT_ID = '000000000000';
export const LOCAL_API_ID = 'local';
export const LOCAL_REGION = 'ap-northeast-2';

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const pad = (n: number): string => String(n).padStart(2, '0');

/** `12/Mar/2020:19:03:58 +0000`, the format of `requestContext.time`. */
export function formatRequestTime(d: Date): string {
  return (
    `${pad(d.getUTCDate())}/${MONTHS[d.getUTCMonth()]}/${d.getUTCFullYear()}:` +
    `${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())} +0000`
  );
}

/** Content types API Gateway passes as text; everything else is base64. */
export function isTextContentType(contentType: string | undefined): boolean {
  if (contentType === undefined) return false;
  const mime = (contentType.split(';')[0] ?? '').trim().toLowerCase();
  return (
    mime.startsWith('text/') ||
    mime === 'application/json' ||
    mime === 'application/xml' ||
    mime === 'application/javascript'
  );
}

/** Lower-cased header names, duplicates comma-joined; `cookie` headers go to `cookies` instead. */
export function collectHeaders(rawHeaders: readonly string[]): { headers: Record<string, string>; cookies: string[] } {
  const headers: Record<string, string> = {};
  const cookies: string[] = [];
  for (let i = 0; i + 1 < rawHeaders.length; i += 2) {
    const name = (rawHeaders[i] ?? '').toLowerCase();
    const value = rawHeaders[i + 1] ?? '';
    if (name === 'cookie') {
      for (const c of value.split(';')) {
        const t = c.trim();
        if (t !== '') cookies.push(t);
      }
      continue;
    }
    const prev = headers[name];
    headers[name] = prev === undefined ? value : `${prev},${value}`;
  }
  return { headers, cookies };
}

/** Decoded query parameters, duplicates comma-joined; undefined when there is no query. */
export function parseQuery(rawQueryString: string): Record<string, string> | undefined {
  if (rawQueryString === '') return undefined;
  const out: Record<string, string> = {};
  for (const [k, v] of new URLSearchParams(rawQueryString)) {
    const prev = out[k];
    out[k] = prev === undefined ? v : `${prev},${v}`;
  }
  return Object.keys(out).length > 0 ? out : undefined;
}

/** `Root=1-<epoch hex>-<24 hex>`, the X-Ray trace header API Gateway adds. */
const traceId = (epochMs: number): string =>
  `Root=1-${Math.floor(epochMs / 1000).toString(16)}-${randomBytes(12).toString('hex')}`;

export interface RequestParts {
  readonly method: string;
  readonly rawPath: string;
  readonly rawQueryString: string;
  readonly headers: Record<string, string>;
  readonly cookies: string[];
  readonly queryStringParameters: Record<string, string> | undefined;
  readonly requestContext: APIGatewayEventRequestContextV2;
}

/** Everything of the event that does not depend on the matched route or the body. */
export function requestParts(req: IncomingMessage, now: Date): RequestParts {
  const url = req.url ?? '/';
  const q = url.indexOf('?');
  const rawPath = q === -1 ? url : url.slice(0, q);
  const rawQueryString = q === -1 ? '' : url.slice(q + 1);
  const method = (req.method ?? 'GET').toUpperCase();
  const { headers, cookies } = collectHeaders(req.rawHeaders);
  const sourceIp = (req.socket.remoteAddress ?? '127.0.0.1').replace(/^::ffff:/, '');
  // What API Gateway adds in front of the integration.
  headers['x-forwarded-for'] = headers['x-forwarded-for'] === undefined ? sourceIp : `${headers['x-forwarded-for']}, ${sourceIp}`;
  headers['x-forwarded-port'] = String(req.socket.localPort ?? '');
  headers['x-forwarded-proto'] = 'http';
  headers['x-amzn-trace-id'] ??= traceId(now.getTime());
  const domainName = headers.host ?? `${req.socket.localAddress ?? '127.0.0.1'}:${req.socket.localPort ?? ''}`;
  return {
    method,
    rawPath,
    rawQueryString,
    headers,
    cookies,
    queryStringParameters: parseQuery(rawQueryString),
    requestContext: {
      accountId: LOCAL_ACCOUNT_ID,
      apiId: LOCAL_API_ID,
      domainName,
      domainPrefix: domainName.split('.')[0]?.split(':')[0] ?? domainName,
      http: {
        method,
        path: rawPath,
        protocol: `HTTP/${req.httpVersion}`,
        sourceIp,
        userAgent: headers['user-agent'] ?? '',
      },
      requestId: randomBytes(10).toString('base64'),
      routeKey: '',
      stage: '$default',
      time: formatRequestTime(now),
      timeEpoch: now.getTime(),
    },
  };
}

/** The payload-2.0 integration event for a matched route. */
export function integrationEvent(
  parts: RequestParts,
  routeKey: string,
  pathParameters: Record<string, string> | undefined,
  body: Buffer,
  authorizerContext: Record<string, unknown> | undefined,
): APIGatewayProxyEventV2 {
  const requestContext: APIGatewayProxyEventV2['requestContext'] & { authorizer?: { lambda: Record<string, unknown> } } = {
    ...parts.requestContext,
    http: { ...parts.requestContext.http },
    routeKey,
  };
  if (authorizerContext !== undefined) requestContext.authorizer = { lambda: authorizerContext };
  const event: APIGatewayProxyEventV2 = {
    version: '2.0',
    routeKey,
    rawPath: parts.rawPath,
    rawQueryString: parts.rawQueryString,
    headers: { ...parts.headers },
    requestContext,
    isBase64Encoded: false,
  };
  if (parts.cookies.length > 0) event.cookies = [...parts.cookies];
  if (parts.queryStringParameters !== undefined) event.queryStringParameters = { ...parts.queryStringParameters };
  if (pathParameters !== undefined) event.pathParameters = { ...pathParameters };
  if (body.length > 0) {
    if (isTextContentType(parts.headers['content-type'])) {
      event.body = body.toString('utf8');
    } else {
      event.body = body.toString('base64');
      event.isBase64Encoded = true;
    }
  }
  return event;
}

/** The payload-2.0 REQUEST authorizer event (identity source `$request.header.Authorization`). */
export function authorizerEvent(
  parts: RequestParts,
  routeKey: string,
  pathParameters: Record<string, string> | undefined,
  authorization: string,
): APIGatewayRequestAuthorizerEventV2 {
  const [method, path] = routeKey.split(' ');
  const event: APIGatewayRequestAuthorizerEventV2 = {
    version: '2.0',
    type: 'REQUEST',
    routeArn: `arn:aws:execute-api:${LOCAL_REGION}:${LOCAL_ACCOUNT_ID}:${LOCAL_API_ID}/$default/${method}${path}`,
    identitySource: [authorization],
    routeKey,
    rawPath: parts.rawPath,
    rawQueryString: parts.rawQueryString,
    cookies: [...parts.cookies],
    headers: { ...parts.headers },
    requestContext: { ...parts.requestContext, http: { ...parts.requestContext.http }, routeKey },
  };
  if (parts.queryStringParameters !== undefined) event.queryStringParameters = { ...parts.queryStringParameters };
  if (pathParameters !== undefined) event.pathParameters = { ...pathParameters };
  return event;
}
