/**
 * Toss requests and replies. Reply schemas are loose objects: unknown fields are kept and never
 * break parsing (Toss adds fields without notice); payStatus is any string (escrow, future values).
 */
import * as z from '../zod.ts';

const int = z.number().check(z.int());
const optStr = z.nullish(z.string());
const optInt = z.nullish(z.number());

export interface TossCreateRequest {
  orderNo: string;
  amount: number;
  amountTaxFree: number;
  amountTaxable?: number | undefined;
  amountVat?: number | undefined;
  amountServiceFee?: number | undefined;
  productDesc: string;
  retUrl: string;
  retCancelUrl: string;
  autoExecute: boolean;
  resultCallback: string;
  callbackVersion: 'V1' | 'V2';
  /** Korea time, `YYYY-MM-DD HH:mm:ss`. */
  expiredTime: string;
  cashReceipt?: boolean | undefined;
  cashReceiptTradeOption?: 'CULTURE' | 'GENERAL' | 'PUBLIC_TP' | undefined;
  /** Comma-separated TOSS_MONEY,CARD. */
  enablePayMethods?: string | undefined;
  metadata?: string | undefined;
}

export const createReplySchema = z.looseObject({
  code: z.literal(0),
  payToken: z.string().check(z.minLength(1)),
  checkoutPage: z.string().check(z.minLength(1)),
});
export type TossCreateReply = z.infer<typeof createReplySchema>;

export const transactionSchema = z.looseObject({
  stepType: optStr,
  transactionId: optStr,
  transactionAmount: optInt,
  discountedAmount: optInt,
  paidAmount: optInt,
  regTs: optStr,
});

export const statusReplySchema = z.looseObject({
  code: z.literal(0),
  mode: z.string(),
  payToken: z.string(),
  orderNo: z.string(),
  payStatus: z.string(),
  payMethod: optStr,
  amount: int,
  discountedAmount: optInt,
  paidAmount: optInt,
  refundableAmount: optInt,
  amountTaxFree: optInt,
  transactions: z.nullish(z.array(transactionSchema)),
  createdTs: optStr,
  paidTs: optStr,
});
export type TossStatusReply = z.infer<typeof statusReplySchema>;

export const executeReplySchema = z.looseObject({
  code: z.literal(0),
  mode: optStr,
  orderNo: optStr,
  payToken: optStr,
  amount: optInt,
  discountedAmount: optInt,
  paidAmount: optInt,
  payMethod: optStr,
  approvalTime: optStr,
  transactionId: optStr,
});
export type TossExecuteReply = z.infer<typeof executeReplySchema>;

export const cancelReplySchema = z.looseObject({ code: z.literal(0) });

export interface TossRefundRequest {
  payToken: string;
  /** Our idempotency key at Toss (≤ 36 characters): the same refund again is answered with the same success. */
  refundNo: string;
  /** Absent: everything still refundable. */
  amount?: number | undefined;
  amountTaxFree: number;
  amountTaxable?: number | undefined;
  amountVat?: number | undefined;
  amountServiceFee?: number | undefined;
  reason?: string | undefined;
}

export const refundReplySchema = z.looseObject({
  code: z.literal(0),
  refundNo: optStr,
  approvalTime: optStr,
  transactionId: optStr,
  refundableAmount: optInt,
  refundedAmount: optInt,
});
export type TossRefundReply = z.infer<typeof refundReplySchema>;
export type TossCancelReply = z.infer<typeof cancelReplySchema>;

export const errorReplySchema = z.looseObject({
  code: z.literal(-1),
  errorCode: z.nullish(z.string()),
  msg: z.nullish(z.string()),
});
