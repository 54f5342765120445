/**
 * Typed client of the sandbox's control API (`/sandbox/…`) for tests and benchmarks in any folder.
 * Every function takes the sandbox's base URL (`Sandbox.url`, no trailing slash) and throws
 * `SandboxControlError` on a non-2xx reply.
 */
import type { FaultSpec } from './faults.ts';
import type { CallbackAttempt } from './callbacks.ts';
import type { ApiName, CardInfo, AccountInfo, IssuedPayment, PayStatus, Transaction, CancelledBy } from './store.ts';
import type { ApproveOptions } from './methods.ts';

export type { FaultSpec, CallbackAttempt, ApiName, IssuedPayment, PayStatus, ApproveOptions };
/** A fault as callers describe it (see faults.ts for each kind's meaning). */
export type Fault = FaultSpec;
export type PayMethod = 'CARD' | 'TOSS_MONEY';

/** A fault as the sandbox stores it: the spec plus its id and how often it matched. */
export type ActiveFault = FaultSpec & { id: number; hits: number };

export interface SandboxPayment {
  payToken: string;
  orderNo: string;
  mode: 'TEST' | 'LIVE';
  payStatus: PayStatus;
  payMethod: PayMethod | null;
  productDesc: string;
  amount: number;
  amountTaxFree: number;
  amountTaxable: number;
  amountVat: number;
  amountServiceFee: number;
  composite: boolean;
  cashReceipt: boolean;
  /** The create allowed instalments. */
  installment: boolean;
  /** What the buyer picked at approve (null before). */
  choice: ApproveOptions | null;
  refundableAmount: number;
  remainingParts: { amountTaxFree: number; amountTaxable: number; amountVat: number; amountServiceFee: number };
  autoExecute: boolean;
  resultCallback: string | null;
  callbackVersion: 'V1' | 'V2';
  retUrl: string;
  retCancelUrl: string;
  enablePayMethods: PayMethod[];
  metadata: string | null;
  hasOwner: boolean;
  createdTs: string;
  expiredTime: string;
  approvedTs: string | null;
  paidTs: string | null;
  /** When Toss last paid this payment's money out to the merchant (sandbox time, KST); Toss's status API does not say. */
  settledTs: string | null;
  /** When the money that moved and is not paid out yet will be settled (the sandbox's settlement delay). */
  settleDueTs: string | null;
  cancelledTs: string | null;
  cancelledBy: CancelledBy | null;
  cancelReason: string | null;
  transactionId: string | null;
  card: CardInfo | null;
  account: AccountInfo | null;
  transactions: Transaction[];
  refunds: {
    refundNo: string;
    transactionId: string;
    amount: number;
    amountTaxFree: number;
    amountTaxable: number;
    amountVat: number;
    amountServiceFee: number;
    /** What went back to the buyer's payment method and to the discount (negative). */
    refundedPaidAmount: number;
    refundedDiscountAmount: number;
    approvalTime: string;
  }[];
  history: { payStatus: PayStatus; at: string }[];
  /** How many times each Toss API was called for this payment, e.g. `{ status: 3, execute: 1 }`. */
  calls: Partial<Record<ApiName, number>>;
  /**
   * The most calls naming this payment the sandbox ever worked on at once, per API, e.g.
   * `{ status: 2, execute: 1 }` (creates are not counted: they name no payment yet).
   */
  maxConcurrent: Partial<Record<ApiName, number>>;
}

export interface ClockState {
  now: string;
  nowMs: number;
  offsetSeconds: number;
  pendingTasks: number;
}

export class SandboxControlError extends Error {
  readonly status: number;
  readonly code: string;
  constructor(status: number, code: string, message: string) {
    super(message);
    this.status = status;
    this.code = code;
    this.name = 'SandboxControlError';
  }
}

async function call<T>(baseUrl: string, method: string, path: string, body?: unknown): Promise<T> {
  const res = await fetch(`${baseUrl}${path}`, {
    method,
    headers: body === undefined ? {} : { 'Content-Type': 'application/json' },
    body: body === undefined ? null : JSON.stringify(body),
  });
  const text = await res.text();
  let json: unknown;
  try {
    json = text === '' ? {} : JSON.parse(text);
  } catch {
    json = { error: text };
  }
  if (!res.ok) {
    const e = json as { error?: string; code?: string };
    throw new SandboxControlError(res.status, e.code ?? 'ERROR', `${method} ${path}: ${res.status} ${e.error ?? text}`);
  }
  return json as T;
}

const tok = (payToken: string): string => encodeURIComponent(payToken);

/**
 * The buyer pays on the checkout page with `payMethod`, or with everything the page lets them
 * pick (discount, points, the card and its instalments, the bank: methods.ts); returns where the
 * browser is sent.
 */
