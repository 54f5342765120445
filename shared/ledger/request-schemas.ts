/**
 * The ledger API's request, as a zod (mini) schema: the `GET /transactions?from=&to=&limit=&cursor=`
 * query functions/list-transactions parses (the OpenAPI document describes the same schema).
 * Unknown parameters are refused.
 */
import * as z from '../zod.ts';
import { limitParam, MAX_CURSOR_LENGTH, timeParam, timeRangeCheck } from '../paging.ts';

/** Days a listing covers when the request names no start. */
export const DEFAULT_LEDGER_DAYS = 30;
/** The longest range one listing may cover (its months are read one by one). */
export const MAX_LEDGER_DAYS = 366;
export const MAX_LEDGER_LIMIT = 1_000;
export const DEFAULT_LEDGER_LIMIT = 100;

export const listTransactionsQuerySchema = /* @__PURE__ */ z.pure(() =>
  z
    .strictObject({
      from: z.optional(timeParam()),
      to: z.optional(timeParam()),
      limit: limitParam(DEFAULT_LEDGER_LIMIT, MAX_LEDGER_LIMIT),
      cursor: z.optional(z.string().check(z.maxLength(MAX_CURSOR_LENGTH))),
    })
    .check(timeRangeCheck(MAX_LEDGER_DAYS)),
);
export type ListTransactionsQuery = z.infer<typeof listTransactionsQuerySchema>;
