/**
 * reconcilePass: settle every unfinished order that is due, from Toss's v2/status. The scheduled
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
import type { AppConfig } from '../config.ts';
import { decide } from '../domain/decide.ts';
import type { Attention, Order } from '../domain/order.ts';
import { dueAtFor } from '../domain/schedule.ts';
import type { OrderStatus } from '../domain/states.ts';
import { functionSettings } from '../functions.ts';
import { MetricName } from '../metrics.ts';
import type { DueOrder, DuePage, DueStore } from '../store/due.ts';
import { isTossError, isTossNotFound, TossRefusedError } from '../toss/errors.ts';
import type { TossStatusReply } from '../toss/schemas.ts';
import type { PaymentDeps } from './deps.ts';
import { executable, executeApproved, type ExecuteOutcome } from './execute.ts';
import { applyVerifiedStatus, tossRef } from './settle.ts';

export interface ReconcileDeps extends PaymentDeps {
  due: DueStore;
}

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
  /** A CREATING order younger than this may still have its create call in flight. */
  createGraceMs?: number | undefined;
  /** Index items per Query page (default 100). */
  pageSize?: number | undefined;
  /** The real clock the deadlines are measured with (default Date.now). */
  timer?: (() => number) | undefined;
}

export interface ReconcileSummary {
  /** Orders checked (a Toss status call was made or attempted). */
  examined: number;
  /** Orders whose state changed, by the state they were left in. */
  changed: Partial<Record<OrderStatus, number>>;
  /** Orders checked whose state did not change (incl. contradictions and lost races). */
  unchanged: number;
  /** Orders flagged for a person in this pass (unresolved too long, or contradicted by Toss). */
  flagged: number;
  /** Orders (or index pages) that could not be checked: Toss or DynamoDB errors. They stay due. */
  errors: number;
  /** True when the pass stopped (time budget, or an unreadable shard) with due orders left. */
  leftDue: boolean;
  /** Items the due-index queries returned: what the pass read from the table. */
  itemsRead: number;
  /** Items DynamoDB evaluated for those queries (ScannedCount). */
  scannedCount: number;
  /** Read capacity units the queries consumed (as DynamoDB reports it). */
  consumedCapacity: number;
  durationMs: number;
}

export type CheckOutcome =
  | { kind: 'changed'; from: OrderStatus; to: OrderStatus }
  | { kind: 'unchanged'; reason: string }
  | { kind: 'error'; error: string };

export interface CheckResult {
  orderNo: string;
  outcome: CheckOutcome;
  /** This check set `attention` because the order stayed unresolved past the flag age. */
  flaggedUnresolved: boolean;
}

export interface CheckContext {
  now: number;
  flagAfterMs: number;
  createGraceMs: number;
  callDeadline?: number | undefined;
}

/**
 * How long after its record a CREATING order's create call may still reach Toss: the
 * create-payment function cannot run longer than its timeout, plus a margin for Toss's own work.
 */
export const CREATE_IN_FLIGHT_MS = functionSettings['create-payment'].timeoutSeconds * 1000 + 30_000;
/** Kept from the end of the invocation beyond one Toss timeout before no new order is taken. */
export const TAKE_MARGIN_MS = 5_000;
/** Kept from the end of the invocation for the writes after the last Toss call. */
export const WRITE_MARGIN_MS = 2_000;

/**
 * The pass's deadlines from the time an invocation has left. Pure. `deadline`: stop taking new
 * orders (leaves a whole Toss timeout plus a margin for the checks in flight); `callDeadline`:
 * every Toss call is over by then.
 */
export function passBudget(startedAt: number, remainingMs: number, tossTimeoutMs: number): { deadline: number; callDeadline: number } {
  const end = startedAt + remainingMs;
  return { deadline: end - tossTimeoutMs - TAKE_MARGIN_MS, callDeadline: end - WRITE_MARGIN_MS };
}

/**
 * A pass's options from configuration and the time the run has left: one derivation for the
 * scheduled Lambda (its context's remaining time) and `npm run reconcile` (the Lambda's timeout).
 */
export function passOptions(
  c: Pick<AppConfig, 'RECONCILE_CONCURRENCY' | 'RECONCILE_FLAG_AFTER_MINUTES' | 'TOSS_TIMEOUT_MS'>,
  startedAt: number,
  remainingMs: number,
): ReconcileOptions {
  return {
    concurrency: c.RECONCILE_CONCURRENCY,
    ...passBudget(startedAt, remainingMs, c.TOSS_TIMEOUT_MS),
    flagAfterMs: c.RECONCILE_FLAG_AFTER_MINUTES * 60_000,
  };
}

/** Ms since the order was recorded; 0 when unknown (never flag or fail on a guess). Pure. */
export function ageOf(o: Pick<DueOrder, 'createdAt'>, now: number): number {
  const t = o.createdAt === undefined ? Number.NaN : Date.parse(o.createdAt);
  return Number.isFinite(t) ? Math.max(0, now - t) : 0;
}

