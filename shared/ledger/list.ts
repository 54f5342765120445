/**
 * GET /transactions: the ledger for 거래 대사, every PAY and REFUND transaction with Toss's
 * transactionId, oldest first, from the table's `lists` index (shared/store/ledger.ts): the months of the
 * range, only the rows in it.
 */
import type { LedgerEntry } from './entries.ts';
import type { LedgerStore } from './ports.ts';
import { cursorAfter, type LedgerQuery } from './query.ts';
import type { ListTransactionsReply, TransactionView } from './reply-schemas.ts';

export function transactionView(e: LedgerEntry): TransactionView {
  const { at, ...rest } = e;
  return { time: new Date(at).toISOString(), ...rest };
}

export async function listTransactions(
  q: LedgerQuery,
  raw: { from?: number | undefined; to?: number | undefined },
  deps: { ledger: LedgerStore },
): Promise<ListTransactionsReply> {
  const r = await deps.ledger.list(q);
  const last = r.entries.at(-1);
  const next = r.more && last !== undefined ? cursorAfter(raw, q, last) : undefined;
  return {
    from: new Date(q.from).toISOString(),
    to: new Date(q.to).toISOString(),
    transactions: r.entries.map(transactionView),
    ...(next !== undefined ? { next } : {}),
  };
}
