/**
 * What a `GET /transactions` query (./request-schemas.ts, as functions/list-transactions parses it)
 * lists: its window and where it goes on.
 *
 * The cursor (shared/paging.ts) holds the window the first page resolved (without `to`, "now" as it
 * was then, so later pages do not drift) and the last row given, bound to the request's `from` and
 * `to`. A cursor that is not one of ours, or that comes with another `from`/`to`, is a 400
 * INVALID_CURSOR: it would page through another listing than the one asked for.
 */
import { DAY_MS } from '../domain/toss-time.ts';
import * as z from '../zod.ts';
import { InvalidCursorError, makeCursor, readCursor } from '../paging.ts';
import type { LedgerPosition } from './ports.ts';
import { DEFAULT_LEDGER_DAYS, MAX_LEDGER_DAYS, type ListTransactionsQuery } from './request-schemas.ts';

/** What a listing reads: the window (epoch ms, inclusive), where it goes on, how many rows. */
export interface LedgerQuery {
  from: number;
  to: number;
  after?: LedgerPosition | undefined;
  limit: number;
}

/** Where a page ends: the window the first page resolved, and the last row given. */
const positionSchema = /* @__PURE__ */ z.pure(() =>
  z.strictObject({
    f: z.int().check(z.gte(0)),
    t: z.int().check(z.gte(0)),
    a: z.int().check(z.gte(0)),
    s: z.enum(['PAY', 'REFUND']),
    x: z.string().check(z.regex(/^[\x21-\x7e]{1,100}$/)),
  }),
);

/** The cursors of GET /transactions (shared/paging.ts), bound to the request's own from and to. */
const SCOPE = 'transactions';
const boundTo = (raw: { from?: number | undefined; to?: number | undefined }) => ({ from: raw.from, to: raw.to });

/** The cursor of the page after `last`, for the query `raw` that resolved to `window`. */
export function cursorAfter(raw: { from?: number | undefined; to?: number | undefined }, window: { from: number; to: number }, last: LedgerPosition): string {
  return makeCursor(SCOPE, boundTo(raw), { f: window.from, t: window.to, a: last.at, s: last.stepType, x: last.transactionId });
}

/** The request's query (parsed) as a listing: its window (defaults resolved at `now`), or the cursor's. */
export function ledgerQuery(q: ListTransactionsQuery, now: number): { query: LedgerQuery; raw: { from?: number | undefined; to?: number | undefined } } {
  const raw = { from: q.from, to: q.to };
  if (q.cursor !== undefined) {
    const c = readCursor(SCOPE, boundTo(raw), q.cursor, positionSchema);
    // A window no first page resolves to, or a row outside it: not a cursor this listing made.
    if (c.f > c.t || c.t - c.f > MAX_LEDGER_DAYS * DAY_MS || c.a < c.f || c.a > c.t) throw new InvalidCursorError('not a cursor of this listing: start again without one');
    return { query: { from: c.f, to: c.t, after: { at: c.a, stepType: c.s, transactionId: c.x }, limit: q.limit }, raw };
  }
  const to = q.to ?? now;
  return { query: { from: q.from ?? to - DEFAULT_LEDGER_DAYS * DAY_MS, to, limit: q.limit }, raw };
}
