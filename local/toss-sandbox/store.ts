/**
 * The sandbox's payments, in memory, and every state change Toss makes to them.
 *
 * Payments are indexed by payToken and by apiKey+orderNo (orders are namespaced per merchant key, so
 * test and live orders never collide). Every operation is synchronous: Node runs one at a time, so
 * a check-and-set here is atomic (of concurrent executes of one payToken exactly one succeeds).
 * Operations that take "bank time" (execute, refunds) are split into begin (state → *_PROGRESS) and
 * complete, so the server can hold a latency fault between them.
 *
 * Settlement (정산): money that moved (a payment, a refund) is paid out to the merchant
 * `settleAfterMs` later on the sandbox clock (or at once, by the control API): PAY_COMPLETE →
 * SETTLEMENT_COMPLETE, REFUND_SUCCESS → SETTLEMENT_REFUND_COMPLETE. A settled payment still takes
 * refunds while a balance remains; a refund's own settlement follows the same way.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import type { Clock } from './clock.ts';
import { kst, parseKst } from './clock.ts';
import type { CreateRequest, PayMethod, RefundRequest } from './validation.ts';
import { isComposite, namesParts } from './validation.ts';
import { approveProblem, CARD_COMPANIES, issueAccount, issueCard, type ApproveOptions, type IssuedCard } from './methods.ts';

export type PayStatus =
  | 'PAY_STANDBY'
  | 'PAY_APPROVED'
  | 'PAY_CANCEL'
  | 'PAY_PROGRESS'
  | 'PAY_COMPLETE'
  | 'REFUND_PROGRESS'
  | 'REFUND_SUCCESS'
  | 'SETTLEMENT_COMPLETE'
  | 'SETTLEMENT_REFUND_COMPLETE';

export type Mode = 'TEST' | 'LIVE';
export type ApiName = 'payments' | 'execute' | 'cancel' | 'refunds' | 'status';

export interface TaxParts {
  amountTaxFree: number;
  amountTaxable: number;
  amountVat: number;
  amountServiceFee: number;
}

export interface CardInfo extends IssuedCard {
  salesCheckLinkUrl: string;
}

export interface AccountInfo {
  accountBankCode: string;
  accountBankName: string;
  accountNumber: string;
}

export interface Transaction {
  stepType: 'PAY' | 'REFUND';
  transactionId: string;
  transactionAmount: number;
  discountedAmount: number;
  paidAmount: number;
  pointAmount: number;
  regTs: string;
}

export interface RefundRecord {
  refundNo: string;
  transactionId: string;
  /** The request's money fields, to tell a repeat from a different refund under the same refundNo. */
  fingerprint: string;
  amount: number;
  parts: TaxParts;
  /** Of `amount`: what went back to the buyer's payment method, and to the discount. */
  paid: number;
  discount: number;
  approvalTime: string;
  /** The success reply, returned again for an idempotent repeat. */
  reply: Record<string, unknown>;
}

export type CancelledBy = 'merchant' | 'buyer' | 'expiry' | 'superseded';

/**
 * What the sandbox handed out for one payment (`GET /sandbox/payments`): the values a merchant's
 * logs must never show in full. Kept after a reset (`forgotten: true`), so that a check at the end
 * of a run sees every payToken and card or account number of the run.
 */
export interface IssuedPayment {
  payToken: string;
  orderNo: string;
  mode: Mode;
  /** The last state the sandbox knew (before the reset, for a forgotten payment). */
  payStatus: PayStatus;
  /** The (masked) card number Toss reports for a card payment; null before payment or for 토스머니. */
  cardNumber: string | null;
  /** The (masked) account number Toss reports for a 토스머니 payment; null otherwise. */
  accountNumber: string | null;
  /** The card's BIN Toss reports (cardBinNumber); null before payment or for 토스머니. */
  cardBinNumber: string | null;
  /** A `POST /sandbox/reset` forgot this payment: the Toss API no longer knows it. */
  forgotten: boolean;
}

