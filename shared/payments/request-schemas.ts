/**
 * The payment API's requests, as zod (mini) schemas: what the handlers parse before anything is
 * written, and what the OpenAPI document describes (tools/openapi.ts). Unknown fields are refused
 * (a typo must not silently change a payment), except in Toss's callback, whose fields are Toss's.
 *
 *   POST /payments                    createPaymentSchema, against Toss's rules (docs/toss-pay.md)
 *   GET /payments                     listPaymentsQuerySchema
 *   POST /payments/{orderNo}/refunds  refundRequestSchema, and the Idempotency-Key header
 *   POST /payments/{orderNo}/cancel   cancelRequestSchema
 *   POST /payments/callback           callbackBodySchema
 *   GET /stats                        statsQuerySchema
 *
 * The orderNo in a path is checked by shared/http/order-path.ts, against shared/domain/order-no.ts.
 */
import { createHash } from 'node:crypto';
import * as z from '../zod.ts';
import { REFUND_REASON_MAX } from '../domain/order-limits.ts';
import { ORDER_NO_RE } from '../domain/order-no.ts';
import { PAYMENT_STATES } from '../domain/refunds.ts';
import { ORDER_STATUSES } from '../domain/states.ts';
import { createParts } from '../domain/tax-parts.ts';
import { limitParam, MAX_CURSOR_LENGTH, timeParam, timeRangeCheck } from '../paging.ts';
import { reservedOrderNos } from '../routes.ts';

/** orderNos that are paths of their own under /payments/ (GET /payments/{orderNo} could not reach them). */
const RESERVED: readonly string[] = /* @__PURE__ */ reservedOrderNos();

const part = /* @__PURE__ */ z.pure(() => z.int().check(z.gte(0), z.lte(9_999_999)));

/** `POST /payments` body. */
export const createPaymentSchema = /* @__PURE__ */ z.pure(() =>
  z
    .strictObject({
      orderNo: z.optional(
        z.string().check(
          z.regex(ORDER_NO_RE, 'at most 50 of 0-9 A-Z a-z _ - : . ^ @'),
          z.refine((s) => !RESERVED.includes(s), `must not be ${RESERVED.join(', ')}: those are paths of this API`),
          z.describe(`Your order number, and the idempotency key of the create: the same request again answers the same payment. Not ${RESERVED.join(', ')} (paths of this API). Generated (YYMMDD-XXXX-XXXX) when absent.`),
        ),
      ),
      amount: z.int().check(z.gte(1), z.lte(9_999_999), z.describe('The amount in won.')),
      amountTaxFree: part.check(z.describe('The tax-free part (0 for fully taxable goods), at most `amount`. Given alone, the rest is split by Toss\'s default (VAT = ceil(rest / 11), taxable = rest − VAT, service fee 0) and all four are sent; with no part given, Toss splits the amount itself.')),
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
    ),
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

/** Days a listing covers when the request names no start. */
export const DEFAULT_LIST_DAYS = 30;
/** The longest range one listing may cover. */
export const MAX_LIST_DAYS = 366;

/** `GET /payments` query. Unknown parameters are refused. */
export const listPaymentsQuerySchema = /* @__PURE__ */ z.pure(() =>
  z
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
      from: z.optional(timeParam()),
      to: z.optional(timeParam()),
      limit: limitParam(20, 100),
      cursor: z.optional(z.string().check(z.maxLength(MAX_CURSOR_LENGTH))),
    })
    .check(timeRangeCheck(MAX_LIST_DAYS)),
);

/** `Idempotency-Key`: 1–64 of A-Z a-z 0-9 _ - : . */
export const IDEMPOTENCY_KEY_RE = /^[A-Za-z0-9_\-:.]{1,64}$/;

/**
 * `POST /payments/{orderNo}/refunds` body. Unknown fields are refused. The tax parts are checked
 * against the payment (shared/domain/tax-parts.ts): absent ones are completed where implied.
 */
