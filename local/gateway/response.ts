/**
 * Payload-2.0 response mapping, as API Gateway HTTP APIs apply it:
 * - an object with `statusCode`: that status, its `headers`, one `Set-Cookie` per entry of
 *   `cookies`, and `body` (base64-decoded when `isBase64Encoded`);
 * - a bare string: 200, `content-type: application/json`, the string as the body;
 * - anything else that is valid JSON (an object without `statusCode`, a number, null): 200 with
 *   that value serialised as JSON.
 * A result API Gateway could not map (a bad status code, a non-string body) becomes 500.
 */
import type { OutgoingHttpHeaders } from 'node:http';

export interface HttpResponse {
  readonly status: number;
  readonly headers: OutgoingHttpHeaders;
  readonly body: Buffer;
}

export const jsonResponse = (status: number, value: unknown): HttpResponse => ({
  status,
  headers: { 'content-type': 'application/json' },
  body: Buffer.from(JSON.stringify(value)),
});

export const messageResponse = (status: number, message: string): HttpResponse => jsonResponse(status, { message });

export const internalError = (): HttpResponse => messageResponse(500, 'Internal Server Error');

export class ResponseMappingError extends Error {
  override name = 'ResponseMappingError';
}

export function mapResult(result: unknown): HttpResponse {
  if (typeof result === 'string') {
    return { status: 200, headers: { 'content-type': 'application/json' }, body: Buffer.from(result) };
  }
  if (result === null || typeof result !== 'object' || !('statusCode' in result)) {
    return jsonResponse(200, result === undefined ? null : result);
  }
  const r = result as {
    statusCode: unknown;
    headers?: unknown;
    cookies?: unknown;
    body?: unknown;
    isBase64Encoded?: unknown;
  };
  if (typeof r.statusCode !== 'number' || !Number.isInteger(r.statusCode) || r.statusCode < 100 || r.statusCode > 599) {
    throw new ResponseMappingError(`invalid statusCode ${JSON.stringify(r.statusCode)}`);
  }
  const headers: OutgoingHttpHeaders = {};
  if (r.headers !== undefined && r.headers !== null) {
    if (typeof r.headers !== 'object') throw new ResponseMappingError('headers must be an object');
    for (const [k, v] of Object.entries(r.headers)) {
      if (v === undefined || v === null) continue;
      if (typeof v !== 'string' && typeof v !== 'number' && typeof v !== 'boolean') {
        throw new ResponseMappingError(`header ${k} must be a string, number or boolean`);
      }
      headers[k.toLowerCase()] = String(v);
    }
  }
  if (r.cookies !== undefined && r.cookies !== null) {
    if (!Array.isArray(r.cookies) || !r.cookies.every((c) => typeof c === 'string')) {
      throw new ResponseMappingError('cookies must be an array of strings');
    }
    const existing = headers['set-cookie'];
    const fromHeaders = existing === undefined ? [] : Array.isArray(existing) ? existing : [String(existing)];
    if (r.cookies.length > 0 || fromHeaders.length > 0) headers['set-cookie'] = [...fromHeaders, ...(r.cookies as string[])];
  }
  let body = Buffer.alloc(0);
  if (r.body !== undefined && r.body !== null) {
    if (typeof r.body !== 'string') throw new ResponseMappingError('body must be a string');
    body = r.isBase64Encoded === true ? Buffer.from(r.body, 'base64') : Buffer.from(r.body, 'utf8');
  }
  return { status: r.statusCode, headers, body };
}