export interface Payment {
  /** Never leaves the sandbox (not in replies, records or logs). */
  apiKey: string;
  mode: Mode;
  payToken: string;
  orderNo: string;
  productDesc: string;
  amount: number;
  parts: TaxParts;
  /** Created with explicit tax parts: refunds must then name theirs. */
  composite: boolean;
  cashReceipt: boolean;
  autoExecute: boolean;
  resultCallback: string | undefined;
  callbackVersion: 'V1' | 'V2';
  retUrl: string;
  retCancelUrl: string;
  enablePayMethods: PayMethod[];
  cardCompanyCode: number | undefined;
  /** The create allowed instalments (`installment` not NOT_USE). */
  installment: boolean;
  /** What the buyer picked at approve: the method and its options (discounts, card, bank). */
  choice: ApproveOptions | undefined;
  /** Toss's instant discount and the points used (set at approve). */
  discountAmount: number;
  pointAmount: number;
  /** Not refunded yet, per part: what the buyer's payment method paid, the discount, of it the points. */
  paidLeft: number;
  discountLeft: number;
  pointsLeft: number;
  metadata: string | undefined;
  payStatus: PayStatus;
  payMethod: PayMethod | undefined;
  hasOwner: boolean;
  createdMs: number;
  expiredAtMs: number;
  approvedMs: number | undefined;
  paidMs: number | undefined;
  cancelledMs: number | undefined;
  cancelledBy: CancelledBy | undefined;
  cancelReason: string | undefined;
  transactionId: string | undefined;
  card: CardInfo | undefined;
  account: AccountInfo | undefined;
  refundableAmount: number;
  /** Tax parts not refunded yet. */
  remaining: TaxParts;
  /** Sandbox ms the money moved last and not yet paid out is settled; undefined when nothing waits. */
  settleDueMs: number | undefined;
  /** Sandbox ms of the last settlement. */
  settledMs: number | undefined;
  transactions: Transaction[];
  refunds: Map<string, RefundRecord>;
  history: { payStatus: PayStatus; at: string }[];
  calls: Partial<Record<ApiName, number>>;
  /** Calls naming this payment that the sandbox is working on now, per API. */
  inFlight: Partial<Record<ApiName, number>>;
  /** The most calls naming this payment that were ever in flight at once, per API. */
  maxConcurrent: Partial<Record<ApiName, number>>;
}

/** A refusal: the reply's HTTP status, errorCode and msg. */
export interface Refusal {
  ok: false;
  http: number;
  errorCode: string;
  msg: string;
}
export type Result<T> = ({ ok: true } & T) | Refusal;

/** How long after money moved Toss settles it, by default (the sandbox's setting; Toss's own schedule is per contract). */
export const DEFAULT_SETTLE_AFTER_MS = 2 * 24 * 60 * 60 * 1000;

/** Business refusals are HTTP 200 with `code: -1` (see server.ts); bad parameters are 400. */
export const refuse = (errorCode: string, msg: string, http = 200): Refusal => ({ ok: false, http, errorCode, msg });
export const badParam = (msg: string): Refusal => refuse('COMMON_INVALID_PARAMETER', msg, 400);
export const notFound = (): Refusal => refuse('TRANSACTION_NOT_FOUND', '존재하지 않는 결제입니다.', 404);

export const DEFAULT_EXPIRY_MS = 15 * 60 * 1000;
export const MAX_EXPIRY_MS = 60 * 60 * 1000;


const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
function token(len: number): string {
  const b = randomBytes(len);
  let s = '';
  for (const x of b) s += BASE62[x % 62];
  return s;
}

export class Store {
  private readonly byToken = new Map<string, Payment>();
  private readonly byOrder = new Map<string, Payment>();
  /** Payments a reset forgot, as `issued()` lists them. */
  private readonly forgotten: IssuedPayment[] = [];

  /** Called when a payment becomes PAY_COMPLETE (callbacks are sent from here). */
  onPaid: (p: Payment) => void = () => {};

  private readonly clock: Clock;
  private readonly publicUrl: () => string;
  /** How long after money moved it is settled (sandbox ms). */
  readonly settleAfterMs: number;

  constructor(clock: Clock, publicUrl: () => string, settleAfterMs = DEFAULT_SETTLE_AFTER_MS) {
    this.clock = clock;
    this.publicUrl = publicUrl;
    this.settleAfterMs = settleAfterMs;
  }

  get size(): number {
    return this.byToken.size;
  }

  reset(): void {
    for (const p of this.byToken.values()) this.forgotten.push({ ...issuedOf(p), forgotten: true });
    this.byToken.clear();
    this.byOrder.clear();
  }

