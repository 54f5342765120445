import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { approve, getPayment, setFault } from '../../../local/toss-sandbox/control-client.ts';
import { applyVerifiedStatus, type StatusOutcome } from '../../../shared/payments/apply-status.ts';
import type { PaymentDeps } from '../../../shared/payments/ports.ts';
import { recordingMeter, stackContainer } from '../../support/containers.ts';
import { testDocumentClient } from '../../support/dynamo.ts';
import { newOrderNo, PAYMENTS_ALONE, startStack, type Stack } from '../../support/stack.ts';

let s: Stack;
let deps: PaymentDeps;
const client = testDocumentClient();
beforeAll(async () => {
  s = await startStack({}, PAYMENTS_ALONE);
  // The reconciler function's own deps, on the stack.
  deps = stackContainer('reconciler', s, { client, meter: recordingMeter() }).deps;
});
afterAll(async () => {
  client.destroy();
  await s.stop();
});

/** What the reconciler does for one order: v2/status, then the same conditional write. */
async function applyTossStatus(orderNo: string): Promise<StatusOutcome> {
  const o = await s.readOrder(orderNo);
  if (o?.payToken === undefined) throw new Error(`${orderNo}: no payToken`);
  return applyVerifiedStatus(o, await deps.toss.status({ payToken: o.payToken }), 'reconciler', deps);
}

async function approved(amount = 20_000, dropCallbacks = false): Promise<{ orderNo: string; payToken: string; redirect: string }> {
  const orderNo = newOrderNo('ld');
  // Toss also calls back after an execute; dropping it leaves the order to the path under test.
  if (dropCallbacks) await setFault(s.sandbox.url, { target: 'callback', kind: 'drop', orderNo });
  const c = await s.createPayment({ orderNo, amount, amountTaxFree: 0, productDesc: 'desk', autoExecute: false });
  expect(c.status).toBe(201);
  const payToken = String(c.json.payToken);
  const { redirect } = await approve(s.sandbox.url, payToken, 'CARD');
  return { orderNo, payToken, redirect };
}

describe('return landing', () => {
  it('a return URL claiming PAY_COMPLETE for an unpaid order does not say paid', async () => {
    const orderNo = newOrderNo('forge');
    const c = await s.createPayment({ orderNo, amount: 1_000, amountTaxFree: 0, productDesc: 'pen' });
    expect(c.status).toBe(201);
    const r = await s.request(`/payments/return?orderNo=${orderNo}&status=PAY_COMPLETE&orderNo=${orderNo}&payMethod=CARD`);
    expect(r.text).not.toContain('결제 완료');
    expect(r.text).toContain('결제 확인 중');
    expect((await s.readOrder(orderNo))?.status).toBe('PAY_STANDBY');
    // An approved-but-unexecuted order (autoExecute false) claimed as complete is executed, not believed.
    const a = await approved();
    const claim = await s.visit(a.redirect.replace('PAY_APPROVED', 'PAY_COMPLETE'));
    expect(claim.text).toContain('결제 완료');
    expect((await getPayment(s.sandbox.url, a.payToken)).calls.execute).toBe(1);
  });

  it('reloading the return page during execute: Toss execute is called once', async () => {
    const a = await approved();
    await setFault(s.sandbox.url, { target: 'execute', kind: 'latency', ms: 1_200, payToken: a.payToken });
    // Five loads of the return page at once (a buyer reloading, a double tap): one takes the lock
    // and executes; the others must not call execute and say "still confirming".
    const pages = await Promise.all(Array.from({ length: 5 }, () => s.visit(a.redirect)));
    const paid = pages.filter((p) => p.text.includes('결제 완료'));
    const pending = pages.filter((p) => p.text.includes('결제 확인 중'));
    expect(paid.length).toBeGreaterThanOrEqual(1);
    expect(pending.length).toBeGreaterThanOrEqual(1);
    expect(paid.length + pending.length).toBe(5);
    for (const p of pending) expect(p.text).toContain('http-equiv="refresh"');
    const after = await s.visit(a.redirect);
    expect(after.text).toContain('결제 완료');
    expect((await getPayment(s.sandbox.url, a.payToken)).calls.execute).toBe(1);
    const o = await s.readOrder(a.orderNo);
    expect(o?.status).toBe('PAY_COMPLETE');
    expect(o?.history.filter((h) => h.to === 'EXECUTING')).toHaveLength(1);
  });

  it('execute reply lost: the order stays EXECUTING, then is resolved by status', async () => {
    const a = await approved(20_000, true);
    await setFault(s.sandbox.url, { target: 'execute', kind: 'lose-reply', payToken: a.payToken, times: 1 });
    const page = await s.visit(a.redirect);
    expect(page.text).toContain('결제 확인 중');
    const stuck = await s.readOrder(a.orderNo);
    expect(stuck?.status).toBe('EXECUTING');
    expect(stuck?.dueAt).toBeGreaterThan(Date.now());
    expect((await applyTossStatus(a.orderNo)).kind).toBe('changed');
    const o = await s.readOrder(a.orderNo);
    expect(o?.status).toBe('PAY_COMPLETE');
    expect(o?.history.at(-1)).toMatchObject({ from: 'EXECUTING', to: 'PAY_COMPLETE', source: 'reconciler' });
    expect((await getPayment(s.sandbox.url, a.payToken)).calls.execute).toBe(1);
    expect((await applyTossStatus(a.orderNo)).kind).toBe('unchanged');
  });

  it('execute refused (code -1): EXECUTE_FAILED with Toss`s msg on the page', async () => {
    const a = await approved();
    await setFault(s.sandbox.url, {
      target: 'execute',
      kind: 'error',
      errorCode: 'CARD_NOT_ENOUGH_BALANCE',
      msg: '잔액이 부족합니다. <b>',
      payToken: a.payToken,
    });
    const page = await s.visit(a.redirect);
    expect(page.text).toContain('결제 실패');
    expect(page.text).toContain('잔액이 부족합니다. &lt;b&gt;');
    const o = await s.readOrder(a.orderNo);
    expect(o?.status).toBe('EXECUTE_FAILED');
    expect(o?.failure).toEqual({ errorCode: 'CARD_NOT_ENOUGH_BALANCE', msg: '잔액이 부족합니다. <b>' });
    const again = await s.visit(a.redirect);
    expect(again.text).toContain('결제 실패');
    expect((await getPayment(s.sandbox.url, a.payToken)).calls.execute).toBe(1);
  });

  it('Toss unavailable on the landing: still confirming, nothing written', async () => {
    const a = await approved();
    await setFault(s.sandbox.url, { target: 'status', kind: 'http5xx', payToken: a.payToken, times: 3 });
    const page = await s.visit(a.redirect);
    expect(page.text).toContain('결제 확인 중');
    expect((await s.readOrder(a.orderNo))?.status).toBe('PAY_STANDBY');
    expect((await getPayment(s.sandbox.url, a.payToken)).calls.execute ?? 0).toBe(0);
  });
});
