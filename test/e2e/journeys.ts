/**
 * The buyer's journeys in a real browser (Debian's Chromium through playwright-core): the demo
 * shop, the Toss sandbox's checkout page, our result page; then the order as the merchant reads it,
 * and back in the shop, which learnt of the payment from its webhook (배송 준비 중). They reach
 * every result page they can: paid, refunded (the merchant's refund API), cancelled by the buyer,
 * expired (the sandbox clock), failed (Toss refuses the execute), and an unknown order (the expired
 * one leads back to our return landing). Every result page names the shop with its business
 * details; an order number shown wraps only between its groups.
 *
 * A journey is driven once, on the 1280×800 desktop window; every page it checks goes through the
 * checks of pages.ts there and again on the 390×844 phone, shown there as the server sent it
 * (`WatchedPage.show`: the same document, its style sheets and scripts loaded by the phone, nothing
 * asked of the server twice). A screenshot of each step on each device goes to
 * test/e2e/screenshots/.
 */
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { advanceClock, getPayment, setFault } from '../../local/toss-sandbox/control-client.ts';
import { orderNoOfToken } from '../../shared/payments/landing-token.ts';
import { DEVICES, launchChromium, watchedPage, type WatchedPage } from '../support/browser.ts';
import { startShop, type Shop } from '../support/shop.ts';
import { startStack, type Stack } from '../support/stack.ts';
import { newWebhookSecret } from '../support/webhook-receiver.ts';
import { PAGE_MERCHANT, step as checkPage, type StepExpect } from './pages.ts';

/** What the journeys run on: the stack, the demo shop (subscribed to the stack's webhooks; the result pages link back to it), Chromium. */
interface JourneyWorld {
  s: Stack;
  shop: Shop;
  browser: Browser;
}

/** Each journey page's phone (`journeyPage`), and how many pages `step` checked on both. */
const phones = new WeakMap<WatchedPage, { phone: WatchedPage; checked: number }>();

/** A desktop page for one journey, with its phone. */
async function journeyPage({ browser }: JourneyWorld): Promise<WatchedPage> {
  const w = await watchedPage(browser, 'desktop');
  phones.set(w, { phone: await watchedPage(browser, 'mobile'), checked: 0 });
  return w;
}

/** Closes both pages; fails unless the phone was shown every page the journey checked. */
async function closeJourneyPage(w: WatchedPage): Promise<void> {
  const twin = phones.get(w);
  await Promise.all([w.close(), twin?.phone.close()]);
  if (twin === undefined) return;
  // Soft: run from a test's finally, a failure here must not hide the one that ended the journey.
  expect.soft(twin.checked, 'pages the journey checked on both devices').toBeGreaterThan(0);
  expect.soft(twin.phone.documents.length, 'pages the phone was shown, one per page checked').toBe(twin.checked);
}

/** The checks of pages.ts on the page as the journey reached it, then on the phone, shown the same document; the desktop page's text. */
async function step(w: WatchedPage, name: string, o: StepExpect = {}): Promise<string> {
  const text = await checkPage(w, name, o);
  const twin = phones.get(w);
  if (twin === undefined) throw new Error('a journey page opens with journeyPage()');
  await twin.phone.show(await w.served());
  await checkPage(twin.phone, name, o);
  twin.checked += 1;
  return text;
}

/** Shop → checkout page; returns the checkout page's text. */
async function openCheckout({ s, shop }: JourneyWorld, w: WatchedPage, journey: string): Promise<string> {
  const shopReply = await w.page.goto(shop.url);
  expect(shopReply?.status()).toBe(200);
  const shopText = await step(w, `${journey}-1-shop`);
  expect(shopText).toContain('토스 티셔츠');
  expect(shopText).toContain('35,000원');

  await Promise.all([w.page.waitForURL(/\/payfront\/auth\?payToken=/), w.page.getByRole('button', { name: '토스로 결제하기' }).click()]);
  expect(new URL(w.page.url()).origin).toBe(s.sandbox.url);
  const checkoutText = await step(w, `${journey}-2-checkout`);
  expect(checkoutText).toContain('토스 티셔츠');
  expect(checkoutText).toContain('35,000원');
  return checkoutText;
}

