/**
 * The ledger follows the orders: the events function gives it each committed change of an order
 * (the table's stream, the images before and after), and the rows that change adds or completes are
 * written, each under its transactionId. The order's own write stays one conditional write; a
 * change delivered twice writes the same rows again, which changes nothing.
 */
import type { Order } from '../domain/order.ts';
import { changedEntries } from './entries.ts';
import type { LedgerStore } from './ports.ts';

/** Records the ledger rows one change of an order adds; how many. */
export async function recordLedger(before: Order | undefined, after: Order, ledger: LedgerStore): Promise<number> {
  const rows = changedEntries(before, after);
  if (rows.length > 0) await ledger.record(rows);
  return rows.length;
}
