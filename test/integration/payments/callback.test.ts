import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { approve, clearFaults, setFault } from '../../../local/toss-sandbox/control-client.ts';
import { createTossClient } from '../../../shared/toss/client.ts';
import { newOrderNo, paidAtTossOnly, PAYMENTS_ALONE, startStack, type Stack } from '../../support/stack.ts';

let s: Stack;
beforeAll(async () => {
  s = await startStack({}, PAYMENTS_ALONE);
});
afterAll(() => s.stop());

interface Paid {
  orderNo: string;
  payToken: string;
  amount: number;
}

/** An order created through our API, paid at Toss, whose own callback was dropped. */
async function paidAtToss(amount = 12_000, pay = true): Promise<Paid> {
  const orderNo = newOrderNo('cb');
  await setFault(s.sandbox.url, { target: 'callback', kind: 'drop', orderNo });
  const c = await s.createPayment({ orderNo, amount, amountTaxFree: 0, productDesc: 'mug' });
  expect(c.status).toBe(201);
  const payToken = String(c.json.payToken);
  if (pay) await approve(s.sandbox.url, payToken, 'CARD');
  return { orderNo, payToken, amount };
}

const v2 = (p: Paid, extra: Record<string, unknown> = {}) => ({
  status: 'PAY_COMPLETE',
  payToken: p.payToken,
  orderNo: p.orderNo,
  payMethod: 'CARD',
  amount: p.amount,
  discountedAmount: 0,
  paidAmount: p.amount,
  paidTs: '2024-01-01 10:00:00',
  transactionId: 'tx-1',
  cardCompanyCode: 4,
  someFutureField: { nested: true },
  ...extra,
});

const postJson = (b: unknown) =>
  s.request('/payments/callback', {
    method: 'POST',
    headers: { 'content-type': 'application/json;charset=UTF-8' },
    body: JSON.stringify(b),
  });

describe('resultCallback receiver', () => {
  it('10 concurrent identical callbacks: ten 200s and one state change', async () => {
    const p = await paidAtToss();
    const replies = await Promise.all(Array.from({ length: 10 }, () => postJson(v2(p))));
    expect(replies.map((r) => r.status)).toEqual(Array.from({ length: 10 }, () => 200));
    const o = await s.readOrder(p.orderNo);
    expect(o?.status).toBe('PAY_COMPLETE');
    expect(o?.history.filter((h) => h.to === 'PAY_COMPLETE')).toHaveLength(1);
    expect(o?.history.at(-1)?.source).toBe('callback');
  });

  it('accepts a V1 form callback (base64 through the gateway) and tolerates unknown fields', async () => {
    const p = await paidAtToss(3_000);
    const form = new URLSearchParams({
      status: 'PAY_COMPLETE',
      payToken: p.payToken,
      orderNo: p.orderNo,
      amount: String(p.amount),
      payMethod: 'CARD',
      extra: 'x',
    });
    const r = await s.request('/payments/callback', {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: form.toString(),
    });
    expect(r.status).toBe(200);
    expect((await s.readOrder(p.orderNo))?.status).toBe('PAY_COMPLETE');
  });

  it('a forged PAY_COMPLETE while Toss says PAY_STANDBY changes nothing', async () => {
    const p = await paidAtToss(5_000, false);
    const before = await s.readOrder(p.orderNo);
    const r = await postJson(v2(p));
    expect(r.status).toBe(409);
    expect((r.json.error as { code: string }).code).toBe('CALLBACK_NOT_CONFIRMED');
    const after = await s.readOrder(p.orderNo);
    expect(after?.status).toBe('PAY_STANDBY');
    expect(after?.history).toEqual(before?.history);
    expect(after?.updatedAt).toBe(before?.updatedAt);
  });

  it('rejects a callback whose amount differs, and one carrying another order`s payToken', async () => {
    const a = await paidAtToss(7_000);
    const b = await paidAtToss(8_000, false);
    const wrongAmount = await postJson(v2(a, { amount: 70 }));
    expect(wrongAmount.status).toBe(409);
    const stolenToken = await postJson(v2(b, { payToken: a.payToken }));
    expect(stolenToken.status).toBe(409);
    expect((await s.readOrder(a.orderNo))?.status).toBe('PAY_STANDBY');
    expect((await s.readOrder(b.orderNo))?.status).toBe('PAY_STANDBY');
    const unknownToken = await postJson(v2(b, { payToken: 'forged-token-123' }));
    expect(unknownToken.status).toBe(422);
    expect((await s.readOrder(b.orderNo))?.history).toHaveLength(2);
  });

  it('refuses malformed and oversized bodies with 4xx and writes nothing', async () => {
    const p = await paidAtToss(9_000);
    const bad: [string, string][] = [
      ['application/json', '{"status": "PAY_COMPLETE", '],
      ['application/json', '[1,2,3]'],
      ['application/json', JSON.stringify({ ...v2(p), amount: 'lots' })],
      ['application/json', JSON.stringify({ status: 'PAY_COMPLETE', orderNo: p.orderNo })],
      ['application/x-www-form-urlencoded', ''],
      ['text/plain', 'hello'],
    ];
    for (const [ct, body] of bad) {
      const r = await s.request('/payments/callback', { method: 'POST', headers: { 'content-type': ct }, body });
      expect({ body, status: r.status }).toEqual({ body, status: 400 });
    }
    const big = await postJson(v2(p, { padding: 'x'.repeat(17 * 1024) }));
    expect(big.status).toBe(413);
    expect((await s.readOrder(p.orderNo))?.status).toBe('PAY_STANDBY');
  });

  it('answers 502 when Toss fails, so that Toss retries; then 200', async () => {
    const p = await paidAtToss(4_000);
    await setFault(s.sandbox.url, { target: 'status', kind: 'http5xx', payToken: p.payToken, times: 3 });
    const r = await postJson(v2(p));
    expect(r.status).toBe(502);
    expect((r.json.error as { code: string }).code).toBe('TOSS_FAILED');
    expect((await s.readOrder(p.orderNo))?.status).toBe('PAY_STANDBY');
    await clearFaults(s.sandbox.url);
    expect((await postJson(v2(p))).status).toBe(200);
    expect((await s.readOrder(p.orderNo))?.status).toBe('PAY_COMPLETE');
  });

  it('records a Toss-confirmed payment we have no record of as a recovered, flagged order', async () => {
    const toss = createTossClient({ baseUrl: s.sandbox.url, apiKey: () => Promise.resolve(s.apiKey), timeoutMs: 3_000 });
    const c = await paidAtTossOnly(s, toss, { prefix: 'lost', amount: 2_500, payMethod: 'TOSS_MONEY' });
    const orderNo = c.orderNo;
    const r = await postJson(v2({ orderNo, payToken: c.payToken, amount: 2_500 }, { payMethod: 'TOSS_MONEY' }));
    expect(r.status).toBe(200);
    const o = await s.readOrder(orderNo);
    expect(o?.status).toBe('PAY_COMPLETE');
    expect(o?.attention?.reason).toBe('RECOVERED');
    expect(o?.payToken).toBe(c.payToken);
    expect((await postJson(v2({ orderNo, payToken: c.payToken, amount: 2_500 }))).status).toBe(200);
  });
});