  /** Every payment created since the sandbox started, the ones a reset forgot first, in creation order. */
  issued(): IssuedPayment[] {
    return [...this.forgotten, ...[...this.byToken.values()].map(issuedOf)];
  }

  /** By payToken alone (the control API and the checkout page, which have no apiKey). */
  get(payToken: string): Payment | undefined {
    const p = this.byToken.get(payToken);
    if (p !== undefined) this.expireIfDue(p);
    return p;
  }

  /** A merchant's payment by payToken or orderNo; another merchant's payment is not found. */
  find(apiKey: string, by: { payToken?: string | undefined; orderNo?: string | undefined }): Payment | undefined {
    let p: Payment | undefined;
    if (by.payToken !== undefined) {
      p = this.byToken.get(by.payToken);
      if (p !== undefined && p.apiKey !== apiKey) p = undefined;
    } else if (by.orderNo !== undefined) {
      p = this.byOrder.get(orderKey(apiKey, by.orderNo));
    }
    if (p !== undefined) this.expireIfDue(p);
    return p;
  }

  /** Counts one API call that named this payment (shown by `GET /sandbox/payments/{payToken}`). */
  countCall(p: Payment, api: ApiName): void {
    p.calls[api] = (p.calls[api] ?? 0) + 1;
  }

  /**
   * A call naming this payment begins: counted in flight until the returned function is called
   * (once; later calls do nothing), and the payment's `maxConcurrent` for the API raised if need be.
   */
  beginCall(p: Payment, api: ApiName): () => void {
    const now = (p.inFlight[api] ?? 0) + 1;
    p.inFlight[api] = now;
    p.maxConcurrent[api] = Math.max(p.maxConcurrent[api] ?? 0, now);
    let ended = false;
    return () => {
      if (ended) return;
      ended = true;
      p.inFlight[api] = (p.inFlight[api] ?? 1) - 1;
    };
  }

  create(apiKey: string, mode: Mode, r: CreateRequest): Result<{ payment: Payment }> {
    const now = this.clock.now();
    let expiredAtMs = now + DEFAULT_EXPIRY_MS;
    if (r.expiredTime !== undefined) {
      // The merchant's expiredTime is in its own (real) time; moving the sandbox clock on must not
      // make every later payment expire at birth. It is shifted by the clock's offset: a payment
      // asked to live 15 minutes lives 15 sandbox minutes, and what a move passed expires.
      const t = (parseKst(r.expiredTime) ?? Number.NEGATIVE_INFINITY) + this.clock.offset;
      if (t <= now) return badParam(`잘못된 요청 파라미터입니다: expiredTime (must be in the future; now is ${kst(now - this.clock.offset)})`);
      if (t > now + MAX_EXPIRY_MS) {
        return badParam(`잘못된 요청 파라미터입니다: expiredTime (at most 60 minutes ahead; now is ${kst(now - this.clock.offset)})`);
      }
      expiredAtMs = t;
    }

    const key = orderKey(apiKey, r.orderNo);
    const existing = this.byOrder.get(key);
    if (existing !== undefined) {
      this.expireIfDue(existing);
      if (existing.hasOwner) {
        return existing.payStatus === 'PAY_APPROVED' || existing.payStatus === 'PAY_PROGRESS'
          ? refuse('PAYMENT_EXISTING_PAYMENT', '이미 진행 중인 결제가 있는 주문번호입니다.')
          : refuse('PAYMENT_DUPLICATION_ORDER_NO', '이미 사용된 주문번호입니다.');
      }
      // Never authenticated: the orderNo may be reused; the old checkout stops working.
      if (existing.payStatus === 'PAY_STANDBY') this.toCancel(existing, 'superseded', undefined);
    }

    const composite = isComposite(r);
    // Explicit parts were checked (all four, adding up); none set: Toss's default split.
    const parts = composite
      ? {
          amountTaxFree: r.amountTaxFree,
          amountTaxable: r.amountTaxable ?? 0,
          amountVat: r.amountVat ?? 0,
          amountServiceFee: r.amountServiceFee ?? 0,
        }
      : deriveParts(r.amount, 0, r.cashReceipt);
    let payToken = token(22);
    while (this.byToken.has(payToken)) payToken = token(22);
    const cardCompanyCode = firstCardCompany(r.cardOptions);
    const p: Payment = {
      apiKey,
      mode,
      payToken,
      orderNo: r.orderNo,
      productDesc: r.productDesc,
      amount: r.amount,
      parts,
      composite,
      cashReceipt: r.cashReceipt,
      autoExecute: r.autoExecute,
      resultCallback: r.resultCallback,
      callbackVersion: r.callbackVersion,
      retUrl: r.retUrl,
      retCancelUrl: r.retCancelUrl,
      enablePayMethods: r.enablePayMethods ?? ['TOSS_MONEY', 'CARD'],
      cardCompanyCode,
      installment: r.installment !== 'NOT_USE',
      choice: undefined,
      discountAmount: 0,
      pointAmount: 0,
      paidLeft: 0,
      discountLeft: 0,
      pointsLeft: 0,
      metadata: r.metadata,
      payStatus: 'PAY_STANDBY',
      payMethod: undefined,
      hasOwner: false,
      createdMs: now,
      expiredAtMs,
      approvedMs: undefined,
      paidMs: undefined,
      cancelledMs: undefined,
      cancelledBy: undefined,
      cancelReason: undefined,
      transactionId: undefined,
      card: undefined,
      account: undefined,
      refundableAmount: 0,
      remaining: { ...parts },
      settleDueMs: undefined,
      settledMs: undefined,
      transactions: [],
      refunds: new Map(),
      history: [{ payStatus: 'PAY_STANDBY', at: kst(now) }],
      calls: {},
      inFlight: {},
      maxConcurrent: {},
    };
    this.byToken.set(payToken, p);
    this.byOrder.set(key, p);
    this.clock.schedule(expiredAtMs, () => this.expireIfDue(p));
    return { ok: true, payment: p };
  }

