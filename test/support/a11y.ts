/**
 * What the browser test checks of how a page reads, beyond what it says: axe-core's rules
 * (`@axe-core/playwright`; WCAG AA contrast is its color-contrast rule), Korean words kept whole,
 * the card's margin on a phone, and no raw codes. Each check returns a list of findings, one
 * readable line each, so that `expect(findings, page).toEqual([])` fails naming every one.
 */
import { AxeBuilder } from '@axe-core/playwright';
import type { Page } from 'playwright-core';

/** The impacts that fail a page. axe's minor and moderate findings are reported by it, not failures here. */
export const FAILING_IMPACTS: readonly string[] = ['serious', 'critical'];

const oneLine = (s: string | undefined): string => (s ?? '').replace(/\s+/g, ' ').trim();

/**
 * axe-core's violations of impact serious or critical on the page as it is now, one line per
 * element: `rule (impact) target: what the rule asks. what is wrong`. Every rule axe runs by
 * default is on (none is disabled here).
 */
export async function axeViolations(page: Page): Promise<string[]> {
  // On a page without frames, axe runs in the page itself (its "legacy mode"), with the same rules:
  // by default it gathers each frame's results in a blank page it opens for the purpose, a page
  // (a renderer process) and a fresh copy of axe-core for every run.
  const builder = new AxeBuilder({ page });
  if (page.frames().length === 1) builder.setLegacyMode();
  const results = await builder.analyze();
  return results.violations.flatMap((v) =>
    v.nodes
      .filter((n) => FAILING_IMPACTS.includes(n.impact ?? v.impact ?? ''))
      .map((n) => `${v.id} (${n.impact ?? v.impact}) ${n.target.join(' ')}: ${v.help}. ${oneLine(n.failureSummary)}`),
  );
}

/**
 * The page structures axe has checked in this test file, each in a window of one width (keyed by
 * both; the value is the width): a file evaluates this module afresh (test/support/shared-worker.ts).
 */
const axeChecked = new Map<string, number>();

/** The window width of each run `axeViolationsOnce` made in this file (one per page structure and width). */
export const axeRunWidths = (): number[] => [...axeChecked.values()];

/**
 * axe-core's violations (as `axeViolations`) on a page whose structure (`pageStructure`) no
 * earlier step of this test file had in a window of the same width (a phone and a desktop window
 * each get their run); none for one axe has read already (its verdict holds). axe is most of a
 * browser step's time, and a journey opens the same page many times over with other data: the
 * step's own checks (errors, words, layout) still run every time.
 */
export async function axeViolationsOnce(page: Page): Promise<string[]> {
  const width = page.viewportSize()?.width ?? 0;
  const structure = `${width} ${await pageStructure(page)}`;
  if (axeChecked.has(structure)) return [];
  axeChecked.set(structure, width);
  return axeViolations(page);
}

/**
 * What axe-core's verdict on a page rests on, without the page's words and numbers: the set of
 * its elements, each as its parent's tag and its own tag, its attributes' names, the values of
 * those that change what a rule finds (class and style for colour and size; role, type, lang,
 * tabindex, disabled, hidden, the ARIA states), and whether it has text of its own. Two pages with
 * the same structure are the same template showing other data (the shop with one order more, a
 * result page for another order): axe finds the same on both. The script is a string (see below).
 */
async function pageStructure(page: Page): Promise<string> {
  return page.evaluate<string>(`(() => {
    const VALUED = /^(class|style|role|type|lang|tabindex|disabled|hidden|open|aria-(hidden|expanded|current|selected|checked|pressed|disabled|invalid|modal|live|level))$/;
    const seen = new Set();
    for (const el of [document.documentElement, ...document.documentElement.querySelectorAll('*')]) {
      const attrs = [...el.attributes].map((a) => (VALUED.test(a.name) ? a.name + '=' + a.value : a.name)).sort().join(' ');
      const ownText = [...el.childNodes].some((n) => n.nodeType === 3 && (n.textContent || '').trim() !== '');
      seen.add((el.parentElement ? el.parentElement.tagName : '') + '>' + el.tagName + '[' + attrs + ']' + (ownText ? '+text' : ''));
    }
    return (document.title.trim() === '' ? 'untitled\\n' : '') + [...seen].sort().join('\\n');
  })()`);
}

