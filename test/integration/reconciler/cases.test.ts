/**
 * Every case the reconciler settles, through the real stack (gateway, functions, DynamoDB Local,
 * Toss sandbox) with callbacks dropped by fault injection and the sandbox clock moved forward.
 * The pass runs on a clock OFFSET ahead, so every order created here is due.
 */
import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { advanceClock, approve, clearFaults, getPayment, setFault } from '../../../local/toss-sandbox/control-client.ts';
import { createFunctionLoader, invoke } from '../../../local/gateway/lambda.ts';
import type { Order } from '../../../shared/domain/order.ts';
import { RECHECKS_AFTER_PAYMENT_MS } from '../../../shared/domain/schedule.ts';
import { MetricName } from '../../../shared/metrics.ts';
import { orderKey } from '../../../shared/store/orders.ts';
import { newOrderNo, PAYMENTS_ALONE, startStack, type Stack } from '../../support/stack.ts';
import { documentClient, MINUTE, pass, reconcileDeps, type TestDeps } from './support.ts';

const OFFSET = 90 * MINUTE;

let s: Stack;
let deps: TestDeps;
beforeAll(async () => {
  // The execute lock of production (shared/config.ts): a pass on the real clock must find the lock of
  // a hung execute still live; the passes that act on it run on a clock minutes ahead, never waiting.
  s = await startStack({ EXECUTE_LOCK_GRACE_MS: '15000' }, PAYMENTS_ALONE);
  deps = reconcileDeps({ client: documentClient(), tableName: s.tableName, sandboxUrl: s.sandbox.url, offsetMs: OFFSET });
});
afterAll(async () => {
  deps.client.destroy();
  await s.stop();
});

const read = async (orderNo: string): Promise<Order> => {
  const o = await s.readOrder(orderNo);
  if (o === undefined) throw new Error(`no order ${orderNo}`);
  return o;
};
const reconcilerEntries = (o: Order) => o.history.filter((h) => h.source === 'reconciler').map((h) => [h.from, h.to]);

/** An order created through the API whose callbacks Toss will never deliver. */
async function created(extra: Record<string, unknown> = {}): Promise<{ orderNo: string; payToken: string; redirect?: string }> {
  const orderNo = newOrderNo('rc');
  await setFault(s.sandbox.url, { target: 'callback', kind: 'drop', orderNo });
  const c = await s.createPayment({ orderNo, amount: 21_000, amountTaxFree: 0, productDesc: 'reconciled', ...extra });
  expect(c.status).toBe(201);
  return { orderNo, payToken: String(c.json.payToken) };
}

