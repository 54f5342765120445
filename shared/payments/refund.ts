/**
 * Refunds through our API, exactly once, and Toss's own refunds reflected in the order.
 *
 * refundPayment (POST /payments/{orderNo}/refunds): the merchant's Idempotency-Key gives the Toss
 * refundNo (refundNoFor), so every retry, ours or the merchant's, asks Toss for the same refund.
 *   1. Everything is checked against the order as read: it holds fewer than MAX_REFUNDS_PER_ORDER
 *      refunds (checked before Toss is asked anything), paid, none in flight, the balance, the tax
 *      parts (completed where implied: shared/domain/tax-parts.ts). Whether a refund may be made
 *      is the money's, never a state's name: a settled order takes refunds too. Before refusing
 *      (not paid, Toss's state says a refund runs, over the balance), and always for a settled
 *      order, Toss's status is asked first and applied: the order may be further than we know,
 *      and a settled one's balance is at most Toss's refundableAmount. Then ONE conditional write
 *      records the refund PENDING, checking the same again (so two requests can never both pass):
 *      no refund running, none of ours in flight, the refundNo is new, the refund cap, and
 *      refunded + in flight + this one <= the amount. The same write takes the refund's lease.
 *   2. Toss v2/refunds with that refundNo, holding the lease: one call about a refund at a time.
 *   3. ONE conditional write records its outcome and ends the lease: SUCCEEDED (the order's state
 *      moves as statusAfterRefund says) or FAILED (its amount back in the balance). Toss failing
 *      for sure ends the lease early; no answer keeps it until the call is surely over. Either
 *      way the refund stays PENDING: the same request again, or the reconciler, takes the lease
 *      (a conditional write; while another holds it: RefundInProgressError with Retry-After, and
 *      nothing is sent) and asks Toss again with the same refundNo.
 *
 * syncRefunds: what Toss's status says about refunds (`transactions[]`, stepType REFUND) made into
 * ours: a PENDING refund is settled by asking Toss again with its refundNo, under its lease (never by
 * guessing which transaction it was), then every refund Toss made without us is recorded once (source `toss`,
 * keyed by its transactionId).
 */
import * as z from '../zod.ts';
import type { Actor, Order, Source } from '../domain/order.ts';
import { MAX_REFUNDS_PER_ORDER, REFUND_REASON_MAX } from '../domain/order-limits.ts';
import {
  compareRefunds,
  moneyOf,
  REFUND_START_STATUSES,
  refundNoFor,
  refundsOf,
  statusAfterRefund,
  tossRefundNo,
  tossRefundsOf,
  type Refund,
  type RefundLease,
} from '../domain/refunds.ts';
import { dueAfterChange } from '../domain/schedule.ts';
import { isSettled } from '../domain/settlement.ts';
import { isPaid, isTerminal } from '../domain/states.ts';
import { refundPartsFor } from '../domain/tax-parts.ts';
import { numberOf } from '../domain/unknown-values.ts';
import { pickTransactions } from '../domain/decide.ts';
import { refundFactsOf } from '../domain/money-facts.ts';
import { isTossError, isTossNothingHappened, TossRefusedError } from '../toss/errors.ts';
import type { TossStatusReply } from '../toss/schemas.ts';
import { tossTimeIso } from '../toss/time.ts';
import { canonicalJson } from './create-schema.ts';
import { createHash, randomUUID } from 'node:crypto';
import {
  IdempotencyKeyReusedError,
  InvalidRequestError,
  ModeMismatchError,
  OrderNotFoundError,
  OrderNotPaidError,
  REFUND_RETRY_AFTER_SECONDS,
  RefundExceedsBalanceError,
  RefundInProgressError,
  RefundLimitReachedError,
} from './errors.ts';
import type { CallOptions, PaymentDeps } from './ports.ts';
import { applyVerifiedStatus, latest, tossRef } from './settle.ts';

/** `Idempotency-Key`: 1–64 of A-Z a-z 0-9 _ - : . */
export const IDEMPOTENCY_KEY_RE = /^[A-Za-z0-9_\-:.]{1,64}$/;