/**
 * Every visible element whose own text holds Korean and whose computed `word-break` is not
 * `keep-all` (Korean would then break inside a word at a line end), as `<tag> "text": value`.
 * The script is a string: it runs in the page, and this project's types know no DOM.
 */
export async function koreanWordBreaks(page: Page): Promise<string[]> {
  return page.evaluate<string[]>(`(() => {
    const found = new Set();
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    for (let n = walker.nextNode(); n !== null; n = walker.nextNode()) {
      const text = (n.textContent || '').trim();
      const el = n.parentElement;
      if (el === null || !/[\\uAC00-\\uD7A3]/.test(text) || el.getClientRects().length === 0) continue;
      const wordBreak = getComputedStyle(el).wordBreak;
      if (wordBreak !== 'keep-all') found.add('<' + el.tagName.toLowerCase() + '> "' + text.slice(0, 40) + '": word-break ' + wordBreak);
    }
    return [...found];
  })()`);
}

/**
 * The space the card (`main`) leaves on its left and right within the viewport, and how far the
 * document is wider than the viewport (0 when nothing scrolls sideways).
 */
export async function cardMargins(page: Page): Promise<{ left: number; right: number; overflow: number }> {
  const box = await page.locator('main').boundingBox();
  const width = page.viewportSize()?.width;
  if (box === null || width === undefined) throw new Error('the page has no visible card (main) or no viewport');
  const scrollWidth = await page.evaluate<number>('document.documentElement.scrollWidth');
  return { left: box.x, right: width - (box.x + box.width), overflow: Math.max(0, scrollWidth - width) };
}

/** An error or status code as our code writes them (`TOSS_FAILED`, `ORDER_NOT_FOUND`): never shown to a buyer. */
export const RAW_CODE = /[A-Z]+_[A-Z_]+/g;

/**
 * The raw codes in a page's visible text. Order numbers are the buyer's own reference and are
 * taken out first: a generated one (`ord_<time>_<random base64url>`) may hold, say, `Q_ZK`.
 */
export function rawCodes(text: string, orderNos: readonly string[] = []): string[] {
  const rest = orderNos.reduce((t, no) => t.replaceAll(no, ' '), text);
  return [...rest.matchAll(RAW_CODE)].map((m) => m[0]);
}

/**
 * Where an order number breaks inside a group on the page as laid out now: every place it is
 * shown (its characters may span several text nodes), each line break between two characters that
 * is not right after a separator (`-`, `_`, `:`, `.`), as `"<group>" broken after "<part>"`. An
 * order number is read out and copied in its groups: it may wrap between them, never inside one.
 */
export async function orderNoBreaks(page: Page, orderNo: string): Promise<string[]> {
  return page.evaluate<string[]>(
    `((no) => {
      const found = [];
      const nodes = [];
      const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
      for (let n = walker.nextNode(); n !== null; n = walker.nextNode()) nodes.push(n);
      const text = nodes.map((n) => n.textContent || '').join('');
      const at = (i) => {
        let k = i;
        for (const n of nodes) {
          const len = (n.textContent || '').length;
          if (k < len) return [n, k];
          k -= len;
        }
        return undefined;
      };
      const topOf = (i) => {
        const p = at(i);
        const r = document.createRange();
        r.setStart(p[0], p[1]);
        r.setEnd(p[0], p[1] + 1);
        const rect = r.getBoundingClientRect();
        return rect.width === 0 && rect.height === 0 ? undefined : rect.top;
      };
      for (let from = text.indexOf(no); from !== -1; from = text.indexOf(no, from + 1)) {
        for (let i = from; i < from + no.length - 1; i++) {
          const a = topOf(i);
          const b = topOf(i + 1);
          if (a === undefined || b === undefined || Math.abs(a - b) < 2) continue;
          if (!/[-_:.]/.test(text[i])) found.push('"' + no + '" broken after "' + text.slice(from, i + 1) + '"');
        }
      }
      return found;
    })(${JSON.stringify(orderNo)})`,
  );
}
