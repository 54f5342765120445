/**
 * Toss requests and replies. Reply schemas are loose objects: unknown fields are kept and never
 * break parsing (Toss adds fields without notice); payStatus is any string (escrow, future values).
 *
 * The money facts a merchant's books need (tax parts as applied, discounts, points, the card or
 * bank, the card slip link) are informational: a reply whose fact has another type than Toss
 * documents must still confirm a payment, so each such field reads as absent when it is not what
 * we expect (`fact`). The strict variants (`*ContractSchema`) say what we expect of those fields
 * too: `npm run toss-contract` (tools/toss-contract.ts) checks Toss's replies against them (there is
 * none for execute: it needs a buyer).
 */
import * as z from '../zod.ts';

const int = /* @__PURE__ */ z.pure(() => z.number().check(z.int()));
const optStr = /* @__PURE__ */ z.pure(() => z.nullish(z.string()));
const optInt = /* @__PURE__ */ z.pure(() => z.nullish(z.number()));

/** How a money fact is read: `strict` (the contract) or `lenient` (the client: a wrong type reads as absent). */
type FactMode = 'strict' | 'lenient';

/**
 * `z.catch(s, () => undefined)`, built as z.catch builds it for a function: z.catch's own code
 * also handles a constant through zod's `util` namespace, which would bring all of it (~8 KiB)
 * into every function that reads Toss's replies.
 */
const orUndefined = <T extends z.core.$ZodType>(s: T): z.ZodMiniCatch<T> =>
  new z.ZodMiniCatch({ type: 'catch', innerType: s, catchValue: () => undefined }) as z.ZodMiniCatch<T>;

const factOf =
  (mode: FactMode) =>
  <T extends z.core.$ZodType>(s: T) =>
    mode === 'strict' ? z.nullish(s) : orUndefined(z.nullish(s));

/** The card of a card payment, as v2/status gives it (numbers included: they are read, never kept). */
const cardShape = (mode: FactMode) => {
  const fact = factOf(mode);
  return {
    noInterest: fact(z.boolean()),
    spreadOut: fact(int),
    cardAuthorizationNo: fact(z.string()),
    cardMethodType: fact(z.string()),
    cardUserType: fact(z.string()),
    cardNumber: fact(z.string()),
    cardBinNumber: fact(z.string()),
    cardNum4Print: fact(z.string()),
    salesCheckLinkUrl: fact(z.string()),
    cardCompanyName: fact(z.string()),
    cardCompanyCode: fact(int),
  };
};

/** The money facts of v2/status (besides amount, paidAmount and discountedAmount, which the state machine reads). */
const statusFactsShape = (mode: FactMode) => {
  const fact = factOf(mode);
  return {
    discountAmountV2: fact(int),
    paidPointV2: fact(int),
    amountTaxable: fact(int),
    amountVat: fact(int),
    amountServiceFee: fact(int),
    disposableCupDeposit: fact(int),
    accountBankCode: fact(z.string()),
    accountBankName: fact(z.string()),
    accountNumber: fact(z.string()),
    card: fact(z.looseObject(cardShape(mode))),
  };
};

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

export const createReplySchema = /* @__PURE__ */ z.pure(() =>
  z.looseObject({
    code: z.literal(0),
    payToken: z.string().check(z.minLength(1)),
    checkoutPage: z.string().check(z.minLength(1)),
  }),
);
export type TossCreateReply = z.infer<typeof createReplySchema>;

const transactionShape = (mode: FactMode) => ({
  stepType: optStr,
  transactionId: optStr,
  transactionAmount: optInt,
  discountedAmount: optInt,
  paidAmount: optInt,
  pointAmount: factOf(mode)(int),
  regTs: optStr,
});
export const transactionSchema = /* @__PURE__ */ z.pure(() => z.looseObject(transactionShape('lenient')));

const statusShape = (mode: FactMode) => ({
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
  ...statusFactsShape(mode),
  transactions: z.nullish(z.array(z.looseObject(transactionShape(mode)))),
  createdTs: optStr,
  paidTs: optStr,
});
export const statusReplySchema = /* @__PURE__ */ z.pure(() => z.looseObject(statusShape('lenient')));
/** v2/status as we expect Toss to send it, every money fact typed (tools/toss-contract.ts). */
export const statusReplyContractSchema = /* @__PURE__ */ z.pure(() => z.looseObject(statusShape('strict')));
export type TossStatusReply = z.infer<typeof statusReplySchema>;

/** v2/execute: the card fields come flat (as in the callback), or the account fields. */
const executeShape = (mode: FactMode) => {
  const { salesCheckLinkUrl, ...card } = cardShape(mode);
  const fact = factOf(mode);
  return {
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
    ...card,
    salesCheckLinkUrl,
    accountBankCode: fact(z.string()),
    accountBankName: fact(z.string()),
    accountNumber: fact(z.string()),
  };
};
export const executeReplySchema = /* @__PURE__ */ z.pure(() => z.looseObject(executeShape('lenient')));
export type TossExecuteReply = z.infer<typeof executeReplySchema>;

export const cancelReplySchema = /* @__PURE__ */ z.pure(() => z.looseObject({ code: z.literal(0) }));

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

const refundShape = (mode: FactMode) => {
  const fact = factOf(mode);
  return {
    code: z.literal(0),
    refundNo: optStr,
    approvalTime: optStr,
    transactionId: optStr,
    refundableAmount: optInt,
    refundedAmount: optInt,
    // What the refund took back from the discount and from the buyer's payment method (negative),
    // and the tax parts it took (informational, as the status's money facts).
    refundedDiscountAmount: fact(int),
    refundedPaidAmount: fact(int),
    amountTaxFree: fact(int),
    amountTaxable: fact(int),
    amountVat: fact(int),
    amountServiceFee: fact(int),
  };
};
export const refundReplySchema = /* @__PURE__ */ z.pure(() => z.looseObject(refundShape('lenient')));
export const refundReplyContractSchema = /* @__PURE__ */ z.pure(() => z.looseObject(refundShape('strict')));
export type TossRefundReply = z.infer<typeof refundReplySchema>;
export type TossCancelReply = z.infer<typeof cancelReplySchema>;

export const errorReplySchema = /* @__PURE__ */ z.pure(() =>
  z.looseObject({
    code: z.literal(-1),
    errorCode: z.nullish(z.string()),
    msg: z.nullish(z.string()),
  }),
);