export function approve(baseUrl: string, payToken: string, choice: PayMethod | ApproveOptions): Promise<{ redirect: string }> {
  return call(baseUrl, 'POST', `/sandbox/payments/${tok(payToken)}/approve`, typeof choice === 'string' ? { payMethod: choice } : choice);
}

/** The buyer quits the checkout (payment → PAY_CANCEL); returns retCancelUrl. */
export function quit(baseUrl: string, payToken: string): Promise<{ redirect: string }> {
  return call(baseUrl, 'POST', `/sandbox/payments/${tok(payToken)}/quit`, {});
}

/**
 * A refund made at Toss without the merchant's API, as in Toss's merchant console (`amount`
 * absent: everything left). Returns Toss's refund reply (its transactionId among others); Toss
 * refusing it (nothing or less left, a refund in progress) throws SandboxControlError with its code.
 */
export function refundAtToss(
  baseUrl: string,
  payToken: string,
  body: { amount?: number; amountTaxFree?: number; amountTaxable?: number; amountVat?: number; amountServiceFee?: number } = {},
): Promise<Record<string, unknown> & { transactionId: string }> {
  return call(baseUrl, 'POST', `/sandbox/payments/${tok(payToken)}/refund`, body);
}

/**
 * Toss settles the payment now (정산): PAY_COMPLETE → SETTLEMENT_COMPLETE, a payment with refunds
 * (REFUND_SUCCESS) → SETTLEMENT_REFUND_COMPLETE. Returns the payment's record; a payment not paid,
 * already settled or with a refund running throws SandboxControlError (409 NOT_PAID,
 * ALREADY_SETTLED, TRANSACTION_PENDING_ERROR).
 */
export function settleAtToss(baseUrl: string, payToken: string): Promise<SandboxPayment> {
  return call(baseUrl, 'POST', `/sandbox/payments/${tok(payToken)}/settle`, {});
}

/**
 * Every payment the sandbox created since it started, also those a reset forgot: each payToken
 * with the card or account number Toss reported for it.
 */
export async function listPayments(baseUrl: string): Promise<IssuedPayment[]> {
  return (await call<{ payments: IssuedPayment[] }>(baseUrl, 'GET', '/sandbox/payments')).payments;
}

export function getPayment(baseUrl: string, payToken: string): Promise<SandboxPayment> {
  return call(baseUrl, 'GET', `/sandbox/payments/${tok(payToken)}`);
}

/** The V2 resultCallback body Toss sends for a paid payment (to deliver it yourself). */
export function callbackBody(baseUrl: string, payToken: string): Promise<Record<string, unknown>> {
  return call(baseUrl, 'GET', `/sandbox/payments/${tok(payToken)}/callback-body`);
}

export async function listCallbacks(
  baseUrl: string,
  filter: { payToken?: string; orderNo?: string } = {},
): Promise<CallbackAttempt[]> {
  const q = new URLSearchParams();
  if (filter.payToken !== undefined) q.set('payToken', filter.payToken);
  if (filter.orderNo !== undefined) q.set('orderNo', filter.orderNo);
  const qs = q.toString();
  const r = await call<{ callbacks: CallbackAttempt[] }>(baseUrl, 'GET', `/sandbox/callbacks${qs === '' ? '' : `?${qs}`}`);
  return r.callbacks;
}

/** Moves the sandbox clock forward; expiries and callback retries that became due run before it returns. */
export function advanceClock(baseUrl: string, seconds: number): Promise<ClockState> {
  return call(baseUrl, 'POST', '/sandbox/clock', { advanceSeconds: seconds });
}

export function getClock(baseUrl: string): Promise<ClockState> {
  return call(baseUrl, 'GET', '/sandbox/clock');
}

/** Adds one fault (or several); returns them with their ids. */
export async function setFault(baseUrl: string, fault: Fault | Fault[]): Promise<ActiveFault[]> {
  const r = await call<{ faults: ActiveFault[] }>(baseUrl, 'POST', '/sandbox/faults', fault);
  return r.faults;
}

export async function listFaults(baseUrl: string): Promise<ActiveFault[]> {
  return (await call<{ faults: ActiveFault[] }>(baseUrl, 'GET', '/sandbox/faults')).faults;
}

export async function clearFaults(baseUrl: string): Promise<void> {
  await call(baseUrl, 'DELETE', '/sandbox/faults');
}

/** Forgets every payment, callback attempt and fault and resets the clock. */
export async function resetSandbox(baseUrl: string): Promise<void> {
  await call(baseUrl, 'POST', '/sandbox/reset', {});
}
