import { describe, expect, it } from 'vitest';
import { CHECK_DELAYS_MS, EXPIRY_GRACE_MS } from '../../shared/domain/schedule.ts';
import { MetricName } from '../../shared/metrics.ts';
import { ageOf, nextCheck, reportFailure } from '../../shared/payments/reconcile/check.ts';
import { StoreUnavailableError } from '../../shared/store/errors.ts';
import { createWorkerPool } from '../../shared/payments/reconcile/worker-pool.ts';
import { emptySummary, record, summaryMetrics } from '../../shared/payments/reconcile/summary.ts';
import { passBudget, TAKE_MARGIN_MS, WRITE_MARGIN_MS } from '../../shared/payments/reconcile/pass.ts';
import { CREATE_IN_FLIGHT_MS, reconcileOptions } from '../../shared/deps.ts';
import { functionSettings } from '../../shared/functions.ts';
import { toDueOrder } from '../../shared/store/due.ts';
import type { DueOrder } from '../../shared/payments/ports.ts';
import { isTossNotFound, TossRefusedError, TossServerError, TossUnknownOutcomeError } from '../../shared/toss/errors.ts';

const MIN = 60_000;
const T0 = Date.parse('2025-03-01T00:00:00.000Z');

const due = (over: Partial<DueOrder> = {}): DueOrder => ({
  orderNo: 'o-1',
  status: 'PAY_STANDBY',
  payToken: 'tok',
  amount: 1000,
  mode: 'TEST',
  checks: 0,
  autoExecute: true,
  createdAt: new Date(T0).toISOString(),
  dueAt: T0 + MIN,
  ...over,
});

describe('reconcileOptions', () => {
  it('takes concurrency and flag age from configuration, the budget from the time left, and the create grace from the create function`s timeout', () => {
    const o = reconcileOptions({ RECONCILE_CONCURRENCY: 7, RECONCILE_FLAG_AFTER_MINUTES: 90, TOSS_TIMEOUT_MS: 15_000 }, 1_000_000, 300_000);
    expect(o).toEqual({ concurrency: 7, flagAfterMs: 90 * 60_000, createGraceMs: CREATE_IN_FLIGHT_MS, ...passBudget(1_000_000, 300_000, 15_000) });
    expect(CREATE_IN_FLIGHT_MS).toBeGreaterThan(functionSettings['create-payment'].timeoutSeconds * 1000);
  });
});

describe('passBudget', () => {
  it('stops taking orders one Toss timeout plus a margin before the end, and ends calls before the writes', () => {
    const b = passBudget(1_000_000, 300_000, 15_000);
    expect(b.deadline).toBe(1_000_000 + 300_000 - 15_000 - TAKE_MARGIN_MS);
    expect(b.callDeadline).toBe(1_000_000 + 300_000 - WRITE_MARGIN_MS);
    expect(b.deadline).toBeLessThan(b.callDeadline);
  });
  it('a budget shorter than the margins leaves no time to take anything', () => {
    const b = passBudget(1_000_000, 3_000, 15_000);
    expect(b.deadline).toBeLessThan(1_000_000);
  });
});

describe('isTossNotFound', () => {
  it('is a refusal with HTTP 404 or a NOT_FOUND code, nothing else', () => {
    expect(isTossNotFound(new TossRefusedError('TRANSACTION_NOT_FOUND', 'none', 404))).toBe(true);
    expect(isTossNotFound(new TossRefusedError('TRANSACTION_NOT_FOUND', 'none', 200))).toBe(true);
    expect(isTossNotFound(new TossRefusedError('HTTP_404', '', 404))).toBe(true);
    expect(isTossNotFound(new TossRefusedError('COMMON_INVALID_API_KEY', '', 401))).toBe(false);
    expect(isTossNotFound(new TossServerError('x', 404))).toBe(false);
    expect(isTossNotFound(new TossUnknownOutcomeError('timeout', 'x'))).toBe(false);
    expect(isTossNotFound(new Error('TRANSACTION_NOT_FOUND'))).toBe(false);
  });
});

