/**
 * The ledger's pure parts: the rows an order gives and a change adds (shared/ledger/entries.ts), the
 * CSV (csv.ts), the query and its cursor (query.ts), content negotiation (http.ts), and the months
 * a range reads (shared/store/ledger.ts).
 */
import { describe, expect, it } from 'vitest';
import type { Order } from '../../shared/domain/order.ts';
import { changedEntries, ledgerEntriesOf } from '../../shared/ledger/entries.ts';
import { csvCell, transactionsCsv } from '../../shared/ledger/csv.ts';
import { csvReply, wantsCsv } from '../../shared/ledger/http.ts';
import { transactionView } from '../../shared/ledger/list.ts';
import { cursorAfter, parseLedgerQuery } from '../../shared/ledger/query.ts';
import { RequestValidationError } from '../../shared/http/request-errors.ts';
import { InvalidCursorError, makeCursor } from '../../shared/paging.ts';
import { ledgerMonthOf, ledgerSeq, monthsBetween } from '../../shared/store/ledger.ts';

const paidOrder = (over: Partial<Order> = {}): Order => ({
  orderNo: 'o-1',
  status: 'PAY_COMPLETE',
  payToken: 'tok',
  amount: 10_000,
  amountTaxFree: 0,
  productDesc: '셔츠',
  autoExecute: true,
  expiresAt: '2026-01-01T00:15:00.000Z',
  mode: 'TEST',
  payMethod: 'CARD',
  paidTs: '2026-01-01 09:00:05',
  tossMoney: { amountTaxable: 9_090, amountTaxFree: 0, amountVat: 910, amountServiceFee: 0, discountedAmount: 1_000, paidAmount: 9_000 },
  transactions: [{ stepType: 'PAY', transactionId: 't-pay', transactionAmount: 10_000, discountedAmount: 1_000, paidAmount: 9_000, regTs: '2026-01-01 09:00:05' }],
  history: [],
  createdAt: '2026-01-01T00:00:00.000Z',
  updatedAt: '2026-01-01T00:00:05.000Z',
  checks: 0,
  refunds: {},
  ...over,
});

describe('ledger rows', () => {
  it("a payment: Toss's transaction, its time, and the tax parts as Toss applied them", () => {
    expect(ledgerEntriesOf(paidOrder())).toEqual([
      {
        transactionId: 't-pay',
        stepType: 'PAY',
        orderNo: 'o-1',
        mode: 'TEST',
        payMethod: 'CARD',
        amount: 10_000,
        discountedAmount: 1_000,
        paidAmount: 9_000,
        amountTaxable: 9_090,
        amountTaxFree: 0,
        amountVat: 910,
        amountServiceFee: 0,
        at: Date.parse('2026-01-01T00:00:05Z'),
      },
    ]);
  });

  it("refunds: ours with the refundNo, Toss's reply's figures and parts; one made at Toss without parts", () => {
    const o = paidOrder({
      status: 'REFUND_SUCCESS',
      transactions: [
        ...(paidOrder().transactions ?? []),
        { stepType: 'REFUND', transactionId: 't-console', transactionAmount: -2_000, discountedAmount: 0, paidAmount: -2_000, regTs: '2026-01-03 10:00:00' },
      ],
      refunds: {
        rf_a: {
          refundNo: 'rf_a',
          amount: 3_000,
          amountTaxFree: 0,
          status: 'SUCCEEDED',
          source: 'api',
          requestedAt: '2026-01-02T00:00:00.000Z',
          approvedAt: '2026-01-02T00:00:01.000Z',
          transactionId: 't-api',
          toss: { refundedDiscountAmount: 0, refundedPaidAmount: -3_000, amountTaxFree: 0, amountTaxable: 2_727, amountVat: 273, amountServiceFee: 0 },
        },
        'tx_t-console': {
          refundNo: 'tx_t-console',
          amount: 2_000,
          amountTaxFree: 0,
          status: 'SUCCEEDED',
          source: 'toss',
          requestedAt: '2026-01-03T01:00:00.000Z',
          transactionId: 't-console',
        },
      },
    });
    const rows = ledgerEntriesOf(o);
    expect(rows.map((r) => [r.stepType, r.transactionId, r.amount, r.paidAmount, r.refundNo])).toEqual([
      ['PAY', 't-pay', 10_000, 9_000, undefined],
      ['REFUND', 't-console', -2_000, -2_000, 'tx_t-console'],
      ['REFUND', 't-api', -3_000, -3_000, 'rf_a'],
    ]);
    expect(rows[1]).not.toHaveProperty('amountVat');
    expect(rows[2]).toMatchObject({ amountTaxable: 2_727, amountVat: 273, at: Date.parse('2026-01-02T00:00:01Z') });
  });

  it('parts of an order created with explicit ones when Toss said none; none when only amountTaxFree was given', () => {
    const explicit = paidOrder({ tossMoney: undefined, amountTaxFree: 1_000, amountTaxable: 8_182, amountVat: 818, amountServiceFee: 0 });
    expect(ledgerEntriesOf(explicit)[0]).toMatchObject({ amountTaxable: 8_182, amountTaxFree: 1_000, amountVat: 818, amountServiceFee: 0 });
    const old = paidOrder({ tossMoney: undefined });
    expect(ledgerEntriesOf(old)[0]).not.toHaveProperty('amountTaxFree');
  });

  it('no row without an id, a step type Toss names, or an amount', () => {
    const o = paidOrder({
      transactions: [
        { stepType: 'PAY', transactionAmount: 10_000 },
        { stepType: 'ESCROW', transactionId: 't-x', transactionAmount: 1 },
        { stepType: 'REFUND', transactionId: 't-y' },
      ],
    });
    expect(ledgerEntriesOf(o)).toEqual([]);
  });

  it('a change adds the rows the order did not have before, or had otherwise; nothing when they are the same', () => {
    const before = paidOrder({ status: 'PAY_STANDBY', transactions: [] });
    const after = paidOrder();
    expect(changedEntries(before, after).map((r) => r.transactionId)).toEqual(['t-pay']);
    expect(changedEntries(undefined, after).map((r) => r.transactionId)).toEqual(['t-pay']);
    expect(changedEntries(after, { ...after, version: 9, checks: 3 })).toEqual([]);
    const known = paidOrder({ tossMoney: undefined });
    expect(changedEntries(known, after).map((r) => r.transactionId)).toEqual(['t-pay']);
  });
});

