/**
 * Contract: the money facts the sandbox reports as Toss's v2 status does (Toss's 결제 상태 확인 page): discounts and
 * points picked at approve (discountedAmount = discountAmountV2 + paidPointV2, paidAmount = amount −
 * discountedAmount), the card as picked (company, credit/check/prepaid, whose card, instalments
 * from 50,000 won) or the bank of a Toss Money payment, and refunds that give the buyer's payment
 * method back first, then the discount. Through the control API and the checkout page's form.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { approve, getPayment, listPayments, refundAtToss, type ApproveOptions } from '../../../local/toss-sandbox/control-client.ts';
import type { Sandbox } from '../../../local/toss-sandbox/server.ts';
import { create, KEY, start, toss } from './support.ts';

let sb: Sandbox;
beforeAll(async () => {
  sb = await start();
});
afterAll(async () => {
  await sb.close();
});

/** A paid payment: created (autoExecute false), approved with `choice`, executed. Its v2 status. */
async function paid(choice: ApproveOptions, over: Record<string, unknown> = {}): Promise<{ payToken: string; status: Record<string, unknown> }> {
  const p = await create(sb, over);
  await approve(sb.url, p.payToken, choice);
  expect((await toss(sb, '/api/v2/execute', { apiKey: KEY, payToken: p.payToken })).body.code).toBe(0);
  return { payToken: p.payToken, status: (await toss(sb, '/api/v2/status', { apiKey: KEY, payToken: p.payToken })).body };
}

describe('discounts and points', () => {
  it('discountedAmount is the instant discount and the points; paidAmount what is left; the PAY transaction says the same', async () => {
    const { status } = await paid({ payMethod: 'CARD', discountAmount: 1_000, pointAmount: 500 }, { amount: 10_000 });
    expect(status).toMatchObject({ amount: 10_000, discountedAmount: 1_500, discountAmountV2: 1_000, paidPointV2: 500, paidAmount: 8_500, refundableAmount: 10_000 });
    expect(status.transactions).toEqual([
      expect.objectContaining({ stepType: 'PAY', transactionAmount: 10_000, discountedAmount: 1_500, paidAmount: 8_500, pointAmount: 500 }),
    ]);
  });

  it('the execute reply and the callback body carry the same discountedAmount and paidAmount', async () => {
    const p = await create(sb, { amount: 20_000 });
    await approve(sb.url, p.payToken, { payMethod: 'TOSS_MONEY', discountAmount: 2_000 });
    // Known at approve: the status before execute already shows the discount.
    expect((await toss(sb, '/api/v2/status', { apiKey: KEY, payToken: p.payToken })).body).toMatchObject({ payStatus: 'PAY_APPROVED', discountAmountV2: 2_000, paidAmount: 0 });
    const ex = await toss(sb, '/api/v2/execute', { apiKey: KEY, payToken: p.payToken });
    expect(ex.body).toMatchObject({ code: 0, discountedAmount: 2_000, paidAmount: 18_000 });
    const cb = (await (await fetch(`${sb.url}/sandbox/payments/${p.payToken}/callback-body`)).json()) as Record<string, unknown>;
    expect(cb).toMatchObject({ discountedAmount: 2_000, paidAmount: 18_000 });
  });

  it('a refund gives the payment method back first, then the discount (points first); the transactions sum to nothing at the end', async () => {
    const { payToken } = await paid({ payMethod: 'CARD', discountAmount: 1_000, pointAmount: 500 }, { amount: 10_000 });
    const first = await refundAtToss(sb.url, payToken, { amount: 9_000 });
    expect(first).toMatchObject({ refundedAmount: -9_000, refundedPaidAmount: -8_500, refundedDiscountAmount: -500 });
    await refundAtToss(sb.url, payToken);
    const status = (await toss(sb, '/api/v2/status', { apiKey: KEY, payToken })).body;
    const txs = status.transactions as { stepType: string; transactionAmount: number; discountedAmount: number; paidAmount: number; pointAmount: number }[];
    expect(txs.map((t) => [t.stepType, t.transactionAmount, t.discountedAmount, t.paidAmount, t.pointAmount])).toEqual([
      ['PAY', 10_000, 1_500, 8_500, 500],
      ['REFUND', -9_000, -500, -8_500, -500],
      ['REFUND', -1_000, -1_000, 0, 0],
    ]);
    for (const k of ['transactionAmount', 'discountedAmount', 'paidAmount', 'pointAmount'] as const) expect(txs.reduce((s, t) => s + t[k], 0)).toBe(0);
  });

  it('refuses a discount larger than the amount', async () => {
    const p = await create(sb, { amount: 1_000 });
    await expect(approve(sb.url, p.payToken, { payMethod: 'CARD', discountAmount: 800, pointAmount: 300 })).rejects.toMatchObject({ status: 400, code: 'INVALID_APPROVE_OPTIONS' });
    expect((await getPayment(sb.url, p.payToken)).payStatus).toBe('PAY_STANDBY');
  });
});

