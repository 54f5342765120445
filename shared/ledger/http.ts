/**
 * The ledger's replies over HTTP: JSON, or a CSV when the client asks for it (`Accept: text/csv`).
 */
import type { APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { toKst } from '../domain/toss-time.ts';
import { transactionsCsv } from './csv.ts';
import type { ListTransactionsReply } from './reply-schemas.ts';

/** The highest q the Accept header gives a media type matching `type` (`text/csv`, `text/*`, …); 0 when none does. */
function qualityOf(accept: string, type: string, subtype: string): number {
  let best = 0;
  for (const range of accept.split(',')) {
    const [media = '', ...params] = range.split(';').map((s) => s.trim().toLowerCase());
    const [t, s] = media.split('/');
    if (t !== type || (s !== subtype && s !== '*')) continue;
    const q = params.find((p) => p.startsWith('q='));
    const value = q === undefined ? 1 : Number(q.slice(2));
    if (Number.isFinite(value)) best = Math.max(best, value);
  }
  return best;
}

/** CSV when the client prefers text/csv to JSON (`*` alone, or no Accept, is JSON). */
export function wantsCsv(accept: string | undefined): boolean {
  if (accept === undefined) return false;
  const csv = qualityOf(accept, 'text', 'csv');
  return csv > 0 && csv >= qualityOf(accept, 'application', 'json');
}

/** The page as a CSV file; the next page's address (this request's query with its cursor) in a `Link` header. */
export function csvReply(reply: ListTransactionsReply, params: Record<string, string | undefined>): APIGatewayProxyStructuredResultV2 {
  const day = (iso: string) => toKst(Date.parse(iso)).slice(0, 10).replaceAll('-', '');
  const headers: Record<string, string> = {
    'Content-Type': 'text/csv; charset=utf-8',
    'Content-Disposition': `attachment; filename="transactions-${day(reply.from)}-${day(reply.to)}.csv"`,
    'Cache-Control': 'no-store',
  };
  if (reply.next !== undefined) {
    const next = new URLSearchParams();
    for (const [k, v] of Object.entries(params)) if (k !== 'cursor' && v !== undefined) next.set(k, v);
    next.set('cursor', reply.next);
    // A reference relative to this request's own address: its path, another query.
    headers.Link = `<?${next.toString()}>; rel="next"`;
  }
  return { statusCode: 200, headers, body: transactionsCsv(reply.transactions) };
}
