/**
 * Every kind of our result page as it is rendered (shared/http/html.ts), on the desktop window and
 * on the phone, through the checks every page of the journeys goes through (pages.ts): among them
 * the pages no journey reaches (pending needs Toss to stay silent; unconfirmed an order of the
 * other Toss mode). Only the browser: the pages are set as they are rendered, no stack serves them.
 */
import { readFileSync } from 'node:fs';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resultPage, type PageKind } from '../../shared/http/html.ts';
import { axeRunWidths, axeViolations, orderNoBreaks } from '../support/a11y.ts';
import { CHROMIUM_UI_FEATURES_OFF, DEVICES, launchChromium, pageText, watchedPage, type DeviceName } from '../support/browser.ts';
import { expectReadable, expectResultPage, PAGE_MERCHANT } from './pages.ts';

let browser: Browser;
beforeAll(async () => {
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
});

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
const SHOP_URL = 'https://shop.example.com/';
const M = PAGE_MERCHANT;

for (const device of Object.keys(DEVICES) as DeviceName[]) {
  describe(`result pages in Chromium, ${device} (${DEVICES[device].viewport.width}×${DEVICES[device].viewport.height})`, { timeout: 90_000 }, () => {
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
          refreshUrl: `https://pay.example.com/payments/return?orderNo=${RENDERED_ORDER_NO}`,
          },
          {
            name: M.MERCHANT_NAME,
            support: { kind: 'phone', value: M.MERCHANT_SUPPORT },
            business: { company: M.MERCHANT_COMPANY, representative: M.MERCHANT_REPRESENTATIVE, registrationNumber: M.MERCHANT_BUSINESS_NUMBER, mailOrderNumber: M.MERCHANT_MAIL_ORDER_NUMBER, address: M.MERCHANT_ADDRESS },
            shopUrl: SHOP_URL,
          },
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

describe("the tests' browser", () => {
  it("runs the pages it is given and none of its own user interface (launchChromium's CHROMIUM_UI_FEATURES_OFF)", async () => {
    const w = await watchedPage(browser, 'desktop');
    try {
      await w.page.setContent('<p>x</p>');
      const cdp = await browser.newBrowserCDPSession();
      const { targetInfos } = (await cdp.send('Target.getTargets')) as { targetInfos: { type: string; url: string }[] };
      const { processInfo } = (await cdp.send('SystemInfo.getProcessInfo')) as { processInfo: { type: string; id: number }[] };
      await cdp.detach();
      // A page of Chromium's own (`chrome://…top-chrome/`, type browser_ui) costs a renderer per window.
      expect(targetInfos.filter((t) => t.type !== 'page').map((t) => `${t.type} ${t.url}`)).toEqual([]);
      expect(targetInfos.filter((t) => t.type === 'page')).toHaveLength(1);
      // One --disable-features, Playwright's list (PaintHolding among them) and the tests' together
      // (test/support/chromium.sh): a second one would have replaced the first.
      const pid = processInfo.find((p) => p.type === 'browser')?.id;
      const switches = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').filter((a) => a.startsWith('--disable-features='));
      expect(switches).toHaveLength(1);
      expect(switches[0]!.slice('--disable-features='.length).split(',')).toEqual(expect.arrayContaining(['PaintHolding', ...CHROMIUM_UI_FEATURES_OFF]));
    } finally {
      await w.close();
    }
  });
});

describe('axe as the browser tests run it (axeViolations)', () => {
  const NO_ALT = '<img src="data:image/gif;base64,R0lGODlhAQABAAAAACw=">';
  const page = (body: string): string => `<!doctype html><html lang="ko"><head><title>axe</title></head><body><main><h1>제목</h1>${body}</main></body></html>`;
  const rules = (found: string[]): string[] => [...new Set(found.map((line) => line.split(' ')[0]!))].sort();

  it('finds what axe finds on a page of one frame (run in the page itself) and inside a frame (gathered across frames)', async () => {
    const w = await watchedPage(browser, 'desktop');
    try {
      await w.page.setContent(page(`${NO_ALT}<p style="color:#ccc;background:#fff">흐린 글씨</p>`));
      expect(w.page.frames()).toHaveLength(1);
      expect(rules(await axeViolations(w.page))).toEqual(['color-contrast', 'image-alt']);
      await w.page.setContent(page(`<iframe title="틀" srcdoc='${page(NO_ALT)}'></iframe>`));
      await w.page.frames()[1]?.waitForLoadState();
      expect(w.page.frames()).toHaveLength(2);
      const inFrame = await axeViolations(w.page);
      expect(rules(inFrame)).toEqual(['image-alt']);
      expect(inFrame[0]).toContain('iframe');
    } finally {
      await w.close();
    }
  });
});

describe('axe on the rendered result pages', () => {
  it('read each page structure once on each device: the phone is a window of its own width, not a page axe has read', () => {
    const widths = axeRunWidths();
    const runsAt = (device: DeviceName): number => widths.filter((w) => w === DEVICES[device].viewport.width).length;
    expect(runsAt('desktop')).toBeGreaterThan(0);
    expect(runsAt('mobile')).toBe(runsAt('desktop'));
  });
});
