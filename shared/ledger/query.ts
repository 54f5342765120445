/**
 * `GET /transactions?from=&to=&limit=&cursor=`, as functions/list-transactions parses it (the
 * OpenAPI document describes the same schema). Unknown parameters are refused.
 *
 * The cursor (shared/paging.ts) holds the window the first page resolved (without `to`, "now" as it
 * was then, so later pages do not drift) and the last row given, bound to the request's `from` and
 * `to`. A cursor that is not one of ours, or that comes with another `from`/`to`, is a 400
 * INVALID_CURSOR: it would page through another listing than the one asked for.
 */
import * as z from '../zod.ts';
import { parseRequest } from '../http/request-errors.ts';
import { InvalidCursorError, limitParam, makeCursor, MAX_CURSOR_LENGTH, readCursor } from '../paging.ts';
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

export const listTransactionsQuerySchema = z
  .strictObject({
    from: z.optional(time),
    to: z.optional(time),
    limit: limitParam(DEFAULT_LEDGER_LIMIT, MAX_LEDGER_LIMIT),
    cursor: z.optional(z.string().check(z.maxLength(MAX_CURSOR_LENGTH))),
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

/** Where a page ends: the window the first page resolved, and the last row given. */
const positionSchema = z.strictObject({
  f: z.int().check(z.gte(0)),
  t: z.int().check(z.gte(0)),
  a: z.int().check(z.gte(0)),
  s: z.enum(['PAY', 'REFUND']),
  x: z.string().check(z.regex(/^[\x21-\x7e]{1,100}$/)),
});

/** The cursors of GET /transactions (shared/paging.ts), bound to the request's own from and to. */
const SCOPE = 'transactions';
const boundTo = (raw: { from?: number | undefined; to?: number | undefined }) => ({ from: raw.from, to: raw.to });

/** The cursor of the page after `last`, for the query `raw` that resolved to `window`. */
export function cursorAfter(raw: { from?: number | undefined; to?: number | undefined }, window: { from: number; to: number }, last: LedgerPosition): string {
  return makeCursor(SCOPE, boundTo(raw), { f: window.from, t: window.to, a: last.at, s: last.stepType, x: last.transactionId });
}

/** The request's query as a listing: its window (defaults resolved at `now`), or the cursor's. */
export function parseLedgerQuery(params: Record<string, string | undefined>, now: number): { query: LedgerQuery; raw: { from?: number | undefined; to?: number | undefined } } {
  const q = parseRequest(listTransactionsQuerySchema, params);
  const raw = { from: q.from, to: q.to };
  if (q.cursor !== undefined) {
    const c = readCursor(SCOPE, boundTo(raw), q.cursor, positionSchema);
    // A window no first page resolves to, or a row outside it: not a cursor this listing made.
    if (c.f > c.t || c.t - c.f > MAX_LEDGER_DAYS * DAY || c.a < c.f || c.a > c.t) throw new InvalidCursorError('not a cursor of this listing: start again without one');
    return { query: { from: c.f, to: c.t, after: { at: c.a, stepType: c.s, transactionId: c.x }, limit: q.limit }, raw };
  }
  const to = q.to ?? now;
  return { query: { from: q.from ?? to - DEFAULT_LEDGER_DAYS * DAY, to, limit: q.limit }, raw };
}
