/**
 * Request validation, as docs/toss-pay.md describes it. Each schema checks one request's
 * shape; rules that need the payment or the clock (orderNo reuse, expiry window, refund balance)
 * live with the operations in store.ts. Unknown request fields are ignored, as Toss does.
 */
import { z } from 'zod';
import { parseKst } from './clock.ts';

/** `0-9 A-Z a-z _ - : . ^ @`, at most 50. */
export const ORDER_NO_RE = /^[0-9A-Za-z_\-:.^@]{1,50}$/;
/** A cancel's `reason`: Toss's create-and-cancel guide allows 50 characters (최대 50자). */
export const CANCEL_REASON_MAX = 50;

/** An integer amount of at most 7 digits. */
const amount = z.int().min(1).max(9_999_999);
const part = z.int().min(0).max(9_999_999);

const httpUrl = (max: number) =>
  z
    .string()
    .max(max)
    .refine((s) => {
      try {
        const u = new URL(s);
        return u.protocol === 'http:' || u.protocol === 'https:';
      } catch {
        return false;
      }
    }, 'must be an absolute http(s) URL');

export const PAY_METHODS = ['TOSS_MONEY', 'CARD'] as const;
export type PayMethod = (typeof PAY_METHODS)[number];

/** `enablePayMethods`: "TOSS_MONEY", "CARD", "TOSS_MONEY,CARD" or an array of those. */
const enablePayMethods = z
  .union([z.string(), z.array(z.string())])
  .transform((v) => (Array.isArray(v) ? v : v.split(',')).map((s) => s.trim()).filter((s) => s !== ''))
  .pipe(z.array(z.enum(PAY_METHODS)).min(1));

