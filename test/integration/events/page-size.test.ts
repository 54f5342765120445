/**
 * A page of GET /events stays under Lambda's 6 MB reply, whatever its events weigh: pages are
 * bounded by bytes (MAX_PAGE_BYTES) as well as by count. 100 events of 64 KB each (6.4 MB in all,
 * more than events can weigh now, as the log could hold from before) are logged straight into the
 * stack's table; `limit=100` gives pages of at most MAX_PAGE_BYTES, and following `next` gives
 * every event once, in order. (The local gateway fails a reply over 6 MB as Lambda does: a 500.)
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAX_PAGE_BYTES } from '../../../shared/events/event-log.ts';
import { createEventStore } from '../../../shared/store/events.ts';
import { testDocumentClient } from '../../support/dynamo.ts';
import { startStack, type Stack } from '../../support/stack.ts';
import type { LoggedEvent } from './support.ts';

let s: Stack;
const ids: string[] = [];
beforeAll(async () => {
  s = await startStack();
  const client = testDocumentClient();
  try {
    const log = createEventStore({ client, tableName: s.tableName, retentionDays: 1 });
    const at = new Date().toISOString();
    const events = Array.from({ length: 100 }, (_, i) => {
      const id = `evt_big${String(i).padStart(3, '0')}`;
      ids.push(id);
      const data = { orderNo: `big-${i}`, version: 2, status: 'PAY_COMPLETE', paymentState: 'paid', paid: true, settled: false, mode: 'TEST', amount: 1_000, amountTaxFree: 0, paidAmount: 1_000, refundedAmount: 0, refundableAmount: 1_000, productDesc: 'x', autoExecute: true, metadata: 'm'.repeat(64_000), expiresAt: at, createdAt: at, updatedAt: at, transactions: [], transactionCount: 0, refundCount: 0, recentRefunds: [], href: `/payments/big-${i}` };
      return { id, type: 'payment.completed' as const, timestamp: at, orderNo: `big-${i}`, body: JSON.stringify({ id, type: 'payment.completed', timestamp: at, data }), deliveries: [] };
    });
    for (let i = 0; i < events.length; i += 20) await log.logEvents(events.slice(i, i + 20));
  } finally {
    client.destroy();
  }
});
afterAll(() => s.stop());

describe('a page of GET /events', () => {
  it('is at most MAX_PAGE_BYTES, however many events it could hold; following next gives every event once', async () => {
    const seen: string[] = [];
    const sizes: number[] = [];
    let after: string | undefined;
    for (let page = 0; page < 100; page++) {
      const r = await s.merchantRequest(`/events?limit=100${after !== undefined ? `&after=${encodeURIComponent(after)}` : ''}`);
      expect(r.status).toBe(200);
      sizes.push(Buffer.byteLength(r.text));
      const body = r.json as { events: LoggedEvent[]; next?: string };
      seen.push(...body.events.map((e) => e.id));
      if (body.next === undefined) break;
      after = body.next;
    }
    expect(seen).toEqual(ids);
    expect(Math.max(...sizes)).toBeLessThanOrEqual(MAX_PAGE_BYTES);
    // Bounded by bytes, not only by count: 64 KB events, about 16 to a page.
    expect(sizes.length).toBeGreaterThanOrEqual(6);
    expect(MAX_PAGE_BYTES * 2).toBeLessThan(6 * 1000 * 1000);
  });
});