const part = z.int().check(z.gte(0), z.lte(9_999_999));

/**
 * `POST /payments/{orderNo}/refunds` body. Unknown fields are refused. The tax parts are checked
 * against the payment (shared/domain/tax-parts.ts): absent ones are completed where implied.
 */
export const refundRequestSchema = z
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
  );
export type RefundRequest = z.infer<typeof refundRequestSchema>;

export interface RefundResult {
  /** `created`: this request recorded the refund (201); `existing`: the same request again (200). */
  kind: 'created' | 'existing';
  order: Order;
  refund: Refund;
}

const MAX_ROUNDS = 5;
/** After a refund's call to Toss is over, its lease is kept this long: Toss may still be working on a request we gave up on. */
export const REFUND_LEASE_GRACE_MS = 5_000;
const newLease = (deps: PaymentDeps, opts: CallOptions): RefundLease => ({
  id: randomUUID(),
  until: deps.clock() + deps.toss.callTimeoutMs(opts) + REFUND_LEASE_GRACE_MS,
});
const secondsUntil = (until: number, now: number): number => Math.max(1, Math.ceil((until - now) / 1000));
/** Seconds until the call about the refund in flight is surely over (its lease), or our default. */
function retryAfterInFlight(order: Order, now: number): number {
  const lease = order.refundInFlight === undefined ? undefined : order.refunds?.[order.refundInFlight]?.lease;
  return lease !== undefined && lease.until > now ? secondsUntil(lease.until, now) : REFUND_RETRY_AFTER_SECONDS;
}
const hashOf = (r: RefundRequest): string => createHash('sha256').update(canonicalJson(r)).digest('hex');
/** Toss's time as ISO 8601, or now. */
const isoOf = (toss: string | null | undefined, now: number): string => tossTimeIso(toss) ?? new Date(now).toISOString();

/** What Toss's status said in this request: its refundableAmount, when it gave one we can trust. */
interface TossWord {
  refundableAmount: number | undefined;
}

/**
 * Throws OrderNotFoundError, ModeMismatchError, IdempotencyKeyReusedError, RefundLimitReachedError,
 * OrderNotPaidError, RefundInProgressError, RefundExceedsBalanceError, InvalidRequestError, TossRefusedError (the
 * refund FAILED), and Toss or store errors that leave it PENDING (or, asking Toss's status before
 * a refusal, that a retry may get past).
 */
export async function refundPayment(
  orderNo: string,
  idempotencyKey: string,
  input: RefundRequest,
  deps: PaymentDeps,
  /** `actor`: who asks (recorded on the refund, the history entry it makes, and its events). */
  opts: CallOptions & { actor?: Actor | undefined } = {},
): Promise<RefundResult> {
  const refundNo = refundNoFor(orderNo, idempotencyKey);
  const requestHash = hashOf(input);
  let order = await deps.store.getOrder(orderNo);
  let toss: TossWord | undefined;
  for (let round = 0; round < MAX_ROUNDS; round++) {
    if (order === undefined) throw new OrderNotFoundError(orderNo);
    const keyMode = await deps.toss.mode();
    if (order.mode !== keyMode) throw new ModeMismatchError(orderNo, order.mode, keyMode);
    const existing = order.refunds?.[refundNo];
    if (existing !== undefined) return replay(order, existing, requestHash, deps, opts);
    // Within what one order may hold, before Toss is asked anything (its item's size: order-limits.ts).
    if (Object.keys(order.refunds ?? {}).length >= MAX_REFUNDS_PER_ORDER) throw new RefundLimitReachedError(MAX_REFUNDS_PER_ORDER);
    // Settled: a refund made at Toss since may be unknown to us, and Toss's balance is the one that counts.
    if (toss === undefined && isSettled(order)) {
      ({ order, toss } = await askTossFirst(order, false, deps, opts));
      continue;
    }
    let refund: Refund;
    const lease = newLease(deps, opts);
    try {
      refund = newRefund(order, input, refundNo, requestHash, deps.clock(), toss?.refundableAmount, lease, opts.actor);
    } catch (e) {
      // Toss may know better (paid, its refund running over, a balance we have not seen): ask it
      // once. A refund of ours in flight is ours to finish: its own request, or the reconciler.
      const learnable =
        e instanceof OrderNotPaidError || e instanceof RefundExceedsBalanceError || (e instanceof RefundInProgressError && order.refundInFlight === undefined);
      if (!learnable || toss !== undefined || isTerminal(order.status)) throw e;
      ({ order, toss } = await askTossFirst(order, true, deps, opts));
      continue;
    }
    const r = await deps.store.beginRefund(orderNo, refund, order.amount - refund.amount);
    if (r.kind === 'missing') throw new OrderNotFoundError(orderNo);
    if (r.kind === 'recorded') {
      deps.logger.info('refund recorded; asking Toss', { refundNo, amount: refund.amount });
      const done = await askToss(r.order, refund, lease, 'merchant', deps, opts);
      return { kind: 'created', order: done.order, refund: done.refund };
    }
    // Refused: the order changed since it was read; the failed write returned it as it is.
    order = r.order;
  }
  throw new RefundInProgressError(order === undefined ? REFUND_RETRY_AFTER_SECONDS : retryAfterInFlight(order, deps.clock()));
}

