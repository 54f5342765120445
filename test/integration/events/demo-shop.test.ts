/**
 * The demo shop as a merchant that subscribes to the events: the stack's webhooks go to the shop's
 * own receiver (`POST /demo/webhooks`), which verifies the Standard Webhooks signature with the
 * shared secret, ignores an event id it has seen and never lets an older version undo a newer one.
 * The shop then shows the order as 배송 준비 중 once paid (주문 취소, 환불 완료 as they come).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { approve, quit } from '../../../local/toss-sandbox/control-client.ts';
import { verifyWebhook } from '../../../local/gateway/demo-orders.ts';
import { parseSigningSecrets, webhookHeaders } from '../../../shared/events/webhook-signing.ts';
import { startShop, type Shop } from '../../support/shop.ts';
import { eventually, startStack, type Stack } from '../../support/stack.ts';
import { newWebhookSecret } from '../../support/webhook-receiver.ts';
import { loggedFor, statusOf } from './support.ts';

let s: Stack;
let shop: Shop;
const secret = newWebhookSecret();
beforeAll(async () => {
  shop = await startShop({ webhookSecret: secret });
  s = await startStack({}, { webhooks: { url: shop.webhookUrl, secret } });
});
afterAll(async () => {
  await shop?.close();
  await s?.stop();
});

/** The shop's checkout, as its button posts it: the orderNo and payToken of the payment it made. */
async function checkout(): Promise<{ orderNo: string; payToken: string }> {
  const r = await fetch(new URL('/demo/checkout', shop.url), { method: 'POST', redirect: 'manual' });
  expect(r.status).toBe(303);
  const payToken = new URL(r.headers.get('location') ?? '').searchParams.get('payToken') ?? '';
  const [placed] = shop.shop.orders.list(1);
  if (placed === undefined) throw new Error('the shop recorded no order');
  return { orderNo: placed.orderNo, payToken };
}
const page = async (path: string) => {
  const r = await fetch(new URL(path, shop.url));
  return { status: r.status, text: await r.text() };
};
const stateOf = (orderNo: string) => shop.shop.orders.get(orderNo)?.state;
const postWebhook = (body: string, headers: Record<string, string>) =>
  fetch(new URL('/demo/webhooks', shop.url), { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body });

