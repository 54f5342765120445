/**
 * TEST and LIVE never mix: an order recorded under the other mode (the Toss key was changed on
 * the same table after a test payment) is never reported paid, by any route.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_API_KEY } from '../../../local/toss-sandbox/server.ts';
import { createPaymentSchema, requestHash } from '../../../shared/payments/request-schemas.ts';
import { newOrderNo, PAYMENTS_ALONE, startStack, type Stack } from '../../support/stack.ts';

const LIVE_KEY = 'sk_live_merchant_key_for_mode_tests';
let s: Stack;
beforeAll(async () => {
  s = await startStack({ TOSS_API_KEY: LIVE_KEY, SANDBOX_EXTRA_KEYS: DEFAULT_API_KEY }, PAYMENTS_ALONE);
});
afterAll(() => s.stop());

/** A TEST order, paid, as a stack with the test key left it in the table. */
async function paidTestOrder(): Promise<{ orderNo: string; body: Record<string, unknown> }> {
  const orderNo = newOrderNo('mode');
  const body = { orderNo, amount: 5_000, amountTaxFree: 0, productDesc: '테스트 주문' };
  const input = createPaymentSchema.parse(body);
  await s.store.createOrder(
    { orderNo, amount: 5_000, amountTaxFree: 0, productDesc: '테스트 주문', autoExecute: true, expiresAt: new Date(Date.now() + 60_000).toISOString(), mode: 'TEST', requestHash: requestHash(input) },
    { id: 'lapsed', until: 0 },
  );
  const payToken = `test-token-${orderNo}`;
  await s.store.applyTransition(orderNo, { to: 'PAY_STANDBY', from: ['CREATING'], payToken, amount: 5_000, set: { checkoutPage: 'https://x' } }, 'create');
  const r = await s.store.applyTransition(orderNo, { to: 'PAY_COMPLETE', from: ['PAY_STANDBY'], payToken, amount: 5_000, set: {} }, 'callback');
  expect(r.kind).toBe('applied');
  return { orderNo, body };
}

describe('an order of the other mode (the key is LIVE now)', () => {
  it('its create replay answers 409 MODE_MISMATCH', async () => {
    const { body } = await paidTestOrder();
    const r = await s.createPayment(body);
    expect(r.status).toBe(409);
    expect((r.json.error as { code: string }).code).toBe('MODE_MISMATCH');
  });

  it('GET /payments/{orderNo} shows paid: false and its mode', async () => {
    const { orderNo } = await paidTestOrder();
    const r = await s.getPayment(orderNo);
    expect(r.status).toBe(200);
    expect(r.json).toMatchObject({ status: 'PAY_COMPLETE', paid: false, mode: 'TEST', modeMismatch: true });
  });

  it('the return landing does not show the paid page', async () => {
    const { orderNo } = await paidTestOrder();
    const r = await s.request(`/payments/return?orderNo=${orderNo}&status=PAY_COMPLETE`);
    expect(r.text).not.toContain('결제 완료');
    expect(r.text).toContain('다른 결제 환경');
  });
});