describe('CSV', () => {
  it('opens in Excel: a BOM, a header row, CRLF, Korea time and ISO time, numbers as numbers', () => {
    const csv = transactionsCsv(ledgerEntriesOf(paidOrder()).map(transactionView));
    expect(csv.startsWith('\uFEFFtimeKst,time,transactionId,stepType,orderNo,amount,discountedAmount,paidAmount,')).toBe(true);
    expect(csv.split('\r\n')).toEqual([
      '\uFEFFtimeKst,time,transactionId,stepType,orderNo,amount,discountedAmount,paidAmount,amountTaxable,amountTaxFree,amountVat,amountServiceFee,payMethod,mode,refundNo',
      '2026-01-01 09:00:05,2026-01-01T00:00:05.000Z,t-pay,PAY,o-1,10000,1000,9000,9090,0,910,0,CARD,TEST,',
      '',
    ]);
    expect(csv).not.toMatch(/[^\r]\n/);
  });

  it('quotes what must be quoted and defuses what a spreadsheet would run', () => {
    expect(csvCell('a,b')).toBe('"a,b"');
    expect(csvCell('say "hi"')).toBe('"say ""hi"""');
    expect(csvCell('two\nlines')).toBe('"two\nlines"');
    expect(csvCell('-1+1')).toBe("'-1+1");
    expect(csvCell('@SUM(A1)')).toBe("'@SUM(A1)");
    expect(csvCell('=1,2')).toBe('"\'=1,2"');
    expect(csvCell(-1_000)).toBe('-1000');
    expect(csvCell(undefined)).toBe('');
  });

  it('a refund of an orderNo starting with - stays text, its amount a negative number', () => {
    const row = transactionView({ transactionId: 't', stepType: 'REFUND', orderNo: '-A1', mode: 'LIVE', amount: -500, at: 0 });
    expect(transactionsCsv([row]).split('\r\n')[1]).toBe("1970-01-01 09:00:00,1970-01-01T00:00:00.000Z,t,REFUND,'-A1,-500,,,,,,,,LIVE,");
  });
});