/**
 * Toss's status for the order, applied as a refresh would (its state, and its refunds). `strict`
 * (before a refusal): Toss failing in a way a retry may fix is the reply; otherwise the refund goes
 * on with what we know, and Toss checks its balance itself.
 */
async function askTossFirst(order: Order, strict: boolean, deps: PaymentDeps, opts: CallOptions): Promise<{ order: Order; toss: TossWord }> {
  let status: TossStatusReply;
  try {
    status = await deps.toss.status(tossRef(order), opts);
  } catch (e) {
    if (!isTossError(e) || (strict && e.retryable)) throw e;
    deps.logger.warn('Toss status unavailable before a refund; going on with the order as stored', { error: e });
    return { order, toss: { refundableAmount: undefined } };
  }
  const outcome = await applyVerifiedStatus(order, status, 'refresh', deps);
  const now = latest(order, outcome);
  if (outcome.kind === 'contradiction' || outcome.kind === 'missing') return { order: now, toss: { refundableAmount: undefined } };
  const synced = isPaid(now.status) ? await syncRefunds(now, status, 'refresh', deps, opts) : now;
  return { order: synced, toss: { refundableAmount: isPaid(status.payStatus as Order['status']) ? numberOf(status.refundableAmount) : undefined } };
}

/**
 * The checks a new refund must pass against the order as read (and Toss's balance, when asked);
 * the refund to record, holding `lease` for its first call to Toss, with who asked (`actor`).
 */
function newRefund(
  order: Order,
  input: RefundRequest,
  refundNo: string,
  requestHash: string,
  now: number,
  tossRefundable: number | undefined,
  lease: RefundLease,
  actor: Actor | undefined,
): Refund {
  if (!isPaid(order.status)) throw new OrderNotPaidError(order.status);
  if (order.refundInFlight !== undefined || !REFUND_START_STATUSES.includes(order.status)) throw new RefundInProgressError(retryAfterInFlight(order, now));
  const ours = moneyOf(order).refundableAmount;
  const balance = tossRefundable === undefined ? ours : Math.min(ours, Math.max(0, tossRefundable));
  const amount = input.amount ?? balance;
  if (balance === 0 || amount > balance) throw new RefundExceedsBalanceError(balance);
  if ((input.amountTaxFree ?? 0) > amount)
    throw new InvalidRequestError('the request is invalid', [{ path: 'amountTaxFree', message: `must not exceed the refund's amount (${amount})`, code: 'custom' }]);
  const parts = refundPartsFor(order, refundsOf(order), input, amount, amount === balance);
  if (!parts.ok) throw new InvalidRequestError('the request is invalid', parts.issues.map((i) => ({ ...i, code: 'custom' })));
  const r: Refund = {
    refundNo,
    amount,
    ...parts.parts,
    status: 'PENDING',
    source: 'api',
    requestHash,
    requestedAt: new Date(now).toISOString(),
    lease,
  };
  if (input.reason !== undefined) r.reason = input.reason;
  if (actor !== undefined) r.actor = actor;
  return r;
}

