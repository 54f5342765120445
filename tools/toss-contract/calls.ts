/**
 * The Toss calls the contract check makes (none needs a buyer), each with what we expect of its
 * reply and where that expectation comes from: Toss's documents or our assumption. Run in
 * order against one Toss; later calls use the payments earlier ones created.
 */
import { randomBytes } from 'node:crypto';
import { cancelReplySchema, createReplySchema, errorReplySchema, refundReplyContractSchema, statusReplyContractSchema } from '../../shared/toss/schemas.ts';
import type * as z from '../../shared/zod.ts';

/** A reply as it came: HTTP status and the parsed body (undefined when it was not JSON). */
export interface Reply {
  http: number;
  body: Record<string, unknown> | undefined;
}

/** What one run has learnt so far: the payments it created, by label. */
export interface RunContext {
  payments: Record<string, { payToken?: string; orderNo: string }>;
  /** Unique per run, so orderNos and refundNos never collide with an earlier run's. */
  tag: string;
}

export interface Call {
  name: string;
  /** Where the expectation comes from: a seed page, or "assumed" with why. */
  source: string;
  path: string;
  /** The request body (the apiKey is added unless the body names one). */
  body(ctx: RunContext): Record<string, unknown>;
  /** The schema a success reply (code 0) must pass: ours (shared/toss/schemas.ts), strict. */
  schema: z.core.$ZodType;
  /** What differs from the documented behaviour; undefined when nothing does. */
  expect(r: Reply, ctx: RunContext): string | undefined;
  /** Remembers what later calls need. */
  after?(r: Reply, ctx: RunContext): void;
  /** Skipped (not a difference) when this is false, e.g. a cleanup of what was never created. */
  when?(ctx: RunContext): boolean;
}

const AMOUNT = 10_000;
const DEFAULT_VAT = Math.ceil(AMOUNT / 11);

const codeOf = (r: Reply): unknown => r.body?.code;
const refused = (r: Reply, why: string): string | undefined => (codeOf(r) === -1 ? undefined : `expected a refusal (code -1): ${why}; got code ${String(codeOf(r))} (HTTP ${r.http})`);
const succeeded = (r: Reply): string | undefined =>
  codeOf(r) === 0 ? undefined : `expected code 0; got code ${String(codeOf(r))} (HTTP ${r.http}${r.body?.errorCode !== undefined ? `, ${String(r.body.errorCode)}` : ''})`;
const parts = (r: Reply) => [r.body?.amountTaxable, r.body?.amountTaxFree, r.body?.amountVat, r.body?.amountServiceFee];

export function newContext(): RunContext {
  return { payments: {}, tag: `${Date.now().toString(36)}${randomBytes(3).toString('hex')}` };
}

const create = (ctx: RunContext, label: string, extra: Record<string, unknown>): Record<string, unknown> => {
  const orderNo = `toss-contract-${ctx.tag}-${label}`;
  ctx.payments[label] = { orderNo };
  return {
    orderNo,
    amount: AMOUNT,
    productDesc: 'toss contract check',
    retUrl: 'https://example.com/toss-contract/return',
    retCancelUrl: 'https://example.com/toss-contract/cancel',
    autoExecute: false,
    ...extra,
  };
};
const remember = (label: string) => (r: Reply, ctx: RunContext) => {
  const p = ctx.payments[label];
  if (p !== undefined && codeOf(r) === 0 && typeof r.body?.payToken === 'string') p.payToken = r.body.payToken;
};
const payTokenOf = (ctx: RunContext, label: string): string => ctx.payments[label]?.payToken ?? 'none';
const created = (label: string) => (ctx: RunContext) => ctx.payments[label]?.payToken !== undefined;

