/**
 * Request bodies of API Gateway payload-2.0 events: base64 when isBase64Encoded, THE size rule (each
 * route's limit, from the route table: routeBodyLimit, in every HTTP function's chain), and the
 * callback's two formats (V2 JSON, V1 form).
 */
import type middy from '@middy/core';
import { maxBodyBytesOf } from '../routes.ts';
import { BodyTooLargeError, MalformedBodyError } from './request-errors.ts';

/** The body's bytes (decoded); over `maxBytes`, BodyTooLargeError (413). */
export function bodyBytes(event: { body?: string | undefined; isBase64Encoded?: boolean }, maxBytes = Number.POSITIVE_INFINITY): Buffer {
  const raw = event.body ?? '';
  // A base64 text is 4/3 of its bytes: refuse obviously huge bodies before decoding them.
  if (raw.length > Math.ceil((maxBytes * 4) / 3) + 4) throw new BodyTooLargeError();
  const bytes = event.isBase64Encoded === true ? Buffer.from(raw, 'base64') : Buffer.from(raw, 'utf8');
  if (bytes.length > maxBytes) throw new BodyTooLargeError();
  return bytes;
}

const headerOf = (headers: Record<string, string | undefined> | undefined, name: string): string | undefined => {
  if (headers === undefined) return undefined;
  for (const [k, v] of Object.entries(headers)) if (k.toLowerCase() === name) return v;
  return undefined;
};

/**
 * A JSON object body (V2) or a form body (V1). The format follows the content type, and when that
 * is missing or unhelpful, the first character (`{` is JSON).
 */
export function parseObjectBody(bytes: Buffer, headers: Record<string, string | undefined> | undefined): Record<string, unknown> {
  const text = bytes.toString('utf8').trim();
  if (text === '') throw new MalformedBodyError('empty body');
  const ct = (headerOf(headers, 'content-type') ?? '').toLowerCase();
  const json = ct.includes('json') || (!ct.includes('x-www-form-urlencoded') && text.startsWith('{'));
  if (json) {
    let v: unknown;
    try {
      v = JSON.parse(text);
    } catch {
      throw new MalformedBodyError('body is not valid JSON');
    }
    if (v === null || typeof v !== 'object' || Array.isArray(v)) throw new MalformedBodyError('body is not a JSON object');
    return v as Record<string, unknown>;
  }
  const out: Record<string, unknown> = {};
  for (const [k, v] of new URLSearchParams(text)) out[k] = v;
  if (Object.keys(out).length === 0) throw new MalformedBodyError('body has no fields');
  return out;
}

/** The middleware refusing a body over its route's limit (413) before anything reads it. */
export const routeBodyLimit = (): middy.MiddlewareObj<{ routeKey?: string; body?: string | undefined; isBase64Encoded?: boolean }> => ({
  before: (request) => {
    const max = maxBodyBytesOf(request.event.routeKey ?? '');
    if (max !== undefined) bodyBytes(request.event, max);
  },
});

/**
 * @middy/http-json-body-parser for routes whose body may be left out (GET, DELETE, a POST that takes
 * nothing): a request without a body passes untouched whatever its Content-Type (many clients send
 * `application/json` on every request), one with a body is parsed as the parser does.
 */
export function jsonBodyIfAny<E extends { body?: unknown }>(parser: middy.MiddlewareObj<E>): middy.MiddlewareObj<E> {
  return {
    before: (request) => {
      const body = request.event.body;
      if (body === undefined || body === '') return;
      return parser.before?.(request);
    },
  };
}
