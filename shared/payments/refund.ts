/**
 * Refunds through our API, exactly once, and Toss's own refunds reflected in the order.
 *
 * refundPayment (POST /payments/{orderNo}/refunds): the merchant's Idempotency-Key gives the Toss
 * refundNo (refundNoFor), so every retry, ours or the merchant's, asks Toss for the same refund.
 *   1. Everything is checked against the order as read: paid, none in flight, the balance, the tax
 *      parts. Then ONE conditional write records the refund PENDING, checking the same again
 *      (so two requests can never both pass): the order takes refunds, none is in flight, the
 *      refundNo is new, and refunded + in flight + this one <= the amount.
 *   2. Toss v2/refunds with that refundNo.
 *   3. ONE conditional write settles it: SUCCEEDED (the order moves to REFUND_SUCCESS) or FAILED
 *      (its amount back in the balance). Toss failing or not answering leaves it PENDING: the same
 *      request again, or the reconciler, asks Toss again with the same refundNo.
 *
 * syncRefunds: what Toss's status says about refunds (`transactions[]`, stepType REFUND) made into
 * ours: a PENDING refund is settled by asking Toss again with its refundNo (never by guessing which
 * transaction it was), then every refund Toss made without us is recorded once (source `toss`,
 * keyed by its transactionId).
 */
import * as z from '../zod.ts';
import type { Order, Source } from '../domain/order.ts';
import {
  compareRefunds,
  moneyOf,
  REFUNDABLE_STATUSES,
  refundNoFor,
  refundsOf,
  tossRefundNo,
  tossRefundsOf,
  type Refund,
} from '../domain/refunds.ts';
import { dueAfterChange } from '../domain/schedule.ts';
import { isPaid, isTerminal } from '../domain/states.ts';
import { pickTransactions } from '../domain/decide.ts';
import { refundFactsOf } from '../domain/money-facts.ts';
import { isTossNothingHappened, TossRefusedError } from '../toss/errors.ts';
import type { TossStatusReply } from '../toss/schemas.ts';
import { tossTimeIso } from '../toss/time.ts';
import { canonicalJson } from './create-schema.ts';
import { createHash } from 'node:crypto';
import {
  IdempotencyKeyReusedError,
  InvalidRequestError,
  ModeMismatchError,
  OrderNotFoundError,
  OrderNotPaidError,
  OrderNotRefundableError,
  RefundExceedsBalanceError,
  RefundInProgressError,
} from './errors.ts';
import type { CallOptions, PaymentDeps } from './ports.ts';

/** `Idempotency-Key`: 1–64 of A-Z a-z 0-9 _ - : . */
export const IDEMPOTENCY_KEY_RE = /^[A-Za-z0-9_\-:.]{1,64}$/;

const part = z.int().check(z.gte(0), z.lte(9_999_999));

/** `POST /payments/{orderNo}/refunds` body. Unknown fields are refused. */
export const refundRequestSchema = z
  .strictObject({
    /** Absent: everything still refundable. */
    amount: z.optional(z.int().check(z.gte(1), z.lte(9_999_999))),
    amountTaxFree: part,
    amountTaxable: z.optional(part),
    amountVat: z.optional(part),
    amountServiceFee: z.optional(part),
    reason: z.optional(
      z.string().check(
        z.maxLength(100),
        z.refine((s) => s.trim() !== '', 'must not be blank'),
        z.refine((s) => !/[\p{Cc}]/u.test(s), 'must not contain control characters'),
      ),
    ),
  })
  .check(
    z.superRefine((r, ctx) => {
      const parts = [r.amountTaxable, r.amountVat, r.amountServiceFee];
      if (parts.some((p) => p !== undefined)) {
        if (r.amount === undefined) {
          ctx.addIssue({ code: 'custom', path: ['amount'], message: 'required when the tax parts are given' });
          return;
        }
        const sum = r.amountTaxFree + parts.reduce<number>((s, p) => s + (p ?? 0), 0);
        if (sum !== r.amount)
          ctx.addIssue({ code: 'custom', path: ['amount'], message: `amountTaxFree + amountTaxable + amountVat + amountServiceFee (${sum}) must equal amount` });
      }
      if (r.amount !== undefined && r.amountTaxFree > r.amount)
        ctx.addIssue({ code: 'custom', path: ['amountTaxFree'], message: 'must not exceed amount' });
    }),
  );
