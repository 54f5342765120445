/**
 * executeApproved: the merchant's final approval of an autoExecute=false payment. Never two
 * executes at once, and never one after Toss took the money.
 *
 * Called only with a v2/status reply that says PAY_APPROVED, fetched just now. The execute lock
 * is ONE conditional write: {PAY_STANDBY, PAY_APPROVED} -> EXECUTING, or, for an order already
 * EXECUTING, taking the lock again once the previous attempt's call is surely over. Whoever loses
 * it (a reload, a racing request, a reconciler pass) never calls execute. Then v2/execute with
 * orderNo (Toss cross-checks it):
 *   code 0                      -> PAY_COMPLETE (after checking the reply's orderNo/payToken/amount)
 *   final refusal (code -1)     -> EXECUTE_FAILED with Toss's errorCode and msg
 *   5xx, 429, transient refusal -> the attempt is over and Toss did nothing: the lock is ended,
 *                                  the order stays EXECUTING, and the next landing reload or
 *                                  reconciler pass that sees Toss still PAY_APPROVED executes again
 *   no reply                    -> unknown: the lock stays until the call is surely over; the next
 *                                  actor asks v2/status first (PAY_COMPLETE is recorded; still
 *                                  PAY_APPROVED after the lock lapsed means execute did nothing)
 */
import { randomUUID } from 'node:crypto';
import { moneyOfExecute, moneyOfStatus } from '../domain/money-facts.ts';
import type { ExecuteLock, Order, Source, TransitionFields } from '../domain/order.ts';
import { CHECK_DELAYS_MS, dueAtFor } from '../domain/schedule.ts';
import { canTransition, EXECUTE_LOCKABLE } from '../domain/states.ts';
import type { OrderStatus } from '../domain/states.ts';
import { isTossNothingHappened, TossRefusedError } from '../toss/errors.ts';
import type { TossStatusReply } from '../toss/schemas.ts';
import type { CallOptions, PaymentDeps } from './ports.ts';
import { flag, securityEvent } from './alerts.ts';

export type ExecuteOutcome =
  | { kind: 'paid'; order: Order }
  | { kind: 'failed'; order: Order }
  /** Execute's outcome is unknown (no reply): the lock stays until the call is surely over. */
  | { kind: 'unknown'; order: Order }
  /** Toss did nothing this time (5xx, 429, transient refusal): a later landing or pass executes again. */
  | { kind: 'retryable'; order: Order }
  /** Someone else holds (or held) the lock: execute was not called by us. */
  | { kind: 'lockLost'; order: Order }
  /** Not executable (autoExecute true, Toss not PAY_APPROVED, or the order not waiting). */
  | { kind: 'notApplicable'; order: Order };

/** Can this order (as read) be executed on a PAY_APPROVED status now? Pure. */
export function executable(o: Pick<Order, 'autoExecute' | 'status' | 'execUntil'>, now: number): boolean {
  if (o.autoExecute) return false;
  if (EXECUTE_LOCKABLE.includes(o.status)) return true;
  return o.status === 'EXECUTING' && (o.execUntil === undefined || o.execUntil <= now);
}

