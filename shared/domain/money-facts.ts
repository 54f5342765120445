/**
 * The money facts a merchant's books need, as Toss reports them (v2/status; v2/execute and the
 * refund reply say part of it). Pure.
 *
 * Kept: the tax parts as Toss applied them, the discounts (discountedAmount = instant discount +
 * points; discountAmountV2; paidPointV2), paidAmount (what the buyer's payment method was
 * charged: the base of a cash receipt the merchant issues itself), the disposable cup deposit,
 * the card (company, method type, user type, no-interest, instalment months, last four, the
 * authorization number) or the bank of a Toss Money payment, and the card slip link as the
 * receipt URL. Never kept: a card or account number, masked or not, nor the card's BIN; a value
 * that does not look like what its field holds (a "last four" longer than four, a receipt link
 * that is not http(s)) is left out rather than stored.
 */
import type { CardFacts, Order, RefundTossFacts, TossMoney, TossTransaction } from './order.ts';

// The shapes are the order's (./order.ts, where every stored field is declared); named here too.
export type { CardFacts, RefundTossFacts, TossMoney };
import { numberOf, stringOf } from './unknown-values.ts';


type Fields = Readonly<Record<string, unknown>>;

const text = (max: number, re?: RegExp) => (v: unknown): string | undefined => {
  const s = stringOf(v);
  return s !== undefined && s.length > 0 && s.length <= max && (re === undefined || re.test(s)) ? s : undefined;
};
const int = (v: unknown): number | undefined => {
  const n = numberOf(v);
  return n !== undefined && Number.isInteger(n) ? n : undefined;
};
const bool = (v: unknown): boolean | undefined => (typeof v === 'boolean' ? v : undefined);
/** At most four digits or masking stars: anything longer could be a card number. */
const LAST_FOUR = text(4, /^[0-9*]{1,4}$/);
const AUTH_NO = text(20, /^[0-9A-Za-z]+$/);
const NAME = text(50);
const CODE = text(10, /^[0-9A-Za-z]+$/);
const ENUM = text(30, /^[A-Z_]+$/);

/** An http(s) URL (the receipt link is shown to buyers as a link: nothing else may become one). */
export function httpUrlOf(v: unknown): string | undefined {
  const s = text(2_048)(v);
  if (s === undefined || !URL.canParse(s)) return undefined;
  const protocol = new URL(s).protocol;
  return protocol === 'https:' || protocol === 'http:' ? s : undefined;
}

/** Sets `out[k]` for every defined value. */
function assign<T extends object>(out: T, values: { [K in keyof T]?: T[K] | undefined }): T {
  for (const [k, v] of Object.entries(values)) if (v !== undefined) (out as Record<string, unknown>)[k] = v;
  return out;
}

function cardOf(c: Fields): CardFacts | undefined {
  const card = assign<CardFacts>(
    {},
    {
      cardCompanyName: NAME(c.cardCompanyName),
      cardCompanyCode: int(c.cardCompanyCode),
      cardMethodType: ENUM(c.cardMethodType),
      cardUserType: ENUM(c.cardUserType),
      noInterest: bool(c.noInterest),
      spreadOut: int(c.spreadOut),
      cardNum4Print: LAST_FOUR(c.cardNum4Print),
      cardAuthorizationNo: AUTH_NO(c.cardAuthorizationNo),
    },
  );
  return Object.keys(card).length > 0 ? card : undefined;
}

function commonOf(s: Fields): TossMoney {
  return assign<TossMoney>(
    {},
    {
      discountedAmount: int(s.discountedAmount),
      paidAmount: int(s.paidAmount),
      accountBankCode: CODE(s.accountBankCode),
      accountBankName: NAME(s.accountBankName),
    },
  );
}

