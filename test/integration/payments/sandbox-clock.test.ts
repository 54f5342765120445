/**
 * Moving the sandbox clock (to expire what is waiting) does not break the stack: payments created
 * afterwards through our API work, and what the move passed expires and is settled.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { advanceClock, approve } from '../../../local/toss-sandbox/control-client.ts';
import { newOrderNo, PAYMENTS_ALONE, startStack, type Stack } from '../../support/stack.ts';

let s: Stack;
beforeAll(async () => {
  s = await startStack({}, PAYMENTS_ALONE);
});
afterAll(() => s.stop());

describe('the sandbox clock moved on', () => {
  it('expires waiting payments, and new ones are created and paid as before', async () => {
    const before = newOrderNo('clk');
    expect((await s.createPayment({ orderNo: before, amount: 1_000, amountTaxFree: 0, productDesc: '시계 전' })).status).toBe(201);
    await advanceClock(s.sandbox.url, 960);
    // The waiting payment expired at Toss; the cancel landing (or the reconciler) records it.
    expect((await s.request(`/payments/cancel?orderNo=${before}`)).text).toContain('결제 취소');

    const after = newOrderNo('clk');
    const c = await s.createPayment({ orderNo: after, amount: 2_000, amountTaxFree: 0, productDesc: '시계 후' });
    expect(c.status).toBe(201);
    const { redirect } = await approve(s.sandbox.url, String(c.json.payToken), 'CARD');
    expect((await s.visit(redirect)).text).toContain('결제 완료');
  });
});
