/**
 * Tax parts (복합과세) as Toss's create and refund pages state them, pure: what a create sends
 * (completed with Toss's default rule when only amountTaxFree is given; refused when a part is
 * blank or the four do not add up), and what a refund of a payment with parts sends (completed
 * where implied, refused naming the parts otherwise, never more than is left of a part). An order
 * stored before creates were completed reads as it did.
 */
import { describe, expect, it } from 'vitest';
import type { Refund } from '../../shared/domain/refunds.ts';
import { createParts, defaultSplit, hasExplicitParts, partsLeft, refundPartsFor } from '../../shared/domain/tax-parts.ts';
import { createPaymentSchema } from '../../shared/payments/request-schemas.ts';

const base = { amount: 10_000, productDesc: 'T' };
const refund = (over: Partial<Refund>): Refund => ({
  refundNo: 'rf_1',
  amount: 1_000,
  amountTaxFree: 0,
  status: 'SUCCEEDED',
  source: 'api',
  requestedAt: '2026-01-01T00:00:00.000Z',
  ...over,
});
const paths = (r: ReturnType<typeof createParts> | ReturnType<typeof refundPartsFor>) => (r.ok ? [] : r.issues.map((i) => i.path));

describe('create', () => {
  it("Toss's default split: VAT = ceil(x / 11), the rest taxable", () => {
    expect(defaultSplit(1000)).toEqual({ amountTaxable: 909, amountVat: 91 });
    expect(defaultSplit(7000)).toEqual({ amountTaxable: 6363, amountVat: 637 });
    expect(defaultSplit(0)).toEqual({ amountTaxable: 0, amountVat: 0 });
  });

  it('no part set: sent as given, Toss splits it', () => {
    expect(createParts({ amount: 10_000, amountTaxFree: 0 })).toEqual({ ok: true, parts: { amountTaxFree: 0 }, completed: false });
    expect(createParts({ amount: 10_000, amountTaxFree: 0, amountServiceFee: 0 })).toMatchObject({ ok: true, parts: { amountTaxFree: 0, amountServiceFee: 0 } });
  });

  it('only amountTaxFree (non-zero): the rest completed by the default rule, all four sent', () => {
    expect(createParts({ amount: 10_000, amountTaxFree: 3_000 })).toEqual({
      ok: true,
      parts: { amountTaxFree: 3_000, amountTaxable: 6_363, amountVat: 637, amountServiceFee: 0 },
      completed: true,
    });
    expect(createParts({ amount: 10_000, amountTaxFree: 10_000 })).toMatchObject({ parts: { amountTaxFree: 10_000, amountTaxable: 0, amountVat: 0, amountServiceFee: 0 } });
  });

  it('explicit parts: all four, adding up to amount', () => {
    expect(createParts({ amount: 10_000, amountTaxFree: 0, amountTaxable: 9_091, amountVat: 909, amountServiceFee: 0 }).ok).toBe(true);
    // A part left blank (Toss refuses it), whichever one.
    expect(paths(createParts({ amount: 10_000, amountTaxFree: 0, amountTaxable: 9_091, amountVat: 909 }))).toEqual(['amountServiceFee']);
    expect(paths(createParts({ amount: 10_000, amountTaxFree: 3_000, amountServiceFee: 0 }))).toEqual(['amountTaxable', 'amountVat']);
    // Not adding up.
    expect(paths(createParts({ amount: 10_000, amountTaxFree: 3_000, amountTaxable: 0, amountVat: 0, amountServiceFee: 0 }))).toEqual(['amount']);
    expect(paths(createParts({ amount: 10_000, amountTaxFree: 11_000 }))).toEqual(['amountTaxFree']);
  });

  it('the request schema refuses what breaks the rule, naming it', () => {
    const r = createPaymentSchema.safeParse({ ...base, amountTaxFree: 0, amountTaxable: 9_000, amountVat: 900 });
    expect(r.success).toBe(false);
    expect(r.error?.issues.map((i) => [i.path.join('.'), i.message.includes('복합과세')])).toEqual([['amountServiceFee', true]]);
    const sum = createPaymentSchema.safeParse({ ...base, amountTaxFree: 0, amountTaxable: 9_000, amountVat: 900, amountServiceFee: 0 });
    expect(sum.error?.issues.map((i) => [i.path.join('.'), i.message])).toEqual([['amount', 'amountTaxFree + amountTaxable + amountVat + amountServiceFee (9900) must equal amount']]);
    expect(createPaymentSchema.safeParse({ ...base, amountTaxFree: 3_000 }).success).toBe(true);
  });
});