/** A settled refund as the reply to its key: SUCCEEDED is the result; FAILED is Toss's refusal again. */
function answer(order: Order, r: Refund): RefundResult {
  if (r.status === 'FAILED') throw new TossRefusedError(r.failure?.errorCode ?? 'UNKNOWN', r.failure?.msg ?? '', 200);
  return { kind: 'existing', order, refund: r };
}

/**
 * The same Idempotency-Key again: the same body gets the same result; a PENDING refund is asked
 * about again, by the holder of its lease only (the others: RefundInProgressError, nothing sent).
 */
async function replay(order: Order, r: Refund, requestHash: string, deps: PaymentDeps, opts: CallOptions): Promise<RefundResult> {
  if (r.requestHash !== requestHash) throw new IdempotencyKeyReusedError();
  if (r.status !== 'PENDING') return answer(order, r);
  const t = await takeLease(order, r.refundNo, deps, opts);
  if (t.kind === 'busy') throw new RefundInProgressError(secondsUntil(t.until, deps.clock()), 'a call to Toss about this refund is in progress; retry when it is over');
  const now = t.order.refunds?.[r.refundNo];
  if (t.kind === 'moved') {
    if (now === undefined || now.status === 'PENDING') throw new RefundInProgressError();
    return answer(t.order, now);
  }
  const done = await askToss(t.order, now ?? r, t.lease, 'merchant', deps, opts);
  return { kind: 'existing', order: done.order, refund: done.refund };
}

type Leased = { kind: 'taken'; order: Order; lease: RefundLease } | { kind: 'busy'; order: Order; until: number } | { kind: 'moved'; order: Order };

/**
 * The lease of a PENDING refund, to ask Toss about it. One held as the order reads is `busy`
 * without a write (a storm of retries costs reads only); else one conditional write takes it.
 */
async function takeLease(order: Order, refundNo: string, deps: PaymentDeps, opts: CallOptions): Promise<Leased> {
  const now = deps.clock();
  const held = order.refunds?.[refundNo]?.lease;
  if (held !== undefined && held.until > now) return { kind: 'busy', order, until: held.until };
  const lease = newLease(deps, opts);
  const t = await deps.store.takeRefundLease(order.orderNo, refundNo, lease, now);
  if (t.kind === 'missing') throw new OrderNotFoundError(order.orderNo);
  if (t.kind === 'taken') return { kind: 'taken', order: t.order, lease };
  if (t.kind === 'busy') return { kind: 'busy', order: t.order, until: t.order.refunds?.[refundNo]?.lease?.until ?? now };
  return { kind: 'moved', order: t.order };
}

/** Ends a lease early (Toss surely did nothing); failing, it lapses by itself. */
async function endLease(order: Order, refundNo: string, lease: RefundLease, deps: PaymentDeps): Promise<void> {
  try {
    await deps.store.endRefundLease(order.orderNo, refundNo, lease.id);
  } catch (e) {
    deps.logger.warn('could not end a refund lease early; a retry waits for it to lapse', { refundNo, error: e });
  }
}

type Outcome = Parameters<PaymentDeps['store']['settleRefund']>[2];
/** A refund's outcome before the state it moves the order to is chosen (on the order as the write finds it). */
type RefundOutcome = Exclude<Outcome, { kind: 'succeeded' }> | (Omit<Extract<Outcome, { kind: 'succeeded' }>, 'status'> & { tossListsIt: boolean });

/**
 * Toss v2/refunds for a PENDING refund (again, with the same refundNo, if it was asked before),
 * holding its `lease`, then the write that settles it (and ends the lease). Toss failing or not
 * answering leaves it PENDING (and throws): failing for sure ends the lease now, no answer keeps
 * it until the call is surely over.
 * `status`: the Toss status that prompted asking again (syncRefunds): when it already lists the
 * refund, the order's state is Toss's as it said, and the refund moves it nowhere.
 */
