/**
 * The ledger as a CSV an accountant opens in Excel: UTF-8 with a byte order mark (Excel reads the
 * Korean text right only then), CRLF line ends, a header row, the time twice (Korea time as Excel
 * shows it, and ISO 8601), RFC 4180 quoting. A text cell that a spreadsheet would take for a
 * formula (=, +, -, @, a tab or a CR first) is written with a leading apostrophe: an orderNo may
 * start with `-` or `@`. Amounts stay numbers (a refund's are negative).
 */
import { toKst } from '../domain/toss-time.ts';
import type { TransactionView } from './reply-schemas.ts';

export const CSV_COLUMNS = [
  'timeKst',
  'time',
  'transactionId',
  'stepType',
  'orderNo',
  'amount',
  'discountedAmount',
  'paidAmount',
  'amountTaxable',
  'amountTaxFree',
  'amountVat',
  'amountServiceFee',
  'payMethod',
  'mode',
  'refundNo',
] as const;

const BOM = '\uFEFF';
const CRLF = '\r\n';

/** One cell: numbers as they are; text quoted when it must be, defused when a spreadsheet would run it. */
export function csvCell(v: string | number | undefined): string {
  if (v === undefined) return '';
  if (typeof v === 'number') return String(v);
  const text = /^[=+\-@\t\r]/.test(v) ? `'${v}` : v;
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

export function transactionsCsv(rows: readonly TransactionView[]): string {
  const lines = [CSV_COLUMNS.join(',')];
  for (const r of rows) {
    const cells: Partial<Record<(typeof CSV_COLUMNS)[number], string | number>> = {
      ...r,
      timeKst: toKst(Date.parse(r.time)),
    };
    lines.push(CSV_COLUMNS.map((c) => csvCell(cells[c])).join(','));
  }
  return `${BOM}${lines.join(CRLF)}${CRLF}`;
}
