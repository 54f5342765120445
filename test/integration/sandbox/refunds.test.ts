/**
 * Contract: refunds as the reference says - partial refunds, refundNo idempotency, full refund,
 * tax parts, transactions[] in status.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { approve, getPayment } from '../../../local/toss-sandbox/control-client.ts';
import type { Sandbox } from '../../../local/toss-sandbox/server.ts';
import { REFUND_FIELDS, STATUS_V2_EXAMPLE } from './fixtures.ts';
import { create, expectFieldTypes, expectRefusal, expectSameShape, KEY, KST_RE, start, toss } from './support.ts';

let sb: Sandbox;
beforeAll(async () => {
  sb = await start();
});
afterAll(async () => {
  await sb.close();
});

async function paid(over: Record<string, unknown> = {}, method: 'CARD' | 'TOSS_MONEY' = 'CARD'): Promise<string> {
  const p = await create(sb, over);
  await approve(sb.url, p.payToken, method);
  const r = await toss(sb, '/api/v2/execute', { apiKey: KEY, payToken: p.payToken });
  expect(r.body.code).toBe(0);
  return p.payToken;
}

const refund = (payToken: string, body: Record<string, unknown>, path = '/api/v2/refunds') =>
  toss(sb, path, { apiKey: KEY, payToken, amountTaxFree: 0, ...body });

describe('refunds', () => {
  it.each(['/api/v1/refunds', '/api/v2/refunds'])('%s: a partial refund replies with the reference fields and lowers refundableAmount', async (path) => {
    const t = await paid({ amount: 10_000 });
    const r = await refund(t, { amount: 3000, refundNo: 'R-1' }, path);
    expect(r.status).toBe(200);
    expectFieldTypes(r.body, REFUND_FIELDS);
    expect(r.body).toMatchObject({ code: 0, refundNo: 'R-1', refundableAmount: 7000, refundedAmount: -3000, payToken: t });
    expect(r.body.approvalTime).toMatch(KST_RE);
    const st = await toss(sb, '/api/v2/status', { apiKey: KEY, payToken: t });
    expect(st.body).toMatchObject({ payStatus: 'REFUND_SUCCESS', refundableAmount: 7000, amount: 10_000, paidAmount: 10_000 });
  });

  it('status lists PAY and REFUND transactions, refunds negative', async () => {
    const t = await paid({ amount: 10_000 });
    const r1 = await refund(t, { amount: 1000 });
    const r2 = await refund(t, { amount: 2500 });
    const st = await toss(sb, '/api/v2/status', { apiKey: KEY, payToken: t });
    expectSameShape(st.body, STATUS_V2_EXAMPLE);
    const tx = st.body.transactions as Record<string, unknown>[];
    expect(tx.map((x) => [x.stepType, x.transactionAmount, x.paidAmount])).toEqual([
      ['PAY', 10_000, 10_000],
      ['REFUND', -1000, -1000],
      ['REFUND', -2500, -2500],
    ]);
    expect(tx[1]!.transactionId).toBe(r1.body.transactionId);
    expect(tx[2]!.transactionId).toBe(r2.body.transactionId);
    // Without refundNo, Toss uses the transactionId.
    expect(r1.body.refundNo).toBe(r1.body.transactionId);
    expect(st.body.refundableAmount).toBe(6500);
  });

  it('the same refundNo and request returns the same success; a different request is REFUND_REFUND_NO_DUPLICATE', async () => {
    const t = await paid({ amount: 10_000 });
    const first = await refund(t, { amount: 1000, refundNo: 'same' });
    const again = await refund(t, { amount: 1000, refundNo: 'same' });
    expect(again.body).toEqual(first.body);
    await expectRefusal(refund(t, { amount: 2000, refundNo: 'same' }), 200, 'REFUND_REFUND_NO_DUPLICATE');
    await expectRefusal(refund(t, { amount: 1000, refundNo: 'same', idempotent: false }), 200, 'REFUND_REFUND_NO_DUPLICATE');
    const rec = await getPayment(sb.url, t);
    expect(rec.refundableAmount).toBe(9000);
    expect(rec.refunds).toHaveLength(1);
  });

  it('no amount refunds everything left; afterwards REFUND_ALREADY_REFUNDED, while the full refund repeats idempotently', async () => {
    const t = await paid({ amount: 10_000 }, 'TOSS_MONEY');
    await refund(t, { amount: 4000 });
    const full = await refund(t, { refundNo: 'all' });
    expect(full.body).toMatchObject({ code: 0, refundableAmount: 0, refundedAmount: -6000 });
    expect(full.body.accountBankCode).toBeTypeOf('string');
    await expectRefusal(refund(t, { amount: 1 }), 200, 'REFUND_ALREADY_REFUNDED');
    await expectRefusal(refund(t, {}), 200, 'REFUND_ALREADY_REFUNDED');
    expect((await refund(t, { refundNo: 'all' })).body).toEqual(full.body);
    const v1 = await toss(sb, '/api/v1/status', { apiKey: KEY, payToken: t });
    expect(v1.body).toMatchObject({ payStatus: 'REFUND_SUCCESS', refundableAmount: 0, availableActions: [] });
    const rec = await getPayment(sb.url, t);
    expect(rec.remainingParts).toEqual({ amountTaxFree: 0, amountTaxable: 0, amountVat: 0, amountServiceFee: 0 });
  });

  it('more than the refundable balance is refused', async () => {
    const t = await paid({ amount: 1000 });
    await expectRefusal(refund(t, { amount: 1001 }), 200, 'COMMON_REFUND_ERROR');
    await refund(t, { amount: 600 });
    await expectRefusal(refund(t, { amount: 401 }), 200, 'COMMON_REFUND_ERROR');
    expect((await getPayment(sb.url, t)).refundableAmount).toBe(400);
  });

  it('an unpaid payment cannot be refunded', async () => {
    const p = await create(sb);
    await expectRefusal(refund(p.payToken, { amount: 100 }), 200, 'TRANSACTION_NOT_COMPLETE');
    await approve(sb.url, p.payToken, 'CARD');
    await expectRefusal(refund(p.payToken, { amount: 100 }), 200, 'TRANSACTION_NOT_COMPLETE');
  });

  it('parameter rules: integer amount of ≤7 digits, amountTaxFree required, refundNo ≤36, parts adding up', async () => {
    const t = await paid({ amount: 10_000 });
    await expectRefusal(refund(t, { amount: 10.5 }), 400, 'COMMON_INVALID_PARAMETER');
    await expectRefusal(refund(t, { amount: 10_000_000 }), 400, 'COMMON_INVALID_PARAMETER');
    await expectRefusal(toss(sb, '/api/v2/refunds', { apiKey: KEY, payToken: t, amount: 100 }), 400, 'COMMON_INVALID_PARAMETER');
    await expectRefusal(refund(t, { amount: 100, refundNo: 'x'.repeat(37) }), 400, 'COMMON_INVALID_PARAMETER');
    await expectRefusal(refund(t, { amount: 1000, amountTaxable: 900, amountVat: 90 }), 400, 'COMMON_INVALID_PARAMETER');
    await expectRefusal(refund(t, { amount: 100, amountTaxFree: 200 }), 400, 'COMMON_INVALID_PARAMETER');
    expect((await getPayment(sb.url, t)).refundableAmount).toBe(10_000);
  });

  it('a payment created with explicit tax parts needs refunds that name their parts, within what is left', async () => {
    const t = await paid({ amount: 35_000, amountTaxFree: 2000, amountTaxable: 27_273, amountVat: 2727, amountServiceFee: 3000 });
    await expectRefusal(refund(t, { amount: 1100 }), 400, 'COMMON_INVALID_PARAMETER');
    const ok = await refund(t, { amount: 1100, amountTaxFree: 0, amountTaxable: 1000, amountVat: 100, amountServiceFee: 0 });
    expect(ok.body).toMatchObject({ code: 0, refundableAmount: 33_900 });
    await expectRefusal(refund(t, { amount: 3000, amountTaxFree: 3000 }), 200, 'COMMON_REFUND_ERROR');
    const rec = await getPayment(sb.url, t);
    expect(rec.remainingParts).toEqual({ amountTaxFree: 2000, amountTaxable: 26_273, amountVat: 2627, amountServiceFee: 3000 });
  });

  it('a derived-tax payment derives the refund’s VAT the same way', async () => {
    const t = await paid({ amount: 10_000 });
    const r = await refund(t, { amount: 1000 });
    expect(r.body).toMatchObject({ amountTaxable: 909, amountVat: 91, amountTaxFree: 0 });
  });

  it('unknown payToken → 404', async () => {
    await expectRefusal(refund('nope', { amount: 1 }), 404, 'TRANSACTION_NOT_FOUND');
  });
});
