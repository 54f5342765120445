/**
 * reconcilePass: resolve every unfinished order that is due, from Toss's v2/status. The scheduled
 * Lambda (functions/reconciler), `npm run reconcile` and `npm start` all run this code.
 *
 * - Work comes from ONE Query per page on the sparse `due` index (unfinished AND due orders only),
 *   shard by shard in rotation, fed to a bounded worker pool as pages arrive. No Scan, no GetItem:
 *   the index projects what a check needs; a stale projection only makes a conditional write fail,
 *   and the failed write returns the item as it is (ALL_OLD), which is decided again.
 * - Per order: status by payToken (or by orderNo when none was stored), then the same domain
 *   transitions and single conditional writes as the handlers (applyVerifiedStatus, executeApproved
 *   with its lock), so callbacks, landings and other passes never cause a double change.
 * - Unknown is never failure: a Toss or DynamoDB error leaves the order as it is, due again later.
 *   A CREATING order becomes CREATE_FAILED only when Toss has no payment for its orderNo AND the
 *   create call cannot still be in flight.
 * - An order that changes no state gets ONE conditional write: checks + 1, the next check after a
 *   capped backoff, and (past the flag age, once) `attention`, which raises the OrdersFlagged alarm.
 * - Time budget: no new order is taken after `deadline`; whatever is left stays due.
 */
import { DEADLINE_MARGIN_MS, deadlineAt } from '../../deadline.ts';
import type { DuePage, ReconcileDeps } from '../ports.ts';
import { MetricName } from '../../metrics.ts';
import { reconcileOrder, reportFailure, type CheckContext } from './check.ts';
import { emptySummary, record, type ReconcileSummary } from './summary.ts';
import { createWorkerPool } from './worker-pool.ts';

export type { ReconcileDeps };

export interface ReconcileOptions {
  /** Logical "now" (epoch ms): what is due, next check times, ages. Default: deps.clock(). */
  now?: number | undefined;
  /** Orders checked at the same time (RECONCILE_CONCURRENCY). */
  concurrency: number;
  /** Real epoch ms after which no new order is taken (the rest stays due). */
  deadline: number;
  /** Real epoch ms by which every Toss call must be over. Default: the Toss client's own timeout. */
  callDeadline?: number | undefined;
  /** An order still unresolved this long after its creation is flagged (RECONCILE_FLAG_AFTER_MINUTES). */
  flagAfterMs: number;
  /** A CREATING order younger than this may still have its create call in flight (the create function's timeout and a margin). */
  createGraceMs: number;
  /** Index items per Query page (default 100). */
  pageSize?: number | undefined;
  /** The real clock the deadlines are measured with (default Date.now). */
  timer?: (() => number) | undefined;
}

/** Kept from the end of the invocation beyond one Toss timeout before no new order is taken. */
export const TAKE_MARGIN_MS = 5_000;
/** Kept from the end of the invocation for the writes after the last Toss call: the one rule's margin. */
export const WRITE_MARGIN_MS = DEADLINE_MARGIN_MS;

/**
 * The pass's deadlines from the time an invocation has left. Pure. `deadline`: stop taking new
 * orders (leaves a whole Toss timeout plus a margin for the checks in flight); `callDeadline`:
 * every Toss call is over by then.
 */
export function passBudget(startedAt: number, remainingMs: number, tossTimeoutMs: number): { deadline: number; callDeadline: number } {
  return { deadline: deadlineAt(startedAt, remainingMs, tossTimeoutMs + TAKE_MARGIN_MS), callDeadline: deadlineAt(startedAt, remainingMs, WRITE_MARGIN_MS) };
}

interface Cursor {
  shard: string;
  startKey?: Record<string, unknown> | undefined;
  done: boolean;
}

/**
 * One pass: every due order, by the due index, with at most `concurrency` checks at once, until
 * the deadline. Returns the summary (also what `npm run reconcile` prints).
 */
export async function reconcilePass(deps: ReconcileDeps, opts: ReconcileOptions): Promise<ReconcileSummary> {
  const timer = opts.timer ?? Date.now;
  const started = timer();
  const now = opts.now ?? deps.clock();
  const s = emptySummary();
  const passDeps: ReconcileDeps = {
    ...deps,
    count: (name) => {
      if (name === MetricName.OrdersFlagged) s.flagged++;
      if (name === MetricName.OrderWritesRejected) s.rejected++;
      deps.count(name);
    },
  };
  const ctx: CheckContext = {
    now,
    flagAfterMs: opts.flagAfterMs,
    createGraceMs: opts.createGraceMs,
    callDeadline: opts.callDeadline,
  };
  const pool = createWorkerPool(opts.concurrency);
  const inTime = (): boolean => timer() < opts.deadline;

  // Shards in rotation, one page each, so that a short budget is shared fairly; one page ahead.
  const cursors: Cursor[] = deps.due.shards.map((shard) => ({ shard, done: false }));
  let turn = 0;
  const fetchNext = (): Promise<{ c: Cursor; page?: DuePage; error?: unknown }> | undefined => {
    const live = cursors.filter((c) => !c.done);
    const c = live[turn++ % Math.max(1, live.length)];
    if (c === undefined) return undefined;
    return deps.due.queryDue(c.shard, now, { limit: opts.pageSize ?? 100, startKey: c.startKey }).then(
      (page) => {
        c.startKey = page.nextKey;
        c.done = page.nextKey === undefined;
        return { c, page };
      },
      (error: unknown) => {
        c.done = true;
        return { c, error };
      },
    );
  };

  let next = inTime() ? fetchNext() : undefined;
  if (next === undefined && cursors.length > 0) s.leftDue = true;
  pages: while (next !== undefined) {
    const { c, page, error } = await next;
    next = undefined;
    if (page === undefined) {
      reportFailure(deps, 'reconciler: due query failed; this shard stays due', error, { shard: c.shard });
      s.errors++;
      s.leftDue = true;
    } else {
      s.itemsRead += page.itemsRead;
      s.scannedCount += page.scanned;
      s.consumedCapacity += page.capacityUnits;
      if (page.orders.length < page.itemsRead)
        deps.logger.error('reconciler: due index items a check cannot use; left as they are', {
          shard: c.shard,
          count: page.itemsRead - page.orders.length,
        });
    }
    if (inTime()) next = fetchNext();
    for (const o of page?.orders ?? []) {
      await pool.slot();
      if (!inTime()) {
        s.leftDue = true;
        break pages;
      }
      s.examined++;
      pool.run(async () => record(s, await reconcileOrder(passDeps, o, ctx)));
    }
    if (next === undefined && cursors.some((x) => !x.done)) s.leftDue = true;
  }
  // A page fetched ahead and never used: its orders stay due.
  if (next !== undefined) {
    s.leftDue = true;
    await next;
  }
  await pool.drain();
  s.durationMs = timer() - started;
  return s;
}
