/**
 * A real browser for end-to-end tests: playwright-core driving Debian's Chromium
 * (`/usr/bin/chromium`, installed by .ci/run when missing; CHROMIUM_PATH overrides). Every page
 * opened through `watchedPage` records what counts as a page error: uncaught exceptions, console
 * errors, failed requests and main-document responses >= 400 (`errors`; the test fails on any).
 * Pages open on a device of `DEVICES`: a desktop window or a 390 px phone.
 */
import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type BrowserContext, type BrowserContextOptions, type Page } from 'playwright-core';

export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

export const SCREENSHOT_DIR = fileURLToPath(new URL('../e2e/screenshots/', import.meta.url));

export async function launchChromium(): Promise<Browser> {
  if (!existsSync(CHROMIUM_PATH))
    throw new Error(`Chromium not found at ${CHROMIUM_PATH}: install Debian's chromium (apt-get install chromium; .ci/run does) or set CHROMIUM_PATH`);
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--no-first-run',
      '--disable-sync',
      '--disable-dev-shm-usage',
    ],
  });
}

/** The screens every page of the journey is seen on: a desktop window and a 390 px wide phone. */
export const DEVICES = {
  desktop: { viewport: { width: 1280, height: 800 } },
  mobile: { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true, deviceScaleFactor: 2 },
} as const satisfies Record<string, BrowserContextOptions>;
export type DeviceName = keyof typeof DEVICES;

export interface WatchedPage {
  device: DeviceName;
  context: BrowserContext;
  page: Page;
  /** Everything that went wrong on any page so far, one line each. */
  errors: string[];
  /** Every main-document URL the page was on, in order (redirect hops included). */
  documents: { url: string; status: number }[];
  /** Saves a full-page screenshot as `<device>-<name>.png` under test/e2e/screenshots/; returns its path. */
  screenshot(name: string): Promise<string>;
  close(): Promise<void>;
}

/**
 * Text that means a page shows an error rather than the outcome of the journey. The result
 * pages' own words for an ordinary outcome (결제 완료, 결제 취소) are not errors.
 */
export const ERROR_TEXT =
  /오류|에러|실패|찾을 수 없|존재하지 않|잠시 후 다시 시도|Internal Server Error|Not Found|Forbidden|Unauthorized|Bad Request|\bexception\b|\berror\b/i;

export async function watchedPage(browser: Browser, device: DeviceName): Promise<WatchedPage> {
  await mkdir(SCREENSHOT_DIR, { recursive: true });
  const context = await browser.newContext({ locale: 'ko-KR', ...DEVICES[device] });
  // Chromium asks every origin for /favicon.ico; nothing here serves one and that is not the journey.
  await context.route(/\/favicon\.ico$/, (route) => route.fulfill({ status: 204, body: '' }));
  const page = await context.newPage();
  const errors: string[] = [];
  const documents: { url: string; status: number }[] = [];
  page.on('pageerror', (e) => errors.push(`pageerror: ${e.message}`));
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(`console error: ${m.text()}`);
  });
  page.on('requestfailed', (r) => errors.push(`request failed: ${r.method()} ${r.url()} (${r.failure()?.errorText ?? '?'})`));
  page.on('response', (r) => {
    const req = r.request();
    if (req.frame() !== page.mainFrame() || !req.isNavigationRequest()) return;
    documents.push({ url: r.url(), status: r.status() });
    if (r.status() >= 400) errors.push(`document ${r.status()}: ${r.url()}`);
  });
  return {
    device,
    context,
    page,
    errors,
    documents,
    async screenshot(name) {
      const path = `${SCREENSHOT_DIR}${device}-${name}.png`;
      await page.screenshot({ path, fullPage: true });
      return path;
    },
    close: () => context.close(),
  };
}

/** The page's visible text (for assertions and error scanning). */
export const pageText = async (page: Page): Promise<string> => page.locator('body').innerText();