/** The money facts of a v2/status reply (its `card` object, or the account fields). */
export function moneyOfStatus(status: object): TossMoney {
  const s = status as Fields;
  const card = s.card !== null && typeof s.card === 'object' ? (s.card as Fields) : undefined;
  return assign(commonOf(s), {
    amountTaxable: int(s.amountTaxable),
    amountTaxFree: int(s.amountTaxFree),
    amountVat: int(s.amountVat),
    amountServiceFee: int(s.amountServiceFee),
    discountAmountV2: int(s.discountAmountV2),
    paidPointV2: int(s.paidPointV2),
    disposableCupDeposit: int(s.disposableCupDeposit),
    card: card === undefined ? undefined : cardOf(card),
    receiptUrl: card === undefined ? undefined : httpUrlOf(card.salesCheckLinkUrl),
  });
}

/**
 * The money facts of a v2/execute reply (the card fields flat, as in the callback), over `base`:
 * what Toss's status said before the withdrawal (the tax parts were applied at create).
 */
export function moneyOfExecute(executeReply: object, base: TossMoney = {}): TossMoney {
  const reply = executeReply as Fields;
  return assign({ ...base, ...commonOf(reply) }, { card: cardOf(reply) ?? base.card, receiptUrl: httpUrlOf(reply.salesCheckLinkUrl) ?? base.receiptUrl });
}

/** What a refund reply says about the refund's money. */
export function refundFactsOf(refundReply: object): RefundTossFacts | undefined {
  const reply = refundReply as Fields;
  const f = assign<RefundTossFacts>(
    {},
    {
      refundedDiscountAmount: int(reply.refundedDiscountAmount),
      refundedPaidAmount: int(reply.refundedPaidAmount),
      amountTaxFree: int(reply.amountTaxFree),
      amountTaxable: int(reply.amountTaxable),
      amountVat: int(reply.amountVat),
      amountServiceFee: int(reply.amountServiceFee),
    },
  );
  return Object.keys(f).length > 0 ? f : undefined;
}

/** Do two sets of facts say the same (field order aside)? */
export function sameMoney(a: TossMoney | undefined, b: TossMoney | undefined): boolean {
  return canonical(a ?? {}) === canonical(b ?? {});
}
const canonical = (v: unknown): string =>
  JSON.stringify(v, (_k, x: unknown) =>
    x !== null && typeof x === 'object' && !Array.isArray(x) ? Object.fromEntries(Object.entries(x).sort(([p], [q]) => p.localeCompare(q))) : x,
  );

/** Do two transaction lists say the same? */
export const sameTransactions = (a: readonly TossTransaction[] | undefined, b: readonly TossTransaction[] | undefined): boolean =>
  canonical(a ?? []) === canonical(b ?? []);

/**
 * Every Toss transaction of the order: the list Toss's status gave last, then each refund Toss
 * approved that the list does not hold yet (a refund of ours is known by Toss's reply before any
 * later status lists it), as a REFUND transaction with Toss's figures (negative).
 */
export function transactionsOf(o: Pick<Order, 'transactions' | 'refunds'>): TossTransaction[] {
  const listed = o.transactions ?? [];
  const known = new Set(listed.map((t) => t.transactionId));
  const refunds = Object.values(o.refunds ?? {})
    .filter((r) => r.status === 'SUCCEEDED' && r.transactionId !== undefined && !known.has(r.transactionId))
    .sort((a, b) => (a.approvedAt ?? a.requestedAt).localeCompare(b.approvedAt ?? b.requestedAt));
  return [
    ...listed,
    ...refunds.map((r) => {
      const t: TossTransaction = { stepType: 'REFUND', transactionId: r.transactionId as string, transactionAmount: -r.amount };
      if (r.toss?.refundedDiscountAmount !== undefined) t.discountedAmount = r.toss.refundedDiscountAmount;
      if (r.toss?.refundedPaidAmount !== undefined) t.paidAmount = r.toss.refundedPaidAmount;
      const at = r.approvedAt ?? r.requestedAt;
      if (at !== undefined) t.regTs = at;
      return t;
    }),
  ];
}
