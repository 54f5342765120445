/**
 * Why an order ended cancelled is what Toss told us, never our clock: the merchant's cancel Toss
 * accepted is MERCHANT; the buyer's quit is BUYER only when the buyer's own cancel landing (with
 * the landing token) finds Toss's cancel; anything else (the expiry, a quit seen first by the
 * reconciler or by someone with only the orderNo) is UNKNOWN, and the buyer reads 취소되었습니다.
 * Orders recorded before keep their BUYER or EXPIRED. Toss's own time (`paidTs`) and ours
 * (`paidAt`) are kept apart: GET shows both, the list the same `paidAt`. And the result pages: the order
 * only for the buyer, never framed.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { advanceClock, approve, quit, setFault } from '../../../local/toss-sandbox/control-client.ts';
import { newOrderNo, PAYMENTS_ALONE, startStack, type Stack } from '../../support/stack.ts';

let s: Stack;
beforeAll(async () => {
  s = await startStack({ MERCHANT_SHOP_URL: 'https://shop.example.com/', MERCHANT_SUPPORT: '1588-0000', MERCHANT_BUSINESS_NUMBER: '1234567890' }, PAYMENTS_ALONE);
});
afterAll(() => s.stop());

const create = async (prefix: string, extra: Record<string, unknown> = {}) => {
  const orderNo = newOrderNo(prefix);
  await setFault(s.sandbox.url, { target: 'callback', kind: 'drop', orderNo });
  const c = await s.createPayment({ orderNo, amount: 12_300, amountTaxFree: 0, productDesc: '취소 사유 상품', ...extra });
  expect(c.status).toBe(201);
  return { orderNo, payToken: String(c.json.payToken) };
};
const reasonOf = async (orderNo: string) => (await s.getPayment(orderNo)).json.cancelReason;

describe('the cancel reason comes from Toss', () => {
  it("the buyer quits and Toss sends the buyer back: BUYER, and the page says so with the product, the amount and 다시 결제하기", async () => {
    const { orderNo, payToken } = await create('cr-quit');
    const { redirect } = await quit(s.sandbox.url, payToken);
    expect(redirect).toBe(await s.landingUrl('cancel', orderNo));
    const page = await s.visit(redirect);
    expect(await reasonOf(orderNo)).toBe('BUYER');
    for (const text of ['결제를 중단하셨습니다', '취소 사유 상품', '12,300원', '다시 결제하기', 'href="https://shop.example.com/"', '테스트 상점']) expect(page.text).toContain(text);
  });

  it('the payment expires at Toss (the sandbox clock moved, ours did not): UNKNOWN, and the buyer reads 취소되었습니다, never a guess', async () => {
    const { orderNo } = await create('cr-exp', { expiresInMinutes: 5 });
    await advanceClock(s.sandbox.url, 6 * 60);
    // Recorded as the reconciler records it (Toss's status, our clock before the expiry), here at once.
    const r = await s.merchantRequest(`/payments/${orderNo}?refresh=true`);
    expect(r.json).toMatchObject({ status: 'PAY_CANCEL', cancelReason: 'UNKNOWN' });
    const page = await s.visit(await s.landingUrl('cancel', orderNo));
    expect(page.text).toContain('결제가 취소되었습니다');
    for (const guess of ['중단하셨습니다', '시간이 지나', '상점에서']) expect(page.text).not.toContain(guess);
    expect(page.text).toContain('다시 결제하기');
  });

  it('the payment expires and the buyer comes back through retUrl (the sandbox\'s expired checkout page leads there) before anyone recorded it: UNKNOWN', async () => {
    const { orderNo } = await create('cr-exp2', { expiresInMinutes: 5 });
    await advanceClock(s.sandbox.url, 6 * 60);
    const page = await s.visit(await s.landingUrl('return', orderNo));
    expect(page.text).toContain('결제가 취소되었습니다');
    expect(await reasonOf(orderNo)).toBe('UNKNOWN');
  });

  it('a hit with only the orderNo right after the buyer quit (someone who knows it) records no quit: UNKNOWN, and the buyer\'s own visit after it changes nothing', async () => {
    const { orderNo, payToken } = await create('cr-forged');
    const { redirect } = await quit(s.sandbox.url, payToken);
    const forged = await s.request(`/payments/cancel?orderNo=${orderNo}`);
    expect(forged.text).toContain('결제 취소');
    expect(await reasonOf(orderNo)).toBe('UNKNOWN');
    const own = await s.visit(redirect);
    expect(own.text).toContain('결제가 취소되었습니다');
    expect(await reasonOf(orderNo)).toBe('UNKNOWN');
  });

  it("the merchant's cancel Toss accepted: MERCHANT; one Toss refused because the buyer had quit: UNKNOWN, without the merchant's words", async () => {
    const a = await create('cr-merchant');
    const r = await s.merchantRequest(`/payments/${a.orderNo}/cancel`, { method: 'POST', json: { reason: '재고 부족' } });
    expect(r.json).toMatchObject({ status: 'PAY_CANCEL', cancelReason: 'MERCHANT', cancelNote: '재고 부족' });
    const b = await create('cr-late');
    await quit(s.sandbox.url, b.payToken);
    const late = await s.merchantRequest(`/payments/${b.orderNo}/cancel`, { method: 'POST', json: { reason: '재고 부족' } });
    expect(late.status).toBe(200);
    expect(late.json).toMatchObject({ status: 'PAY_CANCEL', cancelReason: 'UNKNOWN' });
    expect(late.json).not.toHaveProperty('cancelNote');
  });

  it('orders recorded before keep their reason: EXPIRED and BUYER read as they were, on the API and the page', async () => {
    for (const reason of ['EXPIRED', 'BUYER'] as const) {
      const { orderNo, payToken } = await create(`cr-old-${reason}`);
      await s.store.applyTransition(orderNo, { to: 'PAY_CANCEL', from: ['PAY_STANDBY'], payToken, amount: 12_300, set: { cancelReason: reason } }, 'reconciler');
      expect(await reasonOf(orderNo)).toBe(reason);
      const list = await s.merchantRequest('/payments?status=PAY_CANCEL&limit=100');
      expect((list.json.orders as { orderNo: string; cancelReason?: string }[]).find((o) => o.orderNo === orderNo)?.cancelReason).toBe(reason);
      const page = await s.visit(await s.landingUrl('cancel', orderNo));
      expect(page.text).toContain(reason === 'EXPIRED' ? '결제 가능 시간이 지나' : '결제를 중단하셨습니다');
    }
  });
});

describe("Toss's times apart from ours", () => {
  it('paidTs is Toss\'s (its clock), paidAt ours; GET shows both, the list the same paidAt (its index projects ours)', async () => {
    // Toss's clock a day ahead of ours: its paidTs says so, our paidAt does not.
    await advanceClock(s.sandbox.url, 86_400);
    const { orderNo, payToken } = await create('cr-times');
    const { redirect } = await approve(s.sandbox.url, payToken, 'CARD');
    await s.visit(redirect);
    const g = (await s.getPayment(orderNo)).json as { paidAt?: string; paidTs?: string };
    expect(typeof g.paidAt).toBe('string');
    expect(typeof g.paidTs).toBe('string');
    expect(Math.abs(Date.parse(g.paidAt ?? '') - Date.now())).toBeLessThan(60_000);
    expect(Date.parse(g.paidTs ?? '') - Date.parse(g.paidAt ?? '')).toBeGreaterThan(86_000_000);
    const list = await s.merchantRequest('/payments?status=PAY_COMPLETE&limit=100');
    const listed = (list.json.orders as { orderNo: string; paidAt?: string; paidTs?: string }[]).find((o) => o.orderNo === orderNo);
    expect(listed).toMatchObject({ paidAt: g.paidAt });
    expect(listed).not.toHaveProperty('paidTs');
  });
});

describe('result pages are for the buyer', () => {
  it("with the landing token: the receipt; with an orderNo alone or a wrong token: whether it is done, nothing about it; never framed", async () => {
    const { orderNo, payToken } = await create('cr-page');
    const { redirect } = await approve(s.sandbox.url, payToken, 'CARD');
    expect(redirect.startsWith(await s.landingUrl('return', orderNo))).toBe(true);
    const own = await s.visit(redirect);
    for (const text of ['결제 완료', '취소 사유 상품', '12,300원', '카드', '결제 시각', '주문번호', '테스트 상점', 'tel:15880000', '사업자등록번호 123-45-67890']) expect(own.text).toContain(text);
    const token = new URL(redirect).searchParams.get('t') ?? '';
    const others = [
      `${s.api}/payments/return?orderNo=${orderNo}`,
      `${s.api}/payments/return?t=${token.slice(0, -2)}AA&orderNo=${orderNo}`,
      `${s.api}/payments/cancel?orderNo=${orderNo}`,
    ];
    for (const url of others) {
      const p = await s.visit(url);
      expect([url, p.status]).toEqual([url, 200]);
      expect(p.text).toContain('결제 완료');
      for (const secret of ['취소 사유 상품', '12,300', '카드', '결제 시각', '주문번호', orderNo]) expect([url, secret, p.text.includes(secret)]).toEqual([url, secret, false]);
      expect(p.text).toContain('테스트 상점');
    }
    for (const p of [own, ...(await Promise.all(others.map((u) => s.visit(u))))]) {
      expect(p.headers.get('content-security-policy')).toContain("frame-ancestors 'none'");
      expect(p.headers.get('x-frame-options')).toBe('DENY');
      expect(p.headers.get('referrer-policy')).toBe('no-referrer');
    }
  });
});