/** On the checkout page: picks `label` (and whatever `choose` picks on the form) and pays; lands on our result page. */
async function pay(w: WatchedPage, label: '카드' | '토스머니', amount = '35,000원', choose?: (w: WatchedPage) => Promise<void>): Promise<void> {
  await w.page.getByRole('radio', { name: label, exact: true }).check();
  await choose?.(w);
  await Promise.all([w.page.waitForURL(/\/payments\/return\?/), w.page.getByRole('button', { name: `${amount} 결제하기` }).click()]);
}

/** The orderNo our landing was reached with: the one its landing token names (the URL given to Toss holds no other). */
function landedOrderNo({ s }: JourneyWorld, w: WatchedPage, landing: 'return' | 'cancel'): string {
  const u = new URL(w.page.url());
  expect(u.origin).toBe(s.api);
  expect(u.pathname).toBe(`/payments/${landing}`);
  const orderNo = orderNoOfToken(u.searchParams.get('t') ?? '');
  expect(orderNo).toBeTruthy();
  // Generated by the API for the demo shop: short, grouped, without look-alike characters.
  expect(orderNo).toMatch(/^\d{6}-[3-9A-Z]{4}-[3-9A-Z]{4}$/);
  return String(orderNo);
}

/**
 * From a result page back to the shop, where the order shows `state` once its webhook arrived. The
 * shop's list does not reload itself: like a buyer, the test reloads it until then.
 */
async function backToShop({ shop }: JourneyWorld, w: WatchedPage, orderNo: string, state: string, name: string, link = '쇼핑 계속하기'): Promise<string> {
  await Promise.all([w.page.waitForURL(shop.url), w.page.getByRole('link', { name: link }).click()]);
  const row = w.page.locator(`[data-order-no="${orderNo}"][data-state="${state}"]`);
  await vi.waitFor(
    async () => {
      if ((await row.count()) > 0) return;
      await w.page.reload();
      throw new Error(`the shop does not show ${orderNo} as ${state}`);
    },
    { timeout: 10_000, interval: 250 },
  );
  const text = await step(w, name, { orderNo });
  expect(text).toContain('최근 주문');
  expect(text).toContain(orderNo);
  return text;
}

