/**
 * Reply and callback bodies, with the provider's field names and types (docs/toss-pay.md).
 * Amounts are integers; times are Korea local `YYYY-MM-DD HH:mm:ss`; card and account numbers are
 * masked. Fields that only exist once something happened (payMethod, card/account, paidTs) are
 * omitted until then.
 */
import { kst } from './clock.ts';
import type { Payment, PayStatus, RefundRecord } from './store.ts';

export const errorBody = (errorCode: string, msg: string): Record<string, unknown> => ({ code: -1, msg, errorCode });

/** Flat card fields (execute, refund, callback) or account fields, per payMethod. */
function methodFields(p: Payment): Record<string, unknown> {
  if (p.card !== undefined) {
    const c = p.card;
    return {
      cardCompanyCode: c.cardCompanyCode,
      cardCompanyName: c.cardCompanyName,
      cardAuthorizationNo: c.cardAuthorizationNo,
      spreadOut: c.spreadOut,
      noInterest: c.noInterest,
      cardMethodType: c.cardMethodType,
      cardNumber: c.cardNumber,
      cardUserType: c.cardUserType,
      cardBinNumber: c.cardBinNumber,
      cardNum4Print: c.cardNum4Print,
      salesCheckLinkUrl: c.salesCheckLinkUrl,
    };
  }
  if (p.account !== undefined) return { ...p.account };
  return {};
}

/** What the buyer's payment method was charged: the amount less the discount and points (0 until paid). */
const paidAmount = (p: Payment): number => (p.paidMs === undefined ? 0 : p.amount - discountedAmount(p));
/** The instant discount and the points, as the buyer picked them at approve. */
const discountedAmount = (p: Payment): number => p.discountAmount + p.pointAmount;

/** `POST /api/v2/status`. */
export function statusV2(p: Payment): Record<string, unknown> {
  const body: Record<string, unknown> = {
    code: 0,
    mode: p.mode,
    payToken: p.payToken,
    orderNo: p.orderNo,
    payStatus: p.payStatus,
  };
  if (p.payMethod !== undefined) body.payMethod = p.payMethod;
  Object.assign(body, {
    amount: p.amount,
    discountedAmount: discountedAmount(p),
    discountAmountV2: p.discountAmount,
    paidPointV2: p.pointAmount,
    paidAmount: paidAmount(p),
    refundableAmount: p.refundableAmount,
    amountTaxable: p.parts.amountTaxable,
    amountTaxFree: p.parts.amountTaxFree,
    amountVat: p.parts.amountVat,
    amountServiceFee: p.parts.amountServiceFee,
    disposableCupDeposit: 0,
  });
  if (p.account !== undefined) Object.assign(body, p.account);
  if (p.card !== undefined) body.card = { ...p.card };
  body.transactions = p.transactions.map((t) => ({ ...t }));
  body.createdTs = kst(p.createdMs);
  if (p.paidMs !== undefined) body.paidTs = kst(p.paidMs);
  return body;
}

/** `POST /api/v1/status`: the v2 fields plus availableActions, hasOwner and metadata. */
export function statusV1(p: Payment): Record<string, unknown> {
  const body = statusV2(p);
  body.availableActions = availableActions(p.payStatus, p.refundableAmount);
  body.hasOwner = p.hasOwner;
  if (p.metadata !== undefined) body.metadata = p.metadata;
  return body;
}

function availableActions(s: PayStatus, refundable: number): string[] {
  switch (s) {
    case 'PAY_STANDBY':
      return ['CANCEL'];
    case 'PAY_APPROVED':
      return ['EXECUTE', 'CANCEL'];
    // While money is left to refund, settled or not (a refund is taken from the next settlement).
    case 'PAY_COMPLETE':
    case 'REFUND_SUCCESS':
    case 'SETTLEMENT_COMPLETE':
    case 'SETTLEMENT_REFUND_COMPLETE':
      return refundable > 0 ? ['REFUND'] : [];
    default:
      return [];
  }
}