/** When the next check of an order that did not change should be, and whether to flag it. Pure. */
export function nextCheck(o: DueOrder, ctx: Pick<CheckContext, 'now' | 'flagAfterMs'>): { dueAt: number; flag?: Attention } {
  const dueAt = dueAtFor({ status: o.status, checks: o.checks + 1, expiresAt: o.expiresAt }, ctx.now);
  if (o.attention !== undefined || ageOf(o, ctx.now) <= ctx.flagAfterMs) return { dueAt };
  return { dueAt, flag: { reason: `UNRESOLVED:${o.status}`, at: new Date(ctx.now).toISOString() } };
}

/** The Reconcile* metric values of a pass summary (OrdersFlagged is counted where it happens). Pure. */
export function summaryMetrics(s: ReconcileSummary): [name: string, value: number][] {
  const changed = Object.values(s.changed).reduce((a, n) => a + n, 0);
  return [
    [MetricName.ReconcileExamined, s.examined],
    [MetricName.ReconcileChanged, changed],
    [MetricName.ReconcileUnchanged, s.unchanged],
    [MetricName.ReconcileErrors, s.errors],
  ];
}

export const emptySummary = (): ReconcileSummary => ({
  examined: 0,
  changed: {},
  unchanged: 0,
  flagged: 0,
  errors: 0,
  leftDue: false,
  itemsRead: 0,
  scannedCount: 0,
  consumedCapacity: 0,
  durationMs: 0,
});

/** Adds one check's result to a summary. Pure (mutates `s`). */
export function record(s: ReconcileSummary, r: CheckResult): void {
  if (r.outcome.kind === 'changed') s.changed[r.outcome.to] = (s.changed[r.outcome.to] ?? 0) + 1;
  else if (r.outcome.kind === 'unchanged') s.unchanged++;
  else s.errors++;
}

/** At most `size` tasks at once. `slot()` resolves when one more may start. */
export function createWorkerPool(size: number): {
  slot(): Promise<void>;
  run(task: () => Promise<void>): void;
  drain(): Promise<void>;
  readonly active: number;
} {
  if (!Number.isInteger(size) || size < 1) throw new RangeError('pool size must be a positive integer');
  const running = new Set<Promise<void>>();
  return {
    async slot() {
      while (running.size >= size) await Promise.race(running);
    },
    run(task) {
      const p: Promise<void> = task()
        .catch(() => undefined)
        .finally(() => running.delete(p));
      running.add(p);
    },
    async drain() {
      while (running.size > 0) await Promise.all([...running]);
    },
    get active() {
      return running.size;
    },
  };
}

/**
 * The full order executeApproved expects, from the projected facts. executeApproved reads only
 * the identity facts (orderNo, status, payToken, amount, mode, autoExecute, expiresAt); every
 * write it makes returns the real item.
 */
function asOrder(o: DueOrder): Order {
  const order: Order = {
    orderNo: o.orderNo,
    status: o.status,
    amount: o.amount,
    amountTaxFree: 0,
    productDesc: '',
    autoExecute: o.autoExecute,
    expiresAt: o.expiresAt ?? '',
    mode: o.mode,
    history: [],
    createdAt: o.createdAt ?? '',
    updatedAt: o.createdAt ?? '',
    checks: o.checks,
    dueAt: o.dueAt,
  };
  if (o.payToken !== undefined) order.payToken = o.payToken;
  if (o.execLockId !== undefined) order.execLockId = o.execLockId;
  if (o.execUntil !== undefined) order.execUntil = o.execUntil;
  if (o.supersededPayTokens !== undefined) order.supersededPayTokens = o.supersededPayTokens;
  return order;
}

function fromExecute(before: OrderStatus, ex: ExecuteOutcome): CheckOutcome | undefined {
  if (ex.kind === 'notApplicable') return undefined;
  if (ex.kind === 'lockLost') return { kind: 'unchanged', reason: 'EXECUTE_LOCK_HELD_ELSEWHERE' };
  const to = ex.order.status;
  return to === before ? { kind: 'unchanged', reason: `EXECUTE_${ex.kind.toUpperCase()}` } : { kind: 'changed', from: before, to };
}

