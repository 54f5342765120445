/**
 * createPayment: record the order (CREATING) BEFORE calling Toss, so no Toss payment can exist
 * that we never recorded; then Toss v2/payments; then CREATING -> PAY_STANDBY with the payToken
 * and the checkoutPage.
 *
 * The same request again (same orderNo, same body) ends in a payable order or a clear error:
 * - Only the holder of the order's create lease calls Toss's create. The lease lasts until its
 *   Toss call is surely over; it is released at once when Toss created nothing (5xx, 429).
 *   A retry while another attempt holds it gets CreateInProgressError (409, Retry-After).
 * - CREATING (the first attempt failed, timed out or lost its write): Toss is asked by orderNo
 *   first. No payment: create it. A waiting payment whose checkoutPage we never got: create a
 *   new one under the same orderNo (Toss allows it until a buyer authenticates, and cancels the
 *   old one; no buyer ever had its checkout). Anything further: recorded as Toss reports it.
 * - PAY_STANDBY without a checkoutPage (the reconciler found the payment by orderNo): the same
 *   replacement, so the reply always carries a checkoutPage that opens.
 * - CREATE_FAILED: Toss's refusal again (422). Another mode than our key's: ModeMismatchError.
 */
import { randomUUID } from 'node:crypto';
import type { Order } from '../domain/order.ts';
import { generateOrderNo } from '../domain/order-no.ts';
import { dueAtFor } from '../domain/schedule.ts';
import { createParts, type CreateParts } from '../domain/tax-parts.ts';
import { isTossNothingHappened, isTossNotFound, TossRefusedError } from '../toss/errors.ts';
import { maskPayToken } from './mask.ts';
import { toKst } from '../domain/toss-time.ts';
import { requestHash, type CreatePaymentInput } from './request-schemas.ts';
import type { CallOptions, PaymentDeps, Replacement } from './ports.ts';
import { CreateInProgressError, ModeMismatchError, OrderNoConflictError } from './errors.ts';
import { applyVerifiedStatus } from './apply-status.ts';

/** `created`: this request created the payment at Toss (201); `existing`: it was there (200). */
export type CreatePaymentResult = { kind: 'created'; order: Order } | { kind: 'existing'; order: Order };

/**
 * The landings' URLs given to Toss, carrying the order's landing token (./landing-token.ts), which
 * names the order: Toss appends its own `orderNo` (and `status`, `payMethod`) to retUrl, so an
 * orderNo of ours would be a second one. The token is base64url and a dot: nothing to encode.
 */
export const returnUrl = (base: string, token: string): string => `${base}/payments/return?t=${token}`;
export const cancelUrl = (base: string, token: string): string => `${base}/payments/cancel?t=${token}`;
export const callbackUrl = (base: string): string => `${base}/payments/callback`;

/** Generated orderNos tried before a clash is given up on (each a 1 in 10^11 chance). */
const GENERATED_ORDER_NO_TRIES = 5;
/** A replay takes the lease and loses it to another at most this many times before giving up. */
const MAX_ROUNDS = 4;

interface Lease {
  id: string;
  until: number;
}

const newLease = (deps: PaymentDeps, opts: CallOptions): Lease => ({
  id: randomUUID(),
  // Kept CREATE_LEASE_GRACE_MS past the call's timeout: Toss may still be working on a request we gave up on.
  until: deps.clock() + deps.toss.callTimeoutMs(opts) + deps.config.CREATE_LEASE_GRACE_MS,
});

/** The tax parts sent to Toss: Toss's rule, checked by the request schema (shared/domain/tax-parts.ts). */
function partsOf(input: CreatePaymentInput): CreateParts {
  const p = createParts(input);
  if (!p.ok) throw new Error(`tax parts the request schema let through: ${p.issues.map((i) => i.path).join(', ')}`);
  return p.parts;
}

/** Toss's expiredTime has 1 s resolution: round down so our expiresAt is never after Toss's. */
const expiryFrom = (now: number, minutes: number): string => new Date(Math.floor((now + minutes * 60_000) / 1000) * 1000).toISOString();

/**
 * Throws OrderNoConflictError (same orderNo, different request), ModeMismatchError,
 * CreateInProgressError, TossRefusedError (422: the order is CREATE_FAILED), and Toss or store
 * errors that leave the order CREATING (a retry, or the reconciler, resolves it).
 */