describe('reconciler cases', () => {
  it('no callback arrived but Toss says PAY_COMPLETE → paid, then due only for the re-checks after payment', async () => {
    const a = await created();
    await approve(s.sandbox.url, a.payToken, 'CARD');
    expect((await read(a.orderNo)).status).toBe('PAY_STANDBY');
    const sum = await pass(deps);
    expect(sum.changed.PAY_COMPLETE ?? 0).toBeGreaterThanOrEqual(1);
    const o = await read(a.orderNo);
    expect(o.status).toBe('PAY_COMPLETE');
    expect(o.payMethod).toBe('CARD');
    expect(o.dueAt).toBe(Date.parse(o.paidAt ?? '') + (RECHECKS_AFTER_PAYMENT_MS[0] ?? 0));
    expect(reconcilerEntries(o)).toEqual([['PAY_STANDBY', 'PAY_COMPLETE']]);
    // Paid: the next pass before its first re-check does not even read it.
    const again = await pass(deps, { now: Date.now() });
    expect(again.changed.PAY_COMPLETE).toBeUndefined();
    expect((await read(a.orderNo)).history).toHaveLength(o.history.length);
    // Each re-check after payment that finds nothing new schedules the next; after the last, the
    // order leaves the due index for good.
    const paidAt = Date.parse(o.paidAt ?? '');
    for (const age of RECHECKS_AFTER_PAYMENT_MS) await pass(deps, { now: paidAt + age + MINUTE });
    const done = await read(a.orderNo);
    expect(done.checks).toBe(o.checks + RECHECKS_AFTER_PAYMENT_MS.length);
    expect(done.dueAt).toBeUndefined();
    expect(done.history).toHaveLength(o.history.length);
    expect(done.attention).toBeUndefined();
  });

  it('autoExecute false, buyer authenticated and never came back → executed once by the reconciler', async () => {
    const a = await created({ autoExecute: false });
    await approve(s.sandbox.url, a.payToken, 'TOSS_MONEY');
    await pass(deps);
    const o = await read(a.orderNo);
    expect(o.status).toBe('PAY_COMPLETE');
    expect(reconcilerEntries(o)).toEqual([
      ['PAY_STANDBY', 'EXECUTING'],
      ['EXECUTING', 'PAY_COMPLETE'],
    ]);
    expect((await getPayment(s.sandbox.url, a.payToken)).calls.execute).toBe(1);
  });

  it('EXECUTING whose execute reply was lost → paid as Toss says, without a second execute', async () => {
    const a = await created({ autoExecute: false });
    const { redirect } = await approve(s.sandbox.url, a.payToken, 'CARD');
    await setFault(s.sandbox.url, { target: 'execute', kind: 'lose-reply', payToken: a.payToken, times: 1 });
    await s.visit(redirect);
    expect((await read(a.orderNo)).status).toBe('EXECUTING');
    await pass(deps);
    const o = await read(a.orderNo);
    expect(o.status).toBe('PAY_COMPLETE');
    expect(reconcilerEntries(o)).toEqual([['EXECUTING', 'PAY_COMPLETE']]);
    expect((await getPayment(s.sandbox.url, a.payToken)).calls.execute).toBe(1);
  });

  // Runs before any other test moves the sandbox clock (a 1-minute expiry must still be in Toss's future).
  it('PAY_STANDBY and PAY_APPROVED past expiry, Toss says PAY_CANCEL → cancelled, nothing executed', async () => {
    const standby = await created({ expiresInMinutes: 1 });
    const approved = await created({ expiresInMinutes: 1, autoExecute: false });
    await approve(s.sandbox.url, approved.payToken, 'CARD');
    await advanceClock(s.sandbox.url, 2 * 60);
    await pass(deps);
    for (const a of [standby, approved]) {
      const o = await read(a.orderNo);
      expect(o.status).toBe('PAY_CANCEL');
      expect(reconcilerEntries(o)).toEqual([['PAY_STANDBY', 'PAY_CANCEL']]);
      expect((await getPayment(s.sandbox.url, a.payToken)).calls.execute ?? 0).toBe(0);
    }
  });

  it('EXECUTING after a hung execute: left alone while the call may still run; once it is surely over and Toss still says PAY_APPROVED, executed again', async () => {
    const a = await created({ autoExecute: false });
    const { redirect } = await approve(s.sandbox.url, a.payToken, 'CARD');
    await setFault(s.sandbox.url, { target: 'execute', kind: 'hang', payToken: a.payToken, times: 1 });
    await s.visit(redirect);
    const before = await read(a.orderNo);
    expect(before.status).toBe('EXECUTING');
    expect(before.execUntil).toBeGreaterThan(Date.now());
    const executes = (await getPayment(s.sandbox.url, a.payToken)).calls.execute ?? 0;

    // On the real clock the lock has not lapsed: the execute may still be running at Toss.
    const now = deps.clock();
    const realTime = reconcileDeps({ client: deps.client, tableName: s.tableName, sandboxUrl: s.sandbox.url, offsetMs: 0 });
    await pass(realTime, { now });
    const o1 = await read(a.orderNo);
    expect(o1.status).toBe('EXECUTING');
    expect(o1.checks).toBe(before.checks + 1);
    expect((await getPayment(s.sandbox.url, a.payToken)).calls.execute ?? 0).toBe(executes);

    // OFFSET later the call is surely over and Toss still says PAY_APPROVED: that execute did
    // nothing, so the pass executes again, once.
    await pass(deps, { now: now + 10 * MINUTE });
    const o2 = await read(a.orderNo);
    expect(o2.status).toBe('PAY_COMPLETE');
    expect(o2.execAttempts).toBe(2);
    expect(reconcilerEntries(o2)).toEqual([['EXECUTING', 'PAY_COMPLETE']]);
    expect((await getPayment(s.sandbox.url, a.payToken)).calls.execute).toBe(executes + 1);
  });

  it('execute failing at Toss (5xx) every time: executed again on each pass, flagged past the flag age, cancelled after expiry', async () => {
    const a = await created({ autoExecute: false, expiresInMinutes: 5 });
    const { redirect } = await approve(s.sandbox.url, a.payToken, 'CARD');
    await setFault(s.sandbox.url, { target: 'execute', kind: 'http5xx', payToken: a.payToken });
    await s.visit(redirect);
    const before = await read(a.orderNo);
    expect(before.status).toBe('EXECUTING');
    // The attempt is over and Toss did nothing: the lock is ended at once.
    expect(before.execUntil).toBeLessThanOrEqual(Date.now());
    const executes = (await getPayment(s.sandbox.url, a.payToken)).calls.execute ?? 0;

    const now = deps.clock();
    await pass(deps, { now });
    const o1 = await read(a.orderNo);
    expect(o1.status).toBe('EXECUTING');
    expect((await getPayment(s.sandbox.url, a.payToken)).calls.execute).toBe(executes + 1);

    // Past the flag age (here 1 minute): flagged once, alarm metric counted, still due.
    const flaggedBefore = deps.counts.get(MetricName.OrdersFlagged) ?? 0;
    const sum = await pass(deps, { now: now + 3 * MINUTE, flagAfterMs: MINUTE });
    expect(sum.flagged).toBeGreaterThanOrEqual(1);
    const o2 = await read(a.orderNo);
    expect(o2.status).toBe('EXECUTING');
    expect(o2.attention?.reason).toBe('UNRESOLVED:EXECUTING');
    expect(deps.counts.get(MetricName.OrdersFlagged)).toBe(flaggedBefore + sum.flagged);
    expect((await getPayment(s.sandbox.url, a.payToken)).calls.execute).toBe(executes + 2);

    await advanceClock(s.sandbox.url, 6 * 60);
    await pass(deps, { now: now + 20 * MINUTE });
    const o3 = await read(a.orderNo);
    expect(o3.status).toBe('PAY_CANCEL');
    expect(o3.dueAt).toBeUndefined();
    await clearFaults(s.sandbox.url);
  });

  it('CREATING after a lost or timed-out create: found by orderNo, or failed once the create cannot be in flight', async () => {
    const lost = newOrderNo('lost');
    const hung = newOrderNo('hung');
    await setFault(s.sandbox.url, [
      { target: 'payments', kind: 'lose-reply', orderNo: lost, times: 1 },
      { target: 'payments', kind: 'hang', orderNo: hung, times: 1 },
    ]);
    const [r1, r2] = await Promise.all(
      [lost, hung].map((orderNo) => s.createPayment({ orderNo, amount: 9_000, amountTaxFree: 0, productDesc: 'creating' })),
    );
    expect(r1?.status).toBeGreaterThanOrEqual(500);
    expect(r2?.status).toBe(504);
    expect((await read(lost)).status).toBe('CREATING');
    expect((await read(hung)).status).toBe('CREATING');

    // While the create may still be in flight, "not found" is not failure.
    const now = deps.clock();
    await pass(deps, { now, createGraceMs: 200 * MINUTE });
    const found = await read(lost);
    expect(found.status).toBe('PAY_STANDBY');
    expect((await getPayment(s.sandbox.url, found.payToken ?? '')).orderNo).toBe(lost);
    expect(reconcilerEntries(found)).toEqual([['CREATING', 'PAY_STANDBY']]);
    const young = await read(hung);
    expect(young.status).toBe('CREATING');
    expect(young.checks).toBe(1);

    await pass(deps, { now: now + 3 * MINUTE });
    const failed = await read(hung);
    expect(failed.status).toBe('CREATE_FAILED');
    expect(failed.failure?.errorCode).toBe('TRANSACTION_NOT_FOUND');
    expect(failed.dueAt).toBeUndefined();
    expect(failed.history.at(-1)).toMatchObject({ from: 'CREATING', to: 'CREATE_FAILED', source: 'reconciler' });
    expect(failed.history.at(-1)?.note).toMatch(/never reached Toss/);
  });

  it('a status error or timeout leaves the order unchanged and due later (unknown is never failure); a later pass settles it', async () => {
    const err = await created();
    const slow = await created();
    await approve(s.sandbox.url, err.payToken, 'CARD');
    await approve(s.sandbox.url, slow.payToken, 'CARD');
    await setFault(s.sandbox.url, [
      { target: 'status', kind: 'http5xx', status: 503, payToken: err.payToken },
      { target: 'status', kind: 'hang', payToken: slow.payToken },
    ]);
    const now = deps.clock();
    const sum = await pass(deps, { now, callDeadline: Date.now() + 1_500 });
    expect(sum.errors).toBeGreaterThanOrEqual(2);
    for (const a of [err, slow]) {
      const o = await read(a.orderNo);
      expect(o.status).toBe('PAY_STANDBY');
      expect(o.checks).toBe(1);
      expect(o.dueAt).toBeGreaterThan(now);
      expect(o.failure).toBeUndefined();
    }
    await clearFaults(s.sandbox.url);
    await pass(deps, { now: now + 30 * MINUTE });
    for (const a of [err, slow]) expect((await read(a.orderNo)).status).toBe('PAY_COMPLETE');
  });

  it('a contradiction of amount or mode → flagged with a security event, not applied; not flagged again', async () => {
    const amount = await created();
    const mode = await created();
    for (const a of [amount, mode]) await approve(s.sandbox.url, a.payToken, 'CARD');
    const tamper = (orderNo: string, field: string, value: unknown) =>
      deps.client.send(
        new UpdateCommand({
          TableName: s.tableName,
          Key: { pk: orderKey(orderNo) },
          UpdateExpression: 'SET #f = :v',
          ExpressionAttributeNames: { '#f': field },
          ExpressionAttributeValues: { ':v': value },
        }),
      );
    await tamper(amount.orderNo, 'amount', 21_001);
    await tamper(mode.orderNo, 'mode', 'LIVE');
    const security = deps.counts.get(MetricName.SecurityEvents) ?? 0;
    const now = deps.clock();
    const sum = await pass(deps, { now });
    expect(sum.flagged).toBeGreaterThanOrEqual(2);
    for (const [a, reason] of [
      [amount, 'AMOUNT_MISMATCH'],
      [mode, 'MODE_MISMATCH'],
    ] as const) {
      const o = await read(a.orderNo);
      expect(o.status).toBe('PAY_STANDBY');
      expect(o.attention?.reason).toBe(`CONTRADICTION:${reason}`);
      expect(o.dueAt).toBeGreaterThan(now);
      expect(deps.logs.some((l) => l.fields.securityEvent === reason && l.fields.orderNo === a.orderNo)).toBe(true);
    }
    expect(deps.counts.get(MetricName.SecurityEvents)).toBe(security + 2);
    const again = await pass(deps, { now: now + 20 * MINUTE });
    expect(again.flagged).toBe(0);
    expect(deps.counts.get(MetricName.SecurityEvents)).toBe(security + 2);
    expect((await read(amount.orderNo)).status).toBe('PAY_STANDBY');
  });

  it('the Lambda handler runs a pass within its context budget and emits the counts as EMF once', async () => {
    const a = await created();
    await approve(s.sandbox.url, a.payToken, 'CARD');
    // Due now in real time (the handler's clock is the real one).
    await deps.client.send(
      new UpdateCommand({
        TableName: s.tableName,
        Key: { pk: orderKey(a.orderNo) },
        UpdateExpression: 'SET dueAt = :d',
        ExpressionAttributeValues: { ':d': Date.now() - 1 },
      }),
    );
    const handler = await createFunctionLoader()('reconciler');
    const out: string[] = [];
    const write = process.stdout.write.bind(process.stdout);
    process.stdout.write = ((chunk: string | Uint8Array, ...rest: unknown[]) => {
      out.push(String(chunk));
      return (write as (c: string | Uint8Array, ...r: unknown[]) => boolean)(chunk, ...rest);
    }) as typeof process.stdout.write;
    let r;
    try {
      r = await invoke(handler, 'reconciler', { 'detail-type': 'Scheduled Event', source: 'aws.events', detail: {} }, 300);
    } finally {
      process.stdout.write = write;
    }
    expect(r.ok).toBe(true);
    const summary = (r as { value: { examined: number; changed: Record<string, number>; leftDue: boolean } }).value;
    expect(summary.examined).toBeGreaterThanOrEqual(1);
    expect(summary.changed.PAY_COMPLETE).toBeGreaterThanOrEqual(1);
    expect(summary.leftDue).toBe(false);
    expect((await read(a.orderNo)).status).toBe('PAY_COMPLETE');
    const emf = out
      .flatMap((chunk) => chunk.split('\n'))
      .filter((l) => l.includes('"_aws"'))
      .map((l) => JSON.parse(l) as Record<string, unknown>)
      .filter((l) => MetricName.ReconcileExamined in l);
    expect(emf).toHaveLength(1);
    expect(emf[0]).toMatchObject({ service: 'toss-pay', [MetricName.ReconcileErrors]: 0 });
    expect(emf[0]?.[MetricName.ReconcileChanged]).toBeGreaterThanOrEqual(1);
  });
});