/** `status` must be a v2/status reply for this order fetched just now (server to server). */
export async function executeApproved(
  order: Order,
  status: TossStatusReply,
  source: Source,
  deps: PaymentDeps,
  opts: CallOptions = {},
): Promise<ExecuteOutcome> {
  const now = deps.clock();
  if (
    status.payStatus !== 'PAY_APPROVED' ||
    !executable(order, now) ||
    order.payToken === undefined ||
    status.payToken !== order.payToken ||
    status.orderNo !== order.orderNo ||
    status.amount !== order.amount ||
    status.mode !== order.mode
  )
    return { kind: 'notApplicable', order };
  const payToken = order.payToken;
  // Kept EXECUTE_LOCK_GRACE_MS past the call's timeout: Toss's bank leg may still be running.
  const lock: ExecuteLock = { id: randomUUID(), until: now + deps.toss.callTimeoutMs(opts) + deps.config.EXECUTE_LOCK_GRACE_MS };
  const locked = await takeLock(order, payToken, status, lock, source, deps, now);
  if (locked.kind === 'missing') return { kind: 'notApplicable', order };
  if (locked.kind !== 'taken') {
    deps.logger.info('execute lock held elsewhere; not executing', { orderNo: order.orderNo, status: locked.order.status });
    return { kind: 'lockLost', order: locked.order };
  }
  const lockedOrder = locked.order;

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
      const o = r.kind === 'missing' ? lockedOrder : r.order;
      return r.kind === 'applied' ? { kind: 'failed', order: o } : { kind: 'lockLost', order: o };
    }
    if (isTossNothingHappened(e)) {
      deps.logger.warn('execute failed at Toss; a later landing or reconciler pass executes again', { orderNo: order.orderNo, error: e });
      await deps.store.endExecuteAttempt(order.orderNo, lock.id, deps.clock());
      return { kind: 'retryable', order: lockedOrder };
    }
    deps.logger.warn('execute outcome unknown; Toss status decides once the call is surely over', { orderNo: order.orderNo, error: e });
    return { kind: 'unknown', order: lockedOrder };
  }
  const mismatch =
    (reply.orderNo != null && reply.orderNo !== order.orderNo) ||
    (reply.payToken != null && reply.payToken !== payToken) ||
    (reply.amount != null && reply.amount !== order.amount);
  if (mismatch) {
    securityEvent(deps, 'EXECUTE_REPLY_MISMATCH', { orderNo: order.orderNo, source });
    await flag(deps, order.orderNo, 'CONTRADICTION:EXECUTE_REPLY_MISMATCH');
    return { kind: 'unknown', order: lockedOrder };
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
  // The money facts: the execute reply's, over the status just read (it has the tax parts Toss applied at create).
  set.tossMoney = moneyOfExecute(reply, moneyOfStatus(status));
  // Usually EXECUTING -> PAY_COMPLETE; a concurrent landing may have recorded Toss's PAY_PROGRESS
  // meanwhile: the failed write returns the item, and we move on from where it really is.
  let from: OrderStatus = 'EXECUTING';
  for (let round = 0; round < 3; round++) {
    const done = await deps.store.applyTransition(
      order.orderNo,
      { to: 'PAY_COMPLETE', from: [from], payToken, amount: order.amount, set },
      source,
    );
    if (done.kind === 'missing') return { kind: 'unknown', order: lockedOrder };
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
  return { kind: 'unknown', order: lockedOrder };
}

type LockResult = { kind: 'taken'; order: Order } | { kind: 'busy' | 'moved'; order: Order } | { kind: 'missing' };

/**
 * The lock, from the state read: a waiting order moves to EXECUTING (if it moved between the two
 * waiting states meanwhile, once more from there); an EXECUTING order whose last attempt is over
 * takes the lock again.
 */
async function takeLock(
  order: Order,
  payToken: string,
  status: TossStatusReply,
  lock: ExecuteLock,
  source: Source,
  deps: PaymentDeps,
  now: number,
): Promise<LockResult> {
  if (order.status === 'EXECUTING') return deps.store.relockExecute(order.orderNo, order.execLockId, lock, now);
  const lockFrom = async (from: OrderStatus): Promise<LockResult> => {
    const r = await deps.store.applyTransition(
      order.orderNo,
      {
        to: 'EXECUTING',
        from: [from],
        payToken,
        amount: order.amount,
        set: typeof status.payMethod === 'string' ? { payMethod: status.payMethod } : {},
        note: 'locked for execute',
        dueAt: lock.until + (CHECK_DELAYS_MS[0] ?? 60_000),
        lock,
      },
      source,
    );
    if (r.kind === 'applied') return { kind: 'taken', order: r.order };
    if (r.kind === 'missing') return r;
    return { kind: 'moved', order: r.order };
  };
  const first = await lockFrom(order.status);
  if (first.kind === 'moved' && EXECUTE_LOCKABLE.includes(first.order.status)) return lockFrom(first.order.status);
  if (first.kind === 'moved' && first.order.status === 'EXECUTING' && executable(first.order, now))
    return deps.store.relockExecute(order.orderNo, first.order.execLockId, lock, now);
  return first;
}