  /** The buyer authenticates on the checkout page (or through the control API), with what they picked. */
  approve(p: Payment, options: ApproveOptions): Result<{ redirect: string }> {
    this.expireIfDue(p);
    const method = options.payMethod;
    if (p.payStatus !== 'PAY_STANDBY') {
      return refuse('PAY_NOT_AUTHENTICABLE', `결제를 진행할 수 없는 상태입니다: ${p.payStatus}`, 409);
    }
    if (!p.enablePayMethods.includes(method)) {
      return refuse('PAY_METHOD_NOT_ENABLED', `이 결제에서 사용할 수 없는 결제수단입니다: ${method}`, 400);
    }
    const problem = approveProblem(options, p);
    if (problem !== undefined) return refuse('INVALID_APPROVE_OPTIONS', problem, 400);
    const now = this.clock.now();
    p.payMethod = method;
    p.choice = options;
    p.discountAmount = options.discountAmount ?? 0;
    p.pointAmount = options.pointAmount ?? 0;
    p.hasOwner = true;
    p.approvedMs = now;
    if (p.autoExecute) this.pay(p);
    else this.setStatus(p, 'PAY_APPROVED');
    const status: PayStatus = p.autoExecute ? 'PAY_COMPLETE' : 'PAY_APPROVED';
    const u = new URL(p.retUrl);
    u.searchParams.append('status', status);
    u.searchParams.append('orderNo', p.orderNo);
    u.searchParams.append('payMethod', method);
    if (method === 'TOSS_MONEY' && p.account !== undefined) u.searchParams.append('bankCode', p.account.accountBankCode);
    if (p.autoExecute) this.onPaid(p);
    return { ok: true, redirect: u.toString() };
  }

  /** The buyer quits the checkout: Toss force-cancels and sends the buyer to retCancelUrl. */
  quit(p: Payment): Result<{ redirect: string }> {
    this.expireIfDue(p);
    if (p.payStatus !== 'PAY_STANDBY') {
      return refuse('PAY_NOT_AUTHENTICABLE', `결제를 중단할 수 없는 상태입니다: ${p.payStatus}`, 409);
    }
    this.toCancel(p, 'buyer', undefined);
    return { ok: true, redirect: p.retCancelUrl };
  }

