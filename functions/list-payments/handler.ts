/**
 * GET /payments?status=&attention=true&from=&to=&limit=&cursor= (merchant): orders newest first,
 * from indexes (never a Scan). Without from/to: the last 30 days (flagged orders: the last year).
 */
import { orderListContainer } from '../../shared/deps.ts';
import { httpFunction } from '../../shared/http/chain.ts';
import { jsonResponse } from '../../shared/http/error-replies.ts';
import { parseRequest } from '../../shared/http/request-errors.ts';
import { listPaymentsQuerySchema } from '../../shared/payments/request-schemas.ts';
import { listPayments } from '../../shared/payments/list.ts';

const c = orderListContainer('list-payments');

export const handler = httpFunction(c, async (event) =>
  jsonResponse(200, await listPayments(parseRequest(listPaymentsQuerySchema, event.queryStringParameters ?? {}), { ...c.deps, orders: c.orders })),
);