export const refundRequestSchema = /* @__PURE__ */ z.pure(() =>
  z
    .strictObject({
      /** Absent: everything still refundable. */
      amount: z.optional(z.int().check(z.gte(1), z.lte(9_999_999))).check(z.describe('The amount in won. Absent: everything still refundable.')),
      amountTaxFree: z.optional(part).check(z.describe('The tax-free part, at most `amount`. Absent: 0, or what the payment\'s parts imply.')),
      amountTaxable: z.optional(part).check(
        z.describe('With explicit parts (a payment created with them is refunded by parts): `amount` is required and the four parts add up to it; parts left out are completed when the answer is implied.'),
      ),
      amountVat: z.optional(part).check(z.describe('See amountTaxable.')),
      amountServiceFee: z.optional(part).check(z.describe('See amountTaxable.')),
      reason: z.optional(
        z.string().check(
          z.maxLength(REFUND_REASON_MAX),
          z.refine((s) => s.trim() !== '', 'must not be blank'),
          z.refine((s) => !/[\p{Cc}]/u.test(s), 'must not contain control characters'),
        ),
      ).check(z.describe('Why (sent to Toss, shown on the refund).')),
    })
    .check(
      z.superRefine((r, ctx) => {
        const parts = [r.amountTaxable, r.amountVat, r.amountServiceFee];
        if (parts.some((p) => p !== undefined)) {
          if (r.amount === undefined) {
            ctx.addIssue({ code: 'custom', path: ['amount'], message: 'required when the tax parts are given' });
            return;
          }
          const sum = (r.amountTaxFree ?? 0) + parts.reduce<number>((s, p) => s + (p ?? 0), 0);
          if (sum !== r.amount)
            ctx.addIssue({ code: 'custom', path: ['amount'], message: `amountTaxFree + amountTaxable + amountVat + amountServiceFee (${sum}) must equal amount` });
        }
        if (r.amount !== undefined && r.amountTaxFree !== undefined && r.amountTaxFree > r.amount)
          ctx.addIssue({ code: 'custom', path: ['amountTaxFree'], message: 'must not exceed amount' });
      }),
    ),
);
export type RefundRequest = z.infer<typeof refundRequestSchema>;

/** Toss's limit on a cancel's `reason` (its create-and-cancel guide: 최대 50자). */
export const CANCEL_REASON_MAX = 50;

/** `POST /payments/{orderNo}/cancel` body (optional). */
export const cancelRequestSchema = /* @__PURE__ */ z.pure(() =>
  z.strictObject({
    /** Sent to Toss as the cancel's reason, and shown on the order (`cancelNote`) and in payment.cancelled. */
    reason: z.optional(
      z.string().check(
        z.maxLength(CANCEL_REASON_MAX, `at most ${CANCEL_REASON_MAX} characters (Toss's limit)`),
        z.refine((s) => s.trim() !== '', 'must not be blank'),
        z.refine((s) => !/[\p{Cc}]/u.test(s), 'must not contain control characters'),
      ),
    ),
  }),
);
export type CancelRequest = z.infer<typeof cancelRequestSchema>;

const intLike = /* @__PURE__ */ z.pure(() => z.union([z.int(), z.pipe(z.string().check(z.regex(/^-?\d{1,10}$/)), z.transform(Number))]));

/** The callback fields we rely on; everything else is tolerated and ignored (V1 form or V2 JSON). */
export const callbackBodySchema = /* @__PURE__ */ z.pure(() =>
  z.looseObject({
    status: z.string().check(z.minLength(1), z.maxLength(50)),
    payToken: z.string().check(z.minLength(1), z.maxLength(64)),
    orderNo: z.string().check(z.minLength(1), z.maxLength(50)),
    amount: intLike,
  }),
);
export type CallbackBody = z.infer<typeof callbackBodySchema>;

const day = /* @__PURE__ */ z.pure(() => z.string().check(z.regex(/^\d{4}-\d{2}-\d{2}$/, 'a day, YYYY-MM-DD'), z.refine((s) => !Number.isNaN(Date.parse(`${s}T00:00:00+09:00`)), 'not a day')));

/** `GET /stats` query: Korea-time days, both counted; default the last 7 days up to today. */
export const statsQuerySchema = /* @__PURE__ */ z.pure(() =>
  z
    .strictObject({ from: z.optional(day), to: z.optional(day) })
    .check(
      z.superRefine((q, ctx) => {
        if (q.from !== undefined && q.to !== undefined && q.from > q.to) ctx.addIssue({ code: 'custom', path: ['from'], message: 'must not be after to' });
      }),
    ),
);
export type StatsQuery = z.infer<typeof statsQuerySchema>;
