/**
 * The buyer's journey in a real browser (Debian's Chromium through playwright-core): the demo
 * shop, the Toss sandbox's checkout page, our result page; then the order as the merchant reads
 * it, and back in the shop, which learnt of the payment from its webhook (배송 준비 중). Every
 * journey runs on a desktop window and on a 390 px phone, and reaches every result page it can:
 * paid, refunded (the merchant's refund API), cancelled by the buyer, expired (the sandbox clock;
 * its page leads back to our return landing), failed (Toss refuses the execute), and an unknown
 * order. Every result page names the shop with its business details; an order number shown wraps
 * only between its groups (checked as laid out, at 1280 and 390 px). A screenshot of each step goes to
 * test/e2e/screenshots/.
 *
 * Every page visited fails the test on: any page error (uncaught exceptions, console errors,
 * failed requests, documents answered >= 400 unless the page is a 404 by design), error text
 * where none is expected, an axe-core violation of impact serious or critical (WCAG AA contrast
 * among them), Korean text that may break inside a word (not `word-break: keep-all`), a card
 * without a margin on both sides or a page that scrolls sideways. Our result pages also announce
 * the result (`role="status"`) and show no raw code such as `TOSS_FAILED`.
 */
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { advanceClock, getPayment, setFault } from '../../local/toss-sandbox/control.ts';
import { resultPage, type PageKind } from '../../shared/http/html.ts';
import { axeViolations, cardMargins, koreanWordBreaks, orderNoBreaks, rawCodes } from '../support/a11y.ts';
import { orderNoOfToken } from '../../shared/payments/landing-token.ts';
import { DEVICES, launchChromium, pageText, watchedPage, ERROR_TEXT, type DeviceName, type WatchedPage } from '../support/browser.ts';
import { startShop, type Shop } from '../support/shop.ts';
import { startStack, type Stack } from '../support/stack.ts';
import { newWebhookSecret } from '../support/webhook-receiver.ts';

let s: Stack;
let shop: Shop;
let browser: Browser;
beforeAll(async () => {
  // The shop subscribes to the events with its own receiver; the result pages link back to it.
  const secret = newWebhookSecret();
  shop = await startShop({ webhookSecret: secret });
  s = await startStack({ MERCHANT_SHOP_URL: shop.url, ...PAGE_MERCHANT }, { webhooks: { url: shop.webhookUrl, secret } });
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
  await shop?.close();
  await s?.stop();
});

/** The shop as the result pages name it: every business detail a page can show, at its longest plausible. */
const PAGE_MERCHANT = {
  MERCHANT_NAME: '토스 데모 상점',
  MERCHANT_SUPPORT: '1588-0000',
  MERCHANT_COMPANY: '주식회사 토스 데모 상점 온라인 쇼핑몰',
  MERCHANT_REPRESENTATIVE: '홍길동',
  MERCHANT_BUSINESS_NUMBER: '123-45-67890',
  MERCHANT_MAIL_ORDER_NUMBER: '제2026-서울강남-01234호',
  MERCHANT_ADDRESS: '서울특별시 강남구 테헤란로 142, 아크플레이스 12층 (역삼동)',
};

/** The least space (px) the card leaves on either side. */
const CARD_MARGIN = 12;

interface StepExpect {
  /** One of our result pages, whose `role="status"` says `title`; `orderNo` is its own order number (not a raw code). */
  result?: { title: string; orderNo?: string };
  /** An order number the page shows: it may wrap between its groups, never inside one. */
  orderNo?: string;
  /** The page tells of something gone wrong by design (an unknown order, a refused payment): its words for it are expected. */
  errorPage?: boolean;
  /** The document is a 404 by design (the unknown order). */
  notFound?: boolean;
}

/** Fails on how the page reads: axe (serious, critical), Korean breaking inside words, the card's margins. */
async function expectReadable(w: WatchedPage, name: string): Promise<void> {
  expect(await axeViolations(w.page), `${name}: axe violations (serious or critical)`).toEqual([]);
  expect(await koreanWordBreaks(w.page), `${name}: Korean text that may break inside a word`).toEqual([]);
  const m = await cardMargins(w.page);
  expect(Math.min(m.left, m.right), `${name}: the card's margins (left ${m.left}, right ${m.right} px)`).toBeGreaterThanOrEqual(CARD_MARGIN);
  expect(m.overflow, `${name}: the page scrolls sideways`).toBe(0);
}

/** Our result page announces `title` (`role="status"`) and shows no raw code; `orderNo` is the buyer's own reference. */
async function expectResultPage(w: WatchedPage, name: string, text: string, r: { title: string; orderNo?: string | undefined }): Promise<void> {
  const status = w.page.getByRole('status');
  expect(await status.count(), `${name}: one role="status"`).toBe(1);
  expect(await status.innerText(), `${name}: the status announces the result`).toContain(r.title);
  expect(rawCodes(text, r.orderNo !== undefined ? [r.orderNo] : []), `${name}: raw codes shown to the buyer`).toEqual([]);
}