  /** Execute, first half: checks and moves to PAY_PROGRESS. */
  beginExecute(p: Payment, orderNo: string | undefined): Result<object> {
    if (orderNo !== undefined && orderNo !== p.orderNo) {
      return badParam('잘못된 요청 파라미터입니다: orderNo (does not match the payToken)');
    }
    switch (p.payStatus) {
      case 'PAY_APPROVED':
        this.setStatus(p, 'PAY_PROGRESS');
        return { ok: true };
      case 'PAY_STANDBY':
        return refuse('TRANSACTION_NOT_COMPLETE', '구매자 인증이 완료되지 않은 결제입니다.');
      case 'PAY_PROGRESS':
      case 'REFUND_PROGRESS':
        return refuse('TRANSACTION_PENDING_ERROR', '처리 중인 거래가 있습니다. 잠시 후 다시 시도해주세요.');
      case 'PAY_CANCEL':
        return refuse('COMMON_PAY_ERROR', '취소된 결제입니다.');
      default:
        return refuse('COMMON_PAY_ERROR', '이미 완료된 결제입니다.');
    }
  }

  /** Execute, second half: the withdrawal succeeds. */
  completeExecute(p: Payment): void {
    this.pay(p);
    this.onPaid(p);
  }

  /** Merchant cancel, only before money moved. */
  cancel(p: Payment, reason: string | undefined): Result<object> {
    if (p.payStatus !== 'PAY_STANDBY' && p.payStatus !== 'PAY_APPROVED') {
      return refuse('PAY_CANCEL_ITS_NOT_CANCELABLE_STATUS', `취소할 수 없는 상태입니다: ${p.payStatus}`);
    }
    this.toCancel(p, 'merchant', reason);
    return { ok: true };
  }

  /**
   * Refund, first half: idempotency, balance and tax parts; on success moves to REFUND_PROGRESS.
   * `replay` carries the stored reply of an identical earlier refund.
   */
  beginRefund(
    p: Payment,
    r: RefundRequest,
  ): Result<{ replay: Record<string, unknown> } | { replay: undefined; plan: RefundPlan }> {
    const fingerprint = JSON.stringify([r.amount, r.amountTaxFree, r.amountTaxable, r.amountVat, r.amountServiceFee]);
    if (r.refundNo !== undefined) {
      const prior = p.refunds.get(r.refundNo);
      if (prior !== undefined) {
        if (r.idempotent && prior.fingerprint === fingerprint) return { ok: true, replay: prior.reply };
        return refuse('REFUND_REFUND_NO_DUPLICATE', '이미 사용된 환불번호입니다.');
      }
      if (r.refundNo === p.transactionId) return refuse('REFUND_REFUND_NO_DUPLICATE', '환불번호는 결제의 transactionId와 달라야 합니다.');
    }
    switch (p.payStatus) {
      // Settled payments too: Toss takes a refunded amount from the merchant's next settlement.
      case 'PAY_COMPLETE':
      case 'REFUND_SUCCESS':
      case 'SETTLEMENT_COMPLETE':
      case 'SETTLEMENT_REFUND_COMPLETE':
        break;
      case 'PAY_PROGRESS':
      case 'REFUND_PROGRESS':
        return refuse('TRANSACTION_PENDING_ERROR', '처리 중인 거래가 있습니다. 잠시 후 다시 시도해주세요.');
      default:
        return refuse('TRANSACTION_NOT_COMPLETE', '결제가 완료되지 않아 환불할 수 없습니다.');
    }
    if (p.refundableAmount === 0) return refuse('REFUND_ALREADY_REFUNDED', '이미 전액 환불된 결제입니다.');
    const amount = r.amount ?? p.refundableAmount;
    if (amount > p.refundableAmount) {
      return refuse('COMMON_REFUND_ERROR', `환불 가능 금액(${p.refundableAmount})을 초과했습니다.`);
    }
    let parts: TaxParts;
    if (p.composite) {
      // Toss's refund page: a payment created with its parts is refunded naming the parts, adding up to the amount.
      parts = {
        amountTaxFree: r.amountTaxFree,
        amountTaxable: r.amountTaxable ?? 0,
        amountVat: r.amountVat ?? 0,
        amountServiceFee: r.amountServiceFee ?? 0,
      };
      const sum = parts.amountTaxFree + parts.amountTaxable + parts.amountVat + parts.amountServiceFee;
      if (sum !== amount) {
        return badParam(
          `잘못된 요청 파라미터입니다: amountTaxFree/amountTaxable/amountVat/amountServiceFee (the payment has explicit tax parts; the refund's parts (${sum}) must add up to its amount (${amount}))`,
        );
      }
    } else if (namesParts(r)) {
      parts = {
        amountTaxFree: r.amountTaxFree,
        amountTaxable: r.amountTaxable ?? 0,
        amountVat: r.amountVat ?? 0,
        amountServiceFee: r.amountServiceFee ?? 0,
      };
    } else if (amount === p.refundableAmount) {
      // The last refund takes exactly what is left of each part (no rounding drift).
      parts = { ...p.remaining };
    } else {
      const rest = amount - r.amountTaxFree;
      const vat = p.cashReceipt ? Math.min(Math.ceil(rest / 11), p.remaining.amountVat) : 0;
      parts = { amountTaxFree: r.amountTaxFree, amountTaxable: rest - vat, amountVat: vat, amountServiceFee: 0 };
    }
    for (const k of Object.keys(parts) as (keyof TaxParts)[]) {
      if (parts[k] > p.remaining[k]) {
        return refuse('COMMON_REFUND_ERROR', `환불할 ${k}(${parts[k]})가 남은 금액(${p.remaining[k]})을 초과했습니다.`);
      }
    }
    const transactionId = randomUUID();
    // What the buyer's payment method paid goes back first, then the discount (points first).
    const paid = Math.min(amount, p.paidLeft);
    const discount = amount - paid;
    const points = Math.min(discount, p.pointsLeft);
    const plan: RefundPlan = { refundNo: r.refundNo ?? transactionId, transactionId, amount, parts, fingerprint, paid, discount, points };
    this.setStatus(p, 'REFUND_PROGRESS');
    return { ok: true, replay: undefined, plan };
  }

