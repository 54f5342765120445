/**
 * Every kind of change gives its event type exactly once, the same in the log, on the bus and at
 * the webhook: the buyer quits (payment.cancelled, BUYER), a refund (payment.refunded, one per
 * refund), a refund Toss refuses (refund.failed), a merchant's cancel (payment.cancelled,
 * MERCHANT, with its reason), a create Toss refuses (payment.failed), settlement (payment.settled,
 * once, whatever refunds and settlements follow), and an order recovered from Toss that needs a
 * person (order.flagged, with its payment.completed).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { callbackBody, refundAtToss, setFault, settleAtToss } from '../../../local/toss-sandbox/control-client.ts';
import { createTossClient } from '../../../shared/toss/client.ts';
import { newOrderNo, paidAtTossOnly, startStack, type Stack } from '../../support/stack.ts';
import { busFor, deliveriesFor, envelopeOf, loggedFor, payOrder, quitOrder, statusOf, type LoggedEvent } from './support.ts';

let s: Stack;
beforeAll(async () => {
  s = await startStack({}, { webhooks: true });
});
afterAll(() => s.stop());

const code = (r: { json: Record<string, unknown> }) => (r.json.error as { code?: string } | undefined)?.code;
const refund = (orderNo: string, key: string, body: Record<string, unknown>) =>
  s.merchantRequest(`/payments/${orderNo}/refunds`, { method: 'POST', headers: { 'idempotency-key': key }, json: body });

/**
 * Once the stream has caught up: the order's events are exactly `types` (in any order within one
 * change), each once in the log, once on the bus and delivered once, with the same envelope.
 */
async function expectExactly(orderNo: string, types: string[]): Promise<LoggedEvent[]> {
  await s.streams.caughtUp();
  const logged = await loggedFor(s, orderNo, types.length);
  expect(logged.map((e) => e.type).sort()).toEqual([...types].sort());
  expect(new Set(logged.map((e) => e.id)).size).toBe(logged.length);
  const bus = busFor(s, orderNo);
  expect(bus.map((e) => e.Detail).sort(byId)).toEqual(logged.map(envelopeOf).sort(byId));
  expect(bus.every((e) => e.Source === 'toss-pay' && e.DetailType === e.Detail.type)).toBe(true);
  const delivered = deliveriesFor(s, orderNo);
  expect(delivered.every((d) => d.verified && d.status === 200)).toBe(true);
  expect(delivered.map((d) => JSON.parse(d.body) as { id: string }).sort(byId)).toEqual(logged.map(envelopeOf).sort(byId));
  expect(logged.every((e) => e.delivery.status === 'delivered' && e.delivery.attempts.length === 1)).toBe(true);
  return logged;
}
const byId = (a: Record<string, unknown>, b: Record<string, unknown>): number => String(a.id).localeCompare(String(b.id));
const ofType = (events: LoggedEvent[], type: string): LoggedEvent[] => events.filter((e) => e.type === type);

