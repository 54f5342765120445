/**
 * A lost DynamoDB reply is never misread, continued (lost-replies.test.ts has the first paths): the
 * refund writes, the create retry that replaces a waiting payment, the write that ends a failed
 * execute attempt, and a create whose store write failed outright. As there, the stack's proxy
 * applies one chosen write and cuts the connection before its reply (or, for the last, answers
 * DynamoDB errors until the SDK gives up), through the real stack over HTTP.
 *
 * Several of these paths also survive a misread on their own (the failed write's item shows the
 * work done: a concluded refund, the refunds recorded, our payToken with its checkoutPage): for the
 * refund writes the function's own log line is what says the write was taken for its own. The
 * write that ends an execute attempt needs no recognition: its condition (EXECUTING, our lock)
 * still holds for the SDK's retry, which applies it again.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { approve, getPayment, listPayments, refundAtToss, setFault } from '../../../local/toss-sandbox/control-client.ts';
import { orderKey } from '../../../shared/store/orders.ts';
import { MINUTE, pass, reconcileDeps, type TestDeps } from '../reconciler/support.ts';
import { testDocumentClient } from '../../support/dynamo.ts';
import { dropNextReply, eventually, newOrderNo, payable, PAYMENTS_ALONE, startStack, type DropSpec, type HttpReply, type Stack } from '../../support/stack.ts';

const TOSS_TIMEOUT_MS = 1_000;
let s: Stack;
let deps: TestDeps;
beforeAll(async () => {
  s = await startStack({ TOSS_TIMEOUT_MS: String(TOSS_TIMEOUT_MS) }, PAYMENTS_ALONE);
  // The reconciler's own writes go straight to DynamoDB Local: no proxy fault ever meets them.
  const client = testDocumentClient();
  deps = reconcileDeps({ client, tableName: s.tableName, sandboxUrl: s.sandbox.url, offsetMs: 30 * MINUTE });
});
afterAll(async () => {
  deps.client.destroy();
  await s.stop();
});

/** Checks that fault `id` hit exactly `n` requests. */
const hitTimes = async (id: string, n: number, what: string): Promise<void> => {
  const hit = (await s.proxy.faults()).find((x) => x.id === id);
  expect(hit?.hits, `${what}`).toBe(n);
};

const dropNext = (orderNo: string, spec: DropSpec) => dropNextReply(s, orderNo, spec);

/** The functions' log lines (JSON) with this message for this order, since the stack started. */
const logged = (message: string, orderNo: string) =>
  s
    .logs()
    .map((l) => {
      try {
        return JSON.parse(l.text) as Record<string, unknown>;
      } catch {
        return undefined;
      }
    })
    .filter((l) => l?.message === message && l.orderNo === orderNo);

const auth = () => ({ authorization: `Bearer ${s.token}`, 'content-type': 'application/json' });
const refund = (orderNo: string, key: string, body: Record<string, unknown>): Promise<HttpReply> =>
  s.request(`/payments/${orderNo}/refunds`, { method: 'POST', headers: { ...auth(), 'idempotency-key': key }, body: JSON.stringify(body) });
const view = async (orderNo: string, refresh = false) => (await s.request(`/payments/${orderNo}${refresh ? '?refresh=true' : ''}`, { headers: auth() })).json;
const body = (extra: Record<string, unknown> = {}) => ({ orderNo: newOrderNo('lr2'), amount: 9_000, amountTaxFree: 0, productDesc: '유실 응답', ...extra });


/** A paid order (its callback dropped: the landing executes and records it). */
async function paid(amount = 10_000): Promise<{ orderNo: string; payToken: string }> {
  const b = body({ amount });
  await setFault(s.sandbox.url, { target: 'callback', kind: 'drop', orderNo: b.orderNo });
  const c = await s.createPayment(b);
  expect(c.status).toBe(201);
  const payToken = String(c.json.payToken);
  const { redirect } = await approve(s.sandbox.url, payToken, 'CARD');
  expect((await s.visit(redirect)).text).toContain('결제 완료');
  return { orderNo: b.orderNo, payToken };
}

/** Toss's refunds of a payment, as its status shows them (positive amounts). */
const tossRefunds = async (payToken: string) =>
  (await getPayment(s.sandbox.url, payToken)).transactions.filter((t) => t.stepType === 'REFUND').map((t) => -t.transactionAmount);

