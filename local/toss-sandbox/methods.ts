/**
 * What the buyer picks on the checkout page besides the pay method, and what Toss then reports
 * about it: the discount and points Toss applies, the card (company, credit/check/prepaid, whose
 * card, instalments) or the bank of a Toss Money payment. The control API's approve and the
 * checkout page's form take the same options (`approveOptionsSchema`).
 *
 * Rules (Toss's 결제 상태 확인 page: the v2 status fields): discountedAmount = instant discount + points;
 * paidAmount = amount − discountedAmount; spreadOut is 0 below 50,000 won and for a payment made
 * at once; CORP_COMPANY (법인지정 결제계좌 회사) exists at 하나카드 only. Assumed (Toss's pages are
 * silent): a discount never exceeds the amount; the bank codes are 금융결제원's (Toss's example
 * shows 88 신한은행).
 */
import { randomBytes } from 'node:crypto';
import { z } from 'zod';

export const CARD_COMPANIES: Readonly<Record<number, string>> = {
  1: '신한',
  2: '현대',
  3: '삼성',
  4: '국민',
  5: '롯데',
  6: '하나',
  7: '우리',
  8: '농협',
  9: '씨티',
  10: 'BC',
};

export const BANKS: Readonly<Record<string, string>> = {
  '03': '기업은행',
  '04': '국민은행',
  '11': '농협은행',
  '20': '우리은행',
  '23': 'SC제일은행',
  '31': '대구은행',
  '32': '부산은행',
  '71': '우체국',
  '81': '하나은행',
  '88': '신한은행',
  '89': '케이뱅크',
  '90': '카카오뱅크',
  '92': '토스뱅크',
};

export const CARD_METHOD_TYPES = ['CREDIT', 'CHECK', 'PREPAYMENT'] as const;
export const CARD_USER_TYPES = ['PERSONAL', 'PERSONAL_FAMILY', 'CORP_PERSONAL', 'CORP_PRIVATE', 'CORP_COMPANY'] as const;
export type CardMethodType = (typeof CARD_METHOD_TYPES)[number];
export type CardUserType = (typeof CARD_USER_TYPES)[number];

/** 하나카드: the only issuer of CORP_COMPANY cards (Toss's 결제 상태 확인 page). */
export const HANA_CARD = 6;
/** Below this amount Toss takes no instalments (Toss's 결제 상태 확인 page: spreadOut 0 under 50,000 won). */
export const MIN_INSTALMENT_AMOUNT = 50_000;
const DEFAULT_CARD_COMPANY = 4;
const DEFAULT_BANK = '88';

const won = z.int().min(0).max(9_999_999);

/** What the buyer picks: `payMethod`, and for that method its options. */
export const approveOptionsSchema = z.strictObject({
  payMethod: z.enum(['TOSS_MONEY', 'CARD']),
  /** Toss's instant discount (discountAmountV2). */
  discountAmount: won.optional(),
  /** Toss points used (paidPointV2). */
  pointAmount: won.optional(),
  /** CARD: the card company (default: the create's cardOptions, else 4 국민). */
  cardCompanyCode: z.int().refine((c) => CARD_COMPANIES[c] !== undefined, 'a card company code 1-10').optional(),
  cardMethodType: z.enum(CARD_METHOD_TYPES).optional(),
  cardUserType: z.enum(CARD_USER_TYPES).optional(),
  /** CARD: instalment months (0: at once). */
  spreadOut: z.int().min(0).max(36).optional(),
  noInterest: z.boolean().optional(),
  /** TOSS_MONEY: the buyer's bank. */
  bankCode: z.string().refine((c) => BANKS[c] !== undefined, `a bank code (${Object.keys(BANKS).join(', ')})`).optional(),
});
export type ApproveOptions = z.infer<typeof approveOptionsSchema>;

const CARD_ONLY = ['cardCompanyCode', 'cardMethodType', 'cardUserType', 'spreadOut', 'noInterest'] as const;

/**
 * What is wrong with `o` for a payment of `amount` (whose create allowed instalments or not, and
 * asked for a card company), or undefined.
 */