export async function createPayment(input: CreatePaymentInput, deps: PaymentDeps, opts: CallOptions = {}): Promise<CreatePaymentResult> {
  const now = deps.clock();
  const mode = await deps.toss.mode();
  const hash = requestHash(input);
  const lease = newLease(deps, opts);
  const record = (orderNo: string) =>
    deps.store.createOrder(
      {
        orderNo,
        amount: input.amount,
        // The parts as Toss receives them (completed when only amountTaxFree was given).
        ...partsOf(input),
        productDesc: input.productDesc,
        autoExecute: input.autoExecute,
        expiresAt: expiryFrom(now, input.expiresInMinutes),
        mode,
        requestHash: hash,
        ...(input.metadata !== undefined ? { metadata: input.metadata } : {}),
      },
      lease,
    );
  let orderNo = input.orderNo ?? generateOrderNo(now);
  let created = await record(orderNo);
  // A generated orderNo that is taken is a clash, never this request again (a request without an
  // orderNo is a new order each time): another one.
  for (let tries = 1; input.orderNo === undefined && created.kind === 'exists' && tries < GENERATED_ORDER_NO_TRIES; tries++) {
    orderNo = generateOrderNo(now);
    created = await record(orderNo);
  }
  if (created.kind === 'created') return { kind: 'created', order: await createAtToss(created.order, input, lease.id, deps, opts) };
  const existing = created.order;
  if (existing.requestHash !== hash) throw new OrderNoConflictError(orderNo);
  if (existing.mode !== mode) throw new ModeMismatchError(orderNo, existing.mode, mode);
  return resume(existing, input, deps, opts);
}

/** The same request again: whatever the earlier attempts left, end in a payable order or a clear error. */
async function resume(first: Order, input: CreatePaymentInput, deps: PaymentDeps, opts: CallOptions): Promise<CreatePaymentResult> {
  let order = first;
  for (let round = 0; round < MAX_ROUNDS; round++) {
    if (order.status === 'CREATE_FAILED') {
      const f = order.failure ?? { errorCode: 'UNKNOWN', msg: '' };
      throw new TossRefusedError(f.errorCode, f.msg, 200);
    }
    const lostCheckout = order.status === 'PAY_STANDBY' && order.checkoutPage === undefined && order.payToken !== undefined;
    if (order.status !== 'CREATING' && !lostCheckout) return { kind: 'existing', order };
    const now = deps.clock();
    const lease = newLease(deps, opts);
    const take = await deps.store.takeLease(
      order.orderNo,
      order.status === 'CREATING' ? { status: 'CREATING' } : { status: 'PAY_STANDBY', payToken: order.payToken },
      lease,
      now,
    );
    if (take.kind === 'missing') throw new Error('order vanished while its create was retried');
    if (take.kind === 'busy') {
      const left = Math.max(1, Math.ceil(((take.order.leaseUntil ?? now) - now) / 1000));
      throw new CreateInProgressError(order.orderNo, left);
    }
    if (take.kind === 'moved') {
      order = take.order;
      continue;
    }
    return recover(take.order, input, lease.id, deps, opts);
  }
  throw new CreateInProgressError(order.orderNo, 1);
}

/** Holding the lease: ask Toss what it has for this order, then create, replace or record it. */
async function recover(order: Order, input: CreatePaymentInput, leaseId: string, deps: PaymentDeps, opts: CallOptions): Promise<CreatePaymentResult> {
  let status;
  try {
    status = await deps.toss.status(order.payToken !== undefined ? { payToken: order.payToken } : { orderNo: order.orderNo }, opts);
  } catch (e) {
    if (isTossNotFound(e) && order.status === 'CREATING')
      return { kind: 'created', order: await createAtToss(order, input, leaseId, deps, opts) };
    await releaseQuietly(deps, order.orderNo, leaseId);
    throw e;
  }
  const identical = status.amount === order.amount && status.mode === order.mode && status.orderNo === order.orderNo;
  if (identical && status.payStatus === 'PAY_STANDBY') {
    // A waiting payment whose checkoutPage we never got: no buyer can be on it. A new one opens.
    try {
      return { kind: 'existing', order: await createAtToss(order, input, leaseId, deps, opts, status.payToken) };
    } catch (e) {
      // Toss refused the new one: the waiting payment is what Toss has. Record it (the order is
      // not failed: it waits, and expires at Toss), then let the next attempt take the lease.
      if (e instanceof TossRefusedError && order.status === 'CREATING') {
        await applyVerifiedStatus(order, status, 'create', deps, { leaseId });
        await releaseQuietly(deps, order.orderNo, leaseId);
      }
      throw e;
    }
  }
  const outcome = await applyVerifiedStatus(order, status, 'create', deps, { leaseId });
  if (outcome.kind === 'contradiction') throw new OrderNoConflictError(order.orderNo);
  if (outcome.kind === 'missing') throw new Error('order vanished while its create was retried');
  return { kind: 'existing', order: outcome.kind === 'changed' ? outcome.order : { ...order, ...outcome.order } };
}

