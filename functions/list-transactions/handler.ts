/**
 * GET /transactions?from=&to=&limit=&cursor= (merchant): every Toss transaction by time, for
 * 거래 대사. JSON, or with `Accept: text/csv` a CSV for Excel (the next page in a `Link` header).
 */
import { ledgerContainer } from '../../shared/deps.ts';
import { httpFunction } from '../../shared/http/chain.ts';
import { jsonResponse } from '../../shared/http/error-replies.ts';
import { parseRequest } from '../../shared/http/request-errors.ts';
import { csvReply, wantsCsv } from '../../shared/ledger/http.ts';
import { listTransactions } from '../../shared/ledger/list.ts';
import { ledgerQuery } from '../../shared/ledger/query.ts';
import { listTransactionsQuerySchema } from '../../shared/ledger/request-schemas.ts';

const c = ledgerContainer('list-transactions');

export const handler = httpFunction(c, async (event) => {
  const params = event.queryStringParameters ?? {};
  const { query, raw } = ledgerQuery(parseRequest(listTransactionsQuerySchema, params), c.deps.clock());
  const reply = await listTransactions(query, raw, c.deps);
  return wantsCsv(event.headers.accept) ? csvReply(reply, params) : jsonResponse(200, reply);
});
