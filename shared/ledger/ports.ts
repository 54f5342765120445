/** What the ledger's use cases need from the world: its rows in the table (shared/store/ledger.ts), and the rows' shape (made by ./entries.ts). */
import type { Mode } from '../domain/order.ts';

export type StepType = 'PAY' | 'REFUND';

export interface TaxParts {
  amountTaxable: number;
  amountTaxFree: number;
  amountVat: number;
  amountServiceFee: number;
}

export interface LedgerEntry extends Partial<TaxParts> {
  transactionId: string;
  stepType: StepType;
  orderNo: string;
  mode: Mode;
  payMethod?: string;
  /** Toss's transactionAmount: negative for a refund. */
  amount: number;
  /** Toss's figures of the transaction: the discount, and the payment method's part (negative for a refund). */
  discountedAmount?: number;
  paidAmount?: number;
  /** Epoch ms of Toss's time of the transaction (its regTs; else the order's or the refund's record of it). */
  at: number;
  /** The refund's number with us: `rf_…` (our API) or `tx_…` (made at Toss). */
  refundNo?: string;
}

/** Where a listing stands: the last row given (its time, step type and transactionId: its place in the ledger's order). */
export interface LedgerPosition {
  at: number;
  stepType: StepType;
  transactionId: string;
}

export interface LedgerStore {
  /**
   * Records rows, each under its transactionId: a row already there keeps what it holds and gains
   * only what it lacked (the stream may deliver a change again, or a later change may know more).
   */
  record(entries: readonly LedgerEntry[]): Promise<void>;
  /**
   * Rows whose time is in [from, to] (epoch ms), oldest first, after `after` when given: at most
   * `limit`. `more`: the listing may go on after the last row given.
   */
  list(q: { from: number; to: number; after?: LedgerPosition | undefined; limit: number }): Promise<{ entries: LedgerEntry[]; more: boolean }>;
}
