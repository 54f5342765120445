/**
 * Toss's resultCallback. Toss signs nothing, so the body is only a hint: its payToken is looked up
 * with v2/status (server to server), Toss's orderNo/payToken/amount/mode must match the body, and
 * the write's condition pins the stored payToken and amount. No DynamoDB read: the ONE
 * conditional UpdateItem's ALL_OLD tells duplicate (200) from contradiction (4xx) from missing
 * (recorded as a recovered order, flagged).
 */
import { transitionFromStatus } from '../domain/decide.ts';
import type { Order } from '../domain/order.ts';
import { isPaid } from '../domain/states.ts';
import { MetricName } from '../metrics.ts';
import { TossRefusedError } from '../toss/errors.ts';
import { CallbackRejectedError } from './errors.ts';
import { securityEvent } from './alerts.ts';
import type { CallOptions, PaymentDeps } from './ports.ts';
import { callbackBodySchema, type CallbackBody } from './request-schemas.ts';
import { applyVerifiedStatus, type OrderFacts } from './apply-status.ts';


export type CallbackOutcome =
  | { kind: 'paid'; order: OrderFacts; applied: boolean }
  | { kind: 'recovered'; order: Order };

/**
 * `fields`: the callback body's fields as received (V2 JSON or V1 form). Throws
 * CallbackRejectedError (nothing written, a security event logged), or a retryable Toss or
 * store error (the reply tells Toss to retry).
 */
export async function handleCallback(fields: Record<string, unknown>, deps: PaymentDeps, opts: CallOptions = {}): Promise<CallbackOutcome> {
  const parsed = callbackBodySchema.safeParse(fields);
  if (!parsed.success) {
    const issues = parsed.error.issues.map((i) => ({ path: i.path.map(String).join('.'), message: i.message }));
    securityEvent(deps, 'CALLBACK_MALFORMED', { fields: issues.map((i) => i.path).join(',') });
    throw new CallbackRejectedError('CALLBACK_MALFORMED', 'the callback is malformed', issues);
  }
  const body: CallbackBody = parsed.data;
  const ctx = { orderNo: body.orderNo, source: 'callback' } as const;
  let status;
  try {
    status = await deps.toss.status({ payToken: body.payToken }, opts);
  } catch (e) {
    if (e instanceof TossRefusedError) {
      securityEvent(deps, 'CALLBACK_UNKNOWN_PAY_TOKEN', { ...ctx, errorCode: e.errorCode });
      throw new CallbackRejectedError('CALLBACK_UNKNOWN_PAYMENT', 'Toss does not know this payment');
    }
    throw e;
  }
  const ourMode = await deps.toss.mode();
  const mismatch =
    status.payToken !== body.payToken
      ? 'PAY_TOKEN_MISMATCH'
      : status.orderNo !== body.orderNo
        ? 'ORDER_NO_MISMATCH'
        : status.amount !== body.amount
          ? 'AMOUNT_MISMATCH'
          : status.mode !== ourMode
            ? 'MODE_MISMATCH'
            : undefined;
  if (mismatch !== undefined) {
    securityEvent(deps, `CALLBACK_${mismatch}`, ctx);
    throw new CallbackRejectedError('CALLBACK_CONTRADICTED', `the callback contradicts Toss (${mismatch})`);
  }
  const t = transitionFromStatus(status);
  if (t === undefined || !isPaid(t.to)) {
    securityEvent(deps, 'CALLBACK_NOT_PAID_AT_TOSS', { ...ctx, claimed: body.status, tossStatus: status.payStatus });
    throw new CallbackRejectedError('CALLBACK_NOT_CONFIRMED', 'Toss does not report this payment as paid');
  }
  // No read: guess the usual previous state; a wrong guess comes back as the item itself.
  const guess: OrderFacts = { orderNo: status.orderNo, status: 'PAY_STANDBY', payToken: status.payToken, amount: status.amount, mode: ourMode };
  for (let attempt = 0; attempt < 2; attempt++) {
    const outcome = await applyVerifiedStatus(guess, status, 'callback', deps);
    if (outcome.kind === 'changed') return { kind: 'paid', order: outcome.order, applied: true };
    if (outcome.kind === 'unchanged') return { kind: 'paid', order: outcome.order, applied: false };
    if (outcome.kind === 'contradiction')
      throw new CallbackRejectedError('CALLBACK_CONTRADICTED', `the stored order contradicts Toss (${outcome.reason})`);
    const rec = await deps.store.recordRecoveredOrder(
      {
        orderNo: status.orderNo,
        status: t.to,
        payToken: status.payToken,
        amount: status.amount,
        amountTaxFree: typeof status.amountTaxFree === 'number' ? status.amountTaxFree : undefined,
        mode: ourMode,
        fields: t.set,
        reason: 'RECOVERED',
      },
      'callback',
    );
    if (rec.kind === 'created') {
      deps.logger.warn('callback for an unknown order: recorded as recovered and flagged', { orderNo: status.orderNo, attention: 'RECOVERED' });
      deps.count(MetricName.OrdersFlagged);
      return { kind: 'recovered', order: rec.order };
    }
    // The order appeared meanwhile (a create raced us): apply the status to it.
  }
  throw new Error('callback: order kept appearing and disappearing');
}