/** Every journey, in a file of its own: its own stack, shop and browser. */
export function describeJourneys(): void {
  let world: JourneyWorld;
  let shop: Shop | undefined;
  let s: Stack | undefined;
  let browser: Browser | undefined;
  beforeAll(async () => {
    const secret = newWebhookSecret();
    shop = await startShop({ webhookSecret: secret });
    s = await startStack({ MERCHANT_SHOP_URL: shop.url, ...PAGE_MERCHANT }, { webhooks: { url: shop.webhookUrl, secret } });
    browser = await launchChromium();
    world = { s, shop, browser };
  });
  afterAll(async () => {
    await browser?.close();
    await shop?.close();
    await s?.stop();
  });

  const size = (d: keyof typeof DEVICES): string => `${DEVICES[d].viewport.width}×${DEVICES[d].viewport.height}`;
  // A journey is up to six pages, each checked on two devices: more than the suite's 30 s on a busy machine.
  describe(`buyer journey in Chromium, desktop (${size('desktop')}), each page also on a phone (${size('mobile')})`, { timeout: 90_000 }, () => {
    for (const [label, payMethod] of [
      ['카드', 'CARD'],
      ['토스머니', 'TOSS_MONEY'],
    ] as const) {
      it(`pays with ${label}: result page says complete, the order reads PAY_COMPLETE`, async () => {
        const journey = payMethod === 'CARD' ? 'card' : 'toss-money';
        const w = await journeyPage(world);
        try {
          await openCheckout(world, w, journey);
          // What a buyer picks on the form besides the method: a discount, and the card's type or the bank.
          await pay(w, label, '35,000원', async (page) => {
            await page.page.getByLabel('즉시할인').fill('1000');
            if (payMethod === 'CARD') await page.page.getByLabel('카드 종류').selectOption('CHECK');
            else await page.page.getByLabel('은행').selectOption('90');
          });
          const orderNo = landedOrderNo(world, w, 'return');
          const text = await step(w, `${journey}-3-result`, { result: { title: '결제 완료', orderNo } });
          // A card payment's result page links its card slip at Toss.
          const slips = await w.page.getByRole('link', { name: '매출전표 보기' }).evaluateAll((links) => links.map((a) => a.getAttribute('href') ?? ''));
          expect(slips.map((href) => /\/payfront\/web\/external\/sales-check\?/.test(href))).toEqual(payMethod === 'CARD' ? [true] : []);
          expect(text).toContain('결제가 완료되었습니다');
          expect(await w.page.locator('body').getAttribute('data-result')).toBe('paid');
          expect(text).toContain(orderNo);
          // Every document on the way answered < 400 (303s between them).
          expect(w.documents.map((d) => d.status).every((st) => st < 400)).toBe(true);

          const g = await world.s.getPayment(orderNo);
          expect(g.status).toBe(200);
          expect(g.json).toMatchObject({ orderNo, status: 'PAY_COMPLETE', paid: true, payMethod, amount: 35_000, productDesc: '토스 티셔츠' });
          expect(g.json.tossMoney).toMatchObject(
            payMethod === 'CARD'
              ? { discountAmountV2: 1_000, paidAmount: 34_000, card: { cardMethodType: 'CHECK' } }
              : { discountAmountV2: 1_000, paidAmount: 34_000, accountBankName: '카카오뱅크' },
          );
          const toss = await getPayment(world.s.sandbox.url, String(g.json.payToken));
          expect(toss).toMatchObject({ orderNo, payStatus: 'PAY_COMPLETE', payMethod, amount: 35_000 });

          // Back to the shop from the result page: the order is there, and once its payment.completed
          // webhook has arrived (its page reloads itself until then), it is being prepared for shipping.
          await backToShop(world, w, orderNo, 'paid', `${journey}-4-shop`);
          await Promise.all([w.page.waitForURL(/\/demo\/orders\//), w.page.getByRole('link', { name: new RegExp(orderNo) }).click()]);
          await w.page.locator('body[data-state="paid"]').waitFor({ timeout: 10_000 });
          const orderText = await step(w, `${journey}-5-order`);
          expect(orderText).toContain('배송 준비 중');
          expect(orderText).toContain(orderNo);
          expect(orderText).toContain('35,000원');
        } finally {
          await closeJourneyPage(w);
        }
      });
    }

    it('is refunded by the shop: the result page, opened again, says 환불 완료, and so does the shop', async () => {
      const w = await journeyPage(world);
      try {
        await openCheckout(world, w, 'refund');
        await pay(w, '카드');
        const orderNo = landedOrderNo(world, w, 'return');
        await step(w, 'refund-3-result', { result: { title: '결제 완료', orderNo } });

        const r = await world.s.merchantRequest(`/payments/${orderNo}/refunds`, { method: 'POST', headers: { 'idempotency-key': `all-${orderNo}` }, json: { amountTaxFree: 0 } });
        expect(r.status).toBe(201);
        await w.page.reload();
        const text = await step(w, 'refund-4-result', { result: { title: '환불 완료', orderNo } });
        expect(await w.page.locator('body').getAttribute('data-result')).toBe('refunded');
        expect(text).toContain('결제 금액이 모두 환불되었습니다');
        expect(text).toMatch(/환불 금액\s+35,000원/);

        const shopText = await backToShop(world, w, orderNo, 'refunded', 'refund-5-shop');
        expect(shopText).toContain('환불 완료');
      } finally {
        await closeJourneyPage(w);
      }
    });

    it('quits on the checkout page: the result page shows the cancellation, the order reads PAY_CANCEL', async () => {
      const w = await journeyPage(world);
      try {
        await openCheckout(world, w, 'quit');
        await Promise.all([w.page.waitForURL(/\/payments\/cancel\?/), w.page.getByRole('button', { name: '결제 중단' }).click()]);
        const orderNo = landedOrderNo(world, w, 'cancel');
        const text = await step(w, 'quit-3-result', { result: { title: '결제 취소', orderNo } });
        // The page says why (the buyer stopped: cancelReason BUYER), what was not bought, and offers to pay again.
        expect(text).toContain('결제를 중단하셨습니다');
        expect(text).toContain('토스 티셔츠');
        expect(text).toMatch(/주문 금액\s+35,000원/);
        expect(text).toContain('토스 데모 상점');
        expect(await w.page.locator('body').getAttribute('data-result')).toBe('cancelled');

        const g = await world.s.getPayment(orderNo);
        expect(g.status).toBe(200);
        expect(g.json).toMatchObject({ orderNo, status: 'PAY_CANCEL', paid: false, cancelReason: 'BUYER' });
        const toss = await getPayment(world.s.sandbox.url, String(g.json.payToken));
        expect(toss).toMatchObject({ orderNo, payStatus: 'PAY_CANCEL', cancelledBy: expect.anything() });
        expect(toss.calls.execute ?? 0).toBe(0);

        // The shop learnt of it from its payment.cancelled webhook.
        const shopText = await backToShop(world, w, orderNo, 'cancelled', 'quit-4-shop', '다시 결제하기');
        expect(shopText).toContain('주문 취소');
      } finally {
        await closeJourneyPage(w);
      }
    });

    it('lets the time run out: the checkout page says so and leads back; the result page says it was cancelled (Toss says no more), never that the buyer quit', async () => {
      const w = await journeyPage(world);
      try {
        await openCheckout(world, w, 'expired');
        const payToken = String(new URL(w.page.url()).searchParams.get('payToken'));
        const { orderNo } = await getPayment(world.s.sandbox.url, payToken);
        // 16 minutes later at Toss (the shop's payments expire after 15): the payment is cancelled.
        await advanceClock(world.s.sandbox.url, 16 * 60);
        await w.page.reload();
        const checkoutText = await step(w, 'expired-3-checkout');
        expect(checkoutText).toContain('취소되었거나 만료된 결제입니다');
        expect(await w.page.getByRole('button').count()).toBe(0);

        // The way back from the sandbox's page: our return landing, which asks Toss (our clock is
        // not moved: only Toss's word counts) and records the cancel, its reason unknown.
        await Promise.all([w.page.waitForURL(/\/payments\/return\?/), w.page.getByRole('link', { name: '가맹점으로 돌아가기' }).click()]);
        const text = await step(w, 'expired-4-result', { result: { title: '결제 취소', orderNo } });
        expect(text).toContain('결제가 취소되었습니다');
        expect(text).not.toContain('중단하셨습니다');
        expect(text).toMatch(/주문 금액\s+35,000원/);
        expect(await w.page.locator('body').getAttribute('data-result')).toBe('cancelled');
        expect((await world.s.getPayment(orderNo)).json).toMatchObject({ orderNo, status: 'PAY_CANCEL', paid: false, cancelReason: 'UNKNOWN' });

        await backToShop(world, w, orderNo, 'cancelled', 'expired-5-shop', '다시 결제하기');
      } finally {
        await closeJourneyPage(w);
      }
    });

    it("is refused by Toss: the result page says it failed in Toss's words, never with its code", async () => {
      const w = await journeyPage(world);
      try {
        // A shop that executes itself (autoExecute false) and whose execute Toss refuses.
        const c = await world.s.createPayment({ amount: 12_000, amountTaxFree: 0, productDesc: '토스 양말', autoExecute: false });
        expect(c.status).toBe(201);
        const orderNo = String(c.json.orderNo);
        await setFault(world.s.sandbox.url, {
          target: 'execute',
          kind: 'error',
          errorCode: 'CARD_LIMIT_EXCEEDED',
          msg: '카드 한도가 부족합니다.',
          payToken: String(c.json.payToken),
          times: 1,
        });
        await w.page.goto(String(c.json.checkoutPage));
        expect(await step(w, 'failed-1-checkout')).toContain('12,000원');
        await pay(w, '카드', '12,000원');
        const text = await step(w, 'failed-2-result', { result: { title: '결제 실패', orderNo }, errorPage: true });
        expect(await w.page.locator('body').getAttribute('data-result')).toBe('failed');
        expect(text).toContain('결제된 금액은 없습니다');
        expect(text).toContain('카드 한도가 부족합니다.');
        expect(text).not.toContain('CARD_LIMIT_EXCEEDED');
        expect((await world.s.getPayment(orderNo)).json).toMatchObject({ orderNo, status: 'EXECUTE_FAILED', paid: false });
      } finally {
        await closeJourneyPage(w);
      }
    });

    it('opens the result page of an order we never made: not found (404), and not 결제 실패', async () => {
      const w = await journeyPage(world);
      try {
        const reply = await w.page.goto(`${world.s.api}/payments/return?orderNo=ord_never_made`);
        expect(reply?.status()).toBe(404);
        const text = await step(w, 'unknown-1-result', { result: { title: '주문을 찾을 수 없습니다' }, errorPage: true, notFound: true });
        expect(text).not.toContain('결제 실패');
        expect(text).toContain('결제된 금액은 없습니다');
        expect(await w.page.locator('body').getAttribute('data-result')).toBe('not_found');
        await expect(w.page.getByRole('link', { name: '쇼핑 계속하기' }).getAttribute('href')).resolves.toBe(world.shop.url);
        expect(text).toContain('토스 데모 상점');
      } finally {
        await closeJourneyPage(w);
      }
    });
  });
}