  /** Refund, second half: money goes back; returns the success reply (kept for idempotent repeats). */
  completeRefund(p: Payment, plan: RefundPlan, reply: (p: Payment, rec: Omit<RefundRecord, 'reply'>) => Record<string, unknown>): Record<string, unknown> {
    const now = this.clock.now();
    p.refundableAmount -= plan.amount;
    p.paidLeft -= plan.paid;
    p.discountLeft -= plan.discount;
    p.pointsLeft -= plan.points;
    for (const k of Object.keys(plan.parts) as (keyof TaxParts)[]) p.remaining[k] -= plan.parts[k];
    p.transactions.push({
      stepType: 'REFUND',
      transactionId: plan.transactionId,
      transactionAmount: -plan.amount,
      discountedAmount: -plan.discount,
      paidAmount: -plan.paid,
      pointAmount: -plan.points,
      regTs: kst(now),
    });
    this.setStatus(p, 'REFUND_SUCCESS');
    this.scheduleSettlement(p);
    const rec = {
      refundNo: plan.refundNo,
      transactionId: plan.transactionId,
      fingerprint: plan.fingerprint,
      amount: plan.amount,
      parts: plan.parts,
      paid: plan.paid,
      discount: plan.discount,
      approvalTime: kst(now),
    };
    const body = reply(p, rec);
    p.refunds.set(plan.refundNo, { ...rec, reply: body });
    return body;
  }

  /**
   * Toss pays the money that moved out to the merchant: PAY_COMPLETE → SETTLEMENT_COMPLETE, a
   * payment with refunds (REFUND_SUCCESS) → SETTLEMENT_REFUND_COMPLETE. Refused while a refund is
   * running, when nothing waits to be settled, and before payment.
   */
  settle(p: Payment): Result<object> {
    switch (p.payStatus) {
      case 'PAY_COMPLETE':
        this.setStatus(p, 'SETTLEMENT_COMPLETE');
        break;
      case 'REFUND_SUCCESS':
        this.setStatus(p, 'SETTLEMENT_REFUND_COMPLETE');
        break;
      case 'REFUND_PROGRESS':
        return refuse('TRANSACTION_PENDING_ERROR', '처리 중인 거래가 있습니다. 잠시 후 다시 시도해주세요.', 409);
      case 'SETTLEMENT_COMPLETE':
      case 'SETTLEMENT_REFUND_COMPLETE':
        return refuse('ALREADY_SETTLED', '정산할 거래가 없습니다.', 409);
      default:
        return refuse('NOT_PAID', `결제가 완료되지 않아 정산할 수 없습니다: ${p.payStatus}`, 409);
    }
    p.settleDueMs = undefined;
    p.settledMs = this.clock.now();
    return { ok: true };
  }