describe('event types', () => {
  it('the buyer quits: payment.cancelled once, cancelReason BUYER', async () => {
    const { orderNo } = await quitOrder(s);
    const [e] = await expectExactly(orderNo, ['payment.cancelled']);
    expect(e?.data).toMatchObject({ orderNo, status: 'PAY_CANCEL', paymentState: 'cancelled', cancelReason: 'BUYER', paid: false });
  });

  it('refunds: payment.refunded once per refund (a repeated request adds none), the refund in data.refund', async () => {
    const { orderNo } = await payOrder(s, { prefix: 'evrf', amount: 30_000 });
    const first = await refund(orderNo, 'part-1', { amount: 10_000, amountTaxFree: 0, reason: '부분 환불' });
    expect(first.status).toBe(201);
    // The same request again: the stored result, no second refund, no second event.
    expect((await refund(orderNo, 'part-1', { amount: 10_000, amountTaxFree: 0, reason: '부분 환불' })).status).toBe(200);
    const rest = await refund(orderNo, 'rest', { amountTaxFree: 0 });
    expect(rest.status).toBe(201);
    await statusOf(s, orderNo, 'REFUND_SUCCESS');

    const events = await expectExactly(orderNo, ['payment.completed', 'payment.refunded', 'payment.refunded']);
    const refunds = ofType(events, 'payment.refunded').sort((a, b) => Number(a.data.version) - Number(b.data.version));
    expect(refunds.map((e) => e.data.refund)).toEqual([
      expect.objectContaining({ refundNo: first.json.refundNo, amount: 10_000, status: 'SUCCEEDED', source: 'api', reason: '부분 환불' }),
      expect.objectContaining({ refundNo: rest.json.refundNo, amount: 20_000, status: 'SUCCEEDED', source: 'api' }),
    ]);
    expect(refunds.map((e) => e.data.paymentState)).toEqual(['partially_refunded', 'refunded']);
    expect(refunds.map((e) => e.data.refundedAmount)).toEqual([10_000, 30_000]);
  });

  it('a refund Toss refuses: refund.failed once, the refund FAILED in data.refund', async () => {
    const { orderNo, payToken } = await payOrder(s, { prefix: 'evrff' });
    await setFault(s.sandbox.url, { target: 'refunds', kind: 'error', errorCode: 'REFUND_EXCEED_DAILY', msg: '일일 환불 한도 초과', payToken, times: 1 });
    const r = await refund(orderNo, 'refused', { amount: 5_000, amountTaxFree: 0 });
    expect([r.status, code(r)]).toEqual([422, 'TOSS_REFUSED']);
    const events = await expectExactly(orderNo, ['payment.completed', 'refund.failed']);
    const [failed] = ofType(events, 'refund.failed');
    expect(failed?.data.refund).toMatchObject({ amount: 5_000, status: 'FAILED' });
    expect(failed?.data).toMatchObject({ paymentState: 'paid', refundedAmount: 0, refundableAmount: 35_000 });
  });

  it("the merchant's cancel: payment.cancelled once, cancelReason MERCHANT and the merchant's reason", async () => {
    const orderNo = newOrderNo('evmc');
    expect((await s.createPayment({ orderNo, amount: 9_000, amountTaxFree: 0, productDesc: '취소될 주문' })).status).toBe(201);
    const r = await s.merchantRequest(`/payments/${orderNo}/cancel`, { method: 'POST', json: { reason: '고객 요청' } });
    expect(r.status).toBe(200);
    const [e] = await expectExactly(orderNo, ['payment.cancelled']);
    expect(e?.data).toMatchObject({ status: 'PAY_CANCEL', cancelReason: 'MERCHANT', cancelNote: '고객 요청' });
  });

  it('settlement: payment.settled once; a refund after it and its own settlement add payment.refunded only, no flag', async () => {
    const { orderNo, payToken } = await payOrder(s, { prefix: 'evst', amount: 20_000 });
    await settleAtToss(s.sandbox.url, payToken);
    expect((await s.merchantRequest(`/payments/${orderNo}?refresh=true`)).json).toMatchObject({ status: 'SETTLEMENT_COMPLETE', settled: true });
    await refundAtToss(s.sandbox.url, payToken, { amount: 5_000 });
    await s.merchantRequest(`/payments/${orderNo}?refresh=true`);
    await settleAtToss(s.sandbox.url, payToken);
    expect((await s.merchantRequest(`/payments/${orderNo}?refresh=true`)).json).toMatchObject({ status: 'SETTLEMENT_REFUND_COMPLETE', settled: true });
    const events = await expectExactly(orderNo, ['payment.completed', 'payment.settled', 'payment.refunded']);
    const [settled] = ofType(events, 'payment.settled');
    expect(settled?.data).toMatchObject({ orderNo, status: 'SETTLEMENT_COMPLETE', settled: true, paid: true, refundableAmount: 20_000 });
    expect(typeof settled?.data.settledSeenAt).toBe('string');
  });

  it('a create Toss refuses: payment.failed once', async () => {
    const orderNo = newOrderNo('evf');
    await setFault(s.sandbox.url, { target: 'payments', kind: 'error', errorCode: 'INVALID_PRODUCT_DESC', msg: '상품 설명 오류', orderNo, times: 1 });
    const c = await s.createPayment({ orderNo, amount: 9_000, amountTaxFree: 0, productDesc: '거절될 주문' });
    expect([c.status, code(c)]).toEqual([422, 'TOSS_REFUSED']);
    const [e] = await expectExactly(orderNo, ['payment.failed']);
    expect(e?.data).toMatchObject({ orderNo, status: 'CREATE_FAILED', paymentState: 'failed' });
  });

  it('an order recovered from Toss: payment.completed and order.flagged, once each, from one change', async () => {
    const toss = createTossClient({ baseUrl: s.sandbox.url, apiKey: () => Promise.resolve(s.apiKey), timeoutMs: 3_000 });
    const lost = await paidAtTossOnly(s, toss, { prefix: 'evlost', amount: 4_000, payMethod: 'CARD' });
    const body = await callbackBody(s.sandbox.url, lost.payToken);
    const r = await s.request('/payments/callback', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    expect(r.status).toBe(200);
    // Toss's retry of the same callback changes nothing.
    expect((await s.request('/payments/callback', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) })).status).toBe(200);
    const events = await expectExactly(lost.orderNo, ['payment.completed', 'order.flagged']);
    const [flagged] = ofType(events, 'order.flagged');
    expect(flagged?.data).toMatchObject({ orderNo: lost.orderNo, attention: expect.objectContaining({ reason: 'RECOVERED' }) });
    // One change, two events: the same version, different ids.
    expect(new Set(events.map((e) => e.data.version)).size).toBe(1);
  });
});
