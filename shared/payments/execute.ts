/**
 * executeApproved: the merchant's final approval of an autoExecute=false payment, exactly once.
 *
 * The lock is ONE conditional write {PAY_STANDBY, PAY_APPROVED} -> EXECUTING, made only when
 * Toss's status says PAY_APPROVED. Whoever loses it (a reload, a racing request) never calls
 * execute. Then v2/execute with orderNo (Toss cross-checks it):
 *   code 0      -> EXECUTING -> PAY_COMPLETE (after checking the reply's orderNo/payToken/amount)
 *   code -1     -> EXECUTING -> EXECUTE_FAILED with Toss's errorCode and msg
 *   no reply/5xx -> stays EXECUTING, due soon: the reconciler settles it from v2/status.
 */
import type { Order, Source, TransitionFields } from '../domain/order.ts';
import { dueAtFor } from '../domain/schedule.ts';
import { canTransition, type OrderStatus } from '../domain/states.ts';
import { TossRefusedError } from '../toss/errors.ts';
import type { TossStatusReply } from '../toss/schemas.ts';
import type { CallOpts, PaymentDeps } from './deps.ts';
import { flag, securityEvent } from './security.ts';

export type ExecuteOutcome =
  | { kind: 'paid'; order: Order }
  | { kind: 'failed'; order: Order }
  /** Execute's outcome is unknown (timeout, 5xx): left EXECUTING for the reconciler. */
  | { kind: 'unknown'; order: Order }
  /** Someone else holds or held the lock: execute was not called by us. */
  | { kind: 'lockLost'; order: Order }
  /** Not executable (autoExecute true, Toss not PAY_APPROVED, or the order not waiting). */
  | { kind: 'notApplicable'; order: Order };

const LOCKABLE: readonly OrderStatus[] = ['PAY_STANDBY', 'PAY_APPROVED'];

/** `status` must be a v2/status reply for this order fetched just now (server to server). */
export async function executeApproved(
  order: Order,
  status: TossStatusReply,
  source: Source,
  deps: PaymentDeps,
  opts: CallOpts = {},
): Promise<ExecuteOutcome> {
  if (
    order.autoExecute ||
    status.payStatus !== 'PAY_APPROVED' ||
    !LOCKABLE.includes(order.status) ||
    order.payToken === undefined ||
    status.payToken !== order.payToken ||
    status.orderNo !== order.orderNo ||
    status.amount !== order.amount ||
    status.mode !== order.mode
  )
    return { kind: 'notApplicable', order };
  const payToken = order.payToken;
  const now = deps.clock();
  // The lock: ONE conditional write from the state read (STANDBY or APPROVED) to EXECUTING. If
  // the order moved between the two waiting states meanwhile, the failed write returns it and
  // we try once more from there; anything else means someone else holds (or held) the lock.
  let lock = await lockFrom(order.status);
  if (lock.kind === 'conflict' && lock.reason === 'STATE' && LOCKABLE.includes(lock.order.status))
    lock = await lockFrom(lock.order.status);
  async function lockFrom(from: OrderStatus) {
    return deps.store.applyTransition(
      order.orderNo,
      {
        to: 'EXECUTING',
        from: [from],
        payToken,
        amount: order.amount,
        set: typeof status.payMethod === 'string' ? { payMethod: status.payMethod } : {},
        note: 'locked for execute',
        dueAt: now + 60_000,
      },
      source,
    );
  }
  if (lock.kind === 'missing') return { kind: 'notApplicable', order };
  if (lock.kind !== 'applied') {
    deps.logger.info('execute lock held elsewhere; not executing', { orderNo: order.orderNo, status: lock.order.status });
    return { kind: 'lockLost', order: lock.order };
  }
  let reply;
  try {
    reply = await deps.toss.execute({ payToken, orderNo: order.orderNo }, opts);
  } catch (e) {
    if (e instanceof TossRefusedError) {
      deps.logger.warn('Toss refused execute', { orderNo: order.orderNo, errorCode: e.errorCode, tossMsg: e.msg });
      const r = await deps.store.applyTransition(
        order.orderNo,
        {
          to: 'EXECUTE_FAILED',
          from: ['EXECUTING'],
          payToken,
          amount: order.amount,
          set: { failure: { errorCode: e.errorCode, msg: e.msg } },
          dueAt: dueAtFor({ status: 'EXECUTE_FAILED', checks: 0, expiresAt: order.expiresAt }, deps.clock()),
        },
        source,
      );
      const o = r.kind === 'missing' ? lock.order : r.order;
      return r.kind === 'applied' ? { kind: 'failed', order: o } : { kind: 'lockLost', order: o };
    }
    deps.logger.warn('execute outcome unknown; left EXECUTING for the reconciler', {
      orderNo: order.orderNo,
      error: (e as Error).name,
    });
    return { kind: 'unknown', order: lock.order };
  }
  const mismatch =
    (reply.orderNo != null && reply.orderNo !== order.orderNo) ||
    (reply.payToken != null && reply.payToken !== payToken) ||
    (reply.amount != null && reply.amount !== order.amount);
  if (mismatch) {
    securityEvent(deps, 'EXECUTE_REPLY_MISMATCH', { orderNo: order.orderNo, source });
    await flag(deps, order.orderNo, 'CONTRADICTION:EXECUTE_REPLY_MISMATCH');
    return { kind: 'unknown', order: lock.order };
  }
  const set: TransitionFields = {};
  if (typeof reply.payMethod === 'string') set.payMethod = reply.payMethod;
  if (typeof reply.paidAmount === 'number') set.paidAmount = reply.paidAmount;
  if (typeof reply.discountedAmount === 'number') set.discountedAmount = reply.discountedAmount;
  if (typeof reply.approvalTime === 'string') set.paidTs = reply.approvalTime;
  if (typeof reply.transactionId === 'string')
    set.transactions = [
      {
        stepType: 'PAY',
        transactionId: reply.transactionId,
        transactionAmount: order.amount,
        ...(typeof reply.paidAmount === 'number' ? { paidAmount: reply.paidAmount } : {}),
        ...(typeof reply.discountedAmount === 'number' ? { discountedAmount: reply.discountedAmount } : {}),
        ...(typeof reply.approvalTime === 'string' ? { regTs: reply.approvalTime } : {}),
      },
    ];
  // Usually EXECUTING -> PAY_COMPLETE; a concurrent landing may have recorded Toss's PAY_PROGRESS
  // meanwhile: the failed write returns the item, and we move on from where it really is.
  let from: OrderStatus = 'EXECUTING';
  for (let round = 0; round < 3; round++) {
    const done = await deps.store.applyTransition(
      order.orderNo,
      { to: 'PAY_COMPLETE', from: [from], payToken, amount: order.amount, set },
      source,
    );
    if (done.kind === 'missing') return { kind: 'unknown', order: lock.order };
    if (done.kind === 'applied' || done.kind === 'duplicate') {
      deps.logger.info('payment executed', { orderNo: order.orderNo, applied: done.kind === 'applied' });
      return { kind: 'paid', order: done.order };
    }
    if (done.reason !== 'STATE' || !canTransition(done.order.status, 'PAY_COMPLETE')) {
      securityEvent(deps, 'EXECUTE_RESULT_CONTRADICTED', { orderNo: order.orderNo, source, orderStatus: done.order.status });
      await flag(deps, order.orderNo, 'CONTRADICTION:EXECUTE_RESULT');
      return { kind: 'unknown', order: done.order };
    }
    from = done.order.status;
  }
  return { kind: 'unknown', order: lock.order };
}
