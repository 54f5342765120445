/**
 * Contract: each Toss API endpoint's replies against the reference examples (field names and
 * types), keys and modes, not-found, execute and cancel rules, and concurrency.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { approve, getPayment, listPayments, resetSandbox } from '../../../local/toss-sandbox/control-client.ts';
import type { Sandbox } from '../../../local/toss-sandbox/server.ts';
import { startSandbox } from '../../../local/toss-sandbox/server.ts';
import { CREATE_EXAMPLE, EXECUTE_FIELDS, STATUS_V1_EXAMPLE, STATUS_V2_ACCOUNT_FIELDS, STATUS_V2_EXAMPLE } from './fixtures.ts';
import {
  create,
  createBody,
  expectFieldTypes,
  expectRefusal,
  expectSameShape,
  KEY,
  KST_RE,
  LIVE_KEY,
  orderNo,
  start,
  toss,
} from './support.ts';

let sb: Sandbox;
beforeAll(async () => {
  sb = await start();
});
afterAll(async () => {
  await sb.close();
});

describe('payments (create)', () => {
  it.each(['/api/v1/payments', '/api/v2/payments'])('%s replies like the reference', async (path) => {
    const r = await toss(sb, path, createBody());
    expect(r.status).toBe(200);
    expectSameShape(r.body, CREATE_EXAMPLE);
    expect(r.body.checkoutPage).toBe(`${sb.url}/payfront/auth?payToken=${String(r.body.payToken)}`);
    expect(String(r.body.payToken).length).toBeLessThanOrEqual(30);
  });

  it('builds checkoutPage from publicUrl when given', async () => {
    const other = await start({ publicUrl: 'https://toss.sandbox.example/' });
    try {
      const r = await toss(other, '/api/v2/payments', createBody());
      expect(r.body.checkoutPage).toBe(`https://toss.sandbox.example/payfront/auth?payToken=${String(r.body.payToken)}`);
    } finally {
      await other.close();
    }
  });

  it('accepts form-encoded requests (the provider’s Python/Ruby examples)', async () => {
    const params = new URLSearchParams(Object.entries(createBody()).map(([k, v]): [string, string] => [k, String(v)]));
    const res = await fetch(`${sb.url}/api/v2/payments`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: params.toString(),
    });
    const body = (await res.json()) as Record<string, unknown>;
    expect(res.status).toBe(200);
    expect(body.code).toBe(0);
  });

  it('rejects a body that is not JSON with 400', async () => {
    const res = await fetch(`${sb.url}/api/v2/payments`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{"apiKey":' });
    const body = (await res.json()) as Record<string, unknown>;
    expect(res.status).toBe(400);
    expect(body).toMatchObject({ code: -1, errorCode: 'COMMON_INVALID_PARAMETER' });
  });
});

describe('api keys and mode', () => {
  it.each(['payments', 'execute', 'cancel', 'refunds', 'status'])('%s: unknown key → 401 COMMON_INVALID_API_KEY', async (api) => {
    const path = api === 'cancel' ? '/api/v1/cancel' : `/api/v2/${api}`;
    await expectRefusal(toss(sb, path, { ...createBody(), apiKey: 'sk_test_not_a_key', payToken: 'x' }), 401, 'COMMON_INVALID_API_KEY');
    await expectRefusal(toss(sb, path, { payToken: 'x' }), 401, 'COMMON_INVALID_API_KEY');
  });

  it('defaults to the documentation’s public test key and reads TOSS_SANDBOX_API_KEYS', async () => {
    const saved = process.env.TOSS_SANDBOX_API_KEYS;
    try {
      delete process.env.TOSS_SANDBOX_API_KEYS;
      const def = await startSandbox({ port: 0, quiet: true });
      expect((await toss(def, '/api/v2/payments', createBody({ apiKey: KEY }))).status).toBe(200);
      await expectRefusal(toss(def, '/api/v2/payments', createBody({ apiKey: LIVE_KEY })), 401, 'COMMON_INVALID_API_KEY');
      await def.close();

      process.env.TOSS_SANDBOX_API_KEYS = ` ${LIVE_KEY} , sk_test_other `;
      const env = await startSandbox({ port: 0, quiet: true });
      expect((await toss(env, '/api/v2/payments', createBody({ apiKey: LIVE_KEY }))).status).toBe(200);
      expect((await toss(env, '/api/v2/payments', createBody({ apiKey: 'sk_test_other' }))).status).toBe(200);
      await expectRefusal(toss(env, '/api/v2/payments', createBody({ apiKey: KEY })), 401, 'COMMON_INVALID_API_KEY');
      await env.close();
    } finally {
      if (saved === undefined) delete process.env.TOSS_SANDBOX_API_KEYS;
      else process.env.TOSS_SANDBOX_API_KEYS = saved;
    }
  });

  it('mode is TEST for sk_test_ keys and LIVE otherwise; orders are namespaced per key', async () => {
    const no = orderNo();
    const t = await create(sb, { orderNo: no, apiKey: KEY });
    const l = await create(sb, { orderNo: no, apiKey: LIVE_KEY });
    expect(t.payToken).not.toBe(l.payToken);
    const st = await toss(sb, '/api/v2/status', { apiKey: KEY, orderNo: no });
    const sl = await toss(sb, '/api/v2/status', { apiKey: LIVE_KEY, orderNo: no });
    expect(st.body).toMatchObject({ mode: 'TEST', payToken: t.payToken });
    expect(sl.body).toMatchObject({ mode: 'LIVE', payToken: l.payToken });
    // Another merchant's payToken is unknown.
    await expectRefusal(toss(sb, '/api/v2/status', { apiKey: KEY, payToken: l.payToken }), 404, 'TRANSACTION_NOT_FOUND');
  });
});

describe('status', () => {
  it('v2 of a paid card payment has every field of the published example with the same types', async () => {
    const p = await create(sb, { autoExecute: true, resultCallback: 'http://127.0.0.1:9/unused' });
    await approve(sb.url, p.payToken, 'CARD');
    const r = await toss(sb, '/api/v2/status', { apiKey: KEY, payToken: p.payToken });
    expect(r.status).toBe(200);
    expectSameShape(r.body, STATUS_V2_EXAMPLE);
    expect(r.body).toMatchObject({
      mode: 'TEST',
      payStatus: 'PAY_COMPLETE',
      payMethod: 'CARD',
      amount: 1000,
      paidAmount: 1000,
      refundableAmount: 1000,
      amountTaxable: 909,
      amountVat: 91,
      amountTaxFree: 0,
      amountServiceFee: 0,
    });
    const card = r.body.card as Record<string, string>;
    expect(card.cardNumber).toMatch(/^\d{6}\*{6}\d{3}\*$/);
    expect(r.body.createdTs).toMatch(KST_RE);
    expect(r.body.paidTs).toMatch(KST_RE);
  });

  it('v2 of a 토스머니 payment carries account fields (masked) instead of card', async () => {
    const p = await create(sb, { autoExecute: true, resultCallback: 'http://127.0.0.1:9/unused' });
    await approve(sb.url, p.payToken, 'TOSS_MONEY');
    const r = await toss(sb, '/api/v2/status', { apiKey: KEY, orderNo: p.orderNo });
    const { card: _card, ...withoutCard } = STATUS_V2_EXAMPLE;
    expectSameShape(r.body, { ...withoutCard, payMethod: 'TOSS_MONEY', ...STATUS_V2_ACCOUNT_FIELDS });
    expect(r.body).not.toHaveProperty('card');
    expect(r.body.accountNumber).toMatch(/\*/);
  });

  it('v1 adds availableActions, hasOwner and metadata (the published v1 example)', async () => {
    const p = await create(sb, { metadata: '{size:XL}' });
    const before = await toss(sb, '/api/v1/status', { apiKey: KEY, payToken: p.payToken });
    expect(before.body).toMatchObject({ payStatus: 'PAY_STANDBY', availableActions: ['CANCEL'], hasOwner: false, metadata: '{size:XL}' });
    await approve(sb.url, p.payToken, 'TOSS_MONEY');
    expect((await toss(sb, '/api/v2/execute', { apiKey: KEY, payToken: p.payToken })).body.code).toBe(0);
    const after = await toss(sb, '/api/v1/status', { apiKey: KEY, orderNo: p.orderNo });
    expectSameShape(after.body, STATUS_V1_EXAMPLE);
    expect(after.body).toMatchObject({ payStatus: 'PAY_COMPLETE', availableActions: ['REFUND'], hasOwner: true });
  });

  it('a never-paid payment omits payMethod, card and paidTs and keeps integer amounts', async () => {
    const p = await create(sb, { amount: 35_000 });
    const r = await toss(sb, '/api/v2/status', { apiKey: KEY, payToken: p.payToken });
    expect(r.body.payStatus).toBe('PAY_STANDBY');
    expect(r.body).not.toHaveProperty('payMethod');
    expect(r.body).not.toHaveProperty('card');
    expect(r.body).not.toHaveProperty('paidTs');
    expect(r.body).toMatchObject({ amount: 35_000, paidAmount: 0, refundableAmount: 0, transactions: [] });
    expect(r.body.createdTs).toMatch(KST_RE);
  });

  it('unknown payToken or orderNo → 404; neither → 400', async () => {
    await expectRefusal(toss(sb, '/api/v2/status', { apiKey: KEY, payToken: 'nope' }), 404, 'TRANSACTION_NOT_FOUND');
    await expectRefusal(toss(sb, '/api/v1/status', { apiKey: KEY, orderNo: 'nope' }), 404, 'TRANSACTION_NOT_FOUND');
    await expectRefusal(toss(sb, '/api/v2/status', { apiKey: KEY }), 400, 'COMMON_INVALID_PARAMETER');
  });
});