export type RefundRequest = z.infer<typeof refundRequestSchema>;

export interface RefundResult {
  /** `created`: this request recorded the refund (201); `existing`: the same request again (200). */
  kind: 'created' | 'existing';
  order: Order;
  refund: Refund;
}

const MAX_ROUNDS = 4;
const hashOf = (r: RefundRequest): string => createHash('sha256').update(canonicalJson(r)).digest('hex');
/** The order was created with explicit tax parts: Toss then wants every refund's parts. */
const composite = (o: Order): boolean => [o.amountTaxable, o.amountVat, o.amountServiceFee].some((p) => p !== undefined && p !== 0);
/** Toss's time as ISO 8601, or now. */
const isoOf = (toss: string | null | undefined, now: number): string => tossTimeIso(toss) ?? new Date(now).toISOString();

/**
 * Throws OrderNotFoundError, ModeMismatchError, IdempotencyKeyReusedError, OrderNotPaidError,
 * OrderNotRefundableError, RefundInProgressError, RefundExceedsBalanceError, InvalidRequestError,
 * TossRefusedError (the refund FAILED), and Toss or store errors that leave it PENDING.
 */
export async function refundPayment(
  orderNo: string,
  idempotencyKey: string,
  input: RefundRequest,
  deps: PaymentDeps,
  opts: CallOptions = {},
): Promise<RefundResult> {
  const refundNo = refundNoFor(orderNo, idempotencyKey);
  const requestHash = hashOf(input);
  let order = await deps.store.getOrder(orderNo);
  for (let round = 0; round < MAX_ROUNDS; round++) {
    if (order === undefined) throw new OrderNotFoundError(orderNo);
    const keyMode = await deps.toss.mode();
    if (order.mode !== keyMode) throw new ModeMismatchError(orderNo, order.mode, keyMode);
    const existing = order.refunds?.[refundNo];
    if (existing !== undefined) return replay(order, existing, requestHash, deps, opts);
    const refund = newRefund(order, input, refundNo, requestHash, deps.clock());
    const r = await deps.store.beginRefund(orderNo, refund, order.amount - refund.amount);
    if (r.kind === 'missing') throw new OrderNotFoundError(orderNo);
    if (r.kind === 'recorded') {
      deps.logger.info('refund recorded; asking Toss', { refundNo, amount: refund.amount });
      const done = await askToss(r.order, refund, 'merchant', deps, opts);
      return { kind: 'created', order: done.order, refund: done.refund };
    }
    // Refused: the order changed since it was read; the failed write returned it as it is.
    order = r.order;
  }
  throw new RefundInProgressError();
}

/** The checks a new refund must pass against the order as read; the refund to record. */
function newRefund(order: Order, input: RefundRequest, refundNo: string, requestHash: string, now: number): Refund {
  if (!isPaid(order.status)) throw new OrderNotPaidError(order.status);
  if (isTerminal(order.status)) throw new OrderNotRefundableError(order.status);
  if (order.refundInFlight !== undefined || !REFUNDABLE_STATUSES.includes(order.status)) throw new RefundInProgressError();
  const { refundableAmount } = moneyOf(order);
  const amount = input.amount ?? refundableAmount;
  if (refundableAmount === 0 || amount > refundableAmount) throw new RefundExceedsBalanceError(refundableAmount);
  const named = [input.amountTaxable, input.amountVat, input.amountServiceFee].some((p) => p !== undefined);
  if (input.amountTaxFree > amount)
    throw new InvalidRequestError('the request is invalid', [{ path: 'amountTaxFree', message: `must not exceed the refund's amount (${amount})`, code: 'custom' }]);
  if (composite(order) && !named && input.amountTaxFree !== amount)
    throw new InvalidRequestError('the request is invalid', [
      {
        path: 'amountTaxable',
        message: 'the payment was created with explicit tax parts: give amount, amountTaxable, amountVat and amountServiceFee',
        code: 'custom',
      },
    ]);
  const r: Refund = {
    refundNo,
    amount,
    amountTaxFree: input.amountTaxFree,
    status: 'PENDING',
    source: 'api',
    requestHash,
    requestedAt: new Date(now).toISOString(),
  };
  if (input.amountTaxable !== undefined) r.amountTaxable = input.amountTaxable;
  if (input.amountVat !== undefined) r.amountVat = input.amountVat;
  if (input.amountServiceFee !== undefined) r.amountServiceFee = input.amountServiceFee;
  if (input.reason !== undefined) r.reason = input.reason;
  return r;
}

