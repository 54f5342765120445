/**
 * Finding orders: GET /payments lists them newest first from indexes (the proxy sees Queries,
 * never a Scan), by status or paymentState, flagged ones only, within a time range, page by page;
 * a cursor serves only the parameters it was made for, and a bad one is a 400, never a 500.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { approve, setFault } from '../../../local/toss-sandbox/control-client.ts';
import { makeCursor } from '../../../shared/paging.ts';
import { newOrderNo, PAYMENTS_ALONE, startStack, type HttpReply, type Stack } from '../../support/stack.ts';

let s: Stack;
const created: string[] = [];
let paid: string;
let flagged: string;
let startedAt: string;
beforeAll(async () => {
  s = await startStack({}, PAYMENTS_ALONE);
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

  it('by paymentState, alone or with status, with bounded reads (a filter over index items)', async () => {
    const range = `&from=${encodeURIComponent(startedAt)}`;
    expect(numbers(await list(`?paymentState=paid${range}`))).toEqual([paid]);
    expect(numbers(await list(`?paymentState=unpaid${range}`))).toEqual([...created].reverse().filter((n) => n !== paid));
    expect(numbers(await list(`?paymentState=paid&status=PAY_COMPLETE${range}`))).toEqual([paid]);
    expect(numbers(await list(`?paymentState=refunded${range}`))).toEqual([]);
    // A status that never has this paymentState: nothing, and nothing read.
    await s.proxy.reset();
    expect(numbers(await list(`?paymentState=cancelled&status=PAY_COMPLETE${range}`))).toEqual([]);
    expect(await s.proxy.functions()).not.toHaveProperty('list-payments');
    // Page by page: every match once.
    const seen: string[] = [];
    let cursor: string | undefined;
    for (let page = 0; page < 10; page++) {
      const r = await list(`?paymentState=unpaid&limit=2${range}${cursor !== undefined ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
      seen.push(...numbers(r));
      cursor = r.json.next as string | undefined;
      if (cursor === undefined) break;
    }
    expect(seen).toEqual([...created].reverse().filter((n) => n !== paid));
  });

  it('a cursor is for the parameters it was made for: another range or filter, an altered or made-up one is 400 INVALID_CURSOR, never a 500 or page 1', async () => {
    const first = await list(`?limit=2&from=${encodeURIComponent(startedAt)}`);
    const next = first.json.next as string;
    expect(typeof next).toBe('string');
    const [position] = next.split('.') as [string, string];
    const decoded = JSON.parse(Buffer.from(position, 'base64url').toString('utf8')) as { w: [number, number]; p: { d: string; k: Record<string, unknown> } };
    const otherFrom = encodeURIComponent(new Date(Date.parse(startedAt) - 60_000).toISOString());
    const forged = (p: unknown) => makeCursor('payments', { attention: false, from: Date.parse(startedAt) }, p);
    const cases: [string, string][] = [
      ['another from', `?from=${otherFrom}&cursor=${encodeURIComponent(next)}`],
      ['another status', `?status=PAY_COMPLETE&from=${encodeURIComponent(startedAt)}&cursor=${encodeURIComponent(next)}`],
      ['no from at all', `?cursor=${encodeURIComponent(next)}`],
      ['the crafted cursor of the report', `?cursor=${Buffer.from('{"d":"2020-01-01","k":{}}').toString('base64')}`],
      ['garbage', '?cursor=garbage'],
      ['an altered check', `?from=${encodeURIComponent(startedAt)}&cursor=${position}.AAAAAAAAAAAAAAAAAAAAAA`],
      // Made with the right check (the format is no secret), holding what DynamoDB would refuse: the store refuses it first.
      ['a key of another day', `?from=${encodeURIComponent(startedAt)}&cursor=${forged({ ...decoded, p: { d: decoded.p.d, k: { ...decoded.p.k, createdDay: '2020-01-01' } } })}`],
      ['an empty key', `?from=${encodeURIComponent(startedAt)}&cursor=${forged({ ...decoded, p: { d: decoded.p.d, k: {} } })}`],
      ['a day outside the range', `?from=${encodeURIComponent(startedAt)}&cursor=${forged({ ...decoded, p: { d: '2020-01-01' } })}`],
      ['a key before the range', `?from=${encodeURIComponent(startedAt)}&cursor=${forged({ ...decoded, p: { d: decoded.p.d, k: { ...decoded.p.k, createdAt: '2020-01-01T00:00:00.000Z' } } })}`],
      ['not an order', `?from=${encodeURIComponent(startedAt)}&cursor=${forged({ ...decoded, p: { d: decoded.p.d, k: { ...decoded.p.k, pk: 'EVENTLOG' } } })}`],
      ['a range over 366 days', `?from=${encodeURIComponent(startedAt)}&cursor=${forged({ w: [0, decoded.w[1]], p: decoded.p })}`],
    ];
    for (const [what, q] of cases) {
      const r = await list(q);
      expect([what, r.status, (r.json.error as { code?: string } | undefined)?.code]).toEqual([what, 400, 'INVALID_CURSOR']);
    }
    // The real cursor with its own parameters goes on.
    expect((await list(`?limit=2&from=${encodeURIComponent(startedAt)}&cursor=${encodeURIComponent(next)}`)).status).toBe(200);
  });

  it('a listing without from/to keeps the range of its first page', async () => {
    const first = await list('?limit=2');
    const [position] = (first.json.next as string).split('.') as [string];
    const { w } = JSON.parse(Buffer.from(position, 'base64url').toString('utf8')) as { w: [number, number] };
    expect(w[1] - w[0]).toBe(30 * 86_400_000);
    expect(Math.abs(w[1] - Date.now())).toBeLessThan(60_000);
  });

  it('refuses a bad query with 400 naming the field', async () => {
    const cases: [string, string][] = [
      ['?status=PAID', 'status'],
      ['?paymentState=PAID', 'paymentState'],
      ['?limit=0', 'limit'],
      ['?limit=0x10', 'limit'],
      ['?limit=%20100', 'limit'],
      ['?limit=1e1', 'limit'],
      ['?limit=10.0', 'limit'],
      ['?limit=', 'limit'],
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
