/**
 * Toss's money facts as the order keeps them (shared/domain/money-facts.ts): what is kept from a
 * status or an execute reply, what never is (card and account numbers, the BIN), what is dropped
 * because it does not look like what its field holds, and every transaction of the order.
 */
import { describe, expect, it } from 'vitest';
import { fieldsFromStatus } from '../../shared/domain/decide.ts';
import { moneyOfExecute, moneyOfStatus, refundFactsOf, sameMoney, transactionsOf } from '../../shared/domain/money-facts.ts';
import type { Refund } from '../../shared/domain/refunds.ts';
import { statusReplySchema } from '../../shared/toss/schemas.ts';

/** Toss's published example reply of v2/status (Toss's 결제 상태 확인 page), with a discount and points. */
const STATUS = {
  code: 0,
  mode: 'LIVE',
  payToken: 'rDgrfe4YRBnTNLo5lwpqb9',
  orderNo: 'o-1',
  payStatus: 'PAY_COMPLETE',
  payMethod: 'CARD',
  amount: 10_000,
  discountedAmount: 1_500,
  discountAmountV2: 1_000,
  paidPointV2: 500,
  paidAmount: 8_500,
  refundableAmount: 10_000,
  amountTaxable: 9_090,
  amountTaxFree: 0,
  amountVat: 910,
  amountServiceFee: 0,
  disposableCupDeposit: 0,
  card: {
    noInterest: true,
    spreadOut: 3,
    cardAuthorizationNo: '30019610',
    cardMethodType: 'CREDIT',
    cardUserType: 'CORP_PRIVATE',
    cardNumber: '557042******700*',
    cardBinNumber: '557042',
    cardNum4Print: '700*',
    salesCheckLinkUrl: 'https://pay.toss.im/payfront/web/external/sales-check?payToken=rDgrfe4YRBnTNLo5lwpqb9&transactionId=t-1',
    cardCompanyName: '국민',
    cardCompanyCode: 4,
  },
  transactions: [{ stepType: 'PAY', transactionId: 't-1', paidAmount: 8_500, transactionAmount: 10_000, discountedAmount: 1_500, pointAmount: 500, regTs: '2023-02-09 15:44:25' }],
  createdTs: '2023-02-09 15:44:04',
  paidTs: '2023-02-09 15:44:24',
};

describe('money facts of a status', () => {
  it("keeps Toss's figures, the card without its number or BIN, and the card slip as the receipt URL", () => {
    expect(moneyOfStatus(statusReplySchema.parse(STATUS))).toEqual({
      amountTaxable: 9_090,
      amountTaxFree: 0,
      amountVat: 910,
      amountServiceFee: 0,
      discountedAmount: 1_500,
      discountAmountV2: 1_000,
      paidPointV2: 500,
      paidAmount: 8_500,
      disposableCupDeposit: 0,
      card: {
        cardCompanyName: '국민',
        cardCompanyCode: 4,
        cardMethodType: 'CREDIT',
        cardUserType: 'CORP_PRIVATE',
        noInterest: true,
        spreadOut: 3,
        cardNum4Print: '700*',
        cardAuthorizationNo: '30019610',
      },
      receiptUrl: STATUS.card.salesCheckLinkUrl,
    });
  });

  it('never holds a card number, an account number or a BIN, whatever the reply carries', () => {
    const money = {
      ...STATUS,
      accountBankCode: '88',
      accountBankName: '신한은행',
      accountNumber: '110**\\*\\***676',
    };
    const kept = JSON.stringify(moneyOfStatus(money));
    for (const secret of ['557042', '110**', 'cardNumber', 'cardBinNumber', 'accountNumber']) expect(kept).not.toContain(secret);
    expect(moneyOfStatus(money)).toMatchObject({ accountBankCode: '88', accountBankName: '신한은행' });
  });

  it('leaves out a value that is not what its field holds', () => {
    const odd = moneyOfStatus({
      ...STATUS,
      discountAmountV2: '1000',
      paidPointV2: 1.5,
      card: { ...STATUS.card, cardNum4Print: '5570421234567004', cardAuthorizationNo: '30 01', salesCheckLinkUrl: 'javascript:alert(1)', cardUserType: 'personal' },
    });
    expect(odd).not.toHaveProperty('discountAmountV2');
    expect(odd).not.toHaveProperty('paidPointV2');
    expect(odd).not.toHaveProperty('receiptUrl');
    expect(odd.card).not.toHaveProperty('cardNum4Print');
    expect(odd.card).not.toHaveProperty('cardAuthorizationNo');
    expect(odd.card).not.toHaveProperty('cardUserType');
    expect(odd.card).toMatchObject({ cardCompanyCode: 4 });
  });

  it('reads a money fact of another type as absent: the status still parses and confirms', () => {
    const parsed = statusReplySchema.parse({ ...STATUS, discountAmountV2: 'x', card: { ...STATUS.card, spreadOut: 'three' } });
    expect(parsed.payStatus).toBe('PAY_COMPLETE');
    expect(parsed.discountAmountV2).toBeUndefined();
    expect(moneyOfStatus(parsed).card?.spreadOut).toBeUndefined();
  });

  it('go with every transition a status asks for', () => {
    expect(fieldsFromStatus(statusReplySchema.parse(STATUS)).tossMoney).toEqual(moneyOfStatus(statusReplySchema.parse(STATUS)));
  });
});