  /** Money moved: it is settled `settleAfterMs` after the first movement not settled yet. */
  private scheduleSettlement(p: Payment): void {
    p.settleDueMs ??= this.clock.now() + this.settleAfterMs;
    // Due while a refund ran (refused then): the task is set again when that refund ends.
    this.clock.schedule(Math.max(p.settleDueMs, this.clock.now()), () => {
      if (p.settleDueMs !== undefined && this.clock.now() >= p.settleDueMs && this.byToken.get(p.payToken) === p) this.settle(p);
    });
  }

  /** STANDBY and APPROVED payments become PAY_CANCEL at their expiredTime. */
  expireIfDue(p: Payment): void {
    if ((p.payStatus === 'PAY_STANDBY' || p.payStatus === 'PAY_APPROVED') && this.clock.now() >= p.expiredAtMs) {
      this.toCancel(p, 'expiry', undefined);
    }
  }

  private pay(p: Payment): void {
    const now = this.clock.now();
    const transactionId = randomUUID();
    p.transactionId = transactionId;
    p.paidMs = now;
    p.refundableAmount = p.amount;
    const discounted = p.discountAmount + p.pointAmount;
    p.paidLeft = p.amount - discounted;
    p.discountLeft = discounted;
    p.pointsLeft = p.pointAmount;
    const choice = p.choice ?? { payMethod: p.payMethod ?? 'TOSS_MONEY' };
    if (p.payMethod === 'CARD') {
      p.card = {
        ...issueCard(choice, p.cardCompanyCode),
        salesCheckLinkUrl: `${this.publicUrl()}/payfront/web/external/sales-check?payToken=${p.payToken}&transactionId=${transactionId}`,
      };
    } else {
      p.account = issueAccount(choice);
    }
    p.transactions.push({
      stepType: 'PAY',
      transactionId,
      transactionAmount: p.amount,
      discountedAmount: discounted,
      paidAmount: p.amount - discounted,
      pointAmount: p.pointAmount,
      regTs: kst(now),
    });
    this.setStatus(p, 'PAY_COMPLETE');
    this.scheduleSettlement(p);
  }

  private toCancel(p: Payment, by: CancelledBy, reason: string | undefined): void {
    p.cancelledMs = this.clock.now();
    p.cancelledBy = by;
    p.cancelReason = reason;
    this.setStatus(p, 'PAY_CANCEL');
  }

  private setStatus(p: Payment, s: PayStatus): void {
    p.payStatus = s;
    p.history.push({ payStatus: s, at: kst(this.clock.now()) });
  }
}

export interface RefundPlan {
  refundNo: string;
  transactionId: string;
  amount: number;
  parts: TaxParts;
  fingerprint: string;
  /** Of `amount`: what goes back to the buyer's payment method, what to the discount, of it the points. */
  paid: number;
  discount: number;
  points: number;
}

const orderKey = (apiKey: string, orderNo: string): string => `${apiKey}\u0000${orderNo}`;

const issuedOf = (p: Payment): IssuedPayment => ({
  payToken: p.payToken,
  orderNo: p.orderNo,
  mode: p.mode,
  payStatus: p.payStatus,
  cardNumber: p.card?.cardNumber ?? null,
  accountNumber: p.account?.accountNumber ?? null,
  cardBinNumber: p.card?.cardBinNumber ?? null,
  forgotten: false,
});

/** VAT = ceil(taxable part / 11), taxable = part − VAT; without cash receipts: all taxable, no VAT. */
export function deriveParts(amount: number, taxFree: number, cashReceipt: boolean): TaxParts {
  const rest = amount - taxFree;
  const vat = cashReceipt ? Math.ceil(rest / 11) : 0;
  return { amountTaxFree: taxFree, amountTaxable: rest - vat, amountVat: vat, amountServiceFee: 0 };
}

function firstCardCompany(cardOptions: unknown): number | undefined {
  if (typeof cardOptions !== 'object' || cardOptions === null) return undefined;
  const options = (cardOptions as { options?: unknown }).options;
  if (!Array.isArray(options)) return undefined;
  const code = (options[0] as { cardCompanyCode?: unknown } | undefined)?.cardCompanyCode;
  return typeof code === 'number' && CARD_COMPANIES[code] !== undefined ? code : undefined;
}
