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
import { captureOnceMore } from './capture.ts';
import { chromium, type Browser, type BrowserContext, type BrowserContextOptions, type Page, type Response } from 'playwright-core';

export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

export const SCREENSHOT_DIR = fileURLToPath(new URL('../e2e/screenshots/', import.meta.url));

/** Chromium's own features the tests' browser goes without (see launchChromium). */
export const CHROMIUM_UI_FEATURES_OFF = ['WebUIOmniboxPopup', 'WebUIOmniboxAimPopup'] as const;

/**
 * What starts Chromium: test/support/chromium.sh, which runs CHROMIUM_PATH with the
 * `--disable-features` Playwright passes and the tests' own merged into one (Chromium keeps only
 * the last of a switch given twice, and Playwright puts its own list first).
 */
const CHROMIUM_LAUNCHER = fileURLToPath(new URL('./chromium.sh', import.meta.url));

export async function launchChromium(): Promise<Browser> {
  if (!existsSync(CHROMIUM_PATH))
    throw new Error(`Chromium not found at ${CHROMIUM_PATH}: install Debian's chromium (apt-get install chromium; .ci/run does) or set CHROMIUM_PATH`);
  return chromium.launch({
    executablePath: CHROMIUM_LAUNCHER,
    env: { ...process.env, TOSS_PAY_CHROMIUM: CHROMIUM_PATH },
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--no-first-run',
      '--disable-sync',
      '--disable-dev-shm-usage',
      // Chromium opens a window per browser context, and with each window the omnibox's popup
      // (and its AI mode's), pages of its own user interface in a renderer process of their own:
      // about 0.8 s of CPU per context, nothing a test looks at (BENCHMARKS.md, "Test suite").
      `--disable-features=${CHROMIUM_UI_FEATURES_OFF.join(',')}`,
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
  /**
   * Saves a full-page screenshot as `<device>-<name>.png` under test/e2e/screenshots/; returns its
   * path. A capture Chromium refused is asked for once more (test/support/capture.ts).
   */
  screenshot(name: string): Promise<string>;
  /** The page's document as the server sent it (the last main-document response: after redirects, reloads). */
  served(): Promise<ServedDocument>;
  /**
   * Opens `doc` on this page as if its server had sent it (the page is given the same status,
   * headers and body; nothing reaches the server for the document itself, so no state there
   * changes), and waits for it to load. Its style sheets and scripts come from where the
   * document says, as for any page.
   */
  show(doc: ServedDocument): Promise<void>;
  close(): Promise<void>;
}

/** A main document as served: what `WatchedPage.show` needs to open the same page elsewhere. */
export interface ServedDocument {
  url: string;
  status: number;
  headers: Record<string, string>;
  body: Buffer;
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
  let lastDocument: Response | undefined;
  page.on('pageerror', (e) => errors.push(`pageerror: ${e.message}`));
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(`console error: ${m.text()}`);
  });
  page.on('requestfailed', (r) => errors.push(`request failed: ${r.method()} ${r.url()} (${r.failure()?.errorText ?? '?'})`));
  page.on('response', (r) => {
    const req = r.request();
    if (req.frame() !== page.mainFrame() || !req.isNavigationRequest()) return;
    documents.push({ url: r.url(), status: r.status() });
    lastDocument = r;
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
      await captureOnceMore(
        () => page.screenshot({ path, fullPage: true }),
        () => page.evaluate<void>('new Promise((drawn) => requestAnimationFrame(() => requestAnimationFrame(() => drawn())))'),
      );
      return path;
    },
    async served() {
      const r = lastDocument;
      if (r === undefined) throw new Error('the page has no document yet');
      // The body as decoded by the browser: the headers that describe its transfer go with it.
      const headers = Object.fromEntries(Object.entries(await r.allHeaders()).filter(([k]) => !/^(content-length|content-encoding|transfer-encoding)$/i.test(k)));
      return { url: r.url(), status: r.status(), headers, body: await r.body() };
    },
    async show(doc) {
      const matches = (u: URL): boolean => u.href === doc.url;
      await page.route(matches, (route) => route.fulfill({ status: doc.status, headers: doc.headers, body: doc.body }));
      try {
        await page.goto(doc.url);
      } finally {
        await page.unroute(matches);
      }
    },
    close: () => context.close(),
  };
}

/** The page's visible text (for assertions and error scanning). */
export const pageText = async (page: Page): Promise<string> => page.locator('body').innerText();