describe('execute', () => {
  it.each(['/api/v1/execute', '/api/v2/execute'])('%s on PAY_APPROVED pays and replies with the reference fields', async (path) => {
    const p = await create(sb);
    await approve(sb.url, p.payToken, 'CARD');
    const r = await toss(sb, path, { apiKey: KEY, payToken: p.payToken, orderNo: p.orderNo });
    expect(r.status).toBe(200);
    expectFieldTypes(r.body, EXECUTE_FIELDS);
    expect(r.body).toMatchObject({ code: 0, mode: 'TEST', payToken: p.payToken, orderNo: p.orderNo, amount: 1000, paidAmount: 1000, payMethod: 'CARD' });
    expect(r.body.approvalTime).toMatch(KST_RE);
    expect(r.body.cardNumber).toMatch(/\*/);
    const rec = await getPayment(sb.url, p.payToken);
    expect(rec.payStatus).toBe('PAY_COMPLETE');
    expect(rec.transactionId).toBe(r.body.transactionId);
  });

  it('refuses before the buyer authenticated, after payment, and when cancelled', async () => {
    const p = await create(sb);
    await expectRefusal(toss(sb, '/api/v2/execute', { apiKey: KEY, payToken: p.payToken }), 200, 'TRANSACTION_NOT_COMPLETE');
    await approve(sb.url, p.payToken, 'CARD');
    expect((await toss(sb, '/api/v2/execute', { apiKey: KEY, payToken: p.payToken })).body.code).toBe(0);
    await expectRefusal(toss(sb, '/api/v2/execute', { apiKey: KEY, payToken: p.payToken }), 200, 'COMMON_PAY_ERROR');

    const c = await create(sb);
    await approve(sb.url, c.payToken, 'CARD');
    expect((await toss(sb, '/api/v1/cancel', { apiKey: KEY, payToken: c.payToken })).body).toEqual({ code: 0 });
    await expectRefusal(toss(sb, '/api/v2/execute', { apiKey: KEY, payToken: c.payToken }), 200, 'COMMON_PAY_ERROR');
  });

  it('with an orderNo that is not the payToken’s → 400 and nothing changes', async () => {
    const p = await create(sb);
    await approve(sb.url, p.payToken, 'CARD');
    await expectRefusal(toss(sb, '/api/v2/execute', { apiKey: KEY, payToken: p.payToken, orderNo: 'other-order' }), 400, 'COMMON_INVALID_PARAMETER');
    expect((await getPayment(sb.url, p.payToken)).payStatus).toBe('PAY_APPROVED');
  });

  it('unknown payToken → 404', async () => {
    await expectRefusal(toss(sb, '/api/v2/execute', { apiKey: KEY, payToken: 'unknown-token' }), 404, 'TRANSACTION_NOT_FOUND');
  });

  it('50 concurrent executes of one payToken: exactly one succeeds', async () => {
    const p = await create(sb);
    await approve(sb.url, p.payToken, 'TOSS_MONEY');
    const replies = await Promise.all(
      Array.from({ length: 50 }, () => toss(sb, '/api/v2/execute', { apiKey: KEY, payToken: p.payToken })),
    );
    expect(replies.filter((r) => r.body.code === 0)).toHaveLength(1);
    expect(replies.filter((r) => r.body.code === -1)).toHaveLength(49);
    const rec = await getPayment(sb.url, p.payToken);
    expect(rec.transactions).toHaveLength(1);
    expect(rec.calls.execute).toBe(50);
  });
});

