/**
 * GET /events as a merchant polls it: pages of `limit` events, oldest first, each page's `next`
 * the cursor for `after`; `type` narrows it; a cursor held by a poller sees what is logged later,
 * at once (positions are taken in the transaction that logs an event, so no later write can land
 * behind a cursor); a cursor past the end, altered or made up is refused (400 INVALID_CURSOR); events logged before positions existed
 * (items as the previous version wrote them) are listed first, and their cursors go on into the
 * positions. This stack has no webhook: every event is logged with delivery `none`, and
 * redelivery is refused.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { logCursor, placeOf } from '../../../shared/events/event-log.ts';
import { eventId } from '../../../shared/events/order-events.ts';
import type { Order } from '../../../shared/domain/order.ts';
import { orderView } from '../../../shared/payments/order-view.ts';
import { legacySeq, POSITION_BASE } from '../../../shared/store/event-log.ts';
import { testDocumentClient } from '../../support/dynamo.ts';
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
async function pages(query: string, from?: string): Promise<Page[]> {
  const out: Page[] = [];
  let after: string | undefined = from;
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
    // Positions 1, 2, 3… above the base, in the order logged; the cursor is opaque (shared/paging.ts) and holds the place.
    expect(all.map((e) => Number(placeOf(e.cursor).slice(0, 15)))).toEqual(all.map((_, i) => POSITION_BASE + 1 + i));
    for (const e of all) {
      expect(e.cursor).not.toContain(e.id);
      expect(placeOf(e.cursor)).toMatch(new RegExp(`^\\d{15}#${e.id}$`));
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

  it('refuses a bad cursor (400 INVALID_CURSOR), a bad limit or type and unknown parameters (400 VALIDATION_FAILED), and answers 404 for an unknown event', async () => {
    const cases: [string, string][] = [
      ['after=12345', 'INVALID_CURSOR'],
      ['after=000000000000001%23nope', 'INVALID_CURSOR'],
      ['after=garbage', 'INVALID_CURSOR'],
      [`after=${'a'.repeat(2_001)}`, 'VALIDATION_FAILED'],
    ];
    for (const [q, expected] of cases) {
      const r = await s.merchantRequest(`/events?${q}`);
      expect([q.slice(0, 40), r.status, code(r)]).toEqual([q.slice(0, 40), 400, expected]);
    }
    for (const q of ['limit=0', 'limit=101', 'limit=ten', 'limit=0x10', 'limit=%20100', 'limit=1e1', 'limit=10.0', 'limit=', 'type=payment.done', 'order=desc']) {
      const r = await s.merchantRequest(`/events?${q}`);
      expect([q, r.status, code(r)]).toEqual([q, 400, 'VALIDATION_FAILED']);
    }
    const unknown = await s.merchantRequest('/events/evt_nosuchevent000000000000000');
    expect([unknown.status, code(unknown)]).toEqual([404, 'EVENT_NOT_FOUND']);
    expect((await s.request('/events')).status).toBe(401);
  });

  it('a poller holding a cursor sees what is logged later, at once and once; GET /events/{id} shows the same event', async () => {
    const cursor = all.at(-1)?.cursor ?? '';
    const { orderNo, order } = await payOrder(s, { prefix: 'pglate' });
    await s.streams.caughtUp();
    const id = eventId(orderNo, order.version ?? 0, 'payment.completed');
    const later = await page(`after=${encodeURIComponent(cursor)}`);
    expect(later.events.map((e) => [e.id, e.type, e.data.orderNo])).toEqual([[id, 'payment.completed', orderNo]]);
    expect(later.next).toBeUndefined();
    const byId = await s.merchantRequest(`/events/${id}`);
    expect(byId.status).toBe(200);
    expect(later.events[0]).toEqual(byId.json);
    expect((await page(`after=${encodeURIComponent(later.events[0]?.cursor ?? '')}`)).events).toEqual([]);
    all = [...all, ...later.events];
  });

  it('a cursor past the end, one altered, or one of another form is refused (400 INVALID_CURSOR), never a 500 or the first page', async () => {
    const last = all.at(-1)?.cursor ?? '';
    const [position, check] = last.split('.') as [string, string];
    const altered = `${Buffer.from(JSON.stringify(`${POSITION_BASE + 1}#evt_x`)).toString('base64url')}.${check}`;
    const pastTheEnd = logCursor(`${POSITION_BASE + 10_000}#evt_x`);
    for (const c of [
      // Plain places, as cursors were before they were opaque: past the counter, or a log time after now (a 500 before).
      '999999999999999#evt_nope',
      `${POSITION_BASE + 10_000}#evt_x`,
      '099999999999999#evt_a',
      // Past the end, altered, or not a cursor at all.
      pastTheEnd,
      altered,
      `${position}.AAAAAAAAAAAAAAAAAAAAAA`,
      `${Buffer.from('{"d":"2020-01-01","k":{}}').toString('base64url')}`,
      '1000000000000001#evt_x',
      '100000000000001#other',
      '-00000000000001#evt_x',
    ]) {
      const r = await s.merchantRequest(`/events?after=${encodeURIComponent(c)}`);
      expect([c, r.status, code(r)]).toEqual([c, 400, 'INVALID_CURSOR']);
    }
    // The plain place of a real cursor still works (pollers may hold one from before).
    expect((await page(`limit=100&after=${encodeURIComponent(placeOf(all[2]?.cursor ?? ''))}`)).events).toEqual(all.slice(3));
  });

  it('events logged before positions existed are listed first, by log time, and their cursors go on into the positions', async () => {
    // Items as the previous version logged them: in the `events` index, ordered by log time.
    const docs = testDocumentClient();
    const old = [1_700_000_000_000, 1_700_000_001_000].map((loggedAt, i) => {
      const id = `evt_legacy${i}`;
      const at = new Date(loggedAt).toISOString();
      const order: Order = { orderNo: `legacy-${i}`, status: 'PAY_COMPLETE', amount: 5_000, amountTaxFree: 0, productDesc: 'old', autoExecute: true, expiresAt: at, mode: 'TEST', history: [{ from: null, to: 'PAY_COMPLETE', source: 'callback', at }], createdAt: at, updatedAt: at, checks: 0, version: 2 };
      // The data as it was then: the whole order view.
      const body = JSON.stringify({ id, type: 'payment.completed', timestamp: at, data: orderView(order, 'TEST') });
      return { pk: `EVENT#${id}`, id, type: 'payment.completed', timestamp: new Date(loggedAt).toISOString(), orderNo: `legacy-${i}`, body, loggedAt, eventLog: 'EVENTS', eventSeq: legacySeq(loggedAt, id), delivery: { status: 'none', attempts: [] } };
    });
    try {
      for (const item of old) await docs.send(new PutCommand({ TableName: s.tableName, Item: item }));
    } finally {
      docs.destroy();
    }
    const listed = await allLogged(s);
    expect(listed.map((e) => e.id)).toEqual([...old.map((o) => o.id), ...all.map((e) => e.id)]);
    expect(placeOf(listed[0]?.cursor ?? '')).toBe(old[0]?.eventSeq);
    expect(listed[0]).toMatchObject({ data: { orderNo: 'legacy-0', status: 'PAY_COMPLETE', version: 2, refundCount: 0, recentRefunds: [], href: '/payments/legacy-0' }, loggedAt: new Date(1_700_000_000_000).toISOString() });
    // A poller holding an old cursor gets the rest of the old events, then the new ones.
    const ps = await pages('limit=2', old[0]?.eventSeq);
    expect(ps.flatMap((p) => p.events).map((e) => e.id)).toEqual([old[1]?.id, ...all.map((e) => e.id)]);
    // The bounded data, derived from the whole order view the old event holds.
    expect(listed[0]?.data).not.toHaveProperty('history');
    // GET /events/{id} reads an old event too.
    expect((await s.merchantRequest(`/events/${old[1]?.id ?? ''}`)).json).toMatchObject({ id: old[1]?.id, cursor: logCursor(old[1]?.eventSeq ?? '') });
  });

  it('redelivery needs a webhook: 409 WEBHOOK_NOT_CONFIGURED', async () => {
    const one = await s.merchantRequest(`/events/${all[0]?.id ?? ''}/redeliver`, { method: 'POST' });
    expect([one.status, code(one)]).toEqual([409, 'WEBHOOK_NOT_CONFIGURED']);
    const since = await s.merchantRequest('/events/redeliver', { method: 'POST', json: { failedSince: new Date(0).toISOString() } });
    expect([since.status, code(since)]).toEqual([409, 'WEBHOOK_NOT_CONFIGURED']);
  });
});
