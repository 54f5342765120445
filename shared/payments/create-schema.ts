/**
 * `POST /payments` body, validated against Toss's rules (docs/toss-pay.md) before
 * anything is written. Unknown fields are refused (a typo must not silently change a payment).
 */
import { createHash, randomInt } from 'node:crypto';
import * as z from '../zod.ts';
import { createParts } from '../domain/tax-parts.ts';
import { reservedOrderNos } from '../routes.ts';

export const ORDER_NO_RE = /^[0-9A-Za-z_\-:.^@]{1,50}$/;
/** orderNos that are paths of their own under /payments/ (GET /payments/{orderNo} could not reach them). */
const RESERVED: readonly string[] = reservedOrderNos();

const part = z.int().check(z.gte(0), z.lte(9_999_999));

export const createPaymentSchema = z
  .strictObject({
    orderNo: z.optional(
      z.string().check(
        z.regex(ORDER_NO_RE, 'at most 50 of 0-9 A-Z a-z _ - : . ^ @'),
        z.refine((s) => !RESERVED.includes(s), `must not be ${RESERVED.join(', ')}: those are paths of this API`),
        z.describe(`Your order number, and the idempotency key of the create: the same request again answers the same payment. Not ${RESERVED.join(', ')} (paths of this API). Generated (YYMMDD-XXXX-XXXX) when absent.`),
      ),
    ),
    amount: z.int().check(z.gte(1), z.lte(9_999_999), z.describe('The amount in won.')),
    amountTaxFree: part.check(z.describe('The tax-free part (0 for fully taxable goods), at most `amount`. Given alone, the rest is split by Toss\'s default (VAT = ceil(rest / 11)).')),
    amountTaxable: z.optional(part).check(z.describe('복합과세: if any of the four tax parts is not 0, all four are required and must add up to `amount`.')),
    amountVat: z.optional(part).check(z.describe('복합과세: see amountTaxable.')),
    amountServiceFee: z.optional(part).check(z.describe('복합과세: see amountTaxable.')),
    productDesc: z.string().check(
      z.maxLength(255),
      z.refine((s) => s.trim() !== '', 'must not be blank'),
      z.refine((s) => !/[\\"']/.test(s), 'must not contain a backslash or quotes'),
      z.describe('What is bought, shown on Toss\'s checkout: not blank, no backslash or quotes.'),
    ),
    autoExecute: z._default(z.boolean(), true).check(
      z.describe('false: the payment stops at PAY_APPROVED, and the return landing (or the reconciler, if the buyer never returns) executes it, exactly once.'),
    ),
    expiresInMinutes: z._default(z.int().check(z.gte(1), z.lte(60)), 15).check(z.describe('Toss cancels an unpaid payment after this many minutes.')),
    cashReceipt: z.optional(z.boolean()).check(z.describe('Passed to Toss: whether Toss issues a cash receipt.')),
    cashReceiptTradeOption: z.optional(z.enum(['CULTURE', 'GENERAL', 'PUBLIC_TP'])).check(z.describe("Passed to Toss: the cash receipt's trade kind.")),
    enablePayMethods: z.optional(
      z.array(z.enum(['TOSS_MONEY', 'CARD'])).check(
        z.minLength(1),
        z.refine((a) => new Set(a).size === a.length, 'must not repeat a method'),
      ),
    ).check(z.describe('The methods the checkout offers (default: every method).')),
    metadata: z.optional(z.string().check(z.maxLength(2000))).check(z.describe('Yours: Toss returns it in its status replies.')),
  })
  .check(
    // Toss's tax-part rule (shared/domain/tax-parts.ts); only amountTaxFree given is completed at create.
    z.superRefine((r, ctx) => {
      const p = createParts(r);
      if (!p.ok) for (const i of p.issues) ctx.addIssue({ code: 'custom', path: [i.path], message: i.message });
    }),
  );

export type CreatePaymentInput = z.infer<typeof createPaymentSchema>;

/** JSON with sorted keys, so equal requests hash equally whatever their key order. */
export function canonicalJson(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(canonicalJson).join(',')}]`;
  if (v !== null && typeof v === 'object')
    return `{${Object.keys(v)
      .sort()
      .filter((k) => (v as Record<string, unknown>)[k] !== undefined)
      .map((k) => `${JSON.stringify(k)}:${canonicalJson((v as Record<string, unknown>)[k])}`)
      .join(',')}}`;
  return JSON.stringify(v);
}

/** sha256 of the canonical validated request (defaults applied, orderNo excluded: it is the key). */
export function requestHash(input: CreatePaymentInput): string {
  const { orderNo: _orderNo, ...rest } = input;
  return createHash('sha256').update(canonicalJson(rest)).digest('hex');
}

/**
 * The characters of a generated orderNo: digits and capitals without those a buyer reading it out
 * on the phone (or a person typing it from a screen) could take for another: 0 O, 1 I L, 2 Z, 5 S,
 * 8 B. 25 characters.
 */
export const ORDER_NO_ALPHABET = '34679ACDEFGHJKMNPQRTUVWXY';

/**
 * `YYMMDD-XXXX-XXXX`: the Korea-time day it was made, then 8 random characters of
 * ORDER_NO_ALPHABET in two groups of four (25^8, about 1.5 * 10^11 a day). Short enough to read
 * out, grouped so it is read and shown in pieces. Unique enough that a clash is rare, and a clash is
 * caught: create makes another one when the first is taken (shared/payments/create.ts).
 */
export function generateOrderNo(now: number): string {
  const chars = Array.from({ length: 8 }, () => ORDER_NO_ALPHABET[randomInt(ORDER_NO_ALPHABET.length)] as string).join('');
  const day = new Date(now + 9 * 3_600_000).toISOString().slice(2, 10).replaceAll('-', '');
  return `${day}-${chars.slice(0, 4)}-${chars.slice(4)}`;
}
