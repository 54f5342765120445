/**
 * The checks every page of the browser tests goes through (test/e2e): a screenshot, then no page
 * error, no error text where none is expected, axe-core (serious, critical; once for each page
 * structure in a file: the shop with one more order is the page axe already read), Korean text that
 * cannot break inside a word, the card's margins, no sideways scrolling; our result pages also
 * announce their result (`role="status"`) and show no raw code, and an order number shown wraps
 * only between its groups (checked as laid out).
 */
import { expect } from 'vitest';
import { axeViolationsOnce, cardMargins, koreanWordBreaks, orderNoBreaks, rawCodes } from '../support/a11y.ts';
import { pageText, ERROR_TEXT, type WatchedPage } from '../support/browser.ts';

/** The shop as the result pages name it: every business detail a page can show, at its longest plausible. */
export const PAGE_MERCHANT = {
  MERCHANT_NAME: '토스 데모 상점',
  MERCHANT_SUPPORT: '1588-0000',
  MERCHANT_COMPANY: '주식회사 토스 데모 상점 온라인 쇼핑몰',
  MERCHANT_REPRESENTATIVE: '홍길동',
  MERCHANT_BUSINESS_NUMBER: '123-45-67890',
  MERCHANT_MAIL_ORDER_NUMBER: '제2026-서울강남-01234호',
  MERCHANT_ADDRESS: '서울특별시 강남구 테헤란로 142, 아크플레이스 12층 (역삼동)',
};

/** The least space (px) the card leaves on either side. */
export const CARD_MARGIN = 12;

export interface StepExpect {
  /** One of our result pages, whose `role="status"` says `title`; `orderNo` is its own order number (not a raw code). */
  result?: { title: string; orderNo?: string };
  /** An order number the page shows: it may wrap between its groups, never inside one. */
  orderNo?: string;
  /** The page tells of something gone wrong by design (an unknown order, a refused payment): its words for it are expected. */
  errorPage?: boolean;
  /** The document is a 404 by design (the unknown order). */
  notFound?: boolean;
}

/**
 * Fails on how the page reads: axe (serious, critical: once per page structure in the file, see
 * axeViolationsOnce), Korean breaking inside words, the card's margins.
 */
export async function expectReadable(w: WatchedPage, name: string): Promise<void> {
  expect(await axeViolationsOnce(w.page), `${name}: axe violations (serious or critical)`).toEqual([]);
  expect(await koreanWordBreaks(w.page), `${name}: Korean text that may break inside a word`).toEqual([]);
  const m = await cardMargins(w.page);
  expect(Math.min(m.left, m.right), `${name}: the card's margins (left ${m.left}, right ${m.right} px)`).toBeGreaterThanOrEqual(CARD_MARGIN);
  expect(m.overflow, `${name}: the page scrolls sideways`).toBe(0);
}

/** Our result page announces `title` (`role="status"`) and shows no raw code; `orderNo` is the buyer's own reference. */
export async function expectResultPage(w: WatchedPage, name: string, text: string, r: { title: string; orderNo?: string | undefined }): Promise<void> {
  const status = w.page.getByRole('status');
  expect(await status.count(), `${name}: one role="status"`).toBe(1);
  expect(await status.innerText(), `${name}: the status announces the result`).toContain(r.title);
  expect(rawCodes(text, r.orderNo !== undefined ? [r.orderNo] : []), `${name}: raw codes shown to the buyer`).toEqual([]);
}

/** Screenshot, then fail on any error the page showed or reported so far and on how it reads. */
export async function step(w: WatchedPage, name: string, o: StepExpect = {}): Promise<string> {
  await w.page.waitForLoadState('load');
  await w.screenshot(name);
  const at = `${name} (${w.device})`;
  const text = await pageText(w.page);
  // A 404 by design is reported twice: as the document's status and by Chromium's console.
  const expected =
    o.notFound === true ? [`document 404: ${w.page.url()}`, 'console error: Failed to load resource: the server responded with a status of 404 (Not Found)'] : [];
  expect(w.errors.filter((e) => !expected.includes(e)), `${at}: page errors`).toEqual([]);
  if (o.notFound === true) expect(w.errors, `${at}: the document's status`).toEqual(expected);
  if (o.errorPage !== true) expect(text, `${at}: the page shows an error`).not.toMatch(ERROR_TEXT);
  await expectReadable(w, at);
  if (o.result !== undefined) await expectResultPage(w, at, text, o.result);
  const orderNo = o.orderNo ?? o.result?.orderNo;
  if (orderNo !== undefined) expect(await orderNoBreaks(w.page, orderNo), `${at}: the order number breaks inside a group`).toEqual([]);
  return text;
}
