/**
 * The ledger over HTTP (issue 19, item 5): GET /transactions lists every PAY and REFUND transaction
 * with Toss's transactionId, and its sums equal what Toss's status says for the same orders; page by
 * page with a cursor checked against its query; a CSV for Excel with `Accept: text/csv`; a range
 * reads only the rows in it, however much else the table holds.
 *
 * Payments in two months: the sandbox's clock is moved 35 days on between the two batches, so
 * Toss's times (the rows' times) of the second batch are a month later.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { advanceClock, approve, refundAtToss, type ApproveOptions } from '../../../local/toss-sandbox/control.ts';
import { createLedgerStore, ledgerKey, ledgerMonthOf } from '../../../shared/store/ledger.ts';
import type { ListTransactionsReply, TransactionView } from '../../../shared/ledger/reply-schemas.ts';
import { documentClient } from '../reconciler/support.ts';
import { newOrderNo, startStack, type HttpReply, type Stack } from '../../support/stack.ts';

let s: Stack;
const DAY = 86_400_000;
const started = Date.now() - 60_000;
let secondBatchFrom: number;
const until = Date.now() + 40 * DAY;
const paid: { orderNo: string; payToken: string }[] = [];

async function pay(body: Record<string, unknown>, choice: ApproveOptions): Promise<{ orderNo: string; payToken: string }> {
  const orderNo = newOrderNo('lg');
  const c = await s.createPayment({ orderNo, amountTaxFree: 0, productDesc: '원장', ...body });
  if (c.status !== 201) throw new Error(`create answered ${c.status}`);
  const payToken = String(c.json.payToken);
  const { redirect } = await approve(s.sandbox.url, payToken, choice);
  const landing = await s.visit(redirect);
  if (landing.status !== 200) throw new Error(`the landing answered ${landing.status}`);
  paid.push({ orderNo, payToken });
  return { orderNo, payToken };
}

const refund = async (orderNo: string, key: string, body: Record<string, unknown>): Promise<void> => {
  const r = await s.merchantRequest(`/payments/${orderNo}/refunds`, { method: 'POST', headers: { 'idempotency-key': key }, json: body });
  if (r.status !== 201) throw new Error(`refund answered ${r.status}`);
};

beforeAll(async () => {
  s = await startStack();
  // The first month: a card payment with a discount and points, refunded in part through the API and
  // in part at Toss; a Toss Money payment we execute, refunded in full; explicit tax parts; an unpaid order.
  const a = await pay({ amount: 30_000 }, { payMethod: 'CARD', discountAmount: 1_000, pointAmount: 500 });
  await refund(a.orderNo, 'lg-a1', { amount: 29_000, amountTaxFree: 0 });
  await refundAtToss(s.sandbox.url, a.payToken, { amount: 700 });
  if ((await s.merchantRequest(`/payments/${a.orderNo}?refresh=true`)).status !== 200) throw new Error('refresh failed');
  const b = await pay({ amount: 11_000, autoExecute: false }, { payMethod: 'TOSS_MONEY', bankCode: '04', discountAmount: 1_100 });
  await refund(b.orderNo, 'lg-b1', { amountTaxFree: 0 });
  await pay({ amount: 12_000, amountTaxFree: 2_000, amountTaxable: 9_091, amountVat: 909, amountServiceFee: 0 }, { payMethod: 'CARD', cardMethodType: 'CHECK' });
  if ((await s.createPayment({ orderNo: newOrderNo('lg'), amount: 1_000, amountTaxFree: 0, productDesc: '미결제' })).status !== 201) throw new Error('create failed');
  // A month later (at Toss): two more payments.
  await advanceClock(s.sandbox.url, 35 * 86_400);
  secondBatchFrom = Date.now() + 30 * DAY;
  await pay({ amount: 40_000 }, { payMethod: 'CARD', spreadOut: 0 });
  const e = await pay({ amount: 50_000 }, { payMethod: 'TOSS_MONEY', pointAmount: 5_000 });
  await refund(e.orderNo, 'lg-e1', { amount: 10_000, amountTaxFree: 0 });
  await s.streams.caughtUp();
}, 60_000);
afterAll(() => s.stop());

const iso = (ms: number) => new Date(ms).toISOString();
const ledger = (q: string, headers: Record<string, string> = {}): Promise<HttpReply> => s.merchantRequest(`/transactions${q}`, { headers });
const rowsOf = (r: HttpReply) => (r.json as unknown as ListTransactionsReply).transactions;

interface TossTransaction {
  stepType: string;
  transactionId: string;
  transactionAmount: number;
  discountedAmount: number;
  paidAmount: number;
}
const tossStatus = async (payToken: string): Promise<Record<string, unknown> & { transactions: TossTransaction[] }> => {
  const r = await fetch(`${s.sandbox.url}/api/v2/status`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ apiKey: s.apiKey, payToken }) });
  return (await r.json()) as Record<string, unknown> & { transactions: TossTransaction[] };
};
const sum = (xs: readonly number[]) => xs.reduce((a, x) => a + x, 0);

describe('GET /transactions', () => {
  it("lists every PAY and REFUND transaction of the orders, with Toss's transactionId, oldest first; its sums are Toss's", async () => {
    const r = await ledger(`?from=${encodeURIComponent(iso(started))}&to=${encodeURIComponent(iso(until))}&limit=1000`);
    expect(r.status).toBe(200);
    const rows = rowsOf(r);
    const toss = await Promise.all(paid.map(async (p) => ({ ...p, status: await tossStatus(p.payToken) })));
    const tossTxs = toss.flatMap((t) => t.status.transactions.map((x) => ({ ...x, orderNo: t.orderNo })));
    expect(tossTxs).toHaveLength(9);
    expect(rows.map((x) => x.transactionId).sort()).toEqual(tossTxs.map((x) => x.transactionId).sort());
    for (const t of tossTxs) {
      expect(rows.find((x) => x.transactionId === t.transactionId)).toMatchObject({
        stepType: t.stepType,
        orderNo: t.orderNo,
        amount: t.transactionAmount,
        discountedAmount: t.discountedAmount,
        paidAmount: t.paidAmount,
      });
    }
    expect(sum(rows.map((x) => x.amount))).toBe(sum(tossTxs.map((x) => x.transactionAmount)));
    expect(sum(rows.map((x) => x.discountedAmount ?? 0))).toBe(sum(tossTxs.map((x) => x.discountedAmount)));
    expect(sum(rows.map((x) => x.paidAmount ?? 0))).toBe(sum(tossTxs.map((x) => x.paidAmount)));
    // A payment's tax parts are those Toss's status reports.
    for (const t of toss) {
      const pay = rows.find((x) => x.orderNo === t.orderNo && x.stepType === 'PAY');
      expect({ orderNo: t.orderNo, ...pay }).toMatchObject({ amountTaxable: t.status.amountTaxable, amountTaxFree: t.status.amountTaxFree, amountVat: t.status.amountVat, amountServiceFee: t.status.amountServiceFee });
    }
    // Oldest first, times in ISO 8601; the second batch a month later at Toss.
    const times = rows.map((x) => Date.parse(x.time));
    expect(times).toEqual([...times].sort((x, y) => x - y));
    expect(rows.every((x) => /Z$|[+-]\d{2}:\d{2}$/.test(x.time))).toBe(true);
    expect(new Set(times.map(ledgerMonthOf)).size).toBe(2);
    // A refund: negative, with its refundNo; the one made at Toss with tx_, without tax parts.
    const refunds = rows.filter((x) => x.stepType === 'REFUND');
    expect(refunds.every((x) => x.amount < 0)).toBe(true);
    expect(refunds.map((x) => x.refundNo?.slice(0, 3)).sort()).toEqual(['rf_', 'rf_', 'rf_', 'tx_']);
    expect(refunds.find((x) => x.refundNo?.startsWith('tx_'))).not.toHaveProperty('amountVat');
    expect(r.json).toMatchObject({ from: iso(started), to: iso(until) });
    expect(r.json).not.toHaveProperty('next');
  });

  it('reads only the rows of its range: the cost follows the transactions listed, not the table', async () => {
    await s.proxy.reset();
    const r = await ledger(`?from=${encodeURIComponent(iso(secondBatchFrom))}&to=${encodeURIComponent(iso(until))}`);
    const rows = rowsOf(r);
    expect(rows.map((x) => x.stepType)).toEqual(['PAY', 'PAY', 'REFUND']);
    const counts = (await s.proxy.counts())[s.tableName];
    expect(counts?.Query?.itemsRead).toBe(rows.length);
    expect(Object.keys(counts ?? {})).toEqual(['Query']);
    const ops = await s.proxy.functions();
    expect(Object.keys(ops['list-transactions'] ?? {})).toEqual(['Query']);
    expect(await s.proxy.indexes()).toEqual({ 'list-transactions': { lists: counts?.Query?.requests } });
  });

  it('page by page with the cursor: every row once, in the same order', async () => {
    const q = `from=${encodeURIComponent(iso(started))}&to=${encodeURIComponent(iso(until))}`;
    const all = rowsOf(await ledger(`?${q}&limit=1000`));
    const paged: TransactionView[] = [];
    let cursor: string | undefined;
    for (let page = 0; page < 20; page++) {
      const r = await ledger(`?${q}&limit=2${cursor === undefined ? '' : `&cursor=${encodeURIComponent(cursor)}`}`);
      expect(r.status).toBe(200);
      expect(rowsOf(r).length).toBeLessThanOrEqual(2);
      paged.push(...rowsOf(r));
      cursor = r.json.next as string | undefined;
      if (cursor === undefined) break;
    }
    expect(cursor).toBeUndefined();
    expect(paged).toEqual(all);
  });

  it('without to: the window of the first page holds for the next ones', async () => {
    const first = await ledger(`?from=${encodeURIComponent(iso(started))}&limit=1`);
    const second = await ledger(`?from=${encodeURIComponent(iso(started))}&limit=1&cursor=${encodeURIComponent(String(first.json.next))}`);
    expect(second.status).toBe(200);
    expect(second.json.to).toBe(first.json.to);
  });

  it('refuses a cursor of another query, or one it did not give, with 400 INVALID_CURSOR', async () => {
    const q = `from=${encodeURIComponent(iso(started))}&to=${encodeURIComponent(iso(until))}`;
    const next = String((await ledger(`?${q}&limit=1`)).json.next);
    const other = `from=${encodeURIComponent(iso(started + 1))}&to=${encodeURIComponent(iso(until))}`;
    for (const bad of [`?${other}&cursor=${encodeURIComponent(next)}`, `?cursor=${encodeURIComponent(next)}`, `?${q}&cursor=garbage`, `?${q}&cursor=${Buffer.from('{"q":"x"}').toString('base64url')}`]) {
      await s.proxy.reset();
      const r = await ledger(bad);
      expect([bad, r.status, (r.json.error as { code: string }).code]).toEqual([bad, 400, 'INVALID_CURSOR']);
      expect(await s.proxy.functions()).toEqual({});
    }
  });

  it.each([
    ['?limit=0', 'limit'],
    ['?limit=1001', 'limit'],
    ['?limit=ten', 'limit'],
    ['?limit=1e2', 'limit'],
    ['?from=yesterday', 'from'],
    ['?type=PAY', 'type'],
  ])('refuses %s with 400 naming %s', async (q, path) => {
    const r = await ledger(q);
    expect([r.status, (r.json.error as { code: string; issues: { path: string }[] }).code, (r.json.error as { issues: { path: string }[] }).issues[0]?.path]).toEqual([400, 'VALIDATION_FAILED', path]);
  });
});

describe('GET /transactions as CSV', () => {
  it('opens in Excel: a BOM, a header row, CRLF, Korea time and ISO time, the same rows and sums as the JSON', async () => {
    const q = `?from=${encodeURIComponent(iso(started))}&to=${encodeURIComponent(iso(until))}&limit=1000`;
    const json = rowsOf(await ledger(q));
    const r = await ledger(q, { accept: 'text/csv' });
    expect(r.status).toBe(200);
    expect(r.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect(r.headers.get('content-disposition')).toMatch(/^attachment; filename="transactions-\d{8}-\d{8}\.csv"$/);
    const bytes = new Uint8Array(await (await fetch(`${s.api}/transactions${q}`, { headers: { authorization: `Bearer ${s.token}`, accept: 'text/csv' } })).arrayBuffer());
    expect([...bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const lines = r.text.replace(/^\uFEFF/, '').split('\r\n');
    expect(lines.at(-1)).toBe('');
    expect(r.text.replace(/\r\n/g, '')).not.toContain('\n');
    const [header, ...rows] = lines.slice(0, -1);
    expect(header).toBe('timeKst,time,transactionId,stepType,orderNo,amount,discountedAmount,paidAmount,amountTaxable,amountTaxFree,amountVat,amountServiceFee,payMethod,mode,refundNo');
    expect(rows).toHaveLength(json.length);
    const cells = rows.map((l) => l.split(','));
    expect(cells.map((c) => c[2])).toEqual(json.map((x) => x.transactionId));
    expect(sum(cells.map((c) => Number(c[5])))).toBe(sum(json.map((x) => x.amount)));
    for (const [i, c] of cells.entries()) {
      expect(c[0]).toMatch(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/);
      expect(Date.parse(`${c[0]?.replace(' ', 'T')}+09:00`)).toBe(Date.parse(json[i]?.time ?? ''));
      expect(c[1]).toBe(json[i]?.time);
    }
  });

  it("pages through the Link header, relative to the request's own address", async () => {
    const base = `/transactions?from=${encodeURIComponent(iso(started))}&to=${encodeURIComponent(iso(until))}&limit=4`;
    const first = await ledger(base.slice('/transactions'.length), { accept: 'text/csv' });
    const link = /^<([^>]+)>; rel="next"$/.exec(first.headers.get('link') ?? '')?.[1];
    expect(link).toMatch(/^\?.*cursor=/);
    const next = new URL(link ?? '', `${s.api}${base}`);
    const second = await s.merchantRequest(`${next.pathname}${next.search}`, { headers: { accept: 'text/csv' } });
    expect(second.status).toBe(200);
    expect(second.text.split('\r\n').length - 2).toBe(4);
  });
});

describe('the ledger rows in the table', () => {
  it('one per transactionId: written again, a row keeps what it holds and gains only what it lacked', async () => {
    const client = documentClient();
    const store = createLedgerStore({ client, tableName: s.tableName, retentionDays: 1830 });
    const row = { transactionId: `t-${newOrderNo('x')}`, stepType: 'REFUND' as const, orderNo: 'o-x', mode: 'TEST' as const, amount: -1_000, at: Date.parse('2020-01-05T00:00:00Z') };
    await store.record([row]);
    await store.record([{ ...row, amount: -9_999, paidAmount: -1_000 }]);
    const listed = await store.list({ from: Date.parse('2020-01-01T00:00:00Z'), to: Date.parse('2020-01-31T00:00:00Z'), limit: 10 });
    expect(listed.entries).toEqual([{ ...row, paidAmount: -1_000 }]);
    expect(ledgerKey(row.transactionId)).toBe(`TX#${row.transactionId}`);
  });
});
