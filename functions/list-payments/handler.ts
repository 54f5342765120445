/**
 * GET /payments?status=&attention=true&from=&to=&limit=&cursor= (merchant): orders newest first,
 * from indexes (never a Scan). Without from/to: the last 30 days (flagged orders: the last year).
 */
import { z } from 'zod';
import { paymentContainer } from '../../shared/deps.ts';
import { ORDER_STATUSES } from '../../shared/domain/states.ts';
import { httpFunction } from '../../shared/http/chain.ts';
import { jsonResponse } from '../../shared/http/error-replies.ts';
import { parseRequest } from '../../shared/http/request-errors.ts';
import { MAX_LIST_DAYS, listPayments } from '../../shared/payments/view.ts';

const c = paymentContainer('list-payments');

const time = z.iso.datetime({ offset: true }).transform((s) => Date.parse(s));
const query = z
  .strictObject({
    status: z.enum(ORDER_STATUSES).optional(),
    attention: z.enum(['true', 'false']).transform((s) => s === 'true').default(false),
    from: time.optional(),
    to: time.optional(),
    limit: z.coerce.number().int().min(1).max(100).default(20),
    cursor: z.string().max(2_000).optional(),
  })
  .superRefine((q, ctx) => {
    if (q.from !== undefined && q.to !== undefined && q.from > q.to) ctx.addIssue({ code: 'custom', path: ['from'], message: 'must not be after to' });
    if (q.from !== undefined && (q.to ?? Date.now()) - q.from > MAX_LIST_DAYS * 86_400_000)
      ctx.addIssue({ code: 'custom', path: ['from'], message: `at most ${MAX_LIST_DAYS} days before to` });
  });

export const handler = httpFunction(c, async (event) =>
  jsonResponse(200, await listPayments(parseRequest(query, event.queryStringParameters ?? {}), { ...c.deps, orders: c.orders })),
);
