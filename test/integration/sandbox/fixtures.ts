/**
 * The provider's published example replies and documented field lists (see docs/toss-pay.md),
 * reproduced as test fixtures. Only field names and JSON types are compared.
 */

/** The published example reply of 결제 상태 확인 (`POST /api/v2/status`), its comments removed. */
export const STATUS_V2_EXAMPLE = {
  code: 0,
  mode: 'LIVE',
  payToken: 'rDgrfe4YRBnTNLo5lwpqb9',
  orderNo: 'TEST-2023-02-09T06:44:04.217Z',
  payStatus: 'PAY_COMPLETE',
  payMethod: 'CARD',
  amount: 1000,
  discountedAmount: 0,
  discountAmountV2: 0,
  paidPointV2: 0,
  paidAmount: 1000,
  refundableAmount: 1000,
  amountTaxable: 909,
  amountTaxFree: 0,
  amountVat: 91,
  amountServiceFee: 0,
  disposableCupDeposit: 0,
  card: {
    noInterest: false,
    spreadOut: 0,
    cardAuthorizationNo: '30019610',
    cardMethodType: 'CREDIT',
    cardUserType: 'PERSONAL',
    cardNumber: '557042******700*',
    cardBinNumber: '557042',
    cardNum4Print: '700*',
    salesCheckLinkUrl:
      'https://staging.toss.im/payfront/web/external/sales-check?payToken=rDgrfe4YRBnTNLo5lwpqb9&transactionId=81a6bafc-b7b6-4959-82ba-e74034f379ea',
    cardCompanyName: '국민',
    cardCompanyCode: 4,
  },
  transactions: [
    {
      stepType: 'PAY',
      transactionId: '81a6bafc-b7b6-4959-82ba-e74034f379ea',
      paidAmount: 1000,
      transactionAmount: 1000,
      discountedAmount: 0,
      pointAmount: 0,
      regTs: '2023-02-09 15:44:25',
    },
  ],
  createdTs: '2023-02-09 15:44:04',
  paidTs: '2023-02-09 15:44:24',
} as const;

/** The same published reply's commented-out TOSS_MONEY (account) fields. */
export const STATUS_V2_ACCOUNT_FIELDS = { accountBankCode: '88', accountBankName: '신한은행', accountNumber: '110**\\*\\***676' } as const;

/** The published example reply of `POST /api/v1/status`. */
export const STATUS_V1_EXAMPLE = {
  code: 0,
  payToken: 'test_token1234567890a',
  orderNo: '2015072012211',
  payMethod: 'TOSS_MONEY',
  payStatus: 'REFUND_SUCCESS',
  availableActions: ['REFUND'],
  hasOwner: true,
  metadata: 'metadata',
} as const;

/** The published example reply of create (`POST /api/v1/payments`). */
export const CREATE_EXAMPLE = {
  code: 0,
  checkoutPage: 'https://pay.toss.im/payfront/auth?payToken=test_token1234567890',
  payToken: 'test_token1234567890',
} as const;

/** The documented V2 result callback body fields (docs/toss-pay.md, "Result callback"), with the JSON type each carries. */
export const CALLBACK_COMMON = {
  status: 'string',
  payToken: 'string',
  orderNo: 'string',
  payMethod: 'string',
  amount: 'number',
  discountedAmount: 'number',
  paidAmount: 'number',
  paidTs: 'string',
  transactionId: 'string',
} as const;
export const CALLBACK_CARD = {
  cardCompanyCode: 'number',
  cardAuthorizationNo: 'string',
  spreadOut: 'number',
  noInterest: 'boolean',
  cardMethodType: 'string',
  cardNumber: 'string',
  cardUserType: 'string',
  cardBinNumber: 'string',
  cardNum4Print: 'string',
  salesCheckLinkUrl: 'string',
} as const;
export const CALLBACK_TOSS_MONEY = { accountBankCode: 'string', accountBankName: 'string', accountNumber: 'string' } as const;

/** The documented execute success reply fields (docs/toss-pay.md, "Execute"). */
export const EXECUTE_FIELDS = {
  code: 'number',
  mode: 'string',
  orderNo: 'string',
  payToken: 'string',
  amount: 'number',
  discountedAmount: 'number',
  paidAmount: 'number',
  payMethod: 'string',
  approvalTime: 'string',
  stateMsg: 'string',
  transactionId: 'string',
} as const;

/** The documented refund success reply fields (docs/toss-pay.md, "Refund"). */
export const REFUND_FIELDS = {
  code: 'number',
  refundNo: 'string',
  approvalTime: 'string',
  refundableAmount: 'number',
  discountedAmount: 'number',
  paidAmount: 'number',
  refundedAmount: 'number',
  refundedDiscountAmount: 'number',
  refundedPaidAmount: 'number',
  payToken: 'string',
  transactionId: 'string',
} as const;