describe('cancel', () => {
  it('cancels PAY_STANDBY and PAY_APPROVED with a reason; refuses after payment', async () => {
    const s = await create(sb);
    expect((await toss(sb, '/api/v1/cancel', { apiKey: KEY, payToken: s.payToken, reason: '재고 부족 (A-1) #3' })).body).toEqual({ code: 0 });
    const rec = await getPayment(sb.url, s.payToken);
    expect(rec).toMatchObject({ payStatus: 'PAY_CANCEL', cancelledBy: 'merchant', cancelReason: '재고 부족 (A-1) #3' });
    await expectRefusal(toss(sb, '/api/v1/cancel', { apiKey: KEY, payToken: s.payToken }), 200, 'PAY_CANCEL_ITS_NOT_CANCELABLE_STATUS');

    const a = await create(sb);
    await approve(sb.url, a.payToken, 'CARD');
    expect((await toss(sb, '/api/v1/cancel', { apiKey: KEY, payToken: a.payToken })).body).toEqual({ code: 0 });

    const paid = await create(sb, { autoExecute: true, resultCallback: 'http://127.0.0.1:9/unused' });
    await approve(sb.url, paid.payToken, 'CARD');
    await expectRefusal(toss(sb, '/api/v1/cancel', { apiKey: KEY, payToken: paid.payToken }), 200, 'PAY_CANCEL_ITS_NOT_CANCELABLE_STATUS');
    expect((await getPayment(sb.url, paid.payToken)).payStatus).toBe('PAY_COMPLETE');
  });

  it("refuses a reason over Toss's 50 characters (최대 50자), and keeps one of 50", async () => {
    const s = await create(sb);
    await expectRefusal(toss(sb, '/api/v1/cancel', { apiKey: KEY, payToken: s.payToken, reason: '재'.repeat(51) }), 400, 'COMMON_INVALID_PARAMETER');
    expect((await getPayment(sb.url, s.payToken)).payStatus).toBe('PAY_STANDBY');
    const ok = await toss(sb, '/api/v1/cancel', { apiKey: KEY, payToken: s.payToken, reason: '재'.repeat(50) });
    expect(ok).toMatchObject({ status: 200, body: { code: 0 } });
    expect(await getPayment(sb.url, s.payToken)).toMatchObject({ payStatus: 'PAY_CANCEL', cancelReason: '재'.repeat(50) });
  });

  it('unknown payToken → 404', async () => {
    await expectRefusal(toss(sb, '/api/v1/cancel', { apiKey: KEY, payToken: 'unknown-token' }), 404, 'TRANSACTION_NOT_FOUND');
  });
});

