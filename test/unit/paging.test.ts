/**
 * The one cursor format (shared/paging.ts): opaque, bound to the listing and the parameters it was
 * made for, and refused (InvalidCursorError, 400 INVALID_CURSOR) when altered, made for other
 * parameters, or not a cursor at all; and the `limit` parameter, digits only.
 */
import { describe, expect, it } from 'vitest';
import * as z from '../../shared/zod.ts';
import { InvalidCursorError, limitParam, makeCursor, MAX_CURSOR_LENGTH, readCursor } from '../../shared/paging.ts';

const position = z.strictObject({ d: z.string(), n: z.int() });
const query = { status: 'PAY_COMPLETE', attention: false, from: 1_700_000_000_000, to: undefined };

describe('cursors', () => {
  it('give back the position they were made with, for the same listing and parameters', () => {
    const c = makeCursor('payments', query, { d: '2026-01-02', n: 7 });
    expect(c).toMatch(/^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]{22}$/);
    expect(readCursor('payments', query, c, position)).toEqual({ d: '2026-01-02', n: 7 });
    // The order of the parameters, and those left out, do not matter.
    expect(readCursor('payments', { from: 1_700_000_000_000, attention: false, status: 'PAY_COMPLETE' }, c, position)).toEqual({ d: '2026-01-02', n: 7 });
  });

  it('are refused for other parameters, another listing, when altered, or when not cursors at all', () => {
    const c = makeCursor('payments', query, { d: '2026-01-02', n: 7 });
    const [p, check] = c.split('.') as [string, string];
    const edited = Buffer.from(JSON.stringify({ d: '2026-01-02', n: 8 })).toString('base64url');
    const refused = [
      () => readCursor('payments', { ...query, status: 'PAY_CANCEL' }, c, position),
      () => readCursor('payments', { ...query, to: 1_800_000_000_000 }, c, position),
      () => readCursor('payments', { ...query, attention: true }, c, position),
      () => readCursor('transactions', query, c, position),
      () => readCursor('payments', query, `${edited}.${check}`, position),
      () => readCursor('payments', query, `${p}.${check.replace(/^./, (x) => (x === 'A' ? 'B' : 'A'))}`, position),
      () => readCursor('payments', query, p, position),
      () => readCursor('payments', query, 'garbage', position),
      () => readCursor('payments', query, '', position),
      () => readCursor('payments', query, '.', position),
      () => readCursor('payments', query, `${p}.${check}.x`, position),
      () => readCursor('payments', query, `${'A'.repeat(MAX_CURSOR_LENGTH)}.${check}`, position),
      // The right check over a position the listing does not take.
      () => readCursor('payments', query, makeCursor('payments', query, { d: '2026-01-02' }), position),
      () => readCursor('payments', query, makeCursor('payments', query, { d: '2026-01-02', n: 7, extra: 1 }), position),
      () => readCursor('payments', query, `${Buffer.from('not json').toString('base64url')}.${check}`, position),
    ];
    for (const read of refused) expect(read).toThrow(InvalidCursorError);
    expect(new InvalidCursorError('x').code).toBe('INVALID_CURSOR');
  });
});

describe('limit', () => {
  const limit = limitParam(20, 100);
  const parse = (v: unknown) => z.safeParse(limit, v);

  it('takes 1 to the maximum, in digits; absent, the default', () => {
    expect([parse('1').data, parse('100').data, parse('007').data, parse(undefined).data]).toEqual([1, 100, 7, 20]);
  });

  it('refuses anything else a query string may hold, however Number() would read it', () => {
    for (const v of ['0', '101', '0x10', ' 100', '100 ', '+5', '-1', '1e1', '10.0', '1.5', '', 'ten', '1_0', '１０', '9999999']) expect([v, parse(v).success]).toEqual([v, false]);
  });
});