describe('a write applied whose reply was lost is recognised as our own (more paths)', () => {
  describe('refunds', () => {
    it('beginning a refund (recorded PENDING before Toss): 201 SUCCEEDED, ONE refund at Toss, one on the order', async () => {
      const o = await paid(10_000);
      const dropped = await dropNext(o.orderNo, { operation: 'UpdateItem', expressionContains: '#reserved = if_not_exists(#reserved, :zero) + :amt' });
      const r = await refund(o.orderNo, 'begin', { amount: 4_000, amountTaxFree: 0 });
      await dropped();
      expect(r.status).toBe(201);
      expect(r.json).toMatchObject({ status: 'SUCCEEDED', amount: 4_000, refundedAmount: 4_000, refundableAmount: 6_000 });
      const t = await getPayment(s.sandbox.url, o.payToken);
      expect(t.calls.refunds).toBe(1);
      expect(await tossRefunds(o.payToken)).toEqual([4_000]);
      const v = await view(o.orderNo);
      expect(v.refunds).toMatchObject([{ source: 'api', status: 'SUCCEEDED', amount: 4_000 }]);
      expect(v.refunds).toHaveLength(1);
    });

    it('concluding a refund after Toss`s reply (SUCCEEDED): 201 SUCCEEDED, refundedAmount right, concluded by this request', async () => {
      const o = await paid(10_000);
      const dropped = await dropNext(o.orderNo, { operation: 'UpdateItem', expressionContains: '#refunds.#rn.#rstatus = :to' });
      const r = await refund(o.orderNo, 'conclude', { amount: 3_000, amountTaxFree: 0 });
      await dropped();
      expect(r.status).toBe(201);
      expect(r.json).toMatchObject({ status: 'SUCCEEDED', amount: 3_000, refundedAmount: 3_000, refundableAmount: 7_000 });
      expect((await getPayment(s.sandbox.url, o.payToken)).calls.refunds).toBe(1);
      const order = await s.readOrder(o.orderNo);
      expect(order?.status).toBe('REFUND_SUCCESS');
      expect(order?.refundInFlight).toBeUndefined();
      expect(order?.history.filter((h) => h.to === 'REFUND_SUCCESS')).toHaveLength(1);
      expect(await view(o.orderNo)).toMatchObject({ refundedAmount: 3_000, refundableAmount: 7_000 });
      // The write was taken for this request's own (not for a racing request's).
      expect(logged('refund concluded', o.orderNo)).toHaveLength(1);
    });

    it('recording a refund made at Toss`s console (`?refresh=true`): recorded once, source toss', async () => {
      const o = await paid(6_000);
      await refundAtToss(s.sandbox.url, o.payToken, { amount: 2_500 });
      const dropped = await dropNext(o.orderNo, { operation: 'UpdateItem', expressionContains: '#reserved = if_not_exists(#reserved, :zero) + :sum' });
      const v = await view(o.orderNo, true);
      await dropped();
      expect(v).toMatchObject({ status: 'REFUND_SUCCESS', refundedAmount: 2_500, refundableAmount: 3_500, paymentState: 'partially_refunded' });
      expect(v.refunds).toMatchObject([{ source: 'toss', status: 'SUCCEEDED', amount: 2_500 }]);
      expect(v.refunds).toHaveLength(1);
      expect((await view(o.orderNo, true)).refunds).toHaveLength(1);
      // The write was taken for this request's own (not for another sync's).
      expect(logged('refunds made at Toss recorded', o.orderNo)).toHaveLength(1);
    });
  });

  it('a create retry replacing a waiting payment whose checkoutPage was lost: 200 with a checkoutPage that opens, one order', async () => {
    const b = body();
    await setFault(s.sandbox.url, { target: 'payments', kind: 'lose-reply', orderNo: b.orderNo, times: 1 });
    expect((await s.createPayment(b)).status).toBe(504);
    // The reconciler finds the payment by orderNo (PAY_STANDBY without a checkoutPage) once the lease lapsed.
    await eventually(async () => {
      await pass(deps);
      return (await s.readOrder(b.orderNo))?.status === 'PAY_STANDBY' ? true : undefined;
    }, TOSS_TIMEOUT_MS + s.timings.CREATE_LEASE_GRACE_MS + 5_000);
    const found = await s.readOrder(b.orderNo);
    expect(found?.checkoutPage).toBeUndefined();
    const dropped = await dropNext(b.orderNo, { operation: 'UpdateItem', expressionContains: '#superseded = :superseded' });
    // The first attempt's lease runs until its Toss call is surely over: the retry comes after it, once.
    await eventually(async () => (((await s.readOrder(b.orderNo))?.leaseUntil ?? 0) <= Date.now() ? true : undefined), TOSS_TIMEOUT_MS + s.timings.CREATE_LEASE_GRACE_MS + 5_000);
    const r = await s.createPayment(b);
    await dropped();
    expect(r.status).toBe(200);
    expect(await payable(r)).toBe(true);
    expect(r.json.payToken).not.toBe(found?.payToken);
    const o = await s.readOrder(b.orderNo);
    expect(o).toMatchObject({ status: 'PAY_STANDBY', payToken: r.json.payToken, checkoutPage: r.json.checkoutPage, supersededPayTokens: [found?.payToken] });
    // Toss: two payments under the orderNo, the first cancelled; the same request again gets the same one.
    const atToss = (await listPayments(s.sandbox.url)).filter((p) => p.orderNo === b.orderNo);
    expect(atToss).toHaveLength(2);
    const again = await s.createPayment(b);
    expect(again.status).toBe(200);
    expect(again.json.checkoutPage).toBe(r.json.checkoutPage);
  });

  it('ending an execute attempt Toss failed (5xx): never left locked, executed again on the next landing, paid', async () => {
    const b = body({ autoExecute: false });
    await setFault(s.sandbox.url, { target: 'callback', kind: 'drop', orderNo: b.orderNo });
    const c = await s.createPayment(b);
    const payToken = String(c.json.payToken);
    const { redirect } = await approve(s.sandbox.url, payToken, 'CARD');
    await setFault(s.sandbox.url, { target: 'execute', kind: 'http5xx', payToken, times: 1 });
    const dropped = await dropNext(b.orderNo, { operation: 'UpdateItem', expressionContains: '#until = :now' });
    const first = await s.visit(redirect);
    await dropped();
    expect(first.text).toContain('결제 확인 중');
    const locked = await s.readOrder(b.orderNo);
    expect(locked?.status).toBe('EXECUTING');
    // The attempt is over: the lock ended (not held until the call's timeout + grace).
    expect(locked?.execUntil).toBeLessThanOrEqual(Date.now());
    expect((await getPayment(s.sandbox.url, payToken)).calls.execute).toBe(1);
    // The next landing that may ask Toss executes again, and the order is paid.
    await new Promise((r) => setTimeout(r, s.timings.LANDING_CHECK_INTERVAL_MS));
    const page = await s.visit(redirect);
    expect(page.text).toContain('결제 완료');
    expect((await getPayment(s.sandbox.url, payToken)).calls.execute).toBe(2);
    const o = await s.readOrder(b.orderNo);
    expect(o?.status).toBe('PAY_COMPLETE');
    expect(o?.execAttempts).toBe(2);
  });

  it('a store failure, then the same create again: 503, then 201 with a checkoutPage, payable', async () => {
    const b = body();
    // DynamoDB fails the create's first write on every attempt the SDK makes (3).
    const f = await s.proxy.addFault({ kind: 'error', error: 'InternalServerError', operation: 'PutItem', key: orderKey(b.orderNo), times: 3 });
    const failed = await s.createPayment(b);
    await hitTimes(f.id, 3, 'the PutItem failed every attempt');
    expect(failed.status).toBe(503);
    expect((failed.json.error as { code?: string } | undefined)?.code).toBe('TEMPORARILY_UNAVAILABLE');
    expect(await s.readOrder(b.orderNo)).toBeUndefined();
    const again = await s.createPayment(b);
    expect(again.status).toBe(201);
    expect(await payable(again)).toBe(true);
    expect((await s.readOrder(b.orderNo))?.status).toBe('PAY_STANDBY');
    expect((await listPayments(s.sandbox.url)).filter((p) => p.orderNo === b.orderNo)).toHaveLength(1);
    const { redirect } = await approve(s.sandbox.url, String(again.json.payToken), 'CARD');
    expect((await s.visit(redirect)).text).toContain('결제 완료');
  });

  it('a store failure after the create`s first write WAS applied (its reply lost, then errors): 503, then the same create ends in 201, payable', async () => {
    const b = body();
    // The first attempt is applied and its reply lost; the SDK's two retries get DynamoDB errors.
    const lost = await s.proxy.addFault({ kind: 'drop-reply', operation: 'PutItem', key: orderKey(b.orderNo) });
    const errors = await s.proxy.addFault({ kind: 'error', error: 'InternalServerError', operation: 'PutItem', key: orderKey(b.orderNo), times: 2 });
    const failed = await s.createPayment(b);
    await hitTimes(lost.id, 1, 'the PutItem reply was dropped');
    await hitTimes(errors.id, 2, 'the retries failed');
    expect(failed.status).toBe(503);
    // The order is there, CREATING, nothing at Toss: the retry takes over once the first attempt's lease lapsed.
    expect((await s.readOrder(b.orderNo))?.status).toBe('CREATING');
    const again = await eventually(async () => {
      const r = await s.createPayment(b);
      return (r.json.error as { code?: string } | undefined)?.code === 'CREATE_IN_PROGRESS' ? undefined : r;
    }, TOSS_TIMEOUT_MS + s.timings.CREATE_LEASE_GRACE_MS + 5_000);
    expect(again.status).toBe(201);
    expect(await payable(again)).toBe(true);
    expect((await s.readOrder(b.orderNo))?.status).toBe('PAY_STANDBY');
    expect((await listPayments(s.sandbox.url)).filter((p) => p.orderNo === b.orderNo)).toHaveLength(1);
  });
});
