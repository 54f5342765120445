/**
 * Contract: the checkoutPage a buyer uses (HTML, 토스머니/카드, pay and quit forms with 303 redirects)
 * and the control API's approve/quit, which do the same.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { advanceClock, approve, getPayment, quit } from '../../../local/toss-sandbox/control-client.ts';
import type { Sandbox } from '../../../local/toss-sandbox/server.ts';
import { create, KEY, start, toss } from './support.ts';

let sb: Sandbox;
beforeAll(async () => {
  sb = await start();
});
afterAll(async () => {
  await sb.close();
});

const postForm = (path: string, form: Record<string, string>) =>
  fetch(`${sb.url}${path}`, {
    method: 'POST',
    redirect: 'manual',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams(form).toString(),
  });

describe('checkout page', () => {
  it('shows the product and amount, offers 토스머니 and 카드, and forms to pay or quit', async () => {
    const p = await create(sb, { amount: 35_000, productDesc: '토스티셔츠 <XL>' });
    const res = await fetch(p.checkoutPage);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/text\/html/);
    const html = await res.text();
    expect(html).toContain('토스티셔츠 &lt;XL&gt;');
    expect(html).toContain('35,000원');
    expect(html).toContain('토스머니');
    expect(html).toContain('카드');
    expect(html).toContain('action="/payfront/auth/approve"');
    expect(html).toContain('action="/payfront/auth/quit"');
    expect(html).toContain(`value="${p.payToken}"`);
    expect(html).not.toContain(KEY);
  });

  it('offers only the enabled pay methods', async () => {
    const p = await create(sb, { enablePayMethods: 'CARD' });
    const html = await (await fetch(p.checkoutPage)).text();
    expect(html).toContain('value="CARD"');
    expect(html).not.toContain('value="TOSS_MONEY"');
    await expect(approve(sb.url, p.payToken, 'TOSS_MONEY')).rejects.toMatchObject({ status: 400 });
  });

  it('unknown payToken → 404 page', async () => {
    const res = await fetch(`${sb.url}/payfront/auth?payToken=nope`);
    expect(res.status).toBe(404);
  });

  it('pay with autoExecute true → PAY_COMPLETE and 303 to retUrl with status, orderNo, payMethod (own query kept)', async () => {
    const p = await create(sb, { autoExecute: true, resultCallback: 'http://127.0.0.1:9/cb', retUrl: 'http://shop.test/ORDER-CHECK?orderno=1' });
    const res = await postForm('/payfront/auth/approve', { payToken: p.payToken, payMethod: 'CARD' });
    expect(res.status).toBe(303);
    const loc = new URL(res.headers.get('location') ?? '');
    expect(`${loc.origin}${loc.pathname}`).toBe('http://shop.test/ORDER-CHECK');
    expect(loc.searchParams.get('orderno')).toBe('1');
    expect(loc.searchParams.get('status')).toBe('PAY_COMPLETE');
    expect(loc.searchParams.get('orderNo')).toBe(p.orderNo);
    expect(loc.searchParams.get('payMethod')).toBe('CARD');
    expect((await getPayment(sb.url, p.payToken)).payStatus).toBe('PAY_COMPLETE');
  });

  it('pay with 토스머니 appends bankCode as well', async () => {
    const p = await create(sb, { autoExecute: true, resultCallback: 'http://127.0.0.1:9/cb' });
    const res = await postForm('/payfront/auth/approve', { payToken: p.payToken, payMethod: 'TOSS_MONEY' });
    const loc = new URL(res.headers.get('location') ?? '');
    expect(loc.searchParams.get('payMethod')).toBe('TOSS_MONEY');
    expect(loc.searchParams.get('bankCode')).toMatch(/^\d+$/);
  });

  it('pay with autoExecute false → PAY_APPROVED and status=PAY_APPROVED', async () => {
    const p = await create(sb, { autoExecute: false });
    const res = await postForm('/payfront/auth/approve', { payToken: p.payToken, payMethod: 'TOSS_MONEY' });
    expect(res.status).toBe(303);
    expect(new URL(res.headers.get('location') ?? '').searchParams.get('status')).toBe('PAY_APPROVED');
    const st = await toss(sb, '/api/v2/status', { apiKey: KEY, payToken: p.payToken });
    expect(st.body).toMatchObject({ payStatus: 'PAY_APPROVED', payMethod: 'TOSS_MONEY', paidAmount: 0 });
  });

  it('quit → PAY_CANCEL and 303 to retCancelUrl', async () => {
    const p = await create(sb, { retCancelUrl: 'http://shop.test/close?o=9' });
    const res = await postForm('/payfront/auth/quit', { payToken: p.payToken });
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe('http://shop.test/close?o=9');
    expect(await getPayment(sb.url, p.payToken)).toMatchObject({ payStatus: 'PAY_CANCEL', cancelledBy: 'buyer' });
  });

  it('an expired checkout says so and leads back to the shop: retUrl with status PAY_CANCEL and the orderNo (not retCancelUrl: nobody quit)', async () => {
    const p = await create(sb, { retUrl: 'http://shop.test/ORDER-CHECK?orderno=1' });
    await advanceClock(sb.url, 16 * 60);
    const html = await (await fetch(p.checkoutPage)).text();
    expect(html).toContain('취소되었거나 만료된 결제입니다');
    expect(html).not.toContain('action="/payfront/auth/approve"');
    const href = /<a class="back" href="([^"]+)">가맹점으로 돌아가기<\/a>/.exec(html)?.[1]?.replaceAll('&amp;', '&');
    const back = new URL(href ?? '');
    expect(`${back.origin}${back.pathname}`).toBe('http://shop.test/ORDER-CHECK');
    expect([back.searchParams.get('orderno'), back.searchParams.get('status'), back.searchParams.get('orderNo')]).toEqual(['1', 'PAY_CANCEL', p.orderNo]);
  });

  it('a page that was already used shows its state and cannot pay twice', async () => {
    const p = await create(sb);
    await approve(sb.url, p.payToken, 'CARD');
    const html = await (await fetch(p.checkoutPage)).text();
    expect(html).not.toContain('action="/payfront/auth/approve"');
    const again = await postForm('/payfront/auth/approve', { payToken: p.payToken, payMethod: 'CARD' });
    expect(again.status).toBe(409);
    expect((await getPayment(sb.url, p.payToken)).payStatus).toBe('PAY_APPROVED');
  });
});

describe('control approve/quit', () => {
  it('approve returns the redirect the page would send', async () => {
    const p = await create(sb, { autoExecute: true, resultCallback: 'http://127.0.0.1:9/cb' });
    const r = await approve(sb.url, p.payToken, 'TOSS_MONEY');
    const loc = new URL(r.redirect);
    expect(loc.searchParams.get('status')).toBe('PAY_COMPLETE');
    expect(loc.searchParams.get('orderNo')).toBe(p.orderNo);
    // PAY_COMPLETE in status before approve returned.
    expect((await toss(sb, '/api/v2/status', { apiKey: KEY, payToken: p.payToken })).body.payStatus).toBe('PAY_COMPLETE');
  });

  it('quit returns retCancelUrl; approving afterwards is refused with 409', async () => {
    const p = await create(sb);
    expect((await quit(sb.url, p.payToken)).redirect).toBe('http://shop.test/close');
    await expect(approve(sb.url, p.payToken, 'CARD')).rejects.toMatchObject({ status: 409 });
  });

  it('approve rejects an unknown payMethod with 400', async () => {
    const p = await create(sb);
    const res = await fetch(`${sb.url}/sandbox/payments/${p.payToken}/approve`, { method: 'POST', body: '{"payMethod":"CASH"}' });
    expect(res.status).toBe(400);
  });
});