/** `POST /api/v{1,2}/execute` success. */
export function executeReply(p: Payment): Record<string, unknown> {
  return {
    code: 0,
    mode: p.mode,
    orderNo: p.orderNo,
    payToken: p.payToken,
    amount: p.amount,
    discountedAmount: discountedAmount(p),
    paidAmount: paidAmount(p),
    payMethod: p.payMethod,
    approvalTime: kst(p.paidMs ?? 0),
    stateMsg: '결제 완료',
    transactionId: p.transactionId,
    ...methodFields(p),
  };
}

/** `POST /api/v{1,2}/refunds` success. */
export function refundReply(p: Payment, r: Omit<RefundRecord, 'reply'>): Record<string, unknown> {
  return {
    code: 0,
    mode: p.mode,
    refundNo: r.refundNo,
    approvalTime: r.approvalTime,
    refundableAmount: p.refundableAmount,
    discountedAmount: discountedAmount(p),
    paidAmount: paidAmount(p),
    refundedAmount: -r.amount,
    refundedDiscountAmount: -r.discount,
    refundedPaidAmount: -r.paid,
    amountTaxFree: r.parts.amountTaxFree,
    amountTaxable: r.parts.amountTaxable,
    amountVat: r.parts.amountVat,
    amountServiceFee: r.parts.amountServiceFee,
    payToken: p.payToken,
    transactionId: r.transactionId,
    ...methodFields(p),
  };
}

/** The resultCallback body (V2 JSON; V1 sends the same fields as form parameters). */
export function callbackBody(p: Payment): Record<string, unknown> {
  const body: Record<string, unknown> = {
    status: 'PAY_COMPLETE',
    payToken: p.payToken,
    orderNo: p.orderNo,
    payMethod: p.payMethod,
    amount: p.amount,
    discountedAmount: discountedAmount(p),
    paidAmount: paidAmount(p),
    paidTs: kst(p.paidMs ?? 0),
    transactionId: p.transactionId,
    ...methodFields(p),
  };
  if (p.metadata !== undefined) body.metadata = p.metadata;
  return body;
}

/** The sandbox's whole record of a payment (control API), without the apiKey. */
export function paymentRecord(p: Payment): Record<string, unknown> {
  return {
    payToken: p.payToken,
    orderNo: p.orderNo,
    mode: p.mode,
    payStatus: p.payStatus,
    payMethod: p.payMethod ?? null,
    productDesc: p.productDesc,
    amount: p.amount,
    ...p.parts,
    composite: p.composite,
    cashReceipt: p.cashReceipt,
    installment: p.installment,
    choice: p.choice ?? null,
    refundableAmount: p.refundableAmount,
    remainingParts: { ...p.remaining },
    autoExecute: p.autoExecute,
    resultCallback: p.resultCallback ?? null,
    callbackVersion: p.callbackVersion,
    retUrl: p.retUrl,
    retCancelUrl: p.retCancelUrl,
    enablePayMethods: [...p.enablePayMethods],
    metadata: p.metadata ?? null,
    hasOwner: p.hasOwner,
    createdTs: kst(p.createdMs),
    expiredTime: kst(p.expiredAtMs),
    approvedTs: p.approvedMs === undefined ? null : kst(p.approvedMs),
    paidTs: p.paidMs === undefined ? null : kst(p.paidMs),
    settledTs: p.settledMs === undefined ? null : kst(p.settledMs),
    settleDueTs: p.settleDueMs === undefined ? null : kst(p.settleDueMs),
    cancelledTs: p.cancelledMs === undefined ? null : kst(p.cancelledMs),
    cancelledBy: p.cancelledBy ?? null,
    cancelReason: p.cancelReason ?? null,
    transactionId: p.transactionId ?? null,
    card: p.card ?? null,
    account: p.account ?? null,
    transactions: p.transactions.map((t) => ({ ...t })),
    refunds: [...p.refunds.values()].map((r) => ({
      refundNo: r.refundNo,
      transactionId: r.transactionId,
      amount: r.amount,
      ...r.parts,
      refundedPaidAmount: -r.paid,
      refundedDiscountAmount: -r.discount,
      approvalTime: r.approvalTime,
    })),
    history: p.history.map((h) => ({ ...h })),
    calls: { ...p.calls },
    maxConcurrent: { ...p.maxConcurrent },
  };
}
