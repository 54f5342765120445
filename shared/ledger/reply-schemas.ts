/**
 * The ledger's replies (GET /transactions), as zod (mini) schemas: the code that builds them is
 * typed with these schemas' types, and the OpenAPI document (tools/openapi.ts) is made from them.
 * No function imports this module, only its types.
 */
import * as z from '../zod.ts';
import { allOf, isoTime, modeSchema } from '../payments/reply-schemas.ts';
import type { StepType } from './ports.ts';

const STEP_TYPES = allOf<StepType>()(['PAY', 'REFUND']);
const part = (what: string) => z.optional(z.int().check(z.describe(`${what}: given when all four parts are known.`)));

/** One Toss transaction, as the ledger lists it. */
export const transactionViewSchema = z.object({
  time: isoTime().check(z.describe("Toss's time of the transaction (ISO 8601).")),
  transactionId: z.string().check(z.describe("Toss's transactionId: reconcile with Toss by it.")),
  stepType: z.enum(STEP_TYPES),
  orderNo: z.string(),
  mode: modeSchema,
  payMethod: z.optional(z.string().check(z.describe('CARD or TOSS_MONEY.'))),
  amount: z.int().check(z.describe("Toss's transactionAmount: negative for a refund.")),
  discountedAmount: z.optional(z.int().check(z.describe("The discount's part (Toss's instant discount and points), negative for a refund."))),
  paidAmount: z.optional(z.int().check(z.describe("The buyer's payment method's part, negative for a refund."))),
  amountTaxable: part('The taxable part'),
  amountTaxFree: part('The tax-free part'),
  amountVat: part('The VAT'),
  amountServiceFee: part('The service fee'),
  refundNo: z.optional(z.string().check(z.describe('A refund: rf_… when made through POST /payments/{orderNo}/refunds, tx_… when made at Toss.'))),
});
export type TransactionView = z.infer<typeof transactionViewSchema>;

export const listTransactionsReplySchema = z.object({
  from: isoTime().check(z.describe('The start of the listing (inclusive).')),
  to: isoTime().check(z.describe('The end of the listing (inclusive): `to`, or the time of the first page.')),
  transactions: z.array(transactionViewSchema).check(z.describe('Oldest first.')),
  next: z.optional(z.string().check(z.describe('Present while more may remain: pass it as `cursor`, with the same `from` and `to`.'))),
});
export type ListTransactionsReply = z.infer<typeof listTransactionsReplySchema>;