describe('control record', () => {
  it('counts the calls made for a payment per API', async () => {
    const p = await create(sb);
    for (let i = 0; i < 3; i++) await toss(sb, '/api/v2/status', { apiKey: KEY, payToken: p.payToken });
    await toss(sb, '/api/v1/status', { apiKey: KEY, orderNo: p.orderNo });
    await approve(sb.url, p.payToken, 'CARD');
    await toss(sb, '/api/v2/execute', { apiKey: KEY, payToken: p.payToken });
    const rec = await getPayment(sb.url, p.payToken);
    expect(rec.calls).toEqual({ payments: 1, status: 4, execute: 1 });
    expect(rec.history.map((h) => h.payStatus)).toEqual(['PAY_STANDBY', 'PAY_APPROVED', 'PAY_PROGRESS', 'PAY_COMPLETE']);
    expect(JSON.stringify(rec)).not.toContain(KEY);
  });

  it('lists every payment issued since start, with its card number and BIN or account number, also after a reset', async () => {
    const own = await start();
    try {
      expect(await listPayments(own.url)).toEqual([]);
      const card = await create(own);
      const money = await create(own, { apiKey: LIVE_KEY });
      const open = await create(own);
      for (const [p, key, method] of [
        [card, KEY, 'CARD'],
        [money, LIVE_KEY, 'TOSS_MONEY'],
      ] as const) {
        await approve(own.url, p.payToken, method);
        expect((await toss(own, '/api/v2/execute', { apiKey: key, payToken: p.payToken })).body.code).toBe(0);
      }
      const cardRec = await getPayment(own.url, card.payToken);
      const moneyRec = await getPayment(own.url, money.payToken);
      const expected = [
        {
          payToken: card.payToken,
          orderNo: card.orderNo,
          mode: 'TEST',
          payStatus: 'PAY_COMPLETE',
          cardNumber: cardRec.card!.cardNumber,
          accountNumber: null,
          cardBinNumber: cardRec.card!.cardBinNumber,
        },
        {
          payToken: money.payToken,
          orderNo: money.orderNo,
          mode: 'LIVE',
          payStatus: 'PAY_COMPLETE',
          cardNumber: null,
          accountNumber: moneyRec.account!.accountNumber,
          cardBinNumber: null,
        },
        { payToken: open.payToken, orderNo: open.orderNo, mode: 'TEST', payStatus: 'PAY_STANDBY', cardNumber: null, accountNumber: null, cardBinNumber: null },
      ];
      expect(await listPayments(own.url)).toEqual(expected.map((e) => ({ ...e, forgotten: false })));
      // The list never carries the apiKey.
      expect(JSON.stringify(await listPayments(own.url))).not.toMatch(new RegExp(`${KEY}|${LIVE_KEY}`));

      // A reset forgets the payments (the API no longer finds them) but the list keeps them.
      await resetSandbox(own.url);
      await expectRefusal(toss(own, '/api/v2/status', { apiKey: KEY, payToken: card.payToken }), 404, 'TRANSACTION_NOT_FOUND');
      const after = await create(own);
      expect(await listPayments(own.url)).toEqual([
        ...expected.map((e) => ({ ...e, forgotten: true })),
        { payToken: after.payToken, orderNo: after.orderNo, mode: 'TEST', payStatus: 'PAY_STANDBY', cardNumber: null, accountNumber: null, cardBinNumber: null, forgotten: false },
      ]);
    } finally {
      await own.close();
    }
  });

  it('unknown payToken → 404 from the control API', async () => {
    await expect(getPayment(sb.url, 'nope')).rejects.toMatchObject({ status: 404 });
  });
});