export const createSchema = z
  .object({
    orderNo: z.string().regex(ORDER_NO_RE, 'at most 50 of 0-9 A-Z a-z _ - : . ^ @'),
    productDesc: z
      .string()
      .max(255)
      .refine((s) => s.trim() !== '', 'must not be blank')
      .refine((s) => !/[\\"']/.test(s), 'must not contain \\ " or \''),
    amount,
    amountTaxFree: part,
    amountTaxable: part.optional(),
    amountVat: part.optional(),
    amountServiceFee: part.optional(),
    retUrl: httpUrl(255),
    retCancelUrl: httpUrl(255),
    autoExecute: z.boolean().default(true),
    resultCallback: httpUrl(500).optional(),
    callbackVersion: z.enum(['V1', 'V2']).default('V1'),
    expiredTime: z
      .string()
      .refine((s) => parseKst(s) !== undefined, 'must be YYYY-MM-DD HH:mm:ss')
      .optional(),
    cashReceipt: z.boolean().default(true),
    cashReceiptTradeOption: z.enum(['CULTURE', 'GENERAL', 'PUBLIC_TP']).optional(),
    enablePayMethods: enablePayMethods.optional(),
    cardOptions: z.unknown().optional(),
    installment: z.enum(['USE', 'NOT_USE']).optional(),
    metadata: z.string().optional(),
    retAppScheme: z.string().max(255).optional(),
  })
  .superRefine((r, ctx) => {
    if (r.autoExecute && r.resultCallback === undefined) {
      ctx.addIssue({ code: 'custom', path: ['resultCallback'], message: 'required when autoExecute is true' });
    }
    if (r.amountTaxFree > r.amount) {
      ctx.addIssue({ code: 'custom', path: ['amountTaxFree'], message: 'must not exceed amount' });
    }
    // Toss's create page: any part non-zero makes the payment 복합과세; then the four must all be
    // given and add up to amount (a blank part or another sum is an error).
    if (isComposite(r)) {
      const blank = (['amountTaxable', 'amountVat', 'amountServiceFee'] as const).filter((k) => r[k] === undefined);
      for (const k of blank) ctx.addIssue({ code: 'custom', path: [k], message: 'required when any tax part is non-zero (복합과세)' });
      const sum = r.amountTaxFree + (r.amountTaxable ?? 0) + (r.amountVat ?? 0) + (r.amountServiceFee ?? 0);
      if (blank.length === 0 && sum !== r.amount) {
        ctx.addIssue({
          code: 'custom',
          path: ['amount'],
          message: `amountTaxFree + amountTaxable + amountVat + amountServiceFee (${sum}) must equal amount`,
        });
      }
    }
  });
export type CreateRequest = z.infer<typeof createSchema>;

/** A create with explicit tax parts (복합과세): any of the four parts is non-zero. */
export function isComposite(r: { amountTaxFree: number; amountTaxable?: number | undefined; amountVat?: number | undefined; amountServiceFee?: number | undefined }): boolean {
  return r.amountTaxFree !== 0 || (r.amountTaxable ?? 0) !== 0 || (r.amountVat ?? 0) !== 0 || (r.amountServiceFee ?? 0) !== 0;
}

/** A refund that names a taxable/VAT/service-fee part (then the parts must add up to its amount). */
export function namesParts(r: { amountTaxable?: number | undefined; amountVat?: number | undefined; amountServiceFee?: number | undefined }): boolean {
  return (r.amountTaxable ?? 0) !== 0 || (r.amountVat ?? 0) !== 0 || (r.amountServiceFee ?? 0) !== 0;
}

const payToken = z.string().min(1).max(30);

export const executeSchema = z.object({
  payToken,
  orderNo: z.string().min(1).max(50).optional(),
});

export const cancelSchema = z.object({
  payToken,
  reason: z.string().max(CANCEL_REASON_MAX).optional(),
});

export const statusSchema = z
  .object({ payToken: payToken.optional(), orderNo: z.string().min(1).max(50).optional() })
  .refine((r) => r.payToken !== undefined || r.orderNo !== undefined, 'payToken or orderNo is required');

export const refundSchema = z
  .object({
    payToken,
    refundNo: z.string().min(1).max(36).optional(),
    idempotent: z.boolean().default(true),
    reason: z.string().max(255).optional(),
    amount: amount.optional(),
    amountTaxFree: part,
    amountTaxable: part.optional(),
    amountVat: part.optional(),
    amountServiceFee: part.optional(),
  })
  .superRefine((r, ctx) => {
    if (r.amount !== undefined && r.amountTaxFree > r.amount) {
      ctx.addIssue({ code: 'custom', path: ['amountTaxFree'], message: 'must not exceed amount' });
    }
    if (namesParts(r)) {
      if (r.amount === undefined) {
        ctx.addIssue({ code: 'custom', path: ['amount'], message: 'required when the refund names its tax parts' });
        return;
      }
      const sum = r.amountTaxFree + (r.amountTaxable ?? 0) + (r.amountVat ?? 0) + (r.amountServiceFee ?? 0);
      if (sum !== r.amount) {
        ctx.addIssue({ code: 'custom', path: ['amount'], message: `tax parts (${sum}) must equal amount` });
      }
    }
  });
export type RefundRequest = z.infer<typeof refundSchema>;

/** One readable message from a zod failure, naming the field. */
export function describeIssues(e: z.ZodError): string {
  const i = e.issues[0];
  if (i === undefined) return '잘못된 요청 파라미터입니다.';
  const path = i.path.length > 0 ? i.path.join('.') : 'request';
  return `잘못된 요청 파라미터입니다: ${path} (${i.message})`;
}

const INT_FIELDS = new Set(['amount', 'amountTaxFree', 'amountTaxable', 'amountVat', 'amountServiceFee']);
const BOOL_FIELDS = new Set(['autoExecute', 'cashReceipt', 'idempotent']);

/**
 * Form-encoded requests (the provider's Python and Ruby examples send them): strings become numbers
 * and booleans for the fields that are numbers and booleans in JSON.
 */
export function coerceForm(params: URLSearchParams): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of params) {
    if (INT_FIELDS.has(k) && /^-?\d+$/.test(v)) out[k] = Number(v);
    else if (BOOL_FIELDS.has(k) && (v === 'true' || v === 'false')) out[k] = v === 'true';
    else out[k] = v;
  }
  return out;
}