describe('refund', () => {
  const explicit = { amountTaxFree: 3_000, amountTaxable: 6_363, amountVat: 637, amountServiceFee: 0 };
  const taxFreeOnly = { amountTaxFree: 10_000, amountTaxable: 0, amountVat: 0, amountServiceFee: 0 };

  it('which orders have explicit parts (an order stored with amountTaxFree alone reads as before)', () => {
    expect(hasExplicitParts(explicit)).toBe(true);
    expect(hasExplicitParts(taxFreeOnly)).toBe(true);
    expect(hasExplicitParts({ amountTaxFree: 0 })).toBe(false);
    expect(hasExplicitParts({ amountTaxFree: 3_000 })).toBe(false);
    expect(hasExplicitParts({ amountTaxFree: 0, amountTaxable: 909, amountVat: 91 })).toBe(true);
  });

  it('the whole balance takes what is left of each part', () => {
    expect(refundPartsFor(explicit, [], {}, 10_000, true)).toEqual({ ok: true, parts: explicit });
    const first = refund({ amount: 4_000, amountTaxFree: 1_000, amountTaxable: 2_727, amountVat: 273, amountServiceFee: 0 });
    expect(refundPartsFor(explicit, [first], {}, 6_000, true)).toEqual({ ok: true, parts: { amountTaxFree: 2_000, amountTaxable: 3_636, amountVat: 364, amountServiceFee: 0 } });
    // amountTaxFree named, the rest from what is left of the others.
    expect(refundPartsFor(explicit, [], { amountTaxFree: 3_000 }, 10_000, true)).toEqual({ ok: true, parts: explicit });
  });

  it('a partial refund of a payment with one part: that part', () => {
    expect(refundPartsFor(taxFreeOnly, [], {}, 2_500, false)).toEqual({ ok: true, parts: { amountTaxFree: 2_500, amountTaxable: 0, amountVat: 0, amountServiceFee: 0 } });
    // A refund made at Toss without parts is counted against the only part there is.
    const left = partsLeft(taxFreeOnly, [refund({ source: 'toss', amount: 4_000 })]);
    expect(left).toEqual({ left: { ...taxFreeOnly, amountTaxFree: 6_000 }, exact: true });
    // With amountTaxFree named, the rest must come from somewhere: only one other part has anything left.
    expect(refundPartsFor({ amountTaxFree: 3_000, amountTaxable: 7_000, amountVat: 0, amountServiceFee: 0 }, [], { amountTaxFree: 1_000 }, 3_000, false)).toEqual({
      ok: true,
      parts: { amountTaxFree: 1_000, amountTaxable: 2_000, amountVat: 0, amountServiceFee: 0 },
    });
  });

  it('a partial refund whose split is not implied: 400 naming the parts to give', () => {
    expect(paths(refundPartsFor(explicit, [], {}, 1_000, false))).toEqual(['amountTaxFree', 'amountTaxable', 'amountVat']);
    expect(paths(refundPartsFor(explicit, [], { amountTaxFree: 0 }, 1_000, false))).toEqual(['amountTaxable', 'amountVat']);
    // A refund made at Toss (no parts) on a payment of several parts: even the whole balance is not implied.
    expect(partsLeft(explicit, [refund({ source: 'toss', amount: 1_000 })]).exact).toBe(false);
    expect(refundPartsFor(explicit, [refund({ source: 'toss', amount: 1_000 })], {}, 9_000, true).ok).toBe(false);
  });

  it("a part's refunds never exceed what was paid in it", () => {
    const r = refundPartsFor(explicit, [], { amountTaxFree: 4_000, amountTaxable: 0, amountVat: 0, amountServiceFee: 0 }, 4_000, false);
    expect(paths(r)).toEqual(['amountTaxFree']);
    const after = [refund({ amount: 3_000, amountTaxFree: 3_000, amountTaxable: 0, amountVat: 0, amountServiceFee: 0 })];
    expect(paths(refundPartsFor(explicit, after, { amountTaxFree: 1 }, 1, false))).toEqual(['amountTaxFree']);
    // Named in full, within what is left: kept as named.
    expect(refundPartsFor(explicit, after, { amountTaxFree: 0, amountTaxable: 1_000, amountVat: 100, amountServiceFee: 0 }, 1_100, false)).toEqual({
      ok: true,
      parts: { amountTaxFree: 0, amountTaxable: 1_000, amountVat: 100, amountServiceFee: 0 },
    });
  });

  it('a payment Toss split by its default: amountTaxFree as given, else 0, else what is left of it for the whole balance', () => {
    expect(refundPartsFor({ amountTaxFree: 0 }, [], {}, 1_000, false)).toEqual({ ok: true, parts: { amountTaxFree: 0 } });
    expect(refundPartsFor({ amountTaxFree: 0 }, [], { amountTaxFree: 0, amountTaxable: 909, amountVat: 91 }, 1_000, false)).toEqual({
      ok: true,
      parts: { amountTaxFree: 0, amountTaxable: 909, amountVat: 91 },
    });
    // Stored before creates were completed (amountTaxFree alone): as before, the merchant says; the whole balance takes what is left.
    expect(refundPartsFor({ amountTaxFree: 3_000 }, [], { amountTaxFree: 500 }, 1_000, false)).toEqual({ ok: true, parts: { amountTaxFree: 500 } });
    expect(paths(refundPartsFor({ amountTaxFree: 3_000 }, [], {}, 1_000, false))).toEqual(['amountTaxFree']);
    expect(refundPartsFor({ amountTaxFree: 3_000 }, [refund({ amountTaxFree: 500 })], {}, 9_000, true)).toEqual({ ok: true, parts: { amountTaxFree: 2_500 } });
  });
});
