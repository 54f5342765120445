/**
 * Pages of a listing, the same for every listing the API has (GET /payments, GET /events, and any
 * listing added later): the `limit` query parameter, and THE cursor format.
 *
 * A cursor is `<position>.<check>`, both base64url: the position is JSON the listing defines (its
 * store validates it strictly, field by field, before DynamoDB sees any of it), and the check is
 * the first 128 bits of SHA-256 over a label, the listing's scope, the query parameters the
 * cursor was made for and the position. So a cursor is opaque (its position is the store's own
 * business) and tamper-evident: an edited one, or one used with other parameters than those it
 * was made for (another `from`, `status`, …), fails its check and is refused with 400
 * INVALID_CURSOR, as is anything that is not a cursor at all. Never a 500, never page 1 instead.
 *
 * Why a digest and not an HMAC: a cursor grants nothing. Whoever holds a merchant token may read
 * every page of every listing, so a cursor made by hand can only point where its maker may read
 * anyway; what must never happen is a malformed position reaching DynamoDB (a 500) or a bad
 * cursor being taken for the first page (a client looping forever), and the strict validation and
 * the check rule both out. A key would add a secret to every listing function (the event log API
 * has none today), and a key rotation would break every cursor held at that moment.
 */
import { createHash } from 'node:crypto';
import * as z from './zod.ts';
import { DAY_MS } from './domain/toss-time.ts';
import { PaymentError } from './payments/errors.ts';

/** A cursor that is not one this listing handed out for these parameters: 400 INVALID_CURSOR. */
export class InvalidCursorError extends PaymentError {
  override name = 'InvalidCursorError';
  readonly code = 'INVALID_CURSOR';
}

/** The longest cursor any listing hands out (and accepts). */
export const MAX_CURSOR_LENGTH = 2_000;

/** The parameters a cursor is bound to: a query's own values (absent ones left out). */
export type CursorQuery = Readonly<Record<string, string | number | boolean | undefined>>;

const LABEL = 'toss-pay cursor v1';

/** The query as one string: keys sorted, absent values left out. */
const canonical = (q: CursorQuery): string =>
  JSON.stringify(
    Object.keys(q)
      .sort()
      .flatMap((k) => (q[k] === undefined ? [] : [[k, q[k]]])),
  );

const check = (scope: string, query: CursorQuery, position: string): string =>
  createHash('sha256').update(`${LABEL}\n${scope}\n${canonical(query)}\n${position}`).digest().subarray(0, 16).toString('base64url');

const BASE64URL = /^[A-Za-z0-9_-]+$/;

/** The cursor of `position` in listing `scope`, made for `query`. */
export function makeCursor(scope: string, query: CursorQuery, position: unknown): string {
  const p = Buffer.from(JSON.stringify(position)).toString('base64url');
  return `${p}.${check(scope, query, p)}`;
}

/**
 * The position `cursor` holds, when it is a cursor of listing `scope` made for `query` and its
 * position passes `schema`; else InvalidCursorError (the store checks the position further
 * against what the listing holds).
 */
export function readCursor<S extends z.core.$ZodType>(scope: string, query: CursorQuery, cursor: string, schema: S): z.infer<S> {
  const dot = cursor.indexOf('.');
  const p = cursor.slice(0, dot);
  const given = cursor.slice(dot + 1);
  if (dot < 1 || cursor.length > MAX_CURSOR_LENGTH || !BASE64URL.test(p) || !BASE64URL.test(given))
    throw new InvalidCursorError('not a cursor of this listing: start again without one');
  // Both are ASCII: a length and a byte-wise comparison are enough (nothing here is secret).
  if (given !== check(scope, query, p))
    throw new InvalidCursorError('this cursor was made for other parameters, or altered: use the same parameters as the page that gave it, or start again without one');
  let value: unknown;
  try {
    value = JSON.parse(Buffer.from(p, 'base64url').toString('utf8'));
  } catch {
    throw new InvalidCursorError('not a cursor of this listing: start again without one');
  }
  const r = z.safeParse(schema, value);
  if (!r.success) throw new InvalidCursorError('not a cursor of this listing: start again without one');
  return r.data;
}

/**
 * The `limit` query parameter: 1 to `max`, `def` when absent. Digits only: a query string is
 * text, and `0x10`, ` 100`, `1e2` or `10.0` are not a count a client meant (Number() would read
 * them all).
 */
export function limitParam(def: number, max: number) {
  const schema = z._default(
    z.pipe(
      z.pipe(
        z.string().check(z.regex(/^[0-9]{1,6}$/, `a whole number from 1 to ${max}, in digits`)),
        z.transform((s: string) => Number(s)),
      ),
      z.int().check(z.gte(1), z.lte(max)),
    ),
    def,
  );
  LIMITS.set(schema, { type: 'integer', minimum: 1, maximum: max, default: def });
  return schema;
}

/** A listing's `from` or `to` query parameter: an ISO time with its offset, read as epoch milliseconds. */
export const timeParam = () =>
  z.pipe(
    z.iso.datetime({ offset: true }),
    z.transform((s: string) => Date.parse(s)),
  );

/** A listing's time range: `from` not after `to`, and at most `maxDays` before it (before now when `to` is absent). */
export const timeRangeCheck = (maxDays: number) =>
  z.superRefine((q: { from?: number | undefined; to?: number | undefined }, ctx) => {
    if (q.from !== undefined && q.to !== undefined && q.from > q.to) ctx.addIssue({ code: 'custom', path: ['from'], message: 'must not be after to' });
    if (q.from !== undefined && (q.to ?? Date.now()) - q.from > maxDays * DAY_MS)
      ctx.addIssue({ code: 'custom', path: ['from'], message: `at most ${maxDays} days before to` });
  });

/** Each limitParam's JSON Schema: an integer as a query string carries one (the parsing schema itself is a string's). */
const LIMITS = new WeakMap<object, Readonly<Record<string, unknown>>>();
export const limitDocument = (schema: unknown): Readonly<Record<string, unknown>> | undefined =>
  typeof schema === 'object' && schema !== null ? LIMITS.get(schema) : undefined;
