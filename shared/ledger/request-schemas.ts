/**
 * The ledger API's request, as a zod (mini) schema: the `GET /transactions?from=&to=&limit=&cursor=`
 * query functions/list-transactions parses (the OpenAPI document describes the same schema).
 * Unknown parameters are refused.
 */
import * as z from '../zod.ts';
import { limitParam, MAX_CURSOR_LENGTH } from '../paging.ts';

const DAY = 86_400_000;

/** Days a listing covers when the request names no start. */
export const DEFAULT_LEDGER_DAYS = 30;
/** The longest range one listing may cover (its months are read one by one). */
export const MAX_LEDGER_DAYS = 366;
export const MAX_LEDGER_LIMIT = 1_000;
export const DEFAULT_LEDGER_LIMIT = 100;

const time = /* @__PURE__ */ z.pure(() =>
  z.pipe(
    z.iso.datetime({ offset: true }),
    z.transform((s: string) => Date.parse(s)),
  ),
);

export const listTransactionsQuerySchema = /* @__PURE__ */ z.pure(() =>
  z
    .strictObject({
      from: z.optional(time),
      to: z.optional(time),
      limit: limitParam(DEFAULT_LEDGER_LIMIT, MAX_LEDGER_LIMIT),
      cursor: z.optional(z.string().check(z.maxLength(MAX_CURSOR_LENGTH))),
    })
    .check(
      z.superRefine((q, ctx) => {
        if (q.from !== undefined && q.to !== undefined && q.from > q.to) ctx.addIssue({ code: 'custom', path: ['from'], message: 'must not be after to' });
        if (q.from !== undefined && (q.to ?? Date.now()) - q.from > MAX_LEDGER_DAYS * DAY)
          ctx.addIssue({ code: 'custom', path: ['from'], message: `at most ${MAX_LEDGER_DAYS} days before to` });
      }),
    ),
);
export type ListTransactionsQuery = z.infer<typeof listTransactionsQuerySchema>;
