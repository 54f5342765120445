/** What the ledger's use cases need from the world: its rows in the table (shared/store/ledger.ts). */
import type { LedgerEntry, StepType } from './entries.ts';

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