describe('cards', () => {
  it('instalments: spreadOut and noInterest as picked, from 50,000 won', async () => {
    const { status } = await paid({ payMethod: 'CARD', spreadOut: 3, noInterest: true, cardCompanyCode: 3 }, { amount: 60_000 });
    expect(status.card).toMatchObject({ spreadOut: 3, noInterest: true, cardCompanyCode: 3, cardCompanyName: '삼성', cardMethodType: 'CREDIT', cardUserType: 'PERSONAL' });
  });

  it.each([
    ['below 50,000 won', { amount: 49_000 }, { spreadOut: 2 }],
    ['a create with installment NOT_USE', { amount: 60_000, installment: 'NOT_USE' }, { spreadOut: 2 }],
    ['a check card', { amount: 60_000 }, { spreadOut: 2, cardMethodType: 'CHECK' }],
    ['no interest without instalments', { amount: 60_000 }, { noInterest: true }],
    ['CORP_COMPANY at another company than 하나카드', { amount: 1_000 }, { cardUserType: 'CORP_COMPANY', cardCompanyCode: 4 }],
  ] as const)('refuses %s', async (_name, over, choice) => {
    const p = await create(sb, over);
    await expect(approve(sb.url, p.payToken, { payMethod: 'CARD', ...choice })).rejects.toMatchObject({ status: 400, code: 'INVALID_APPROVE_OPTIONS' });
  });

  it('check, prepaid and corporate cards: their type, user type and BIN', async () => {
    const check = (await paid({ payMethod: 'CARD', cardMethodType: 'CHECK' })).status.card as Record<string, string>;
    expect(check).toMatchObject({ cardMethodType: 'CHECK', cardBinNumber: '465887', spreadOut: 0 });
    expect(check.cardNumber).toMatch(/^465887\*{6}\d{3}\*$/);
    expect(check.cardNum4Print).toBe(check.cardNumber!.slice(-4));
    const prepaid = (await paid({ payMethod: 'CARD', cardMethodType: 'PREPAYMENT' })).status.card as Record<string, string>;
    expect(prepaid).toMatchObject({ cardMethodType: 'PREPAYMENT', cardBinNumber: '404825' });
    for (const userType of ['PERSONAL_FAMILY', 'CORP_PERSONAL', 'CORP_PRIVATE'] as const)
      expect((await paid({ payMethod: 'CARD', cardUserType: userType })).status.card).toMatchObject({ cardUserType: userType });
    expect((await paid({ payMethod: 'CARD', cardUserType: 'CORP_COMPANY', cardCompanyCode: 6 })).status.card).toMatchObject({
      cardUserType: 'CORP_COMPANY',
      cardCompanyName: '하나',
    });
  });

  it('refuses card options for Toss Money, a bank for a card, and unknown options', async () => {
    const p = await create(sb);
    await expect(approve(sb.url, p.payToken, { payMethod: 'TOSS_MONEY', spreadOut: 0 })).rejects.toMatchObject({ status: 400 });
    await expect(approve(sb.url, p.payToken, { payMethod: 'CARD', bankCode: '88' })).rejects.toMatchObject({ status: 400 });
    await expect(approve(sb.url, p.payToken, { payMethod: 'CARD', cardNumber: '1234' } as unknown as ApproveOptions)).rejects.toMatchObject({ status: 400 });
    await expect(approve(sb.url, p.payToken, { payMethod: 'TOSS_MONEY', bankCode: '99' })).rejects.toMatchObject({ status: 400 });
  });
});

