/**
 * createPayment: record the order (CREATING) BEFORE calling Toss, so no Toss payment can exist
 * that we never recorded; then Toss v2/payments; then CREATING -> PAY_STANDBY with the payToken.
 */
import { dueAtFor } from '../domain/schedule.ts';
import type { Order } from '../domain/order.ts';
import { TossRefusedError } from '../toss/errors.ts';
import { toKst } from '../toss/time.ts';
import { generateOrderNo, requestHash, type CreatePaymentInput } from './create-schema.ts';
import type { CallOpts, PaymentDeps } from './deps.ts';
import { OrderNoConflictError } from './errors.ts';

export type CreatePaymentResult = { kind: 'created'; order: Order } | { kind: 'existing'; order: Order };

export const returnUrl = (base: string, orderNo: string): string =>
  `${base}/payments/return?orderNo=${encodeURIComponent(orderNo)}`;
export const cancelUrl = (base: string, orderNo: string): string =>
  `${base}/payments/cancel?orderNo=${encodeURIComponent(orderNo)}`;
export const callbackUrl = (base: string): string => `${base}/payments/callback`;

/**
 * Throws OrderNoConflictError (same orderNo, different request), TossRefusedError (order now
 * CREATE_FAILED), TossServerError / TossUnknownOutcomeError (order left CREATING for the
 * reconciler, which settles it by orderNo).
 */
export async function createPayment(input: CreatePaymentInput, deps: PaymentDeps, opts: CallOpts = {}): Promise<CreatePaymentResult> {
  const now = deps.clock();
  const orderNo = input.orderNo ?? generateOrderNo(now);
  const expiresMs = now + input.expiresInMinutes * 60_000;
  // Toss's expiredTime has 1 s resolution: round down so our expiresAt is never after Toss's.
  const expiresAt = new Date(Math.floor(expiresMs / 1000) * 1000).toISOString();
  const mode = await deps.toss.mode();
  const created = await deps.store.createOrder({
    orderNo,
    amount: input.amount,
    amountTaxFree: input.amountTaxFree,
    ...(input.amountTaxable !== undefined ? { amountTaxable: input.amountTaxable } : {}),
    ...(input.amountVat !== undefined ? { amountVat: input.amountVat } : {}),
    ...(input.amountServiceFee !== undefined ? { amountServiceFee: input.amountServiceFee } : {}),
    productDesc: input.productDesc,
    autoExecute: input.autoExecute,
    expiresAt,
    mode,
    requestHash: requestHash(input),
    ...(input.metadata !== undefined ? { metadata: input.metadata } : {}),
  });
  if (created.kind === 'exists') {
    if (created.order.requestHash === requestHash(input)) return { kind: 'existing', order: created.order };
    throw new OrderNoConflictError(orderNo);
  }
  const base = deps.config.PUBLIC_BASE_URL;
  let reply;
  try {
    reply = await deps.toss.createPayment(
      {
        orderNo,
        amount: input.amount,
        amountTaxFree: input.amountTaxFree,
        amountTaxable: input.amountTaxable,
        amountVat: input.amountVat,
        amountServiceFee: input.amountServiceFee,
        productDesc: input.productDesc,
        retUrl: returnUrl(base, orderNo),
        retCancelUrl: cancelUrl(base, orderNo),
        autoExecute: input.autoExecute,
        resultCallback: callbackUrl(base),
        callbackVersion: 'V2',
        expiredTime: toKst(Date.parse(expiresAt)),
        cashReceipt: input.cashReceipt,
        cashReceiptTradeOption: input.cashReceiptTradeOption,
        enablePayMethods: input.enablePayMethods?.join(','),
        metadata: input.metadata,
      },
      opts,
    );
  } catch (e) {
    if (e instanceof TossRefusedError) {
      deps.logger.warn('Toss refused the payment', { orderNo, errorCode: e.errorCode, tossMsg: e.msg });
      await deps.store.applyTransition(
        orderNo,
        { to: 'CREATE_FAILED', from: ['CREATING'], amount: input.amount, set: { failure: { errorCode: e.errorCode, msg: e.msg } } },
        'create',
      );
    } else {
      deps.logger.warn('Toss create failed; the order stays CREATING for the reconciler', { orderNo, error: (e as Error).name });
    }
    throw e;
  }
  const r = await deps.store.applyTransition(
    orderNo,
    {
      to: 'PAY_STANDBY',
      from: ['CREATING'],
      payToken: reply.payToken,
      amount: input.amount,
      set: { checkoutPage: reply.checkoutPage },
      dueAt: dueAtFor({ status: 'PAY_STANDBY', checks: 0, expiresAt }, deps.clock()),
    },
    'create',
  );
  deps.logger.info('payment created', { orderNo, payToken: reply.payToken });
  if (r.kind === 'applied') return { kind: 'created', order: r.order };
  if (r.kind === 'missing') throw new Error('order vanished between its create and its first transition');
  // Someone (the reconciler, a callback) already moved it on: still ours; keep its checkoutPage.
  return { kind: 'created', order: { ...r.order, checkoutPage: r.order.checkoutPage ?? reply.checkoutPage } };
}