/**
 * Toss v2/payments for `order` (holding lease `leaseId`), then the write that stores the payToken
 * and checkoutPage. `supersedes`: the payToken of a waiting Toss payment this one replaces.
 */
async function createAtToss(
  order: Order,
  input: CreatePaymentInput,
  leaseId: string,
  deps: PaymentDeps,
  opts: CallOptions,
  supersedes?: string,
): Promise<Order> {
  const orderNo = order.orderNo;
  // A replacement gets a fresh expiry of the requested length; the first payment keeps the recorded one.
  const replacing = supersedes !== undefined;
  const expiresAt = replacing ? expiryFrom(deps.clock(), input.expiresInMinutes) : order.expiresAt;
  const base = deps.config.PUBLIC_BASE_URL;
  const token = await deps.tokens.tokenFor(orderNo);
  let reply;
  try {
    reply = await deps.toss.createPayment(
      {
        orderNo,
        amount: input.amount,
        ...partsOf(input),
        productDesc: input.productDesc,
        retUrl: returnUrl(base, token),
        retCancelUrl: cancelUrl(base, token),
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
      deps.logger.warn('Toss refused the payment', { orderNo, errorCode: e.errorCode, tossMsg: e.msg, replacing });
      // A refused first create failed the order. A refused replacement made nothing, and the
      // payment it was to replace is still waiting at Toss: the caller records that one instead.
      if (order.status === 'CREATING' && !replacing)
        await deps.store.applyTransition(
          orderNo,
          { to: 'CREATE_FAILED', from: ['CREATING'], amount: order.amount, leaseId, set: { failure: { errorCode: e.errorCode, msg: e.msg } } },
          'create',
        );
      else if (!replacing || order.status !== 'CREATING') await releaseQuietly(deps, orderNo, leaseId);
    } else if (isTossNothingHappened(e)) {
      deps.logger.warn('Toss create failed; nothing was created, a retry may create it', { orderNo, error: e });
      await releaseQuietly(deps, orderNo, leaseId);
    } else {
      deps.logger.warn('Toss create outcome unknown; Toss is asked first when it is retried', { orderNo, error: e });
    }
    throw e;
  }
  const superseded = replacing ? [...(order.supersededPayTokens ?? []), supersedes] : undefined;
  const dueAt = dueAtFor({ status: 'PAY_STANDBY', checks: 0, expiresAt }, deps.clock());
  const r =
    order.status === 'PAY_STANDBY'
      ? await deps.store.replacePayment(orderNo, {
          oldPayToken: supersedes ?? '',
          leaseId,
          payToken: reply.payToken,
          checkoutPage: reply.checkoutPage,
          expiresAt,
          dueAt,
          supersededPayTokens: superseded ?? [],
        } satisfies Replacement)
      : await deps.store.applyTransition(
          orderNo,
          {
            to: 'PAY_STANDBY',
            from: ['CREATING'],
            payToken: reply.payToken,
            amount: order.amount,
            leaseId,
            set: { checkoutPage: reply.checkoutPage, ...(replacing ? { expiresAt, supersededPayTokens: superseded } : {}) },
            dueAt,
          },
          'create',
        );
  deps.logger.info('payment created', { orderNo, payToken: maskPayToken(reply.payToken), replacing });
  if (r.kind === 'applied') return r.order;
  if (r.kind === 'missing') throw new Error('order vanished between its create and its first transition');
  // Someone moved the order on meanwhile. With our payToken (the reconciler recorded this very
  // payment by orderNo): attach the checkoutPage, so no later retry replaces a payment whose
  // checkout we hand out. Otherwise another attempt took over (our lease lapsed): its payment wins.
  if (r.order.payToken === reply.payToken) {
    if (r.order.checkoutPage !== undefined) return r.order;
    const attached = await deps.store.attachCheckout(orderNo, reply.payToken, reply.checkoutPage);
    if (attached !== undefined) return attached;
  }
  throw new CreateInProgressError(orderNo, 1);
}

/** Frees the create lease; a failure only means a retry waits for the lease to lapse. */
async function releaseQuietly(deps: PaymentDeps, orderNo: string, leaseId: string): Promise<void> {
  try {
    await deps.store.releaseLease(orderNo, leaseId);
  } catch (e) {
    deps.logger.warn('could not release the create lease; a retry waits for it to lapse', { orderNo, error: e });
  }
}