describe('Toss Money', () => {
  it('the bank as picked, in the status and in retUrl (bankCode)', async () => {
    const p = await create(sb);
    const { redirect } = await approve(sb.url, p.payToken, { payMethod: 'TOSS_MONEY', bankCode: '90' });
    expect(new URL(redirect).searchParams.get('payMethod')).toBe('TOSS_MONEY');
    await toss(sb, '/api/v2/execute', { apiKey: KEY, payToken: p.payToken });
    const status = (await toss(sb, '/api/v2/status', { apiKey: KEY, payToken: p.payToken })).body;
    expect(status).toMatchObject({ accountBankCode: '90', accountBankName: '카카오뱅크' });
    expect(status.accountNumber).toMatch(/\*/);
    expect(status).not.toHaveProperty('card');
  });
});

describe('the checkout page', () => {
  it('offers the discount, the card and its instalments, and the bank, and pays with what the form sends', async () => {
    const p = await create(sb, { amount: 70_000, autoExecute: false });
    const html = await (await fetch(p.checkoutPage)).text();
    for (const name of ['discountAmount', 'pointAmount', 'cardCompanyCode', 'cardMethodType', 'cardUserType', 'spreadOut', 'noInterest', 'bankCode'])
      expect(html).toContain(`name="${name}"`);
    expect(html).toContain('체크카드');
    expect(html).toContain('무이자 할부');
    // What a browser sends: every field of the form, those of the other method included.
    const form = {
      payToken: p.payToken,
      payMethod: 'CARD',
      discountAmount: '3000',
      pointAmount: '0',
      cardCompanyCode: '6',
      cardMethodType: 'CREDIT',
      cardUserType: 'CORP_COMPANY',
      spreadOut: '6',
      noInterest: 'on',
      bankCode: '88',
    };
    const res = await fetch(`${sb.url}/payfront/auth/approve`, {
      method: 'POST',
      redirect: 'manual',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams(form).toString(),
    });
    expect(res.status).toBe(303);
    await toss(sb, '/api/v2/execute', { apiKey: KEY, payToken: p.payToken });
    const status = (await toss(sb, '/api/v2/status', { apiKey: KEY, payToken: p.payToken })).body;
    expect(status).toMatchObject({ discountAmountV2: 3_000, paidAmount: 67_000 });
    expect(status.card).toMatchObject({ cardCompanyCode: 6, cardUserType: 'CORP_COMPANY', spreadOut: 6, noInterest: true });
    expect(status).not.toHaveProperty('accountBankCode');
  });

  it('offers no instalments below 50,000 won and answers a refused choice with a page saying why', async () => {
    const p = await create(sb, { amount: 10_000 });
    const html = await (await fetch(p.checkoutPage)).text();
    expect(html).not.toContain('name="spreadOut"');
    const res = await fetch(`${sb.url}/payfront/auth/approve`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ payToken: p.payToken, payMethod: 'CARD', discountAmount: '20000' }).toString(),
    });
    expect(res.status).toBe(400);
    expect(await res.text()).toContain('must not exceed the amount');
  });
});

describe('issued numbers', () => {
  it('GET /sandbox/payments lists each card payment with its masked number and BIN', async () => {
    const { payToken } = await paid({ payMethod: 'CARD', cardMethodType: 'CHECK' });
    const rec = await getPayment(sb.url, payToken);
    expect((await listPayments(sb.url)).find((x) => x.payToken === payToken)).toMatchObject({
      cardNumber: rec.card!.cardNumber,
      cardBinNumber: '465887',
      accountNumber: null,
    });
  });
});