describe('money facts of an execute reply', () => {
  it("take the execute reply's figures and flat card fields over the status read before it", () => {
    const approved = moneyOfStatus({ ...STATUS, payStatus: 'PAY_APPROVED', paidAmount: 0, card: undefined });
    const m = moneyOfExecute(
      { code: 0, discountedAmount: 1_500, paidAmount: 8_500, cardCompanyCode: 6, cardCompanyName: '하나', cardMethodType: 'CHECK', cardNumber: '465887******123*', cardBinNumber: '465887', cardNum4Print: '123*', salesCheckLinkUrl: 'https://pay.toss.im/s?x=1' },
      approved,
    );
    expect(m).toMatchObject({ amountVat: 910, discountAmountV2: 1_000, paidAmount: 8_500, card: { cardCompanyCode: 6, cardMethodType: 'CHECK', cardNum4Print: '123*' }, receiptUrl: 'https://pay.toss.im/s?x=1' });
    expect(JSON.stringify(m)).not.toContain('465887');
  });
});

describe('refund facts', () => {
  it("keep the refund reply's discount and payment-method parts and tax parts; nothing when it says none", () => {
    expect(refundFactsOf({ code: 0, refundedDiscountAmount: -500, refundedPaidAmount: -8_500, amountTaxFree: 0, amountTaxable: 8_181, amountVat: 819, amountServiceFee: 0 })).toEqual({
      refundedDiscountAmount: -500,
      refundedPaidAmount: -8_500,
      amountTaxFree: 0,
      amountTaxable: 8_181,
      amountVat: 819,
      amountServiceFee: 0,
    });
    expect(refundFactsOf({ code: 0 })).toBeUndefined();
  });
});

describe('sameMoney', () => {
  it('compares the facts, not the order of their fields', () => {
    expect(sameMoney({ paidAmount: 1, card: { spreadOut: 0, noInterest: false } }, { card: { noInterest: false, spreadOut: 0 }, paidAmount: 1 })).toBe(true);
    expect(sameMoney({ paidAmount: 1 }, { paidAmount: 2 })).toBe(false);
    expect(sameMoney(undefined, {})).toBe(true);
  });
});

describe("the order's transactions", () => {
  const refund = (r: Partial<Refund>): Refund => ({ refundNo: 'rf_1', amount: 1_000, amountTaxFree: 0, status: 'SUCCEEDED', source: 'api', requestedAt: '2026-01-01T00:00:00.000Z', ...r });

  it("are Toss's list, then each refund Toss approved that the list does not hold yet, with Toss's figures", () => {
    const listed = [{ stepType: 'PAY', transactionId: 't-pay', transactionAmount: 10_000 }];
    const txs = transactionsOf({
      transactions: listed,
      refunds: {
        rf_1: refund({ transactionId: 't-r1', approvedAt: '2026-01-02T00:00:00.000Z', toss: { refundedDiscountAmount: -500, refundedPaidAmount: -500 } }),
        rf_2: refund({ refundNo: 'rf_2', status: 'PENDING' }),
        rf_3: refund({ refundNo: 'rf_3', status: 'FAILED', transactionId: 't-failed' }),
      },
    });
    expect(txs).toEqual([
      ...listed,
      { stepType: 'REFUND', transactionId: 't-r1', transactionAmount: -1_000, discountedAmount: -500, paidAmount: -500, regTs: '2026-01-02T00:00:00.000Z' },
    ]);
  });

  it('hold a refund once when the list has it too', () => {
    const listed = [
      { stepType: 'PAY', transactionId: 't-pay', transactionAmount: 10_000 },
      { stepType: 'REFUND', transactionId: 't-r1', transactionAmount: -1_000, regTs: '2026-01-02 09:00:00' },
    ];
    expect(transactionsOf({ transactions: listed, refunds: { rf_1: refund({ transactionId: 't-r1' }) } })).toEqual(listed);
  });

  it('are none for an order without any', () => {
    expect(transactionsOf({})).toEqual([]);
  });
});