/** Screenshot, then fail on any error the page showed or reported so far and on how it reads. */
async function step(w: WatchedPage, name: string, o: StepExpect = {}): Promise<string> {
  await w.page.waitForLoadState('load');
  await w.screenshot(name);
  const text = await pageText(w.page);
  // A 404 by design is reported twice: as the document's status and by Chromium's console.
  const expected =
    o.notFound === true ? [`document 404: ${w.page.url()}`, 'console error: Failed to load resource: the server responded with a status of 404 (Not Found)'] : [];
  expect(w.errors.filter((e) => !expected.includes(e)), `${name}: page errors`).toEqual([]);
  if (o.notFound === true) expect(w.errors, `${name}: the document's status`).toEqual(expected);
  if (o.errorPage !== true) expect(text, `${name}: the page shows an error`).not.toMatch(ERROR_TEXT);
  await expectReadable(w, name);
  if (o.result !== undefined) await expectResultPage(w, name, text, o.result);
  const orderNo = o.orderNo ?? o.result?.orderNo;
  if (orderNo !== undefined) expect(await orderNoBreaks(w.page, orderNo), `${name}: the order number breaks inside a group`).toEqual([]);
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

/** On the checkout page: picks `label` (and whatever `choose` picks on the form) and pays; lands on our result page. */
async function pay(w: WatchedPage, label: '카드' | '토스머니', amount = '35,000원', choose?: (w: WatchedPage) => Promise<void>): Promise<void> {
  await w.page.getByRole('radio', { name: label, exact: true }).check();
  await choose?.(w);
  await Promise.all([w.page.waitForURL(/\/payments\/return\?/), w.page.getByRole('button', { name: `${amount} 결제하기` }).click()]);
}

/** The orderNo our landing was reached with: the one its landing token names (the URL given to Toss holds no other). */
function landedOrderNo(w: WatchedPage, landing: 'return' | 'cancel'): string {
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
async function backToShop(w: WatchedPage, orderNo: string, state: string, name: string, link = '쇼핑 계속하기'): Promise<string> {
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

/** Every kind of result page and the title its status announces. */
const RESULT_TITLES: [PageKind, string][] = [
  ['paid', '결제 완료'],
  ['refunded', '환불 완료'],
  ['cancelled', '결제 취소'],
  ['failed', '결제 실패'],
  ['pending', '결제 확인 중'],
  ['not_found', '주문을 찾을 수 없습니다'],
  ['unconfirmed', '결제를 확인할 수 없습니다'],
];
/**
 * An order number as this project generated them before (`ord_<time>_<random>`), which holds what
 * looks like a code (`Q_ZK`: the buyer's reference, not a raw code) and which the page before
 * broke inside its last group on a 390 px phone.
 */
const RENDERED_ORDER_NO = 'ord_mjx5k2a1x_Q_ZKx9aBCdEfWW';

for (const device of Object.keys(DEVICES) as DeviceName[]) {
  // A journey is up to six pages, each with a full axe run: more than the suite's 30 s on a busy machine.
  describe(`buyer journey in Chromium, ${device} (${DEVICES[device].viewport.width}×${DEVICES[device].viewport.height})`, { timeout: 90_000 }, () => {
    for (const [label, payMethod] of [
      ['카드', 'CARD'],
      ['토스머니', 'TOSS_MONEY'],
    ] as const) {
      it(`pays with ${label}: result page says complete, the order reads PAY_COMPLETE`, async () => {
        const journey = payMethod === 'CARD' ? 'card' : 'toss-money';
        const w = await watchedPage(browser, device);
        try {
          await openCheckout(w, journey);
          // What a buyer picks on the form besides the method: a discount, and the card's type or the bank.
          await pay(w, label, '35,000원', async (page) => {
            await page.page.getByLabel('즉시할인').fill('1000');
            if (payMethod === 'CARD') await page.page.getByLabel('카드 종류').selectOption('CHECK');
            else await page.page.getByLabel('은행').selectOption('90');
          });
          const orderNo = landedOrderNo(w, 'return');
          const text = await step(w, `${journey}-3-result`, { result: { title: '결제 완료', orderNo } });
          // A card payment's result page links its card slip at Toss.
          const slips = await w.page.getByRole('link', { name: '매출전표 보기' }).evaluateAll((links) => links.map((a) => a.getAttribute('href') ?? ''));
          expect(slips.map((href) => /\/payfront\/web\/external\/sales-check\?/.test(href))).toEqual(payMethod === 'CARD' ? [true] : []);
          expect(text).toContain('결제가 완료되었습니다');
          expect(await w.page.locator('body').getAttribute('data-result')).toBe('paid');
          expect(text).toContain(orderNo);
          // Every document on the way answered < 400 (303s between them).
          expect(w.documents.map((d) => d.status).every((st) => st < 400)).toBe(true);

          const g = await s.getPayment(orderNo);
          expect(g.status).toBe(200);
          expect(g.json).toMatchObject({ orderNo, status: 'PAY_COMPLETE', paid: true, payMethod, amount: 35_000, productDesc: '토스 티셔츠' });
          expect(g.json.tossMoney).toMatchObject(
            payMethod === 'CARD'
              ? { discountAmountV2: 1_000, paidAmount: 34_000, card: { cardMethodType: 'CHECK' } }
              : { discountAmountV2: 1_000, paidAmount: 34_000, accountBankName: '카카오뱅크' },
          );
          const toss = await getPayment(s.sandbox.url, String(g.json.payToken));
          expect(toss).toMatchObject({ orderNo, payStatus: 'PAY_COMPLETE', payMethod, amount: 35_000 });

          // Back to the shop from the result page: the order is there, and once its payment.completed
          // webhook has arrived (its page reloads itself until then), it is being prepared for shipping.
          await backToShop(w, orderNo, 'paid', `${journey}-4-shop`);
          await Promise.all([w.page.waitForURL(/\/demo\/orders\//), w.page.getByRole('link', { name: new RegExp(orderNo) }).click()]);
          await w.page.locator('body[data-state="paid"]').waitFor({ timeout: 10_000 });
          const orderText = await step(w, `${journey}-5-order`);
          expect(orderText).toContain('배송 준비 중');
          expect(orderText).toContain(orderNo);
          expect(orderText).toContain('35,000원');
        } finally {
          await w.close();
        }
      });
    }

    it('is refunded by the shop: the result page, opened again, says 환불 완료, and so does the shop', async () => {
      const w = await watchedPage(browser, device);
      try {
        await openCheckout(w, 'refund');
        await pay(w, '카드');
        const orderNo = landedOrderNo(w, 'return');
        await step(w, 'refund-3-result', { result: { title: '결제 완료', orderNo } });

        const r = await s.merchantRequest(`/payments/${orderNo}/refunds`, { method: 'POST', headers: { 'idempotency-key': `all-${orderNo}` }, json: { amountTaxFree: 0 } });
        expect(r.status).toBe(201);
        await w.page.reload();
        const text = await step(w, 'refund-4-result', { result: { title: '환불 완료', orderNo } });
        expect(await w.page.locator('body').getAttribute('data-result')).toBe('refunded');
        expect(text).toContain('결제 금액이 모두 환불되었습니다');
        expect(text).toMatch(/환불 금액\s+35,000원/);

        const shopText = await backToShop(w, orderNo, 'refunded', 'refund-5-shop');
        expect(shopText).toContain('환불 완료');
      } finally {
        await w.close();
      }
    });

    it('quits on the checkout page: the result page shows the cancellation, the order reads PAY_CANCEL', async () => {
      const w = await watchedPage(browser, device);
      try {
        await openCheckout(w, 'quit');
        await Promise.all([w.page.waitForURL(/\/payments\/cancel\?/), w.page.getByRole('button', { name: '결제 중단' }).click()]);
        const orderNo = landedOrderNo(w, 'cancel');
        const text = await step(w, 'quit-3-result', { result: { title: '결제 취소', orderNo } });
        // The page says why (the buyer stopped: cancelReason BUYER), what was not bought, and offers to pay again.
        expect(text).toContain('결제를 중단하셨습니다');
        expect(text).toContain('토스 티셔츠');
        expect(text).toMatch(/주문 금액\s+35,000원/);
        expect(text).toContain('토스 데모 상점');
        expect(await w.page.locator('body').getAttribute('data-result')).toBe('cancelled');

        const g = await s.getPayment(orderNo);
        expect(g.status).toBe(200);
        expect(g.json).toMatchObject({ orderNo, status: 'PAY_CANCEL', paid: false, cancelReason: 'BUYER' });
        const toss = await getPayment(s.sandbox.url, String(g.json.payToken));
        expect(toss).toMatchObject({ orderNo, payStatus: 'PAY_CANCEL', cancelledBy: expect.anything() });
        expect(toss.calls.execute ?? 0).toBe(0);

        // The shop learnt of it from its payment.cancelled webhook.
        const shopText = await backToShop(w, orderNo, 'cancelled', 'quit-4-shop', '다시 결제하기');
        expect(shopText).toContain('주문 취소');
      } finally {
        await w.close();
      }
    });

    it('lets the time run out: the checkout page says so and leads back; the result page says it was cancelled (Toss says no more), never that the buyer quit', async () => {
      const w = await watchedPage(browser, device);
      try {
        await openCheckout(w, 'expired');
        const payToken = String(new URL(w.page.url()).searchParams.get('payToken'));
        const { orderNo } = await getPayment(s.sandbox.url, payToken);
        // 16 minutes later at Toss (the shop's payments expire after 15): the payment is cancelled.
        await advanceClock(s.sandbox.url, 16 * 60);
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
        expect((await s.getPayment(orderNo)).json).toMatchObject({ orderNo, status: 'PAY_CANCEL', paid: false, cancelReason: 'UNKNOWN' });

        await backToShop(w, orderNo, 'cancelled', 'expired-5-shop', '다시 결제하기');
      } finally {
        await w.close();
      }
    });

    it("is refused by Toss: the result page says it failed in Toss's words, never with its code", async () => {
      const w = await watchedPage(browser, device);
      try {
        // A shop that executes itself (autoExecute false) and whose execute Toss refuses.
        const c = await s.createPayment({ amount: 12_000, amountTaxFree: 0, productDesc: '토스 양말', autoExecute: false });
        expect(c.status).toBe(201);
        const orderNo = String(c.json.orderNo);
        await setFault(s.sandbox.url, {
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
        expect((await s.getPayment(orderNo)).json).toMatchObject({ orderNo, status: 'EXECUTE_FAILED', paid: false });
      } finally {
        await w.close();
      }
    });

    it('opens the result page of an order we never made: not found (404), and not 결제 실패', async () => {
      const w = await watchedPage(browser, device);
      try {
        const reply = await w.page.goto(`${s.api}/payments/return?orderNo=ord_never_made_${device}`);
        expect(reply?.status()).toBe(404);
        const text = await step(w, 'unknown-1-result', { result: { title: '주문을 찾을 수 없습니다' }, errorPage: true, notFound: true });
        expect(text).not.toContain('결제 실패');
        expect(text).toContain('결제된 금액은 없습니다');
        expect(await w.page.locator('body').getAttribute('data-result')).toBe('not_found');
        await expect(w.page.getByRole('link', { name: '쇼핑 계속하기' }).getAttribute('href')).resolves.toBe(shop.url);
        expect(text).toContain('토스 데모 상점');
      } finally {
        await w.close();
      }
    });

    // The pages no journey here reaches (pending needs Toss to stay silent; unconfirmed an order of
    // the other Toss mode), and every other kind, as they are rendered: the same checks.
    for (const [kind, title] of RESULT_TITLES) {
      it(`renders the ${kind} result page readably`, async () => {
        const orderNo = kind === 'not_found' ? undefined : RENDERED_ORDER_NO;
        const page = resultPage(
          kind,
          {
            buyer: true,
            orderNo,
            productDesc: '아주 부드러운 면 100% 반팔 티셔츠 (네이비, 라지 사이즈) 외 2건',
            amount: 1_235_000,
            payMethod: 'TOSS_MONEY',
            paidAt: '2026-11-30T10:05:00Z',
            refundedAmount: kind === 'refunded' ? 1_235_000 : undefined,
            cancelReason: kind === 'cancelled' ? 'EXPIRED' : undefined,
            message: '잔액이 부족합니다. 충전 후 다시 결제해 주세요.',
            refreshUrl: `${s.api}/payments/return?orderNo=${RENDERED_ORDER_NO}`,
          },
          { name: PAGE_MERCHANT.MERCHANT_NAME, support: { kind: 'phone', value: PAGE_MERCHANT.MERCHANT_SUPPORT }, business: { company: PAGE_MERCHANT.MERCHANT_COMPANY, representative: PAGE_MERCHANT.MERCHANT_REPRESENTATIVE, registrationNumber: PAGE_MERCHANT.MERCHANT_BUSINESS_NUMBER, mailOrderNumber: PAGE_MERCHANT.MERCHANT_MAIL_ORDER_NUMBER, address: PAGE_MERCHANT.MERCHANT_ADDRESS }, shopUrl: shop.url },
        );
        const w = await watchedPage(browser, device);
        try {
          // The pending page reloads itself after 5 s; that reload is not what is checked here.
          await w.page.setContent(String(page.body).replace(/<meta http-equiv="refresh"[^>]*>/, ''));
          await w.screenshot(`rendered-${kind}`);
          const name = `rendered ${kind}`;
          expect(w.errors, `${name}: page errors`).toEqual([]);
          await expectReadable(w, name);
          await expectResultPage(w, name, await pageText(w.page), { title, orderNo });
          expect(orderNo === undefined ? [] : await orderNoBreaks(w.page, orderNo), `${name}: the order number breaks inside a group`).toEqual([]);
        } finally {
          await w.close();
        }
      });
    }
  });
}
