/**
 * The two listings of events the console reads, over HTTP: GET /payments/{orderNo}/events (one
 * order's events in log order, from the table's `lists` index) and GET /events/failed (deliveries
 * that gave up, the latest failure first, from the `due` index). Both page with THE cursor format
 * (shared/paging.ts): following `next` gives every event once, and a cursor they did not hand out
 * for these parameters (another order's, another listing's, altered, made up, the plain form the
 * console once used) is 400 INVALID_CURSOR, never a 500 or the first page.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, type HttpReply, type Stack, startStack } from '../../support/stack.ts';
import { allLogged, payOrder, type LoggedEvent } from './support.ts';

let s: Stack;
let a: string;
let b: string;
beforeAll(async () => {
  // One retry, a second after the first attempt: a delivery the receiver refuses gives up at once.
  s = await startStack({}, { webhooks: { retrySchedule: '1' } });
  a = (await payOrder(s, { prefix: 'oe-a' })).orderNo;
  b = (await payOrder(s, { prefix: 'oe-b' })).orderNo;
  // Two refunds of a, logged after b's payment: a's events are not next to each other in the log.
  for (const [key, amount] of [
    ['oe-r1', 1_000],
    ['oe-r2', 2_000],
  ] as const) {
    const r = await s.merchantRequest(`/payments/${a}/refunds`, { method: 'POST', headers: { 'idempotency-key': key }, json: { amount } });
    if (r.status !== 201) throw new Error(`refund ${key}: ${r.status} ${r.text}`);
  }
  await s.streams.caughtUp();
});
afterAll(() => s.stop());

type Page = { events: LoggedEvent[]; next?: string };
const code = (r: HttpReply) => (r.json.error as { code?: string } | undefined)?.code;
const get = async (path: string): Promise<Page> => {
  const r = await s.merchantRequest(path);
  expect([path, r.status]).toEqual([path, 200]);
  return r.json as unknown as Page;
};
/** Every page of `path` (`?limit=…`), following `next`. */
async function pages(path: string): Promise<Page[]> {
  const out: Page[] = [];
  let after: string | undefined;
  for (let n = 0; n < 50; n++) {
    const p = await get(`${path}${after !== undefined ? `&after=${encodeURIComponent(after)}` : ''}`);
    out.push(p);
    if (p.next === undefined) return out;
    after = p.next;
  }
  throw new Error(`${path}: more than 50 pages`);
}
const ids = (events: readonly LoggedEvent[]): string[] => events.map((e) => e.id);
/** The order's events in the log, in log order, once all `count` are there. */
const inLog = (orderNo: string, count: number): Promise<LoggedEvent[]> =>
  eventually(async () => {
    const events = (await allLogged(s)).filter((e) => e.data.orderNo === orderNo);
    return events.length >= count ? events : undefined;
  }, 10_000);

describe("GET /payments/{orderNo}/events", () => {
  it("lists the order's events alone, in log order, and pages them with next", async () => {
    const logged = await inLog(a, 3);
    expect(logged.map((e) => e.type)).toEqual(['payment.completed', 'payment.refunded', 'payment.refunded']);
    const whole = await get(`/payments/${a}/events?limit=100`);
    expect(ids(whole.events)).toEqual(ids(logged));
    expect(whole.next).toBeUndefined();
    // The event as the log shows it, deliveries and all.
    expect(whole.events[0]).toEqual(logged[0]);
    const ps = await pages(`/payments/${a}/events?limit=1`);
    expect(ps.slice(0, 3).map((p) => p.events.length)).toEqual([1, 1, 1]);
    expect(ids(ps.flatMap((p) => p.events))).toEqual(ids(logged));
    expect(ids((await get(`/payments/${b}/events`)).events)).toEqual(ids(await inLog(b, 1)));
    expect(await get(`/payments/${'never-paid-0001'}/events`)).toEqual({ events: [] });
  });

  it('refuses a cursor of another order, of another listing, altered or made up (400 INVALID_CURSOR), and a bad limit (400 VALIDATION_FAILED)', async () => {
    const first = await get(`/payments/${a}/events?limit=1`);
    const next = String(first.next);
    // The cursor works for its own order.
    expect((await s.merchantRequest(`/payments/${a}/events?limit=1&after=${encodeURIComponent(next)}`)).status).toBe(200);
    const [position, check] = next.split('.') as [string, string];
    const bad = {
      "another order's": `/payments/${b}/events?after=${encodeURIComponent(next)}`,
      "the event log's": `/payments/${a}/events?after=${encodeURIComponent(String(first.events[0]?.cursor))}`,
      altered: `/payments/${a}/events?after=${encodeURIComponent(`${position}.${check.startsWith('A') ? 'B' : 'A'}${check.slice(1)}`)}`,
      'made up': `/payments/${a}/events?after=garbage`,
      'the plain form': `/payments/${a}/events?after=${encodeURIComponent(`${Date.now()}#${String(first.events[0]?.id)}`)}`,
    };
    for (const [what, path] of Object.entries(bad)) {
      const r = await s.merchantRequest(path);
      expect([what, r.status, code(r)]).toEqual([what, 400, 'INVALID_CURSOR']);
    }
    for (const limit of ['0', '101', '1e1', '0x10']) {
      const r = await s.merchantRequest(`/payments/${a}/events?limit=${limit}`);
      expect([limit, r.status, code(r)]).toEqual([limit, 400, 'VALIDATION_FAILED']);
    }
  });
});

describe('GET /events/failed', () => {
  it('lists the deliveries that gave up, the latest first, pages them with next, and refuses cursors it did not hand out', async () => {
    s.webhooks?.failNext(100, 500);
    const failing = [(await payOrder(s, { prefix: 'oe-f1' })).orderNo, (await payOrder(s, { prefix: 'oe-f2' })).orderNo];
    await s.streams.caughtUp();
    const failed = await eventually(async () => {
      await s.runWebhookRetrier();
      const f = await get('/events/failed?limit=100');
      return failing.every((o) => f.events.some((e) => e.data.orderNo === o)) ? f.events : undefined;
    }, 15_000);
    s.webhooks?.failNext(0, 500);
    expect(failed.every((e) => e.delivery.status === 'failed')).toBe(true);
    // The latest failure first: by the time of the last attempt, each one's gave up.
    const gaveUp = failed.map((e) => Date.parse(String(e.delivery.attempts.at(-1)?.at)));
    expect(gaveUp).toEqual([...gaveUp].sort((x, y) => y - x));
    const ps = await pages('/events/failed?limit=1');
    expect(ids(ps.flatMap((p) => p.events))).toEqual(ids(failed));
    const next = String(ps[0]?.next);
    const orderCursor = String((await get(`/payments/${a}/events?limit=1`)).next);
    for (const [what, after] of Object.entries({
      "an order's listing's": orderCursor,
      altered: `${next.slice(0, -1)}${next.endsWith('A') ? 'B' : 'A'}`,
      'made up': 'garbage',
      'the plain form': `${Date.now()}#${String(failed[0]?.id)}`,
    })) {
      const r = await s.merchantRequest(`/events/failed?after=${encodeURIComponent(after)}`);
      expect([what, r.status, code(r)]).toEqual([what, 400, 'INVALID_CURSOR']);
    }
  });
});
