/**
 * GET /payments?status=&attention=true&from=&to=&limit=&cursor= (merchant): orders newest first,
 * from indexes (never a Scan). Without from/to: the last 30 days (flagged orders: the last year).
 */
import { paymentContainer } from '../../shared/deps.ts';
import { ORDER_STATUSES } from '../../shared/domain/states.ts';
import { httpFunction } from '../../shared/http/chain.ts';
import { jsonResponse } from '../../shared/http/error-replies.ts';
import { parseRequest } from '../../shared/http/request-errors.ts';
import { MAX_LIST_DAYS, listPayments } from '../../shared/payments/view.ts';
import * as z from '../../shared/zod.ts';

const c = paymentContainer('list-payments');

const time = z.pipe(
  z.iso.datetime({ offset: true }),
  z.transform((s: string) => Date.parse(s)),
);
const query = z
  .strictObject({
    status: z.optional(z.enum(ORDER_STATUSES)),
    attention: z._default(
      z.pipe(
        z.enum(['true', 'false']),
        z.transform((s: 'true' | 'false') => s === 'true'),
      ),
      false,
    ),
    from: z.optional(time),
    to: z.optional(time),
    limit: z._default(z.coerce.number().check(z.int(), z.gte(1), z.lte(100)), 20),
    cursor: z.optional(z.string().check(z.maxLength(2_000))),
  })
  .check(
    z.superRefine((q, ctx) => {
      if (q.from !== undefined && q.to !== undefined && q.from > q.to) ctx.addIssue({ code: 'custom', path: ['from'], message: 'must not be after to' });
      if (q.from !== undefined && (q.to ?? Date.now()) - q.from > MAX_LIST_DAYS * 86_400_000)
        ctx.addIssue({ code: 'custom', path: ['from'], message: `at most ${MAX_LIST_DAYS} days before to` });
    }),
  );

export const handler = httpFunction(c, async (event) =>
  jsonResponse(200, await listPayments(parseRequest(query, event.queryStringParameters ?? {}), { ...c.deps, orders: c.orders })),
);