/** The same Idempotency-Key again: the same body gets the same result; a PENDING refund is asked about again. */
async function replay(order: Order, r: Refund, requestHash: string, deps: PaymentDeps, opts: CallOptions): Promise<RefundResult> {
  if (r.requestHash !== requestHash) throw new IdempotencyKeyReusedError();
  if (r.status === 'FAILED') throw new TossRefusedError(r.failure?.errorCode ?? 'UNKNOWN', r.failure?.msg ?? '', 200);
  if (r.status === 'SUCCEEDED') return { kind: 'existing', order, refund: r };
  const done = await askToss(order, r, 'merchant', deps, opts);
  return { kind: 'existing', order: done.order, refund: done.refund };
}

/**
 * Toss v2/refunds for a PENDING refund (again, with the same refundNo, if it was asked before),
 * then the write that settles it. Toss failing or not answering leaves it PENDING (and throws).
 */
async function askToss(order: Order, r: Refund, source: Source, deps: PaymentDeps, opts: CallOptions): Promise<{ order: Order; refund: Refund }> {
  if (order.payToken === undefined) throw new OrderNotPaidError(order.status);
  let outcome: Parameters<PaymentDeps['store']['settleRefund']>[2];
  try {
    const reply = await deps.toss.refund(
      {
        payToken: order.payToken,
        refundNo: r.refundNo,
        amount: r.amount,
        amountTaxFree: r.amountTaxFree,
        amountTaxable: r.amountTaxable,
        amountVat: r.amountVat,
        amountServiceFee: r.amountServiceFee,
        reason: r.reason,
      },
      opts,
    );
    const now = deps.clock();
    outcome = {
      kind: 'succeeded',
      transactionId: reply.transactionId ?? undefined,
      toss: refundFactsOf(reply),
      approvedAt: isoOf(reply.approvalTime, now),
      source,
      dueAt: dueAfterChange({ status: 'REFUND_SUCCESS', paidAt: order.paidAt }, now),
    };
  } catch (e) {
    if (!(e instanceof TossRefusedError)) {
      deps.logger.warn(isTossNothingHappened(e) ? 'Toss refund failed; it stays PENDING' : 'Toss refund outcome unknown; it stays PENDING', {
        refundNo: r.refundNo,
        error: e,
      });
      throw e;
    }
    deps.logger.warn('Toss refused the refund', { refundNo: r.refundNo, errorCode: e.errorCode, tossMsg: e.msg });
    outcome = {
      kind: 'failed',
      failure: { errorCode: e.errorCode, msg: e.msg },
      amount: r.amount,
      dueAt: dueAfterChange({ status: order.status, paidAt: order.paidAt }, deps.clock()),
    };
    const settled = await settle(order, r.refundNo, outcome, deps);
    if (settled.refund.status === 'FAILED') throw e;
    return settled;
  }
  return settle(order, r.refundNo, outcome, deps);
}

