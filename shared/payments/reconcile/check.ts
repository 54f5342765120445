/**
 * One reconciler check of one due order (as the due index projects it): Toss's status, then the
 * same domain transitions and single conditional writes as the handlers (applyVerifiedStatus,
 * executeApproved with its lock). When the state does not change, ONE conditional write records
 * the check and schedules the next (flagging the order once past the flag age). Never throws.
 */
import { decide, pickTransactions } from '../../domain/decide.ts';
import type { Attention, Order } from '../../domain/order.ts';
import { tossRefundsOf } from '../../domain/refunds.ts';
import { dueAtFor, recheckAt } from '../../domain/schedule.ts';
import { isPaid, type OrderStatus } from '../../domain/states.ts';
import { MetricName } from '../../metrics.ts';
import { isTossError, isTossNotFound, TossRefusedError } from '../../toss/errors.ts';
import { isExpectedFailure } from '../errors.ts';
import { reportRejectedWrite } from '../alerts.ts';
import type { TossStatusReply } from '../../toss/schemas.ts';
import { executable, executeApproved, type ExecuteOutcome } from '../execute.ts';
import type { DueOrder, ReconcileDeps } from '../ports.ts';
import { moneyFactsOf, type MoneyFacts } from '../money-facts.ts';
import { syncRefunds } from '../refund.ts';
import { applyVerifiedStatus, tossRef } from '../apply-status.ts';
import type { CheckOutcome, CheckResult } from './summary.ts';

export interface CheckContext {
  now: number;
  flagAfterMs: number;
  createGraceMs: number;
  callDeadline?: number | undefined;
}

/** Ms since the order was recorded; 0 when unknown (never flag or fail on a guess). Pure. */
export function ageOf(o: Pick<DueOrder, 'createdAt'>, now: number): number {
  const t = o.createdAt === undefined ? Number.NaN : Date.parse(o.createdAt);
  return Number.isFinite(t) ? Math.max(0, now - t) : 0;
}

/** Checks of a refund in flight before it is flagged for a person (with the backoff: a few hours). */
export const REFUND_FLAG_AFTER_CHECKS = 12;

/** A paid order at rest (no refund in flight): re-checked after payment for changes at Toss, never flagged. */
export const resting = (o: Pick<DueOrder, 'status' | 'refundInFlight'>): boolean =>
  isPaid(o.status) && o.status !== 'REFUND_PROGRESS' && o.refundInFlight === undefined;

/**
 * When the next check of an order that did not change should be (undefined: never, it leaves the
 * due index), and whether to flag it. Pure.
 */
export function nextCheck(o: DueOrder, ctx: Pick<CheckContext, 'now' | 'flagAfterMs'>): { dueAt: number | undefined; flag?: Attention } {
  if (resting(o)) {
    const paidAt = o.paidAt === undefined ? Number.NaN : Date.parse(o.paidAt);
    return { dueAt: recheckAt(Number.isFinite(paidAt) ? paidAt : ctx.now, ctx.now) };
  }
  const dueAt = dueAtFor({ status: o.status, checks: o.checks + 1, expiresAt: o.expiresAt }, ctx.now);
  // A refund in flight is measured by its checks: the order itself may be months old.
  if (isPaid(o.status)) {
    if (o.attention !== undefined || o.checks + 1 < REFUND_FLAG_AFTER_CHECKS) return { dueAt };
    return { dueAt, flag: { reason: `UNRESOLVED:REFUND`, at: new Date(ctx.now).toISOString() } };
  }
  if (o.attention !== undefined || ageOf(o, ctx.now) <= ctx.flagAfterMs) return { dueAt };
  return { dueAt, flag: { reason: `UNRESOLVED:${o.status}`, at: new Date(ctx.now).toISOString() } };
}

/**
 * The full order executeApproved expects, from the projected facts. executeApproved reads only
 * the identity facts (orderNo, status, payToken, amount, mode, autoExecute, expiresAt); every
 * write it makes returns the real item.
 */