describe('the demo shop receives the events', () => {
  it('shows the order as 결제 확인 중 until its payment.completed arrives, then 배송 준비 중', async () => {
    const { orderNo, payToken } = await checkout();
    const waiting = await page(`/demo/orders/${orderNo}`);
    expect(waiting.status).toBe(200);
    expect(waiting.text).toContain('결제 확인 중');
    expect(waiting.text).toContain('<meta http-equiv="refresh" content="2">');
    expect(waiting.text).toContain('data-state="waiting"');

    await approve(s.sandbox.url, payToken, 'CARD');
    await eventually(async () => (stateOf(orderNo) === 'paid' ? true : undefined));
    const paid = await page(`/demo/orders/${orderNo}`);
    expect(paid.text).toContain('배송 준비 중');
    expect(paid.text).toContain('data-state="paid"');
    expect(paid.text).not.toContain('http-equiv="refresh"');
    expect(paid.text).toContain('35,000원');
    const home = await page('/');
    expect(home.text).toContain('최근 주문');
    expect(home.text).toMatch(new RegExp(`data-order-no="${orderNo}" data-state="paid">배송 준비 중<`));
    const [event] = await loggedFor(s, orderNo, 1);
    expect(shop.shop.orders.get(orderNo)?.paidEventId).toBe(event?.id);
    expect(event?.delivery.attempts.map((a) => a.status)).toEqual([200]);
  });

  it('shows a cancelled order as 주문 취소 and a refunded one as 환불 완료', async () => {
    const quitter = await checkout();
    // The buyer's browser follows Toss back to the cancel landing, which records it.
    const { redirect } = await quit(s.sandbox.url, quitter.payToken);
    expect((await s.visit(redirect)).status).toBe(200);
    await statusOf(s, quitter.orderNo, 'PAY_CANCEL');
    await eventually(async () => (stateOf(quitter.orderNo) === 'cancelled' ? true : undefined));
    expect((await page(`/demo/orders/${quitter.orderNo}`)).text).toContain('주문 취소');

    const buyer = await checkout();
    await approve(s.sandbox.url, buyer.payToken, 'TOSS_MONEY');
    await eventually(async () => (stateOf(buyer.orderNo) === 'paid' ? true : undefined));
    const r = await s.merchantRequest(`/payments/${buyer.orderNo}/refunds`, { method: 'POST', headers: { 'idempotency-key': 'all' }, json: { amountTaxFree: 0 } });
    expect(r.status).toBe(201);
    await eventually(async () => (stateOf(buyer.orderNo) === 'refunded' ? true : undefined));
    expect((await page(`/demo/orders/${buyer.orderNo}`)).text).toContain('환불 완료');
  });

  it('refuses what it cannot verify: no signature 400, a tampered body, another secret or an old timestamp 401', async () => {
    const body = JSON.stringify({ id: 'evt_forged', type: 'payment.completed', timestamp: new Date().toISOString(), data: { orderNo: 'forged-1', version: 9, paymentState: 'paid' } });
    const now = Date.now();
    const signed = webhookHeaders(parseSigningSecrets(secret), 'evt_forged', body, now);
    expect((await postWebhook(body, {})).status).toBe(400);
    expect((await postWebhook(body.replace('forged-1', 'forged-2'), signed)).status).toBe(401);
    expect((await postWebhook(body, webhookHeaders(parseSigningSecrets(newWebhookSecret()), 'evt_forged', body, now))).status).toBe(401);
    expect((await postWebhook(body, webhookHeaders(parseSigningSecrets(secret), 'evt_forged', body, now - 6 * 60_000))).status).toBe(401);
    expect((await postWebhook(body, webhookHeaders(parseSigningSecrets(secret), 'evt_forged', body, now + 6 * 60_000))).status).toBe(401);
    expect(shop.shop.orders.get('forged-1')).toBeUndefined();
    // The same body, signed with the secret: accepted.
    expect((await postWebhook(body, signed)).status).toBe(200);
    expect(stateOf('forged-1')).toBe('paid');
  });

  it('ignores an event it has seen, and an older version after a newer one', async () => {
    const sign = (e: Record<string, unknown>) => {
      const body = JSON.stringify(e);
      return { body, headers: webhookHeaders(parseSigningSecrets(secret), String(e.id), body, Date.now()) };
    };
    const refunded = sign({ id: 'evt_v5', type: 'payment.refunded', timestamp: '', data: { orderNo: 'ooo-1', version: 5, paymentState: 'refunded' } });
    const paid = sign({ id: 'evt_v3', type: 'payment.completed', timestamp: '', data: { orderNo: 'ooo-1', version: 3, paymentState: 'paid' } });
    const r1 = await postWebhook(refunded.body, refunded.headers);
    expect(await r1.json()).toEqual({ message: 'applied' });
    // The older event arrives late: recorded as seen, the state stays.
    const r2 = await postWebhook(paid.body, paid.headers);
    expect([r2.status, await r2.json()]).toEqual([200, { message: 'ignored (older than what the shop has)' }]);
    expect(stateOf('ooo-1')).toBe('refunded');
    expect(shop.shop.orders.get('ooo-1')?.paidEventId).toBe('evt_v3');
    const r3 = await postWebhook(refunded.body, refunded.headers);
    expect([r3.status, await r3.json()]).toEqual([200, { message: 'duplicate' }]);
  });

  it('verifies during a secret rotation: either signature of the two', () => {
    const current = newWebhookSecret();
    const previous = newWebhookSecret();
    const body = '{"id":"evt_rot","data":{}}';
    const both = webhookHeaders({ current, previous, previousUntil: Date.now() + 60_000 }, 'evt_rot', body, Date.now());
    expect(both['webhook-signature']?.split(' ')).toHaveLength(2);
    expect(verifyWebhook({ current }, both, body, Date.now())).toEqual({ ok: true, id: 'evt_rot' });
    expect(verifyWebhook({ current: previous }, both, body, Date.now())).toEqual({ ok: true, id: 'evt_rot' });
    expect(verifyWebhook({ current: newWebhookSecret() }, both, body, Date.now())).toMatchObject({ ok: false, status: 401 });
  });

  it('answers 404 for an order it does not know', async () => {
    const r = await page('/demo/orders/nope-1');
    expect(r.status).toBe(404);
    expect(r.text).toContain('주문을 찾을 수 없습니다');
  });
});