/** The settling write, on the status read; a lost race re-reads from the returned item and tries again. */
async function settle(
  order: Order,
  refundNo: string,
  outcome: Parameters<PaymentDeps['store']['settleRefund']>[2],
  deps: PaymentDeps,
): Promise<{ order: Order; refund: Refund }> {
  let current = order;
  let wanted = outcome;
  for (let round = 0; round < MAX_ROUNDS; round++) {
    const w = await deps.store.settleRefund(current.orderNo, refundNo, wanted, current.status);
    if (w.kind === 'missing') throw new OrderNotFoundError(current.orderNo);
    const refund = w.order.refunds?.[refundNo];
    if (refund === undefined) throw new Error(`refund ${refundNo} vanished from order ${current.orderNo}`);
    if (w.kind === 'stale' && wanted.kind === 'succeeded' && refund.status === 'FAILED') {
      if (wanted.overFailed !== undefined) {
        // Its amount was given to another refund meanwhile: Toss refunded more than the balance.
        deps.logger.error('Toss made a refund recorded as refused, and its amount is no longer free; check the order with Toss', { refundNo });
        throw new RefundInProgressError();
      }
      // Toss made it, yet a crossing ask of the same refundNo was refused and recorded first. The
      // money moved: the refund is made (never a success answered with FAILED).
      deps.logger.warn('Toss made a refund recorded as refused; recording it as made', { refundNo });
      wanted = { ...wanted, overFailed: { amount: refund.amount, maxReservedBefore: w.order.amount - refund.amount } };
      current = w.order;
      continue;
    }
    // Settled by us, or by a racing request or reconciler pass: either way it is settled now.
    if (w.kind === 'settled' || refund.status !== 'PENDING') {
      if (w.kind === 'settled') deps.logger.info('refund settled', { refundNo, status: refund.status });
      return { order: w.order, refund };
    }
    current = w.order;
  }
  throw new RefundInProgressError();
}

/**
 * Makes our refunds agree with Toss's status for `order` (read in full). Returns the order after
 * any write. Toss failing for a PENDING refund leaves it PENDING (logged; a later check retries).
 */
export async function syncRefunds(order: Order, status: TossStatusReply, source: Source, deps: PaymentDeps, opts: CallOptions = {}): Promise<Order> {
  let current = order;
  // A refund of ours in flight: Toss's word on it, by its refundNo (the same refund, idempotent).
  const inFlight = current.refundInFlight !== undefined ? current.refunds?.[current.refundInFlight] : undefined;
  if (inFlight?.status === 'PENDING' && status.payStatus !== 'REFUND_PROGRESS') {
    try {
      current = (await askToss(current, inFlight, source, deps, opts)).order;
    } catch (e) {
      if (!(e instanceof TossRefusedError)) {
        deps.logger.warn('a pending refund could not be settled now; it stays PENDING', { refundNo: inFlight.refundNo, error: e });
        return current;
      }
      current = (await deps.store.getOrder(current.orderNo)) ?? current;
    }
  }
  const listed = pickTransactions(status.transactions);
  const { unmatched, ambiguous } = compareRefunds(refundsOf(current), tossRefundsOf(listed));
  if (unmatched.length === 0 || ambiguous) return current;
  const now = new Date(deps.clock()).toISOString();
  const made: Refund[] = unmatched.map((t) => ({
    refundNo: tossRefundNo(t.transactionId),
    amount: t.amount,
    // Toss's console does not tell us the parts; the amount is what matters for the balance.
    amountTaxFree: 0,
    status: 'SUCCEEDED',
    source: 'toss',
    requestedAt: t.regTs !== undefined ? isoOf(t.regTs, deps.clock()) : now,
    approvedAt: t.regTs !== undefined ? isoOf(t.regTs, deps.clock()) : now,
    transactionId: t.transactionId,
  }));
  // Toss's list of the payment's transactions comes with them: it holds these refunds' own figures.
  const w = await deps.store.recordTossRefunds(current.orderNo, made, current, listed);
  if (w.kind === 'recorded') {
    deps.logger.info('refunds made at Toss recorded', { count: made.length, refundNos: made.map((r) => r.refundNo) });
    return w.order;
  }
  // Someone recorded them (or moved the order) meanwhile: the next check sees the rest.
  return w.kind === 'stale' ? w.order : current;
}