/** One order: Toss status -> the same transitions as the handlers. Never throws for Toss errors. */
async function settleOne(deps: ReconcileDeps, o: DueOrder, ctx: CheckContext): Promise<CheckOutcome> {
  const callOpts = { deadline: ctx.callDeadline };
  // A create attempt holds the lease: it may be replacing the very payment we would record.
  if (o.status === 'CREATING' && o.leaseUntil !== undefined && o.leaseUntil > deps.clock())
    return { kind: 'unchanged', reason: 'CREATE_IN_PROGRESS' };
  let status: TossStatusReply;
  try {
    status = await deps.toss.status(tossRef(o), callOpts);
  } catch (e) {
    if (isTossNotFound(e) && o.status === 'CREATING' && o.payToken === undefined) return createNeverReachedToss(deps, o, ctx, e);
    if (!isTossError(e)) throw e;
    const code = e instanceof TossRefusedError ? e.errorCode : e.name;
    deps.logger.warn('reconciler: Toss status unavailable; order left as it is', { orderNo: o.orderNo, status: o.status, error: code });
    return { kind: 'error', error: code };
  }

  const d = decide(o, status, await deps.toss.mode());
  if (d.kind === 'contradiction' && o.attention !== undefined)
    // Flagged and logged when first seen; a person is on it. Check again later, quietly.
    return { kind: 'unchanged', reason: `CONTRADICTION:${d.reason}` };

  // The buyer authenticated but never came back to the return landing: execute, exactly once
  // (the landing takes the same lock; whoever loses it never calls execute).
  // An EXECUTING order whose last attempt is surely over and found Toss still PAY_APPROVED: that
  // execute did nothing, so execute again (under the lock, never two at once).
  if (d.kind !== 'contradiction' && status.payStatus === 'PAY_APPROVED' && executable(asOrder(o), deps.clock())) {
    const ex = fromExecute(o.status, await executeApproved(asOrder(o), status, 'reconciler', deps, callOpts));
    if (ex !== undefined) return ex;
  }

  const out = await applyVerifiedStatus(o, status, 'reconciler', deps);
  if (out.kind === 'missing') return { kind: 'unchanged', reason: 'MISSING' };
  if (out.kind === 'contradiction') return { kind: 'unchanged', reason: `CONTRADICTION:${out.reason}` };
  if (out.kind === 'unchanged') return { kind: 'unchanged', reason: out.reason };
  // A CREATING order Toss reports as PAY_APPROVED (autoExecute false): now it can be executed.
  if (out.order.status === 'PAY_APPROVED' && !out.order.autoExecute) {
    const ex = await executeApproved(out.order, status, 'reconciler', deps, callOpts);
    if (ex.kind !== 'notApplicable' && ex.kind !== 'lockLost') return { kind: 'changed', from: o.status, to: ex.order.status };
  }
  return { kind: 'changed', from: o.status, to: out.order.status };
}

/** Toss has no payment for a CREATING order's orderNo. */
async function createNeverReachedToss(deps: ReconcileDeps, o: DueOrder, ctx: CheckContext, e: TossRefusedError): Promise<CheckOutcome> {
  if (ageOf(o, ctx.now) < ctx.createGraceMs) return { kind: 'unchanged', reason: 'CREATE_MAY_BE_IN_FLIGHT' };
  const r = await deps.store.applyTransition(
    o.orderNo,
    {
      to: 'CREATE_FAILED',
      from: ['CREATING'],
      amount: o.amount,
      set: { failure: { errorCode: e.errorCode, msg: e.msg !== '' ? e.msg : 'Toss has no payment for this order' } },
      note: 'Toss has no payment for this orderNo: the create call never reached Toss',
    },
    'reconciler',
  );
  if (r.kind === 'applied') {
    deps.logger.info('order state changed', { orderNo: o.orderNo, from: 'CREATING', to: 'CREATE_FAILED', source: 'reconciler' });
    return { kind: 'changed', from: 'CREATING', to: 'CREATE_FAILED' };
  }
  return { kind: 'unchanged', reason: r.kind === 'missing' ? 'MISSING' : 'CONTENDED' };
}

/**
 * Checks one due order (as the index projects it) and, when its state did not change, schedules
 * its next check (flagging it once past the flag age). Never throws: any failure is an `error`
 * outcome and the order stays due.
 */
export async function reconcileOrder(deps: ReconcileDeps, o: DueOrder, ctx: CheckContext): Promise<CheckResult> {
  let outcome: CheckOutcome;
  try {
    outcome = await settleOne(deps, o, ctx);
  } catch (e) {
    deps.logger.error('reconciler: check failed; order left as it is', { orderNo: o.orderNo, error: (e as Error).name ?? 'Error' });
    outcome = { kind: 'error', error: (e as Error).name ?? 'Error' };
  }
  if (outcome.kind === 'changed') return { orderNo: o.orderNo, outcome, flaggedUnresolved: false };
  let flaggedUnresolved = false;
  try {
    const t = await deps.due.touch(o, nextCheck(o, ctx));
    if (t.kind === 'touched' && t.flagged) {
      flaggedUnresolved = true;
      deps.logger.warn('order unresolved too long; flagged for attention', { orderNo: o.orderNo, status: o.status, checks: t.checks });
      deps.count(MetricName.OrdersFlagged);
    }
  } catch (e) {
    deps.logger.error('reconciler: could not schedule the next check', { orderNo: o.orderNo, error: (e as Error).name ?? 'Error' });
    if (outcome.kind !== 'error') outcome = { kind: 'error', error: (e as Error).name ?? 'Error' };
  }
  return { orderNo: o.orderNo, outcome, flaggedUnresolved };
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
      deps.count(name);
    },
  };
  const ctx: CheckContext = {
    now,
    flagAfterMs: opts.flagAfterMs,
    createGraceMs: opts.createGraceMs ?? CREATE_IN_FLIGHT_MS,
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
      deps.logger.error('reconciler: due query failed; this shard stays due', { shard: c.shard, error: (error as Error).name });
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