/** A create Toss must refuse, and the status by its orderNo that shows nothing was created. */
function refusedCreate(label: string, title: string, source: string, why: string, extra: Record<string, unknown>): Call[] {
  return [
    { name: `create (${title})`, source, path: '/api/v2/payments', body: (ctx) => create(ctx, label, extra), schema: createReplySchema, expect: (r) => refused(r, why), after: remember(label) },
    {
      name: `status by orderNo (${title}): nothing was created`,
      source,
      path: '/api/v2/status',
      body: (ctx) => ({ orderNo: ctx.payments[label]?.orderNo }),
      schema: statusReplyContractSchema,
      expect: (r) => refused(r, 'the refused create left no payment'),
    },
  ];
}

export const CALLS: readonly Call[] = [
  {
    name: 'create (no tax parts)',
    source: 'Toss: 토스 결제 연동은 간단합니다 (결제 생성)',
    path: '/api/v2/payments',
    body: (ctx) => create(ctx, 'none', { amountTaxFree: 0 }),
    schema: createReplySchema,
    expect: succeeded,
    after: remember('none'),
  },
  {
    name: 'status by payToken (no tax parts): Toss applied its default parts',
    source: 'Toss: 토스 결제 연동은 간단합니다 (복합과세: VAT = ceil(amount / 11), taxable = the rest), 결제 상태 확인 (status fields)',
    path: '/api/v2/status',
    body: (ctx) => ({ payToken: payTokenOf(ctx, 'none') }),
    schema: statusReplyContractSchema,
    expect: (r) =>
      succeeded(r) ??
      (r.body?.payStatus !== 'PAY_STANDBY' ? `expected payStatus PAY_STANDBY; got ${String(r.body?.payStatus)}` : undefined) ??
      (JSON.stringify(parts(r)) !== JSON.stringify([AMOUNT - DEFAULT_VAT, 0, DEFAULT_VAT, 0])
        ? `expected taxable, tax-free, VAT, service fee ${JSON.stringify([AMOUNT - DEFAULT_VAT, 0, DEFAULT_VAT, 0])}; got ${JSON.stringify(parts(r))}`
        : undefined),
  },
  {
    name: 'status by orderNo (no tax parts): the same payment',
    source: 'Toss: 결제 상태 알아보기 (payToken 대신 orderNo)',
    path: '/api/v2/status',
    body: (ctx) => ({ orderNo: ctx.payments.none?.orderNo }),
    schema: statusReplyContractSchema,
    expect: (r, ctx) => succeeded(r) ?? (r.body?.payToken !== payTokenOf(ctx, 'none') ? 'expected the payToken of the create' : undefined),
  },
  {
    name: 'create (explicit parts that add up)',
    source: 'Toss: 토스 결제 연동은 간단합니다 (복합과세)',
    path: '/api/v2/payments',
    body: (ctx) => create(ctx, 'explicit', { amountTaxFree: 1_000, amountTaxable: 8_182, amountVat: 818, amountServiceFee: 0 }),
    schema: createReplySchema,
    expect: succeeded,
    after: remember('explicit'),
  },
  {
    name: 'status by payToken (explicit parts): applied as given',
    source: 'Toss: 토스 결제 연동은 간단합니다 (복합과세), 결제 상태 확인 (status fields)',
    path: '/api/v2/status',
    body: (ctx) => ({ payToken: payTokenOf(ctx, 'explicit') }),
    schema: statusReplyContractSchema,
    expect: (r) => succeeded(r) ?? (JSON.stringify(parts(r)) !== JSON.stringify([8_182, 1_000, 818, 0]) ? `expected the parts as given; got ${JSON.stringify(parts(r))}` : undefined),
  },
  ...refusedCreate('notAdding', 'parts that do not add up', 'Toss: 토스 결제 연동은 간단합니다 (복합과세: 네 값의 합은 amount와 동일해야)', 'the four parts (5,500) do not add up to amount (10,000)', {
    amountTaxFree: 0,
    amountTaxable: 5_000,
    amountVat: 500,
    amountServiceFee: 0,
  }),
  ...refusedCreate('taxFreeOnly', 'only amountTaxFree non-zero', 'Toss: 토스 결제 연동은 간단합니다 (복합과세: 하나라도 0이 아니면 네 값의 합 = amount)', 'amountTaxFree 3,000 is non-zero, so the four parts must add up to amount (10,000)', {
    amountTaxFree: 3_000,
  }),
  ...refusedCreate('blank', 'a blank part', 'Toss: 토스 결제 연동은 간단합니다 (복합과세: 빈 값으로 전달할 경우 에러)', 'amountVat is blank', {
    amountTaxFree: 0,
    amountTaxable: 9_091,
    amountVat: '',
    amountServiceFee: 0,
  }),
  {
    name: 'create (an unknown request field)',
    source: 'assumed: Toss ignores request fields it does not know, as the sandbox does',
    path: '/api/v2/payments',
    body: (ctx) => create(ctx, 'extra', { amountTaxFree: 0, contractCheckUnknownField: 'x' }),
    schema: createReplySchema,
    expect: succeeded,
    after: remember('extra'),
  },
  {
    name: 'refund of an unpaid payment: refused',
    source: 'Toss: 토스 결제 연동은 간단합니다 (환불: 결제 완료 건)',
    path: '/api/v2/refunds',
    body: (ctx) => ({ payToken: payTokenOf(ctx, 'none'), refundNo: `tc-${ctx.tag}-1`, amount: 1_000, amountTaxFree: 0 }),
    schema: refundReplyContractSchema,
    expect: (r) => refused(r, 'nothing was paid'),
  },
  {
    name: 'cancel (waiting for the buyer)',
    source: 'Toss: 토스 결제 연동은 간단합니다 (결제 취소: 대기 상태)',
    path: '/api/v1/cancel',
    body: (ctx) => ({ payToken: payTokenOf(ctx, 'none'), reason: '계약 점검' }),
    schema: cancelReplySchema,
    expect: succeeded,
  },
  {
    name: 'status after the cancel: PAY_CANCEL',
    source: 'Toss: 결제 상태 알아보기 (결제 상태 목록)',
    path: '/api/v2/status',
    body: (ctx) => ({ payToken: payTokenOf(ctx, 'none') }),
    schema: statusReplyContractSchema,
    expect: (r) => succeeded(r) ?? (r.body?.payStatus !== 'PAY_CANCEL' ? `expected payStatus PAY_CANCEL; got ${String(r.body?.payStatus)}` : undefined),
  },
  {
    name: 'refund of a cancelled payment: refused',
    source: 'Toss: 토스 결제 연동은 간단합니다 (환불: 결제 완료 건)',
    path: '/api/v2/refunds',
    body: (ctx) => ({ payToken: payTokenOf(ctx, 'none'), refundNo: `tc-${ctx.tag}-2`, amountTaxFree: 0 }),
    schema: refundReplyContractSchema,
    expect: (r) => refused(r, 'the payment was cancelled'),
  },
  {
    name: 'error: a bad apiKey',
    source: 'assumed: a code -1 reply with errorCode and msg, as every refusal (docs/toss-pay.md)',
    path: '/api/v2/status',
    body: (ctx) => ({ apiKey: 'sk_test_toss_contract_bad_key0', payToken: payTokenOf(ctx, 'explicit') }),
    schema: errorReplySchema,
    expect: (r) => refused(r, 'the apiKey is not one Toss issued'),
  },
  {
    name: 'error: an unknown payToken',
    source: 'assumed: a code -1 reply with errorCode and msg, as every refusal (docs/toss-pay.md)',
    path: '/api/v2/status',
    body: (ctx) => ({ payToken: `tc${ctx.tag}nosuchpayment` }),
    schema: statusReplyContractSchema,
    expect: (r) => refused(r, 'no such payment'),
  },
  // Leave nothing waiting at Toss.
  ...['explicit', 'extra', 'notAdding', 'taxFreeOnly', 'blank'].map(
    (label): Call => ({
      name: `cancel (${label}: clean up)`,
      source: 'Toss: 토스 결제 연동은 간단합니다 (결제 취소: 대기 상태)',
      path: '/api/v1/cancel',
      body: (ctx) => ({ payToken: payTokenOf(ctx, label) }),
      schema: cancelReplySchema,
      expect: succeeded,
      when: created(label),
    }),
  ),
];
