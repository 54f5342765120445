import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyRedirect } from '../../../docs/examples/verify-redirect.ts';
import { approve, setFault } from '../../../local/toss-sandbox/control-client.ts';
import { newOrderNo, startStack, type Stack } from '../../support/stack.ts';

/** Toss's published callback sources (docs/toss-pay.md, infra/config.ts); the tests' own 127.0.0.1 is not among them. */
const TOSS_CALLBACK_SOURCES = '117.52.3.4,117.52.3.11,117.52.3.80-87,211.115.96.4,211.115.96.11,211.115.96.80-87';
const MERCHANT_URL = 'https://shop.example.com/order/result?from=toss';
/** The webhook secret, which also signs the redirects (no MERCHANT_WEBHOOK_URL: no webhooks). */
const WEBHOOK_SECRET = `whsec_${Buffer.from('options test redirect signing key').toString('base64')}`;

let s: Stack;
beforeAll(async () => {
  s = await startStack({ MERCHANT_RESULT_URL: MERCHANT_URL, CALLBACK_ALLOWED_IPS: TOSS_CALLBACK_SOURCES, MERCHANT_WEBHOOK_SECRET: WEBHOOK_SECRET });
});
afterAll(() => s.stop());

describe('deployment options', () => {
  it('MERCHANT_RESULT_URL: the landings answer 303 to it with orderNo and result, signed as docs/guides/integrate-your-shop.md verifies, never to a URL from the request', async () => {
    const orderNo = newOrderNo('opt');
    const c = await s.createPayment({ orderNo, amount: 1_000, amountTaxFree: 0, productDesc: 'cap', autoExecute: false });
    const payToken = String(c.json.payToken);
    const { redirect } = await approve(s.sandbox.url, payToken, 'TOSS_MONEY');
    const r = await s.visit(`${redirect}&next=https://evil.example.com&redirect=https://evil.example.com`);
    expect(r.status).toBe(303);
    const loc = new URL(String(r.headers.get('location')));
    expect(`${loc.origin}${loc.pathname}`).toBe('https://shop.example.com/order/result');
    expect(loc.searchParams.get('from')).toBe('toss');
    expect(loc.searchParams.get('orderNo')).toBe(orderNo);
    expect(loc.searchParams.get('result')).toBe('paid');
    expect(verifyRedirect(loc.toString(), WEBHOOK_SECRET)).toEqual({ orderNo, result: 'paid' });
    loc.searchParams.set('result', 'failed');
    expect(verifyRedirect(loc.toString(), WEBHOOK_SECRET)).toBeUndefined();

    const pending = newOrderNo('opt');
    await s.createPayment({ orderNo: pending, amount: 1_000, amountTaxFree: 0, productDesc: 'cap' });
    const p = await s.visit(await s.landingUrl('cancel', pending));
    expect(p.status).toBe(303);
    expect(new URL(String(p.headers.get('location'))).searchParams.get('result')).toBe('pending');
    expect(verifyRedirect(String(p.headers.get('location')), WEBHOOK_SECRET)).toEqual({ orderNo: pending, result: 'pending' });
  });

  it('a landing without the buyer\'s token (an orderNo anyone may know) is redirected unsigned: the shop\'s page cannot take it for the buyer', async () => {
    const orderNo = newOrderNo('opt');
    const c = await s.createPayment({ orderNo, amount: 1_000, amountTaxFree: 0, productDesc: 'cap' });
    await approve(s.sandbox.url, String(c.json.payToken), 'CARD');
    for (const url of [`${s.api}/payments/return?orderNo=${orderNo}`, `${(await s.landingUrl('return', orderNo)).slice(0, -3)}AAA`]) {
      const r = await s.visit(url);
      expect(r.status).toBe(303);
      const loc = new URL(String(r.headers.get('location')));
      expect([loc.searchParams.get('orderNo'), loc.searchParams.get('result')]).toEqual([orderNo, 'paid']);
      expect(loc.searchParams.has('signature')).toBe(false);
      expect(verifyRedirect(loc.toString(), WEBHOOK_SECRET)).toBeUndefined();
    }
    // The buyer's own is signed.
    expect(verifyRedirect(String((await s.visit(await s.landingUrl('return', orderNo))).headers.get('location')), WEBHOOK_SECRET)).toEqual({ orderNo, result: 'paid' });
  });

  it('CALLBACK_ALLOWED_IPS: a callback from another source address gets 403 and changes nothing', async () => {
    const orderNo = newOrderNo('ip');
    await setFault(s.sandbox.url, { target: 'callback', kind: 'drop', orderNo });
    const c = await s.createPayment({ orderNo, amount: 2_000, amountTaxFree: 0, productDesc: 'cap' });
    const payToken = String(c.json.payToken);
    await approve(s.sandbox.url, payToken, 'CARD');
    const r = await s.request('/payments/callback', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ status: 'PAY_COMPLETE', orderNo, payToken, amount: 2_000 }),
    });
    expect(r.status).toBe(403);
    expect((r.json.error as { code: string }).code).toBe('SOURCE_NOT_ALLOWED');
    expect((await s.readOrder(orderNo))?.status).toBe('PAY_STANDBY');
  });
});
