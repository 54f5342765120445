/**
 * GET /events as a merchant polls it: pages of `limit` events, oldest first, each page's `next`
 * the cursor for `after`; `type` narrows it; a cursor held by a poller sees what is logged later;
 * the newest events are listed once they are 2 s old (GET /events/{id} shows them at once). This
 * stack has no webhook: every event is logged with delivery `none`, and redelivery is refused.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LOG_SETTLE_MS } from '../../../shared/events/event-log.ts';
import { eventId } from '../../../shared/events/order-events.ts';
import { eventually, startStack, type Stack } from '../../support/stack.ts';
import { allLogged, payOrder, quitOrder, type LoggedEvent } from './support.ts';

let s: Stack;
let all: LoggedEvent[];
beforeAll(async () => {
  s = await startStack();
  // 7 events: 5 payment.completed, 2 payment.cancelled.
  for (let i = 0; i < 5; i++) await payOrder(s, { prefix: `pg${i}` });
  for (let i = 0; i < 2; i++) await quitOrder(s, `pgq${i}`);
  await s.streams.caughtUp();
  all = await eventually(async () => {
    const events = await allLogged(s);
    return events.length >= 7 ? events : undefined;
  }, 10_000);
});
afterAll(() => s.stop());

type Page = { events: LoggedEvent[]; next?: string };
const page = async (query: string): Promise<Page> => {
  const r = await s.merchantRequest(`/events?${query}`);
  expect(r.status).toBe(200);
  return r.json as unknown as Page;
};
/** Follows `next` from the first page of `query` to the end; every page. */
async function pages(query: string): Promise<Page[]> {
  const out: Page[] = [];
  let after: string | undefined;
  for (;;) {
    const p = await page(`${query}${after !== undefined ? `&after=${encodeURIComponent(after)}` : ''}`);
    out.push(p);
    if (p.next === undefined) return out;
    after = p.next;
  }
}
const code = (r: { json: Record<string, unknown> }) => (r.json.error as { code?: string } | undefined)?.code;

describe('GET /events', () => {
  it('lists every event once, oldest first, with its cursor and delivery', () => {
    expect(all).toHaveLength(7);
    expect(all.filter((e) => e.type === 'payment.completed')).toHaveLength(5);
    expect(all.filter((e) => e.type === 'payment.cancelled')).toHaveLength(2);
    expect(new Set(all.map((e) => e.id)).size).toBe(7);
    const cursors = all.map((e) => e.cursor);
    expect([...cursors].sort()).toEqual(cursors);
    for (const e of all) {
      expect(e.cursor).toMatch(new RegExp(`^\\d{15}#${e.id}$`));
      expect(Date.parse(e.loggedAt)).toBe(Number(e.cursor.slice(0, 15)));
      // No webhook on this stack: logged, never sent.
      expect(e.delivery).toEqual({ status: 'none', attempts: [] });
    }
  });

  it('pages with limit and after: each page follows the last, together they are the whole log', async () => {
    const ps = await pages('limit=2');
    expect(ps.map((p) => p.events.length)).toEqual([2, 2, 2, 1]);
    // Each page's next is its last event's cursor; the last page has none.
    expect(ps.map((p) => p.next)).toEqual([...ps.slice(0, -1).map((p) => p.events.at(-1)?.cursor), undefined]);
    expect(ps.flatMap((p) => p.events)).toEqual(all);
    // After the last event: nothing (yet).
    expect(await page(`after=${encodeURIComponent(all.at(-1)?.cursor ?? '')}`)).toEqual({ events: [] });
    // From the middle.
    expect((await page(`limit=100&after=${encodeURIComponent(all[2]?.cursor ?? '')}`)).events).toEqual(all.slice(3));
  });

  it('type narrows it, across pages', async () => {
    const ps = await pages('type=payment.cancelled&limit=1');
    const cancelled = ps.flatMap((p) => p.events);
    expect(cancelled).toEqual(all.filter((e) => e.type === 'payment.cancelled'));
    expect(ps.slice(0, 2).every((p) => p.events.length === 1)).toBe(true);
    const completed = (await pages('type=payment.completed&limit=3')).flatMap((p) => p.events);
    expect(completed).toEqual(all.filter((e) => e.type === 'payment.completed'));
    expect((await page('type=order.flagged')).events).toEqual([]);
  });

  it('refuses a bad cursor, limit or type, and unknown parameters (400), and answers 404 for an unknown event', async () => {
    for (const q of ['after=12345', 'after=000000000000001%23nope', 'limit=0', 'limit=101', 'limit=ten', 'type=payment.done', 'order=desc']) {
      const r = await s.merchantRequest(`/events?${q}`);
      expect([q, r.status, code(r)]).toEqual([q, 400, 'VALIDATION_FAILED']);
    }
    const unknown = await s.merchantRequest('/events/evt_nosuchevent000000000000000');
    expect([unknown.status, code(unknown)]).toEqual([404, 'EVENT_NOT_FOUND']);
    expect((await s.request('/events')).status).toBe(401);
  });

  it('a poller holding a cursor sees what is logged later; the newest are listed once settled, GET /events/{id} shows them at once', async () => {
    const cursor = all.at(-1)?.cursor ?? '';
    const { orderNo, order } = await payOrder(s, { prefix: 'pglate' });
    await s.streams.caughtUp();
    const id = eventId(orderNo, order.version ?? 0, 'payment.completed');
    // Readable by id at once; listed only once LOG_SETTLE_MS old, so a cursor can never skip it.
    const asked = Date.now();
    const byId = await s.merchantRequest(`/events/${id}`);
    expect(byId.status).toBe(200);
    const loggedAt = Date.parse(String(byId.json.loggedAt));
    expect(asked - loggedAt).toBeLessThan(LOG_SETTLE_MS - 200);
    expect((await page(`after=${encodeURIComponent(cursor)}`)).events).toEqual([]);
    const later = await eventually(async () => {
      const p = await page(`after=${encodeURIComponent(cursor)}`);
      return p.events.length > 0 ? p : undefined;
    }, 8_000);
    expect(later.events.map((e) => [e.id, e.type, e.data.orderNo])).toEqual([[id, 'payment.completed', orderNo]]);
    expect(later.events[0]).toEqual(byId.json);
  });

  it('redelivery needs a webhook: 409 WEBHOOK_NOT_CONFIGURED', async () => {
    const one = await s.merchantRequest(`/events/${all[0]?.id ?? ''}/redeliver`, { method: 'POST' });
    expect([one.status, code(one)]).toEqual([409, 'WEBHOOK_NOT_CONFIGURED']);
    const since = await s.merchantRequest('/events/redeliver', { method: 'POST', json: { failedSince: new Date(0).toISOString() } });
    expect([since.status, code(since)]).toEqual([409, 'WEBHOOK_NOT_CONFIGURED']);
  });
});
