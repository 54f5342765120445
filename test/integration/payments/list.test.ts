/**
 * Finding orders: GET /payments lists them newest first from indexes (the proxy sees Queries,
 * never a Scan), by status, flagged ones only, within a time range, page by page.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { approve, setFault } from '../../../local/toss-sandbox/control.ts';
import { newOrderNo, startStack, type HttpReply, type Stack } from '../../support/stack.ts';

let s: Stack;
const created: string[] = [];
let paid: string;
let flagged: string;
let startedAt: string;
beforeAll(async () => {
  s = await startStack();
  startedAt = new Date(Date.now() - 1_000).toISOString();
  for (let i = 0; i < 7; i++) {
    const orderNo = newOrderNo('ls');
    await setFault(s.sandbox.url, { target: 'callback', kind: 'drop', orderNo });
    const c = await s.createPayment({ orderNo, amount: 1_000 + i, amountTaxFree: 0, productDesc: `목록 ${i}` });
    if (c.status !== 201) throw new Error(`create answered ${c.status}`);
    created.push(orderNo);
  }
  paid = created[2] as string;
  const o = await s.readOrder(paid);
  const { redirect } = await approve(s.sandbox.url, o?.payToken ?? '', 'CARD');
  await s.visit(redirect);
  flagged = created[4] as string;
  await s.store.flagOrder(flagged, 'TEST:LIST');
});
afterAll(() => s.stop());

const list = (q: string): Promise<HttpReply> => s.request(`/payments${q}`, { headers: { authorization: `Bearer ${s.token}` } });
const numbers = (r: HttpReply) => (r.json.orders as { orderNo: string }[]).map((o) => o.orderNo);

describe('GET /payments', () => {
  it("lists the most recent orders, newest first, from indexes, and the page's orders once for Toss's money facts", async () => {
    await s.proxy.reset();
    const r = await list(`?limit=100&from=${encodeURIComponent(startedAt)}`);
    expect(r.status).toBe(200);
    expect(numbers(r)).toEqual([...created].reverse());
    const ops = await s.proxy.functions();
    expect(ops['list-payments']).toEqual({ Query: expect.any(Number), BatchGetItem: 1 });
    expect((await s.proxy.counts())[s.tableName]?.BatchGetItem?.itemsReturned).toBe(created.length);
    expect(r.json.orders).toContainEqual(expect.objectContaining({ orderNo: paid, status: 'PAY_COMPLETE', paymentState: 'paid', paid: true, amount: 1_002 }));
  });

  it('by status', async () => {
    const r = await list(`?status=PAY_COMPLETE&from=${encodeURIComponent(startedAt)}`);
    expect(numbers(r)).toEqual([paid]);
  });

  it('flagged orders only', async () => {
    const r = await list('?attention=true');
    expect(numbers(r)).toContain(flagged);
    expect(numbers(r)).not.toContain(paid);
    expect(r.json.orders).toContainEqual(expect.objectContaining({ orderNo: flagged, attention: expect.objectContaining({ reason: 'TEST:LIST' }) }));
  });

  it('page by page with the cursor: every order once', async () => {
    const seen: string[] = [];
    let cursor: string | undefined;
    for (let page = 0; page < 10; page++) {
      const r = await list(`?limit=3&from=${encodeURIComponent(startedAt)}${cursor !== undefined ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
      expect((r.json.orders as unknown[]).length).toBeLessThanOrEqual(3);
      seen.push(...numbers(r));
      cursor = r.json.next as string | undefined;
      if (cursor === undefined) break;
    }
    expect(seen).toEqual([...created].reverse());
  });

  it('within a time range', async () => {
    const future = new Date(Date.now() + 3_600_000).toISOString();
    const later = new Date(Date.now() + 7_200_000).toISOString();
    expect(numbers(await list(`?from=${encodeURIComponent(future)}&to=${encodeURIComponent(later)}`))).toEqual([]);
  });

  it('refuses a bad query with 400 naming the field', async () => {
    const cases: [string, string][] = [
      ['?status=PAID', 'status'],
      ['?limit=0', 'limit'],
      ['?from=yesterday', 'from'],
      ['?attention=yes', 'attention'],
      ['?sort=asc', 'sort'],
    ];
    for (const [q, path] of cases) {
      const r = await list(q);
      expect([r.status, (r.json.error as { issues: { path: string }[] }).issues[0]?.path]).toEqual([400, path]);
    }
  });
});
