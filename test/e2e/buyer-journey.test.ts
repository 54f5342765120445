/**
 * The buyer's journey in a real browser (Debian's Chromium through playwright-core): the demo
 * shop, the Toss sandbox's checkout page, our result page; then the order as the merchant reads
 * it. A screenshot of each step goes to test/e2e/screenshots/. Any page error fails the test:
 * uncaught exceptions, console errors, failed requests, documents answered >= 400, error text.
 */
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getPayment } from '../../local/toss-sandbox/control.ts';
import { launchChromium, pageText, watchedPage, ERROR_TEXT, type WatchedPage } from '../support/browser.ts';
import { startShop, type Shop } from '../support/shop.ts';
import { startStack, type Stack } from '../support/stack.ts';

let s: Stack;
let shop: Shop;
let browser: Browser;
beforeAll(async () => {
  s = await startStack();
  shop = await startShop(s);
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
  await shop?.close();
  await s?.stop();
});

/** Screenshot, then fail on any error the page showed or reported so far. */
async function step(w: WatchedPage, name: string): Promise<string> {
  await w.page.waitForLoadState('load');
  await w.screenshot(name);
  const text = await pageText(w.page);
  expect(w.errors, `${name}: page errors`).toEqual([]);
  expect(text, `${name}: the page shows an error`).not.toMatch(ERROR_TEXT);
  return text;
}

/** Shop → checkout page; returns the checkout page's text. */
async function openCheckout(w: WatchedPage, journey: string): Promise<string> {
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

/** The orderNo our landing was reached with (the first `orderNo`: ours; Toss appends its own). */
function landedOrderNo(w: WatchedPage, landing: 'return' | 'cancel'): string {
  const u = new URL(w.page.url());
  expect(u.origin).toBe(s.api);
  expect(u.pathname).toBe(`/payments/${landing}`);
  const orderNo = u.searchParams.get('orderNo');
  expect(orderNo).toBeTruthy();
  return String(orderNo);
}

describe('buyer journey in Chromium', () => {
  for (const [label, payMethod] of [
    ['카드', 'CARD'],
    ['토스머니', 'TOSS_MONEY'],
  ] as const) {
    it(`pays with ${label}: result page says complete, the order reads PAY_COMPLETE`, async () => {
      const journey = payMethod === 'CARD' ? 'card' : 'toss-money';
      const w = await watchedPage(browser);
      try {
        await openCheckout(w, journey);
        await w.page.getByLabel(label).check();
        await Promise.all([
          w.page.waitForURL(/\/payments\/return\?/),
          w.page.getByRole('button', { name: /35,000원 결제하기/ }).click(),
        ]);
        const text = await step(w, `${journey}-3-result`);
        expect(text).toContain('결제 완료');
        expect(text).toContain('결제가 완료되었습니다');
        expect(await w.page.locator('body').getAttribute('data-result')).toBe('paid');
        const orderNo = landedOrderNo(w, 'return');
        expect(text).toContain(orderNo);
        // Every document on the way answered < 400 (303s between them).
        expect(w.documents.map((d) => d.status).every((st) => st < 400)).toBe(true);

        const g = await s.getPayment(orderNo);
        expect(g.status).toBe(200);
        expect(g.json).toMatchObject({ orderNo, status: 'PAY_COMPLETE', paid: true, payMethod, amount: 35_000, productDesc: '토스 티셔츠' });
        const toss = await getPayment(s.sandbox.url, String(g.json.payToken));
        expect(toss).toMatchObject({ orderNo, payStatus: 'PAY_COMPLETE', payMethod, amount: 35_000 });
      } finally {
        await w.close();
      }
    });
  }

  it('quits on the checkout page: the result page shows the cancellation, the order reads PAY_CANCEL', async () => {
    const w = await watchedPage(browser);
    try {
      await openCheckout(w, 'quit');
      await Promise.all([w.page.waitForURL(/\/payments\/cancel\?/), w.page.getByRole('button', { name: '결제 중단' }).click()]);
      const text = await step(w, 'quit-3-result');
      expect(text).toContain('결제 취소');
      // The page says why: the buyer quit (cancelReason BUYER).
      expect(text).toContain('결제를 중단하셨습니다');
      expect(await w.page.locator('body').getAttribute('data-result')).toBe('cancelled');
      const orderNo = landedOrderNo(w, 'cancel');

      const g = await s.getPayment(orderNo);
      expect(g.status).toBe(200);
      expect(g.json).toMatchObject({ orderNo, status: 'PAY_CANCEL', paid: false });
      const toss = await getPayment(s.sandbox.url, String(g.json.payToken));
      expect(toss).toMatchObject({ orderNo, payStatus: 'PAY_CANCEL', cancelledBy: expect.anything() });
      expect(toss.calls.execute ?? 0).toBe(0);
    } finally {
      await w.close();
    }
  });
});
