/**
 * Contract: every create-request rule of the reference (orderNo, productDesc, amounts, tax parts,
 * URLs, expiredTime, resultCallback, orderNo reuse). A rejected request writes nothing.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { advanceClock, approve, getPayment, listPayments } from '../../../local/toss-sandbox/control-client.ts';
import type { Sandbox } from '../../../local/toss-sandbox/server.ts';
import { create, createBody, expectRefusal, KEY, orderNo, merchantKst, start, toss } from './support.ts';

let sb: Sandbox;
beforeAll(async () => {
  sb = await start();
});
afterAll(async () => {
  await sb.close();
});

const createV2 = (over: Record<string, unknown>) => toss(sb, '/api/v2/payments', createBody(over));

describe('create: rejected with 400 COMMON_INVALID_PARAMETER', () => {
  const cases: [string, Record<string, unknown>][] = [
    ['orderNo missing', { orderNo: undefined }],
    ['orderNo empty', { orderNo: '' }],
    ['orderNo of 51 chars', { orderNo: 'A'.repeat(51) }],
    ['orderNo with a space', { orderNo: 'A 1' }],
    ['orderNo with a slash', { orderNo: 'A/1' }],
    ['orderNo with Korean', { orderNo: '주문1' }],
    ['orderNo as a number', { orderNo: 1 }],
    ['productDesc missing', { productDesc: undefined }],
    ['productDesc blank', { productDesc: '   ' }],
    ['productDesc over 255', { productDesc: '가'.repeat(256) }],
    ['productDesc with a backslash', { productDesc: 'T\\shirt' }],
    ['productDesc with a double quote', { productDesc: 'T"shirt' }],
    ['productDesc with a single quote', { productDesc: "T'shirt" }],
    ['amount missing', { amount: undefined }],
    ['amount 0', { amount: 0 }],
    ['amount negative', { amount: -1 }],
    ['amount not an integer', { amount: 1000.5 }],
    ['amount as a string', { amount: '1000' }],
    ['amount of 8 digits', { amount: 10_000_000 }],
    ['amountTaxFree missing', { amountTaxFree: undefined }],
    ['amountTaxFree over amount', { amountTaxFree: 1001 }],
    ['tax parts not adding up', { amount: 1000, amountTaxFree: 0, amountTaxable: 900, amountVat: 90, amountServiceFee: 0 }],
    ['tax parts over amount', { amount: 1000, amountTaxFree: 100, amountTaxable: 900, amountVat: 90 }],
    ['retUrl missing', { retUrl: undefined }],
    ['retUrl not a URL', { retUrl: 'not a url' }],
    ['retUrl over 255', { retUrl: `http://shop.test/${'a'.repeat(250)}` }],
    ['retCancelUrl missing', { retCancelUrl: undefined }],
    ['resultCallback missing with autoExecute true', { autoExecute: true }],
    ['resultCallback missing with autoExecute default (true)', { autoExecute: undefined }],
    ['resultCallback over 500', { autoExecute: true, resultCallback: `http://shop.test/${'a'.repeat(490)}` }],
    ['callbackVersion unknown', { callbackVersion: 'V3' }],
    ['expiredTime malformed', { expiredTime: '2030-01-01T00:00:00' }],
    ['expiredTime not a real time', { expiredTime: '2030-02-30 10:00:00' }],
    ['enablePayMethods unknown', { enablePayMethods: 'BITCOIN' }],
    ['installment unknown', { installment: 'MAYBE' }],
  ];
  it.each(cases)('%s', async (_name, over) => {
    const no = orderNo();
    const r = await expectRefusal(toss(sb, '/api/v2/payments', createBody({ orderNo: no, ...over })), 400, 'COMMON_INVALID_PARAMETER');
    expect(r.body).not.toHaveProperty('payToken');
    // Nothing was written.
    await expectRefusal(toss(sb, '/api/v2/status', { apiKey: KEY, orderNo: no }), 404, 'TRANSACTION_NOT_FOUND');
  });

  it('expiredTime in the past', async () => {
    await expectRefusal(createV2({ expiredTime: merchantKst(-60) }), 400, 'COMMON_INVALID_PARAMETER');
  });

  it('expiredTime more than 60 minutes ahead', async () => {
    await expectRefusal(createV2({ expiredTime: merchantKst(3600 + 5) }), 400, 'COMMON_INVALID_PARAMETER');
  });
});

describe('create: accepted at the limits', () => {
  it('orderNo of 50 chars from the whole charset', async () => {
    const no = `aZ09_-:.^@${orderNo('x').replace(/[^0-9A-Za-z-]/g, '')}`.slice(0, 50).padEnd(50, 'z');
    expect(no).toHaveLength(50);
    const p = await create(sb, { orderNo: no });
    expect((await getPayment(sb.url, p.payToken)).orderNo).toBe(no);
  });

  it('amount of 7 digits, productDesc of 255', async () => {
    const p = await create(sb, { amount: 9_999_999, productDesc: '가'.repeat(255) });
    expect(await getPayment(sb.url, p.payToken)).toMatchObject({ amount: 9_999_999, amountTaxable: 9_090_908, amountVat: 909_091 });
  });

  it('expiredTime 60 minutes ahead', async () => {
    const expiredTime = merchantKst(60 * 60);
    const p = await create(sb, { expiredTime });
    expect((await getPayment(sb.url, p.payToken)).expiredTime).toBe(expiredTime);
  });

  it('autoExecute false without resultCallback', async () => {
    const p = await create(sb, { autoExecute: false, resultCallback: undefined });
    expect((await getPayment(sb.url, p.payToken)).resultCallback).toBeNull();
  });
});

describe('create: tax split', () => {
  const split = async (over: Record<string, unknown>) => {
    const p = await create(sb, over);
    const r = await toss(sb, '/api/v2/status', { apiKey: KEY, payToken: p.payToken });
    return [r.body.amountTaxFree, r.body.amountTaxable, r.body.amountVat, r.body.amountServiceFee];
  };
  it('amount 1000, no parts → VAT 91, taxable 909', async () => {
    expect(await split({ amount: 1000, amountTaxFree: 0 })).toEqual([0, 909, 91, 0]);
  });
  it('35000 → VAT ceil(35000/11) = 3182, taxable 31818', async () => {
    expect(await split({ amount: 35_000, amountTaxFree: 0 })).toEqual([0, 31_818, 3182, 0]);
  });
  it("a non-zero part makes the four required, adding up (Toss's create page): amountTaxFree alone is refused, nothing created", async () => {
    const before = (await listPayments(sb.url)).length;
    for (const over of [
      { amount: 1000, amountTaxFree: 200 },
      { amount: 1000, amountTaxFree: 200, amountTaxable: 727, amountVat: 73 },
      { amount: 1000, amountTaxFree: 0, amountTaxable: 909, amountVat: 91 },
      { amount: 1000, amountTaxFree: 200, amountTaxable: 727, amountVat: 72, amountServiceFee: 0 },
    ]) {
      const r = await toss(sb, '/api/v2/payments', { ...createBody(), ...over });
      expect({ over, status: r.status, body: r.body }).toMatchObject({ over, status: 400, body: { code: -1, errorCode: 'COMMON_INVALID_PARAMETER' } });
    }
    expect(await listPayments(sb.url)).toHaveLength(before);
    expect(await split({ amount: 1000, amountTaxFree: 200, amountTaxable: 727, amountVat: 73, amountServiceFee: 0 })).toEqual([200, 727, 73, 0]);
  });
  it('cashReceipt false → all taxable, no VAT', async () => {
    expect(await split({ amount: 1000, amountTaxFree: 0, cashReceipt: false })).toEqual([0, 1000, 0, 0]);
  });
  it('explicit parts adding up are kept as given', async () => {
    expect(
      await split({ amount: 35_000, amountTaxFree: 0, amountTaxable: 22_727, amountVat: 2273, amountServiceFee: 10_000 }),
    ).toEqual([0, 22_727, 2273, 10_000]);
  });
});

describe('create: orderNo reuse', () => {
  it('reusing a PAY_STANDBY orderNo gives a new payToken and cancels the old one', async () => {
    const a = await create(sb);
    const b = await create(sb, { orderNo: a.orderNo });
    expect(b.payToken).not.toBe(a.payToken);
    expect(await getPayment(sb.url, a.payToken)).toMatchObject({ payStatus: 'PAY_CANCEL', cancelledBy: 'superseded' });
    const s = await toss(sb, '/api/v2/status', { apiKey: KEY, orderNo: a.orderNo });
    expect(s.body.payToken).toBe(b.payToken);
  });

  it('reusing the orderNo of a payment quit or expired before authentication is allowed', async () => {
    const a = await create(sb);
    await toss(sb, '/api/v1/cancel', { apiKey: KEY, payToken: a.payToken });
    const b = await create(sb, { orderNo: a.orderNo });
    expect((await toss(sb, '/api/v2/status', { apiKey: KEY, orderNo: a.orderNo })).body.payToken).toBe(b.payToken);
  });

  it('after the buyer authenticated: PAYMENT_EXISTING_PAYMENT while approved, PAYMENT_DUPLICATION_ORDER_NO after', async () => {
    const a = await create(sb);
    await approve(sb.url, a.payToken, 'CARD');
    await expectRefusal(createV2({ orderNo: a.orderNo }), 200, 'PAYMENT_EXISTING_PAYMENT');
    await toss(sb, '/api/v2/execute', { apiKey: KEY, payToken: a.payToken });
    await expectRefusal(createV2({ orderNo: a.orderNo }), 200, 'PAYMENT_DUPLICATION_ORDER_NO');

    const c = await create(sb);
    await approve(sb.url, c.payToken, 'CARD');
    await toss(sb, '/api/v1/cancel', { apiKey: KEY, payToken: c.payToken });
    await expectRefusal(createV2({ orderNo: c.orderNo }), 200, 'PAYMENT_DUPLICATION_ORDER_NO');
  });

  it('an approved payment that expired keeps its orderNo used', async () => {
    const other = await start();
    try {
      const body = createBody();
      const created = await toss(other, '/api/v2/payments', body);
      await approve(other.url, created.body.payToken as string, 'CARD');
      await advanceClock(other.url, 16 * 60);
      expect((await getPayment(other.url, created.body.payToken as string)).payStatus).toBe('PAY_CANCEL');
      await expectRefusal(toss(other, '/api/v2/payments', { ...body }), 200, 'PAYMENT_DUPLICATION_ORDER_NO');
    } finally {
      await other.close();
    }
  });
});
