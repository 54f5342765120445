/**
 * `GET /transactions?from=&to=&limit=&cursor=`, as functions/list-transactions parses it (the
 * OpenAPI document describes the same schema). Unknown parameters are refused.
 *
 * The cursor is opaque to clients: the window the first page resolved (without `to`, "now" as it
 * was then, so later pages do not drift), the last row given, and a fingerprint of the query it was
 * made for. A cursor that is not one of ours, or that comes with another `from`/`to`, is a 400
 * INVALID_CURSOR: it would page through another listing than the one asked for.
 */
import { createHash } from 'node:crypto';
import * as z from '../zod.ts';
import { InvalidCursorError, parseRequest } from '../http/request-errors.ts';
import type { LedgerPosition } from './ports.ts';

/** Days a listing covers when the request names no start. */
export const DEFAULT_LEDGER_DAYS = 30;
/** The longest range one listing may cover (its months are read one by one). */
export const MAX_LEDGER_DAYS = 366;
export const MAX_LEDGER_LIMIT = 1_000;
export const DEFAULT_LEDGER_LIMIT = 100;
const DAY = 86_400_000;

const time = z.pipe(
  z.iso.datetime({ offset: true }),
  z.transform((s: string) => Date.parse(s)),
);

/** A whole number written plainly: no sign, exponent, fraction, hex or spaces. */
const limit = z.pipe(
  z.pipe(
    z.string().check(z.regex(/^[1-9][0-9]{0,3}$/, `a whole number from 1 to ${MAX_LEDGER_LIMIT}`)),
    z.transform(Number),
  ),
  z.number().check(z.lte(MAX_LEDGER_LIMIT, `at most ${MAX_LEDGER_LIMIT}`)),
);

export const listTransactionsQuerySchema = z
  .strictObject({
    from: z.optional(time),
    to: z.optional(time),
    limit: z._default(limit, DEFAULT_LEDGER_LIMIT),
    cursor: z.optional(z.string().check(z.maxLength(1_000))),
  })
  .check(
    z.superRefine((q, ctx) => {
      if (q.from !== undefined && q.to !== undefined && q.from > q.to) ctx.addIssue({ code: 'custom', path: ['from'], message: 'must not be after to' });
      if (q.from !== undefined && (q.to ?? Date.now()) - q.from > MAX_LEDGER_DAYS * DAY)
        ctx.addIssue({ code: 'custom', path: ['from'], message: `at most ${MAX_LEDGER_DAYS} days before to` });
    }),
  );

/** What a listing reads: the window (epoch ms, inclusive), where it goes on, how many rows. */
export interface LedgerQuery {
  from: number;
  to: number;
  after?: LedgerPosition | undefined;
  limit: number;
}

const cursorSchema = z.strictObject({
  /** The fingerprint of the query's `from` and `to` as the request gave them. */
  q: z.string().check(z.regex(/^[0-9a-f]{16}$/)),
  f: z.int().check(z.gte(0)),
  t: z.int().check(z.gte(0)),
  a: z.int().check(z.gte(0)),
  s: z.enum(['PAY', 'REFUND']),
  x: z.string().check(z.regex(/^[\x21-\x7e]{1,100}$/)),
});
type Cursor = z.infer<typeof cursorSchema>;

const fingerprint = (q: { from?: number | undefined; to?: number | undefined }): string =>
  createHash('sha256').update(JSON.stringify([q.from ?? null, q.to ?? null])).digest('hex').slice(0, 16);

/** The cursor of the page after `last`, for the query `raw` that resolved to `window`. */
export function cursorAfter(raw: { from?: number | undefined; to?: number | undefined }, window: { from: number; to: number }, last: LedgerPosition): string {
  const c: Cursor = { q: fingerprint(raw), f: window.from, t: window.to, a: last.at, s: last.stepType, x: last.transactionId };
  return Buffer.from(JSON.stringify(c)).toString('base64url');
}

function readCursor(s: string): Cursor {
  let json: unknown;
  try {
    json = JSON.parse(Buffer.from(s, 'base64url').toString('utf8'));
  } catch {
    throw new InvalidCursorError('the cursor is not one this API gave');
  }
  const c = z.safeParse(cursorSchema, json);
  if (!c.success || c.data.f > c.data.t || c.data.t - c.data.f > MAX_LEDGER_DAYS * DAY || c.data.a < c.data.f || c.data.a > c.data.t)
    throw new InvalidCursorError('the cursor is not one this API gave');
  return c.data;
}

/** The request's query as a listing: its window (defaults resolved at `now`), or the cursor's. */
export function parseLedgerQuery(params: Record<string, string | undefined>, now: number): { query: LedgerQuery; raw: { from?: number | undefined; to?: number | undefined } } {
  const q = parseRequest(listTransactionsQuerySchema, params);
  const raw = { from: q.from, to: q.to };
  if (q.cursor !== undefined) {
    const c = readCursor(q.cursor);
    if (c.q !== fingerprint(raw)) throw new InvalidCursorError('the cursor was made for another query: give the same from and to as the first page');
    return { query: { from: c.f, to: c.t, after: { at: c.a, stepType: c.s, transactionId: c.x }, limit: q.limit }, raw };
  }
  const to = q.to ?? now;
  return { query: { from: q.from ?? to - DEFAULT_LEDGER_DAYS * DAY, to, limit: q.limit }, raw };
}
