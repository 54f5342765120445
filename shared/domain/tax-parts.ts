/**
 * Tax parts (복합과세): how a payment's amount splits into tax-free, taxable, VAT and service fee,
 * as Toss's create and refund pages say. Pure.
 *
 * - Create: when any of the four parts is non-zero the payment has explicit parts, and the four
 *   must all be given and add up to `amount` (Toss refuses a part left blank or a sum that differs).
 *   With none set, Toss splits the amount itself: VAT = ceil(amount / 11), the rest taxable. A
 *   request that gives only a non-zero `amountTaxFree` is completed here with that same rule on the
 *   taxable rest, so what Toss receives always follows its rule.
 * - Refunds of a payment with explicit parts must name the parts they take, adding up to their
 *   amount. The parts are completed here where the answer is implied: everything left of each part
 *   (a refund of the whole balance), or the one part anything is left in. Otherwise the merchant
 *   must say, and a part's refunds never exceed what was paid in it.
 */
import type { Order } from './order.ts';
import type { Refund, RefundParts } from './refunds.ts';

export const TAX_PART_NAMES = ['amountTaxFree', 'amountTaxable', 'amountVat', 'amountServiceFee'] as const;
export type TaxPartName = (typeof TAX_PART_NAMES)[number];
export type TaxParts = Record<TaxPartName, number>;

/** A rule a request breaks: the field (`path`) and why. */
export interface PartIssue {
  path: string;
  message: string;
}

/** Toss's rule, as the messages name it. */
export const TAX_PARTS_RULE =
  "Toss's 복합과세 rule: when any of amountTaxFree, amountTaxable, amountVat, amountServiceFee is non-zero, all four are required and must add up to amount";

/** Toss's own split of what is taxable: VAT = ceil(x / 11), the rest taxable (1,000 → 909 + 91). */
export function defaultSplit(taxable: number): Pick<TaxParts, 'amountTaxable' | 'amountVat'> {
  const vat = Math.ceil(taxable / 11);
  return { amountTaxable: taxable - vat, amountVat: vat };
}

export interface CreatePartsInput {
  amount: number;
  amountTaxFree: number;
  amountTaxable?: number | undefined;
  amountVat?: number | undefined;
  amountServiceFee?: number | undefined;
}
/** What a create sends: `amountTaxFree` always; all four when the payment has explicit parts. */
export type CreateParts = Pick<TaxParts, 'amountTaxFree'> & Partial<Omit<TaxParts, 'amountTaxFree'>>;

const sumOf = (p: Partial<TaxParts>): number => TAX_PART_NAMES.reduce((s, k) => s + (p[k] ?? 0), 0);

/** The parts a create sends to Toss (completed when only `amountTaxFree` was given), or the rules it breaks. */
export function createParts(r: CreatePartsInput): { ok: true; parts: CreateParts; completed: boolean } | { ok: false; issues: PartIssue[] } {
  if (r.amountTaxFree > r.amount) return { ok: false, issues: [{ path: 'amountTaxFree', message: 'must not exceed amount' }] };
  const others = { amountTaxable: r.amountTaxable, amountVat: r.amountVat, amountServiceFee: r.amountServiceFee };
  const given: CreateParts = { amountTaxFree: r.amountTaxFree };
  for (const [k, v] of Object.entries(others) as [keyof typeof others, number | undefined][]) if (v !== undefined) given[k] = v;
  if (sumOf(given) === 0) return { ok: true, parts: given, completed: false };
  if (Object.values(others).every((v) => v === undefined))
    return { ok: true, parts: { amountTaxFree: r.amountTaxFree, ...defaultSplit(r.amount - r.amountTaxFree), amountServiceFee: 0 }, completed: true };
  const missing = (Object.keys(others) as (keyof typeof others)[]).filter((k) => others[k] === undefined);
  if (missing.length > 0)
    return {
      ok: false,
      issues: missing.map((k) => ({
        path: k,
        message: `required: ${TAX_PARTS_RULE} (give 0 for a part there is none of, or amountTaxFree alone to have the rest split by Toss's default)`,
      })),
    };
  const sum = sumOf(given);
  if (sum !== r.amount)
    return { ok: false, issues: [{ path: 'amount', message: `amountTaxFree + amountTaxable + amountVat + amountServiceFee (${sum}) must equal amount` }] };
  return { ok: true, parts: given, completed: false };
}

type PartsOf = Pick<Order, 'amountTaxFree' | 'amountTaxable' | 'amountVat' | 'amountServiceFee'>;

/**
 * The order was created with explicit parts (so Toss wants every refund's parts). An order stored
 * before creates were completed, with a non-zero `amountTaxFree` alone, reads as it did then: Toss
 * split it by its default rule, and its refunds name `amountTaxFree` only.
 */
export function hasExplicitParts(o: PartsOf): boolean {
  const others = [o.amountTaxable, o.amountVat, o.amountServiceFee];
  if (others.some((p) => p !== undefined && p !== 0)) return true;
  return o.amountTaxFree !== 0 && others.every((p) => p !== undefined);
}

const paidParts = (o: PartsOf): TaxParts => ({
  amountTaxFree: o.amountTaxFree,
  amountTaxable: o.amountTaxable ?? 0,
  amountVat: o.amountVat ?? 0,
  amountServiceFee: o.amountServiceFee ?? 0,
});
const partsOfRefund = (r: RefundParts): TaxParts => ({
  amountTaxFree: r.amountTaxFree,
  amountTaxable: r.amountTaxable ?? 0,
  amountVat: r.amountVat ?? 0,
  amountServiceFee: r.amountServiceFee ?? 0,
});