describe('ageOf', () => {
  it('measures from createdAt, never negative; unknown age is 0', () => {
    expect(ageOf({ createdAt: new Date(T0).toISOString() }, T0 + 5 * MIN)).toBe(5 * MIN);
    expect(ageOf({ createdAt: new Date(T0).toISOString() }, T0 - MIN)).toBe(0);
    expect(ageOf({ createdAt: undefined }, T0)).toBe(0);
    expect(ageOf({ createdAt: 'not a date' }, T0)).toBe(0);
  });
});

describe('nextCheck', () => {
  it('backs off 2, 5, 10, 30 minutes after checks 0..3 and stays capped at 30', () => {
    const now = T0 + 10 * MIN;
    const delays = [0, 1, 2, 3, 4, 9, 50].map((checks) => (nextCheck(due({ status: 'EXECUTING', checks }), { now, flagAfterMs: 999 * MIN }).dueAt ?? Number.NaN) - now);
    expect(delays).toEqual([CHECK_DELAYS_MS[1], CHECK_DELAYS_MS[2], CHECK_DELAYS_MS[3], CHECK_DELAYS_MS[4], 30 * MIN, 30 * MIN, 30 * MIN]);
  });
  it('a waiting order is checked again just after its expiry when that comes sooner', () => {
    const now = T0 + MIN;
    const expiresAt = new Date(now + 3 * MIN).toISOString();
    const n = nextCheck(due({ status: 'PAY_STANDBY', checks: 3, expiresAt }), { now, flagAfterMs: 999 * MIN });
    expect(n.dueAt).toBe(now + 3 * MIN + EXPIRY_GRACE_MS);
  });
  it('flags an order past the flag age once (not when it already carries attention)', () => {
    const now = T0 + 121 * MIN;
    const n = nextCheck(due({ status: 'EXECUTING', checks: 7 }), { now, flagAfterMs: 120 * MIN });
    expect(n.flag).toEqual({ reason: 'UNRESOLVED:EXECUTING', at: new Date(now).toISOString() });
    const young = nextCheck(due({ status: 'EXECUTING' }), { now: T0 + 119 * MIN, flagAfterMs: 120 * MIN });
    expect(young.flag).toBeUndefined();
    const already = nextCheck(due({ attention: { reason: 'CONTRADICTION:AMOUNT_MISMATCH', at: 'x' } }), { now, flagAfterMs: 120 * MIN });
    expect(already.flag).toBeUndefined();
  });
});

describe('summary', () => {
  it('records each check in exactly one bucket and maps it to the Reconcile* metrics', () => {
    const s = emptySummary();
    record(s, { orderNo: 'a', outcome: { kind: 'changed', from: 'PAY_STANDBY', to: 'PAY_COMPLETE' }, flaggedUnresolved: false });
    record(s, { orderNo: 'b', outcome: { kind: 'changed', from: 'EXECUTING', to: 'PAY_COMPLETE' }, flaggedUnresolved: false });
    record(s, { orderNo: 'c', outcome: { kind: 'changed', from: 'CREATING', to: 'CREATE_FAILED' }, flaggedUnresolved: false });
    record(s, { orderNo: 'd', outcome: { kind: 'unchanged', reason: 'TOSS_BEHIND' }, flaggedUnresolved: true });
    record(s, { orderNo: 'e', outcome: { kind: 'error', error: 'TossServerError' }, flaggedUnresolved: false });
    s.examined = 5;
    expect(s.changed).toEqual({ PAY_COMPLETE: 2, CREATE_FAILED: 1 });
    expect(s.unchanged).toBe(1);
    expect(s.errors).toBe(1);
    expect(Object.fromEntries(summaryMetrics(s))).toEqual({
      [MetricName.ReconcileExamined]: 5,
      [MetricName.ReconcileChanged]: 3,
      [MetricName.ReconcileUnchanged]: 1,
      [MetricName.ReconcileErrors]: 1,
    });
  });
});

