/**
 * `GET /payments` query, as functions/list-payments parses it (the OpenAPI document describes the
 * same schema). Unknown parameters are refused.
 */
import * as z from '../zod.ts';
import { PAYMENT_STATES } from '../domain/refunds.ts';
import { ORDER_STATUSES } from '../domain/states.ts';
import { limitParam, MAX_CURSOR_LENGTH } from '../paging.ts';
import { MAX_LIST_DAYS } from './view.ts';

const time = z.pipe(
  z.iso.datetime({ offset: true }),
  z.transform((s: string) => Date.parse(s)),
);

export const listPaymentsQuerySchema = z
  .strictObject({
    status: z.optional(z.enum(ORDER_STATUSES)),
    paymentState: z.optional(z.enum(PAYMENT_STATES)),
    attention: z._default(
      z.pipe(
        z.enum(['true', 'false']),
        z.transform((s: 'true' | 'false') => s === 'true'),
      ),
      false,
    ),
    from: z.optional(time),
    to: z.optional(time),
    limit: limitParam(20, 100),
    cursor: z.optional(z.string().check(z.maxLength(MAX_CURSOR_LENGTH))),
  })
  .check(
    z.superRefine((q, ctx) => {
      if (q.from !== undefined && q.to !== undefined && q.from > q.to) ctx.addIssue({ code: 'custom', path: ['from'], message: 'must not be after to' });
      if (q.from !== undefined && (q.to ?? Date.now()) - q.from > MAX_LIST_DAYS * 86_400_000)
        ctx.addIssue({ code: 'custom', path: ['from'], message: `at most ${MAX_LIST_DAYS} days before to` });
    }),
  );