function asOrder(o: DueOrder): Order {
  const order: Order = {
    orderNo: o.orderNo,
    status: o.status,
    amount: o.amount,
    amountTaxFree: 0,
    productDesc: '',
    autoExecute: o.autoExecute,
    expiresAt: o.expiresAt ?? '',
    mode: o.mode,
    history: [],
    createdAt: o.createdAt ?? '',
    updatedAt: o.createdAt ?? '',
    checks: o.checks,
    dueAt: o.dueAt,
  };
  if (o.payToken !== undefined) order.payToken = o.payToken;
  if (o.execLockId !== undefined) order.execLockId = o.execLockId;
  if (o.execUntil !== undefined) order.execUntil = o.execUntil;
  if (o.supersededPayTokens !== undefined) order.supersededPayTokens = o.supersededPayTokens;
  return order;
}

function fromExecute(before: OrderStatus, ex: ExecuteOutcome): CheckOutcome | undefined {
  if (ex.kind === 'notApplicable') return undefined;
  if (ex.kind === 'lockLost') return { kind: 'unchanged', reason: 'EXECUTE_LOCK_HELD_ELSEWHERE' };
  const to = ex.order.status;
  return to === before ? { kind: 'unchanged', reason: `EXECUTE_${ex.kind.toUpperCase()}` } : { kind: 'changed', from: before, to };
}

/** A check's outcome and, for a paid order that did not change, Toss's money facts to keep in the check's write. */
type CheckOneResult = CheckOutcome & { facts?: MoneyFacts | undefined };

/** One order: Toss status -> the same transitions as the handlers. Never throws for Toss errors. */
async function checkOne(deps: ReconcileDeps, o: DueOrder, ctx: CheckContext): Promise<CheckOneResult> {
  const callOpts = { deadline: ctx.callDeadline };
  // A create attempt holds the lease: it may be replacing the very payment we would record.
  if (o.status === 'CREATING' && o.leaseUntil !== undefined && o.leaseUntil > deps.clock())
    return { kind: 'unchanged', reason: 'CREATE_IN_PROGRESS' };
  let status: TossStatusReply;
  try {
    status = await deps.toss.status(tossRef(o), callOpts);
  } catch (e) {
    if (isTossNotFound(e) && o.status === 'CREATING' && o.payToken === undefined) return createNeverReachedToss(deps, o, ctx, e);
    if (!isTossError(e)) throw e;
    const code = e instanceof TossRefusedError ? e.errorCode : e.name;
    deps.logger.warn('reconciler: Toss status unavailable; order left as it is', { orderNo: o.orderNo, status: o.status, error: code });
    return { kind: 'error', error: code };
  }

  const d = decide(o, status, await deps.toss.mode());
  if (d.kind === 'contradiction' && o.attention !== undefined)
    // Flagged and logged when first seen; a person is on it. Check again later, quietly.
    return { kind: 'unchanged', reason: `CONTRADICTION:${d.reason}` };

  // The buyer authenticated but never came back to the return landing: execute, exactly once
  // (the landing takes the same lock; whoever loses it never calls execute).
  // An EXECUTING order whose last attempt is surely over and found Toss still PAY_APPROVED: that
  // execute did nothing, so execute again (under the lock, never two at once).
  if (d.kind !== 'contradiction' && status.payStatus === 'PAY_APPROVED' && executable(asOrder(o), deps.clock())) {
    const ex = fromExecute(o.status, await executeApproved(asOrder(o), status, 'reconciler', deps, callOpts));
    if (ex !== undefined) return ex;
  }

  const out = await applyVerifiedStatus(o, status, 'reconciler', deps);
  if (out.kind === 'missing') return { kind: 'unchanged', reason: 'MISSING' };
  if (out.kind === 'contradiction') return { kind: 'unchanged', reason: `CONTRADICTION:${out.reason}` };
  // A paid order: its refunds as Toss has them (a refund of ours in flight, or one made at Toss).
  // Read in full only then: the index does not project the refunds.
  const after = out.kind === 'changed' ? out.order.status : o.status;
  if (isPaid(after) && (o.refundInFlight !== undefined || tossRefundsOf(pickTransactions(status.transactions)).length > 0)) {
    const full = await deps.store.getOrder(o.orderNo);
    if (full !== undefined) {
      const synced = await syncRefunds(full, status, 'reconciler', deps, callOpts);
      if (synced.writeId !== full.writeId) return { kind: 'changed', from: o.status, to: synced.status };
    }
  }
  if (out.kind === 'unchanged') return { kind: 'unchanged', reason: out.reason, ...(isPaid(o.status) ? { facts: moneyFactsOf(o, status) } : {}) };
  // A CREATING order Toss reports as PAY_APPROVED (autoExecute false): now it can be executed.
  if (out.order.status === 'PAY_APPROVED' && !out.order.autoExecute) {
    const ex = await executeApproved(out.order, status, 'reconciler', deps, callOpts);
    if (ex.kind !== 'notApplicable' && ex.kind !== 'lockLost') return { kind: 'changed', from: o.status, to: ex.order.status };
  }
  return { kind: 'changed', from: o.status, to: out.order.status };
}

