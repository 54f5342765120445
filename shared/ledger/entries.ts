/**
 * The ledger's rows (거래 대사): one per Toss transaction of an order, PAY or REFUND, keyed by Toss's
 * transactionId, derived from the order as the table's stream carries it. Pure: the same order
 * always gives the same rows, however often the stream delivers its change.
 *
 * A row says what Toss says of the transaction: its amount (negative for a refund, as Toss gives
 * it), the discount and what the buyer's payment method paid or got back, and Toss's time. The tax
 * parts where they are known: a payment's as Toss applied them (its status) or, when the order was
 * created with explicit parts, those parts (Toss applies them as given); a refund's as Toss's reply
 * stated them or as our request named all of them. A refund made in Toss's console has none.
 */
import { transactionsOf } from '../domain/money-facts.ts';
import type { Order, TossTransaction } from '../domain/order.ts';
import { refundsOf, type Refund, type RefundParts } from '../domain/refunds.ts';
import { tossTimeMs } from '../domain/toss-time.ts';
import type { LedgerEntry, StepType, TaxParts } from './ports.ts';

// The row's shape is the ledger's port's (./ports.ts); named here too, beside the rows it describes.
export type { LedgerEntry, StepType, TaxParts };

const PARTS = ['amountTaxable', 'amountTaxFree', 'amountVat', 'amountServiceFee'] as const;

/** All four parts, or nothing (a partial set would make a sum that means nothing). */
function fourParts(p: Partial<Record<(typeof PARTS)[number], number | undefined>> | undefined): TaxParts | undefined {
  if (p === undefined || PARTS.some((k) => typeof p[k] !== 'number')) return undefined;
  return { amountTaxable: p.amountTaxable!, amountTaxFree: p.amountTaxFree!, amountVat: p.amountVat!, amountServiceFee: p.amountServiceFee! };
}

/** A request named its parts explicitly: one of taxable, VAT or service fee is given (the others then count as 0). */
const explicit = (p: RefundParts | Pick<Order, 'amountTaxFree' | 'amountTaxable' | 'amountVat' | 'amountServiceFee'>): TaxParts | undefined =>
  [p.amountTaxable, p.amountVat, p.amountServiceFee].some((x) => x !== undefined && x !== 0)
    ? { amountTaxable: p.amountTaxable ?? 0, amountTaxFree: p.amountTaxFree, amountVat: p.amountVat ?? 0, amountServiceFee: p.amountServiceFee ?? 0 }
    : undefined;

const payParts = (o: Order): TaxParts | undefined => fourParts(o.tossMoney) ?? explicit(o);
const refundParts = (r: Refund | undefined): TaxParts | undefined => (r === undefined ? undefined : (fourParts(r.toss) ?? (r.source === 'api' ? explicit(r) : undefined)));

const msOf = (...times: (string | undefined)[]): number | undefined => {
  for (const t of times) {
    const ms = t === undefined ? undefined : tossTimeMs(t);
    if (ms !== undefined) return ms;
  }
  return undefined;
};

/** Every ledger row of the order (transactions without an id, a step type or an amount are not rows). */
export function ledgerEntriesOf(o: Order): LedgerEntry[] {
  const byTransaction = new Map(refundsOf(o).filter((r) => r.transactionId !== undefined).map((r) => [r.transactionId as string, r]));
  const out: LedgerEntry[] = [];
  for (const t of transactionsOf(o)) {
    const row = rowOf(o, t, byTransaction);
    if (row !== undefined) out.push(row);
  }
  return out;
}

function rowOf(o: Order, t: TossTransaction, refunds: ReadonlyMap<string, Refund>): LedgerEntry | undefined {
  if ((t.stepType !== 'PAY' && t.stepType !== 'REFUND') || t.transactionId === undefined || typeof t.transactionAmount !== 'number') return undefined;
  const refund = t.stepType === 'REFUND' ? refunds.get(t.transactionId) : undefined;
  const at = t.stepType === 'PAY' ? msOf(t.regTs, o.paidTs, o.paidAt, o.updatedAt) : msOf(t.regTs, refund?.approvedAt, o.updatedAt);
  if (at === undefined) return undefined;
  const row: LedgerEntry = { transactionId: t.transactionId, stepType: t.stepType, orderNo: o.orderNo, mode: o.mode, amount: t.transactionAmount, at };
  if (o.payMethod !== undefined) row.payMethod = o.payMethod;
  if (t.discountedAmount !== undefined) row.discountedAmount = t.discountedAmount;
  if (t.paidAmount !== undefined) row.paidAmount = t.paidAmount;
  Object.assign(row, t.stepType === 'PAY' ? payParts(o) : refundParts(refund));
  if (refund !== undefined) row.refundNo = refund.refundNo;
  return row;
}

const same = (a: LedgerEntry, b: LedgerEntry): boolean => JSON.stringify(a, Object.keys(a).sort()) === JSON.stringify(b, Object.keys(b).sort());

/** The rows of `after` that `before` did not have, or had otherwise: what one change of the order adds to the ledger. */
export function changedEntries(before: Order | undefined, after: Order): LedgerEntry[] {
  const earlier = new Map((before === undefined ? [] : ledgerEntriesOf(before)).map((e) => [e.transactionId, e]));
  return ledgerEntriesOf(after).filter((e) => {
    const was = earlier.get(e.transactionId);
    return was === undefined || !same(was, e);
  });
}