describe('createWorkerPool', () => {
  it('never runs more than its size at once, runs every task, and survives a failing one', async () => {
    const pool = createWorkerPool(3);
    let active = 0;
    let peak = 0;
    const done: number[] = [];
    for (let i = 0; i < 20; i++) {
      await pool.slot();
      expect(pool.active).toBeLessThan(3);
      pool.run(async () => {
        active++;
        peak = Math.max(peak, active);
        await new Promise((r) => setTimeout(r, 1 + (i % 4)));
        active--;
        if (i === 7) throw new Error('one task fails');
        done.push(i);
      });
    }
    await pool.drain();
    expect(peak).toBe(3);
    expect(pool.active).toBe(0);
    expect(done.sort((a, b) => a - b)).toEqual(Array.from({ length: 20 }, (_, i) => i).filter((i) => i !== 7));
  });
  it('refuses a size below 1', () => {
    expect(() => createWorkerPool(0)).toThrow(RangeError);
  });
});

describe('toDueOrder', () => {
  it('reads the projected attributes', () => {
    const o = toDueOrder({
      pk: 'ORDER#o-9',
      dueShard: 'DUE#3',
      dueAt: 123,
      orderNo: 'o-9',
      status: 'CREATING',
      amount: 500,
      mode: 'LIVE',
      checks: 2,
      expiresAt: '2025-03-01T00:15:00.000Z',
      createdAt: '2025-03-01T00:00:00.000Z',
      autoExecute: false,
    });
    expect(o).toEqual({
      orderNo: 'o-9',
      status: 'CREATING',
      amount: 500,
      mode: 'LIVE',
      checks: 2,
      autoExecute: false,
      dueAt: 123,
      expiresAt: '2025-03-01T00:15:00.000Z',
      createdAt: '2025-03-01T00:00:00.000Z',
    });
  });
  it('defaults checks to 0 and autoExecute to true, takes orderNo from pk, and refuses what a check cannot use', () => {
    expect(toDueOrder({ pk: 'ORDER#x', dueAt: 1, status: 'PAY_STANDBY', amount: 1, mode: 'TEST', payToken: 't' })).toMatchObject({
      orderNo: 'x',
      checks: 0,
      autoExecute: true,
      payToken: 't',
    });
    expect(toDueOrder({ orderNo: 'x', dueAt: 1, status: 'NOPE', amount: 1, mode: 'TEST' })).toBeUndefined();
    expect(toDueOrder({ orderNo: 'x', dueAt: 1, status: 'PAY_STANDBY', amount: '1', mode: 'TEST' })).toBeUndefined();
    expect(toDueOrder({ orderNo: 'x', dueAt: 1, status: 'PAY_STANDBY', amount: 1, mode: 'test' })).toBeUndefined();
    expect(toDueOrder({ orderNo: 'x', status: 'PAY_STANDBY', amount: 1, mode: 'TEST' })).toBeUndefined();
  });
});

describe('reportFailure', () => {
  const capture = () => {
    const lines: { message: string; extra: unknown[] }[] = [];
    const counted: string[] = [];
    const log = (message: string, ...extra: unknown[]) => lines.push({ message, extra });
    return { lines, counted, deps: { logger: { debug: log, info: log, warn: log, error: log }, count: (n: string) => counted.push(n) } };
  };

  it('an expected failure (Toss, DynamoDB) is logged with its error and not counted as a bug', () => {
    for (const e of [new TossServerError('status', 500), new StoreUnavailableError('throttled')]) {
      const c = capture();
      reportFailure(c.deps, 'reconciler: check failed; order left as it is', e, { orderNo: 'o-1' });
      expect(c.lines).toEqual([{ message: 'reconciler: check failed; order left as it is', extra: [{ orderNo: 'o-1', error: e }] }]);
      expect(c.counted).toEqual([]);
    }
  });

  it('anything else is a bug: logged with the Error itself (its stack) and counted as UnhandledErrors', () => {
    const c = capture();
    const bug = new TypeError("Cannot read properties of undefined (reading 'amount')");
    reportFailure(c.deps, 'reconciler: check failed; order left as it is', bug, { orderNo: 'o-1' });
    expect(c.lines).toEqual([{ message: 'reconciler: check failed; order left as it is (unexpected error)', extra: [{ orderNo: 'o-1', error: bug }] }]);
    expect((c.lines[0]?.extra[0] as { error: Error }).error.stack).toContain('TypeError');
    expect(c.counted).toEqual([MetricName.UnhandledErrors]);
  });
});