/** Toss has no payment for a CREATING order's orderNo. */
async function createNeverReachedToss(deps: ReconcileDeps, o: DueOrder, ctx: CheckContext, e: TossRefusedError): Promise<CheckOutcome> {
  if (ageOf(o, ctx.now) < ctx.createGraceMs) return { kind: 'unchanged', reason: 'CREATE_MAY_BE_IN_FLIGHT' };
  const r = await deps.store.applyTransition(
    o.orderNo,
    {
      to: 'CREATE_FAILED',
      from: ['CREATING'],
      amount: o.amount,
      set: { failure: { errorCode: e.errorCode, msg: e.msg !== '' ? e.msg : 'Toss has no payment for this order' } },
      note: 'Toss has no payment for this orderNo: the create call never reached Toss',
    },
    'reconciler',
  );
  if (r.kind === 'applied') {
    deps.logger.info('order state changed', { orderNo: o.orderNo, from: 'CREATING', to: 'CREATE_FAILED', source: 'reconciler' });
    return { kind: 'changed', from: 'CREATING', to: 'CREATE_FAILED' };
  }
  return { kind: 'unchanged', reason: r.kind === 'missing' ? 'MISSING' : 'CONTENDED' };
}

const errorName = (e: unknown): string => (e instanceof Error ? e.name : 'Error');

/**
 * Logs a failure the pass survives: a write DynamoDB refused for good is logged and counted
 * (OrderWritesRejected, alarmed: the order is flagged); another expected one (Toss or DynamoDB
 * failing, a refusal) is logged with its error; anything else is a bug: logged with its stack and
 * counted as UnhandledErrors (alarmed), as the HTTP functions do.
 */
export function reportFailure(deps: Pick<ReconcileDeps, 'logger' | 'count'>, message: string, e: unknown, fields: Record<string, unknown>): void {
  if (reportRejectedWrite(deps, e)) return;
  if (isExpectedFailure(e)) {
    deps.logger.error(message, { ...fields, error: e });
    return;
  }
  deps.logger.error(`${message} (unexpected error)`, { ...fields, error: e instanceof Error ? e : String(e) });
  deps.count(MetricName.UnhandledErrors);
}

/**
 * Checks one due order (as the index projects it) and, when its state did not change, schedules
 * its next check (flagging it once past the flag age). Never throws: any failure is an `error`
 * outcome and the order stays due.
 */
export async function reconcileOrder(deps: ReconcileDeps, o: DueOrder, ctx: CheckContext): Promise<CheckResult> {
  let outcome: CheckOutcome;
  let facts: MoneyFacts | undefined;
  try {
    ({ facts, ...outcome } = await checkOne(deps, o, ctx));
  } catch (e) {
    reportFailure(deps, 'reconciler: check failed; order left as it is', e, { orderNo: o.orderNo });
    outcome = { kind: 'error', error: errorName(e) };
  }
  if (outcome.kind === 'changed') return { orderNo: o.orderNo, outcome, flaggedUnresolved: false };
  let flaggedUnresolved = false;
  try {
    // A paid order's re-check keeps Toss's money facts (what an execute reply did not say) in the same write.
    const t = await deps.due.touch(o, nextCheck(o, ctx), facts);
    if (t.kind === 'touched' && t.flagged) {
      flaggedUnresolved = true;
      deps.logger.warn('order unresolved too long; flagged for attention', { orderNo: o.orderNo, status: o.status, checks: t.checks });
      deps.count(MetricName.OrdersFlagged);
    }
  } catch (e) {
    reportFailure(deps, 'reconciler: could not schedule the next check', e, { orderNo: o.orderNo });
    if (outcome.kind !== 'error') outcome = { kind: 'error', error: errorName(e) };
  }
  return { orderNo: o.orderNo, outcome, flaggedUnresolved };
}
