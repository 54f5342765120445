/**
 * `POST /payments` body, validated against Toss's rules (docs/toss-pay.md) before
 * anything is written. Unknown fields are refused (a typo must not silently change a payment).
 */
import { createHash, randomBytes } from 'node:crypto';
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
      ),
    ),
    amount: z.int().check(z.gte(1), z.lte(9_999_999)),
    amountTaxFree: part,
    amountTaxable: z.optional(part),
    amountVat: z.optional(part),
    amountServiceFee: z.optional(part),
    productDesc: z.string().check(
      z.maxLength(255),
      z.refine((s) => s.trim() !== '', 'must not be blank'),
      z.refine((s) => !/[\\"']/.test(s), 'must not contain a backslash or quotes'),
    ),
    autoExecute: z._default(z.boolean(), true),
    expiresInMinutes: z._default(z.int().check(z.gte(1), z.lte(60)), 15),
    cashReceipt: z.optional(z.boolean()),
    cashReceiptTradeOption: z.optional(z.enum(['CULTURE', 'GENERAL', 'PUBLIC_TP'])),
    enablePayMethods: z.optional(
      z.array(z.enum(['TOSS_MONEY', 'CARD'])).check(
        z.minLength(1),
        z.refine((a) => new Set(a).size === a.length, 'must not repeat a method'),
      ),
    ),
    metadata: z.optional(z.string().check(z.maxLength(2000))),
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

/** `ord_<time36>_<random>`: within Toss's orderNo charset and length. */
export function generateOrderNo(now: number): string {
  return `ord_${now.toString(36)}_${randomBytes(9).toString('base64url')}`;
}