async function askToss(
  order: Order,
  r: Refund,
  lease: RefundLease,
  source: Source,
  deps: PaymentDeps,
  opts: CallOptions,
  status?: TossStatusReply,
): Promise<{ order: Order; refund: Refund }> {
  if (order.payToken === undefined) throw new OrderNotPaidError(order.status);
  let outcome: RefundOutcome;
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
    const transactionId = reply.transactionId ?? undefined;
    outcome = {
      kind: 'succeeded',
      transactionId,
      toss: refundFactsOf(reply),
      approvedAt: isoOf(reply.approvalTime, now),
      source,
      actor: r.actor,
      dueAt: dueAfterChange({ status: 'REFUND_SUCCESS', paidAt: order.paidAt }, now),
      tossListsIt: transactionId !== undefined && tossRefundsOf(pickTransactions(status?.transactions)).some((t) => t.transactionId === transactionId),
    };
  } catch (e) {
    if (!(e instanceof TossRefusedError)) {
      const nothing = isTossNothingHappened(e);
      deps.logger.warn(nothing ? 'Toss refund failed; it stays PENDING' : 'Toss refund outcome unknown; it stays PENDING', {
        refundNo: r.refundNo,
        error: e,
      });
      if (nothing) await endLease(order, r.refundNo, lease, deps);
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
async function settle(order: Order, refundNo: string, outcome: RefundOutcome, deps: PaymentDeps): Promise<{ order: Order; refund: Refund }> {
  let current = order;
  let wanted = outcome;
  for (let round = 0; round < MAX_ROUNDS; round++) {
    const write: Outcome =
      wanted.kind === 'succeeded'
        ? (({ tossListsIt, ...rest }) => ({ ...rest, status: statusAfterRefund(current.status, tossListsIt) }))(wanted)
        : wanted;
    const w = await deps.store.settleRefund(current.orderNo, refundNo, write, current.status);
    if (w.kind === 'missing') throw new OrderNotFoundError(current.orderNo);
    const refund = w.order.refunds?.[refundNo];
    if (refund === undefined) throw new Error(`refund ${refundNo} vanished from order ${current.orderNo}`);
    if (w.kind === 'stale' && wanted.kind === 'succeeded' && refund.status === 'FAILED') {
      if (wanted.overFailed !== undefined) {
        // Its amount was given to another refund meanwhile: Toss refunded more than the balance.
        deps.logger.error('Toss made a refund recorded as refused, and its amount is no longer free; check the order with Toss', { refundNo });
        throw new RefundInProgressError(retryAfterInFlight(w.order, deps.clock()));
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
  throw new RefundInProgressError(retryAfterInFlight(current, deps.clock()));
}

/**
 * Makes our refunds agree with Toss's status for `order` (read in full). Returns the order after
 * any write. Toss failing for a PENDING refund leaves it PENDING (logged; a later check retries).
 */
export async function syncRefunds(order: Order, status: TossStatusReply, source: Source, deps: PaymentDeps, opts: CallOptions = {}): Promise<Order> {
  let current = order;
  // A refund of ours in flight: Toss's word on it, by its refundNo (the same refund, idempotent),
  // under its lease: while another call about it runs, it is left to that call.
  const inFlight = current.refundInFlight !== undefined ? current.refunds?.[current.refundInFlight] : undefined;
  if (inFlight?.status === 'PENDING' && status.payStatus !== 'REFUND_PROGRESS') {
    const t = await takeLease(current, inFlight.refundNo, deps, opts);
    current = t.order;
    if (t.kind === 'busy') {
      deps.logger.info('a call to Toss about the pending refund is in progress; left to it', { refundNo: inFlight.refundNo });
      return current;
    }
    if (t.kind === 'taken') {
      try {
        current = (await askToss(current, current.refunds?.[inFlight.refundNo] ?? inFlight, t.lease, source, deps, opts, status)).order;
      } catch (e) {
        // Toss failing is for a later check; a write that failed is not (the caller reports it).
        if (!isTossError(e)) throw e;
        if (!(e instanceof TossRefusedError)) {
          deps.logger.warn('a pending refund could not be settled now; it stays PENDING', { refundNo: inFlight.refundNo, error: e });
          return current;
        }
        current = (await deps.store.getOrder(current.orderNo)) ?? current;
      }
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