export function approveProblem(o: ApproveOptions, p: { amount: number; installment: boolean; cardCompanyCode: number | undefined }): string | undefined {
  const discounted = (o.discountAmount ?? 0) + (o.pointAmount ?? 0);
  if (discounted > p.amount) return `discountAmount + pointAmount (${discounted}) must not exceed the amount (${p.amount})`;
  if (o.payMethod === 'TOSS_MONEY') {
    const named = CARD_ONLY.filter((k) => o[k] !== undefined);
    if (named.length > 0) return `${named.join(', ')}: card options, but payMethod is TOSS_MONEY`;
    return undefined;
  }
  if (o.bankCode !== undefined) return 'bankCode: a Toss Money option, but payMethod is CARD';
  const company = o.cardCompanyCode ?? p.cardCompanyCode ?? DEFAULT_CARD_COMPANY;
  if (o.cardUserType === 'CORP_COMPANY' && company !== HANA_CARD) return 'cardUserType CORP_COMPANY: 하나카드 (6) only';
  if ((o.spreadOut ?? 0) > 0) {
    if (!p.installment) return 'spreadOut: the payment was created with installment NOT_USE';
    if (p.amount < MIN_INSTALMENT_AMOUNT) return `spreadOut: no instalments below ${MIN_INSTALMENT_AMOUNT.toLocaleString('en')} won`;
    if (o.cardMethodType !== undefined && o.cardMethodType !== 'CREDIT') return 'spreadOut: instalments are for credit cards';
  }
  if (o.noInterest === true && (o.spreadOut ?? 0) === 0) return 'noInterest: only with instalments (spreadOut > 0)';
  return undefined;
}

const digits = (n: number): string => Array.from(randomBytes(n), (x) => String(x % 10)).join('');

/** A card BIN per card type: what Toss reports in cardBinNumber (and the masked number starts with). */
const BINS: Record<CardMethodType, string> = { CREDIT: '557042', CHECK: '465887', PREPAYMENT: '404825' };

export interface IssuedCard {
  noInterest: boolean;
  spreadOut: number;
  cardAuthorizationNo: string;
  cardMethodType: CardMethodType;
  cardUserType: CardUserType;
  cardNumber: string;
  cardBinNumber: string;
  cardNum4Print: string;
  cardCompanyName: string;
  cardCompanyCode: number;
}

/** The card Toss reports for a card payment made with `o` (a masked number, as Toss masks it). */
export function issueCard(o: ApproveOptions, createdCompany: number | undefined): IssuedCard {
  const code = o.cardCompanyCode ?? createdCompany ?? DEFAULT_CARD_COMPANY;
  const method = o.cardMethodType ?? 'CREDIT';
  const bin = BINS[method];
  const last = digits(3);
  return {
    noInterest: o.noInterest ?? false,
    spreadOut: o.spreadOut ?? 0,
    cardAuthorizationNo: digits(8),
    cardMethodType: method,
    cardUserType: o.cardUserType ?? 'PERSONAL',
    cardNumber: `${bin}******${last}*`,
    cardBinNumber: bin,
    cardNum4Print: `${last}*`,
    cardCompanyName: CARD_COMPANIES[code] ?? CARD_COMPANIES[DEFAULT_CARD_COMPANY]!,
    cardCompanyCode: code,
  };
}

/** The account Toss reports for a Toss Money payment made with `o` (a masked number). */
export function issueAccount(o: ApproveOptions): { accountBankCode: string; accountBankName: string; accountNumber: string } {
  const code = o.bankCode ?? DEFAULT_BANK;
  return { accountBankCode: code, accountBankName: BANKS[code] ?? BANKS[DEFAULT_BANK]!, accountNumber: `110*****${digits(3)}` };
}

/** The checkout form's fields as approve options: empty fields unset, numbers and checkboxes read, the other method's options dropped. */
export function optionsFromForm(form: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const method = form.payMethod;
  for (const [k, v] of Object.entries(form)) {
    if (k === 'payToken' || v === '' || v === undefined) continue;
    if (method === 'TOSS_MONEY' && (CARD_ONLY as readonly string[]).includes(k)) continue;
    if (method === 'CARD' && k === 'bankCode') continue;
    if (k === 'noInterest') out[k] = v === 'on' || v === 'true' || v === true;
    else if (['discountAmount', 'pointAmount', 'cardCompanyCode', 'spreadOut'].includes(k) && typeof v === 'string' && /^\d{1,7}$/.test(v)) out[k] = Number(v);
    else out[k] = v;
  }
  return out;
}