describe('the query', () => {
  const now = Date.parse('2026-03-31T00:00:00Z');

  it('defaults: to now, from 30 days before; limit 100', () => {
    expect(parseLedgerQuery({}, now).query).toEqual({ from: now - 30 * 86_400_000, to: now, limit: 100 });
  });

  it.each([
    [{ limit: '0' }, 'limit'],
    [{ limit: '1001' }, 'limit'],
    [{ limit: '1e2' }, 'limit'],
    [{ limit: ' 10' }, 'limit'],
    [{ limit: '0x10' }, 'limit'],
    [{ limit: '10.0' }, 'limit'],
    [{ from: 'yesterday' }, 'from'],
    [{ from: '2026-03-02T00:00:00Z', to: '2026-03-01T00:00:00Z' }, 'from'],
    [{ from: '2024-01-01T00:00:00Z', to: '2026-01-01T00:00:00Z' }, 'from'],
    [{ after: 'x' }, 'after'],
  ])('refuses %j (400 naming %s)', (params, path) => {
    let error: unknown;
    try {
      parseLedgerQuery(params, now);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(RequestValidationError);
    expect((error as RequestValidationError).issues[0]?.path).toBe(path);
  });

  it('goes on from its cursor, in the window the first page resolved', () => {
    const first = parseLedgerQuery({ limit: '2' }, now);
    const cursor = cursorAfter(first.raw, first.query, { at: now - 1_000, stepType: 'REFUND', transactionId: 't-9' });
    // Later: "now" has moved on; the cursor keeps the first page's window.
    expect(parseLedgerQuery({ limit: '5', cursor }, now + 60_000).query).toEqual({ ...first.query, limit: 5, after: { at: now - 1_000, stepType: 'REFUND', transactionId: 't-9' } });
  });

  it('refuses a cursor of another query, or one it did not make, with INVALID_CURSOR', () => {
    const q = { from: '2026-03-01T00:00:00Z', to: '2026-03-31T00:00:00Z' };
    const first = parseLedgerQuery(q, now);
    const cursor = cursorAfter(first.raw, first.query, { at: first.query.from + 1, stepType: 'PAY', transactionId: 't-1' });
    expect(() => parseLedgerQuery({ ...q, cursor }, now)).not.toThrow();
    const refused = (params: Record<string, string>) => () => parseLedgerQuery(params, now);
    expect(refused({ ...q, from: '2026-02-28T00:00:00Z', cursor })).toThrow(InvalidCursorError);
    expect(refused({ cursor })).toThrow(InvalidCursorError);
    expect(refused({ ...q, cursor: 'not-a-cursor' })).toThrow(InvalidCursorError);
    // An altered cursor fails its check; one made with a valid check around a position this listing
    // never gives fails the position's own checks.
    expect(refused({ ...q, cursor: `${cursor.slice(0, -2)}AA` })).toThrow(InvalidCursorError);
    const bound = { from: first.raw.from, to: first.raw.to };
    const forged = (c: Record<string, unknown>) => makeCursor('transactions', bound, c);
    const real = { f: first.query.from, t: first.query.to, a: first.query.from + 1, s: 'PAY', x: 't-1' };
    expect(refused({ ...q, cursor: forged(real) })).not.toThrow();
    for (const bad of [{ ...real, a: first.query.to + 1 }, { ...real, x: 'a b' }, { ...real, f: real.t + 1 }, { ...real, extra: 1 }, { ...real, a: 1.5 }, { ...real, s: 'ESCROW' }])
      expect(refused({ ...q, cursor: forged(bad) })).toThrow(InvalidCursorError);
    expect(new InvalidCursorError('x').code).toBe('INVALID_CURSOR');
  });
});

describe('content negotiation', () => {
  it.each([
    ['text/csv', true],
    ['text/csv; charset=utf-8', true],
    ['text/*', true],
    ['application/json, text/csv;q=0.5', false],
    ['text/csv, application/json;q=0.9', true],
    ['*/*', false],
    ['application/json', false],
    ['text/csv;q=0', false],
  ])('Accept %s: CSV %s', (accept, csv) => {
    expect(wantsCsv(accept)).toBe(csv);
  });

  it('no Accept: JSON', () => {
    expect(wantsCsv(undefined)).toBe(false);
  });

  it('a CSV page names its file by Korea-time days and links the next page with the same query', () => {
    const r = csvReply({ from: '2026-02-28T15:00:00.000Z', to: '2026-03-31T14:59:59.000Z', transactions: [], next: 'CUR' }, { from: '2026-03-01T00:00:00+09:00', limit: '10', cursor: 'OLD' });
    expect(r.headers).toMatchObject({
      'Content-Type': 'text/csv; charset=utf-8',
      'Content-Disposition': 'attachment; filename="transactions-20260301-20260331.csv"',
      Link: '<?from=2026-03-01T00%3A00%3A00%2B09%3A00&limit=10&cursor=CUR>; rel="next"',
    });
  });
});

describe("the ledger's keys in the lists index", () => {
  it('months in Korea time, from the first to the last, across years', () => {
    expect(ledgerMonthOf(Date.parse('2026-01-31T15:00:00Z'))).toBe('2026-02');
    expect(monthsBetween(Date.parse('2025-11-15T00:00:00Z'), Date.parse('2026-02-01T00:00:00Z'))).toEqual(['2025-11', '2025-12', '2026-01', '2026-02']);
    expect(monthsBetween(Date.parse('2026-02-01T00:00:00Z'), Date.parse('2026-02-02T00:00:00Z'))).toEqual(['2026-02']);
  });

  it('time order as strings: the time zero-padded, a payment before a refund of the same time, then the transactionId', () => {
    expect(ledgerSeq({ at: 999, stepType: 'REFUND', transactionId: 'b' }) < ledgerSeq({ at: 1_000, stepType: 'PAY', transactionId: 'a' })).toBe(true);
    expect(ledgerSeq({ at: 1_000, stepType: 'PAY', transactionId: 'z' }) < ledgerSeq({ at: 1_000, stepType: 'REFUND', transactionId: 'a' })).toBe(true);
    expect(ledgerSeq({ at: 1_700_000_000_000, stepType: 'PAY', transactionId: 't' })).toBe('001700000000000#P#t');
  });
});