/**
 * What is left of each part of a payment with explicit parts, after its refunds (made, or in
 * flight). A refund made at Toss without us (its console) names no parts: it is counted against the
 * payment's only non-zero part when there is one; otherwise `exact` is false and `left` is only an
 * upper bound.
 */
export function partsLeft(o: PartsOf, refunds: readonly Refund[]): { left: TaxParts; exact: boolean } {
  const left = paidParts(o);
  const nonZero = TAX_PART_NAMES.filter((k) => left[k] !== 0);
  let exact = true;
  for (const r of refunds) {
    if (r.status === 'FAILED') continue;
    if (r.source === 'toss') {
      const only = nonZero.length === 1 ? nonZero[0] : undefined;
      if (only !== undefined) left[only] -= r.amount;
      else exact = false;
      continue;
    }
    const p = partsOfRefund(r);
    for (const k of TAX_PART_NAMES) left[k] -= p[k];
  }
  for (const k of TAX_PART_NAMES) left[k] = Math.max(0, left[k]);
  return { left, exact };
}

export type RefundPartsInput = Partial<TaxParts>;

const leftText = (l: TaxParts): string => TAX_PART_NAMES.map((k) => `${k} ${l[k]}`).join(', ');

/**
 * The parts a refund of `amount` sends to Toss, or what the request must say instead.
 * - A payment with explicit parts: parts named by the request are kept (all four when any of
 *   amountTaxable / amountVat / amountServiceFee is given, else `amountTaxFree` when given), and
 *   none may exceed what is left of it; the others take the rest when that is implied (nothing
 *   rest, one part with anything left, or everything left of each), else a 400 names them.
 * - Any other payment (Toss split it by its default): `amountTaxFree` as given; absent, 0 when the
 *   payment had none, or what is left of it for a refund of the whole balance.
 */
export function refundPartsFor(
  o: PartsOf,
  refunds: readonly Refund[],
  req: RefundPartsInput,
  amount: number,
  wholeBalance: boolean,
): { ok: true; parts: RefundParts } | { ok: false; issues: PartIssue[] } {
  const othersGiven = req.amountTaxable !== undefined || req.amountVat !== undefined || req.amountServiceFee !== undefined;
  if (!hasExplicitParts(o)) return defaultPaymentParts(o, refunds, req, wholeBalance, othersGiven);
  const { left, exact } = partsLeft(o, refunds);
  const named: Partial<TaxParts> = othersGiven
    ? partsOfRefund({ amountTaxFree: req.amountTaxFree ?? 0, amountTaxable: req.amountTaxable, amountVat: req.amountVat, amountServiceFee: req.amountServiceFee })
    : req.amountTaxFree !== undefined
      ? { amountTaxFree: req.amountTaxFree }
      : {};
  const over = TAX_PART_NAMES.filter((k) => (named[k] ?? 0) > left[k]);
  if (over.length > 0)
    return { ok: false, issues: over.map((k) => ({ path: k, message: `${named[k]} is more than is left of this part (${left[k]}; left: ${leftText(left)})` })) };
  const rest = amount - sumOf(named);
  if (rest < 0) return { ok: false, issues: [{ path: 'amount', message: `the parts named (${sumOf(named)}) are more than the refund's amount (${amount})` }] };
  const unnamed = TAX_PART_NAMES.filter((k) => named[k] === undefined);
  const parts: TaxParts = { amountTaxFree: 0, amountTaxable: 0, amountVat: 0, amountServiceFee: 0, ...named };
  if (rest === 0) return { ok: true, parts };
  const holders = unnamed.filter((k) => left[k] > 0);
  const only = holders.length === 1 ? holders[0] : undefined;
  const available = unnamed.reduce((s, k) => s + left[k], 0);
  if (only !== undefined && left[only] >= rest) parts[only] = rest;
  else if (exact && available === rest) for (const k of unnamed) parts[k] = left[k];
  else if (exact && wholeBalance && available < rest)
    return { ok: false, issues: [{ path: 'amount', message: `the parts not named have ${available} left, less than the ${rest} still to refund (left: ${leftText(left)})` }] };
  else
    return {
      ok: false,
      issues: (holders.length > 0 ? holders : unnamed).map((k) => ({
        path: k,
        message: `required: the payment has tax parts and this refund's split is not implied; give amountTaxFree, amountTaxable, amountVat and amountServiceFee adding up to amount (left: ${leftText(left)})`,
      })),
    };
  return { ok: true, parts };
}

function defaultPaymentParts(o: PartsOf, refunds: readonly Refund[], req: RefundPartsInput, wholeBalance: boolean, othersGiven: boolean): { ok: true; parts: RefundParts } | { ok: false; issues: PartIssue[] } {
  const parts: RefundParts = { amountTaxFree: req.amountTaxFree ?? 0 };
  if (req.amountTaxable !== undefined) parts.amountTaxable = req.amountTaxable;
  if (req.amountVat !== undefined) parts.amountVat = req.amountVat;
  if (req.amountServiceFee !== undefined) parts.amountServiceFee = req.amountServiceFee;
  if (req.amountTaxFree !== undefined || othersGiven || o.amountTaxFree === 0) return { ok: true, parts };
  // A payment with a tax-free part Toss split by its default: a refund of the whole balance takes what is left of it.
  const made = refunds.filter((r) => r.status !== 'FAILED');
  if (wholeBalance && made.every((r) => r.source !== 'toss')) {
    parts.amountTaxFree = Math.max(0, o.amountTaxFree - made.reduce((s, r) => s + r.amountTaxFree, 0));
    return { ok: true, parts };
  }
  return { ok: false, issues: [{ path: 'amountTaxFree', message: `required: the payment has a tax-free part (${o.amountTaxFree}); say how much of this refund is tax-free` }] };
}
