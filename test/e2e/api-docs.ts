/**
 * GET /docs in Chromium, on the desktop window and the 390 px phone, served by the local stack:
 * Swagger UI renders every route of the document; nothing is requested from anywhere but the
 * stack itself and no page error occurs (the page's Content-Security-Policy would report a blocked
 * inline script or style as one) and nothing scrolls sideways, on the page as it opens, with
 * operations opened, and after "Try it out" called the API with the merchant token typed into
 * "Authorize"; axe-core finds nothing serious or critical on that last page, which still holds
 * all the earlier ones showed.
 */
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EVENT_TYPES, TEST_EVENT_TYPE } from '../../shared/events/event-shape.ts';
import { routes } from '../../shared/routes.ts';
import { axeViolations } from '../support/a11y.ts';
import { DEVICES, launchChromium, watchedPage, type DeviceName, type WatchedPage } from '../support/browser.ts';
import { startStack, type Stack } from '../support/stack.ts';

let browser: Browser;
let s: Stack;

/**
 * A screenshot, then no page error, no request outside the stack, nothing scrolling sideways; and
 * with `axe`, axe-core's rules. axe runs once, on the last state: every state before it is still
 * on the page then (the list of routes, the two opened, the authorize button), with the
 * response table and the authorized lock added: a run on each state (4 s each on this page of
 * 35 operations) would read the same elements again.
 */
async function expectClean(w: WatchedPage, name: string, requested: string[], axe = false): Promise<void> {
  await w.screenshot(`api-docs-${name}`);
  expect(w.errors, `${name}: page errors`).toEqual([]);
  expect(requested.filter((u) => !u.startsWith(`${s.api}/`)), `${name}: requests outside the stack`).toEqual([]);
  if (axe) expect(await axeViolations(w.page), `${name}: axe violations (serious or critical)`).toEqual([]);
  const overflow = await w.page.evaluate<number>('document.documentElement.scrollWidth - document.documentElement.clientWidth');
  expect(overflow, `${name}: the page scrolls sideways`).toBe(0);
}

/** The checks on each of `devices`, one after the other, against one stack and one browser (api-docs.test.ts). */
export function apiDocsOn(devices: readonly DeviceName[]): void {
  beforeAll(async () => {
    [browser, s] = await Promise.all([launchChromium(), startStack()]);
  });
  afterAll(async () => {
    await browser?.close();
    await s?.stop();
  });
  for (const device of devices) apiDocsOnDevice(device);
}

function apiDocsOnDevice(device: DeviceName): void {
  describe(`GET /docs in Chromium, ${device} (${DEVICES[device].viewport.width}×${DEVICES[device].viewport.height})`, { timeout: 90_000 }, () => {
    it('renders every route, offline and readable, and tries GET /payments with the merchant token', async () => {
      const w = await watchedPage(browser, device);
      const requested: string[] = [];
      w.page.on('request', (r) => requested.push(r.url()));
      try {
        await w.page.goto(`${s.api}/docs`);
        await w.page.locator('.opblock').first().waitFor();
        // One block per route of the table, and one per webhook (each event type, and the endpoints' test event).
        expect(await w.page.locator('.opblock').count()).toBe(routes.length + EVENT_TYPES.length + [TEST_EVENT_TYPE].length);
        await expectClean(w, `${device}-opened`, requested);

        // Open a route with a body and one with query parameters.
        await w.page.locator('#operations-Payments-createPayment .opblock-summary-control').click();
        await w.page.locator('#operations-Payments-listPayments .opblock-summary-control').click();
        await w.page.locator('#operations-Payments-listPayments .try-out__btn').waitFor();
        await expectClean(w, `${device}-operations`, requested);

        // Authorize with the merchant token, then "Try it out" on GET /payments: the API answers 200.
        await w.page.locator('.btn.authorize').first().click();
        await w.page.locator('.auth-container input').fill(s.token);
        await w.page.locator('.auth-btn-wrapper .authorize').click();
        await w.page.locator('.auth-btn-wrapper .btn-done').click();
        const list = w.page.locator('#operations-Payments-listPayments');
        await list.locator('.try-out__btn').click();
        await list.locator('.execute').click();
        const status = list.locator('.live-responses-table tr.response .response-col_status').first();
        await status.waitFor();
        expect((await status.innerText()).trim()).toBe('200');
        await expectClean(w, `${device}-tried`, requested, true);
      } finally {
        await w.close();
      }
    });
  });
}
