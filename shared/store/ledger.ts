/**
 * The ledger in the payments table: one item per Toss transaction (pk `TX#<transactionId>`),
 * written only by the events function from the table's stream (shared/ledger/record.ts).
 *
 * - Listing: the `lists` GSI (table.ts), partition `listKey` = `LEDGER#<month>` (the Korea-time
 *   month, `YYYY-MM`), sort key `listSeq` (the time, zero-padded epoch ms; a payment before a refund
 *   of the same second, as Toss's times are whole seconds; then the transactionId). A range reads
 *   its months in order with a key condition on the time: only the rows in the range are read.
 * - Writing: one UpdateItem per row, every attribute `if_not_exists`: a row written again (the
 *   stream delivering a change twice) stays as it is, and a row learns what it lacked (a refund
 *   first known by Toss's reply, later listed by Toss's status). No condition can fail.
 * - `ttl`: the retention period after the transaction (as the orders and events are kept).
 */
import { QueryCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { LedgerEntry, LedgerPosition, LedgerStore } from '../ledger/ports.ts';
import { toKst } from '../domain/toss-time.ts';
import { withoutAttributes } from './items.ts';
import { UpdateExpression } from './update-expression.ts';
import { storeSend } from './errors.ts';
import { listKeys, LISTS_INDEX } from './table.ts';

export const ledgerKey = (transactionId: string): string => `TX#${transactionId}`;
/** The Korea-time month of a time: its part of the ledger's partition in the `lists` index. */
export const ledgerMonthOf = (ms: number): string => toKst(ms).slice(0, 7);
/** The ledger's sort key in the `lists` index (`listSeq`): the time (15 digits, so strings sort as numbers), PAY before REFUND, then the transactionId. */
export const ledgerSeq = (p: LedgerPosition): string => `${String(p.at).padStart(15, '0')}#${p.stepType === 'PAY' ? 'P' : 'R'}#${p.transactionId}`;

/** The months from `from`'s to `to`'s (Korea time), oldest first. */
export function monthsBetween(from: number, to: number): string[] {
  const out: string[] = [];
  const [year, month] = ledgerMonthOf(from).split('-').map(Number) as [number, number];
  const last = ledgerMonthOf(to);
  // Month n after `from`'s: Date.UTC rolls month 13 over into the next year.
  for (let n = 0; ; n++) {
    const m = new Date(Date.UTC(year, month - 1 + n, 1)).toISOString().slice(0, 7);
    if (m > last) return out;
    out.push(m);
  }
}

const INTERNAL = new Set(['pk', 'listKey', 'listSeq', 'ttl']);
const toEntry = (item: Record<string, unknown>): LedgerEntry => withoutAttributes(item, INTERNAL) as unknown as LedgerEntry;

export interface LedgerStoreOptions {
  client: DynamoDBDocumentClient;
  tableName: string;
  /** Days a row is kept after its transaction (RETENTION_DAYS). */
  retentionDays: number;
}

export function createLedgerStore(opts: LedgerStoreOptions): LedgerStore {
  const { client, tableName } = opts;
  const send = storeSend(client);

  async function recordOne(e: LedgerEntry): Promise<void> {
    const item: Record<string, unknown> = {
      ...e,
      listKey: listKeys.ledgerMonth(ledgerMonthOf(e.at)),
      listSeq: ledgerSeq(e),
      ttl: Math.floor(e.at / 1000) + opts.retentionDays * 86_400,
    };
    // Written once: a later copy of the entry changes nothing.
    const u = new UpdateExpression().setFields(item, { keep: true });
    await send(
      new UpdateCommand({
        TableName: tableName,
        Key: { pk: ledgerKey(e.transactionId) },
        ...u.build(),
      }),
    );
  }

  return {
    async record(entries) {
      await Promise.all(entries.map(recordOne));
    },

    async list(q) {
      const months = monthsBetween(q.after === undefined ? q.from : Math.max(q.from, q.after.at), q.to);
      // Sort keys of the range: from `from`'s time to just before the millisecond after `to`.
      const lo = String(q.from).padStart(15, '0');
      const hi = String(q.to + 1).padStart(15, '0');
      const out: LedgerEntry[] = [];
      let startKey: Record<string, unknown> | undefined =
        q.after === undefined ? undefined : { pk: ledgerKey(q.after.transactionId), listKey: listKeys.ledgerMonth(ledgerMonthOf(q.after.at)), listSeq: ledgerSeq(q.after) };
      let i = 0;
      while (i < months.length && out.length < q.limit) {
        const listKey = listKeys.ledgerMonth(months[i] as string);
        const r = await send(
          new QueryCommand({
            TableName: tableName,
            IndexName: LISTS_INDEX,
            KeyConditionExpression: '#k = :k AND #s BETWEEN :lo AND :hi',
            ExpressionAttributeNames: { '#k': 'listKey', '#s': 'listSeq' },
            ExpressionAttributeValues: { ':k': listKey, ':lo': lo, ':hi': hi },
            Limit: q.limit - out.length,
            ...(startKey !== undefined && startKey.listKey === listKey ? { ExclusiveStartKey: startKey } : {}),
          }),
        );
        out.push(...(r.Items ?? []).map(toEntry));
        startKey = r.LastEvaluatedKey;
        if (startKey === undefined) i++;
      }
      return { entries: out, more: startKey !== undefined || i < months.length };
    },
  };
}
