/**
 * Toss's money facts on the order, over HTTP (issue 19, item 4): what Toss's v2 status says about a
 * payment (the tax parts as applied, discounts, points, paidAmount, the card or the bank, the card
 * slip) shows on GET /payments/{orderNo}, in GET /payments and in the events' `data`, with every
 * transaction and its Toss transactionId; the buyer's result page links the card slip; no reply
 * carries a card or account number or a BIN; an order stored without the facts reads as before and
 * learns them at its next re-check.
 */
import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { approve, getPayment, listPayments, refundAtToss, type ApproveOptions } from '../../../local/toss-sandbox/control-client.ts';
import { orderKey } from '../../../shared/store/orders.ts';
import type { OrderView } from '../../../shared/payments/reply-schemas.ts';
import { documentClient, MINUTE, pass, reconcileDeps } from '../reconciler/support.ts';
import { newOrderNo, startStack, type HttpReply, type Stack } from '../../support/stack.ts';

let s: Stack;
beforeAll(async () => {
  s = await startStack();
});
afterAll(() => s.stop());

/** Every reply body the tests saw, to look for numbers that must never be in one. */
const seen: string[] = [];
const keep = (r: HttpReply): HttpReply => {
  seen.push(r.text);
  return r;
};
const view = async (orderNo: string, q = ''): Promise<OrderView> => {
  const r = keep(await s.merchantRequest(`/payments/${orderNo}${q}`));
  expect(r.status).toBe(200);
  return r.json as unknown as OrderView;
};

interface Paid {
  orderNo: string;
  payToken: string;
  landing: HttpReply;
}

/** An order created, then paid by the buyer with `choice` (the landing settles it, and executes it when autoExecute is false). */
async function pay(body: Record<string, unknown>, choice: ApproveOptions): Promise<Paid> {
  const orderNo = newOrderNo('mf');
  const c = await s.createPayment({ orderNo, amountTaxFree: 0, productDesc: '토스 셔츠', ...body });
  expect(c.status).toBe(201);
  const payToken = String(c.json.payToken);
  const { redirect } = await approve(s.sandbox.url, payToken, choice);
  const landing = keep(await s.visit(redirect));
  expect(landing.status).toBe(200);
  return { orderNo, payToken, landing };
}

/** Toss's v2 status of a payment, straight from the sandbox. */
const tossStatus = async (payToken: string): Promise<Record<string, unknown>> => {
  const r = await fetch(`${s.sandbox.url}/api/v2/status`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ apiKey: s.apiKey, payToken }) });
  return (await r.json()) as Record<string, unknown>;
};

let card: Paid;
let money: Paid;
beforeAll(async () => {
  card = await pay(
    { amount: 60_000 },
    { payMethod: 'CARD', discountAmount: 2_000, pointAmount: 1_000, cardCompanyCode: 6, cardMethodType: 'CREDIT', cardUserType: 'CORP_COMPANY', spreadOut: 3, noInterest: true },
  );
  money = await pay({ amount: 22_000, autoExecute: false }, { payMethod: 'TOSS_MONEY', bankCode: '90', discountAmount: 1_000 });
  await s.streams.caughtUp();
});

describe('GET /payments/{orderNo}', () => {
  it("a card payment: Toss's money facts, the card without its number, the card slip, its transaction with Toss's id", async () => {
    const o = await view(card.orderNo);
    const toss = await tossStatus(card.payToken);
    const tossCard = toss.card as Record<string, unknown>;
    expect(o.tossMoney).toEqual({
      amountTaxable: toss.amountTaxable,
      amountTaxFree: 0,
      amountVat: toss.amountVat,
      amountServiceFee: 0,
      discountedAmount: 3_000,
      discountAmountV2: 2_000,
      paidPointV2: 1_000,
      paidAmount: 57_000,
      disposableCupDeposit: 0,
      card: {
        cardCompanyName: '하나',
        cardCompanyCode: 6,
        cardMethodType: 'CREDIT',
        cardUserType: 'CORP_COMPANY',
        noInterest: true,
        spreadOut: 3,
        cardNum4Print: tossCard.cardNum4Print,
        cardAuthorizationNo: tossCard.cardAuthorizationNo,
      },
    });
    expect(o.tossMoney?.amountVat).toBe(Math.ceil(60_000 / 11));
    expect(o.receiptUrl).toBe(tossCard.salesCheckLinkUrl);
    expect(o.transactions).toEqual([
      expect.objectContaining({ stepType: 'PAY', transactionId: (toss.transactions as { transactionId: string }[])[0]?.transactionId, transactionAmount: 60_000, discountedAmount: 3_000, paidAmount: 57_000 }),
    ]);
    expect([o.discountedAmount, o.tossPaidAmount]).toEqual([3_000, 57_000]);
  });

  it('a Toss Money payment we executed: the tax parts Toss applied, the discount, the bank; no card, no card slip', async () => {
    const o = await view(money.orderNo);
    expect(o.status).toBe('PAY_COMPLETE');
    expect(o.tossMoney).toEqual({
      amountTaxable: 20_000,
      amountTaxFree: 0,
      amountVat: 2_000,
      amountServiceFee: 0,
      discountedAmount: 1_000,
      discountAmountV2: 1_000,
      paidPointV2: 0,
      paidAmount: 21_000,
      disposableCupDeposit: 0,
      accountBankCode: '90',
      accountBankName: '카카오뱅크',
    });
    expect(o).not.toHaveProperty('receiptUrl');
    expect(o.transactions.map((t) => [t.stepType, t.transactionAmount, t.paidAmount])).toEqual([['PAY', 22_000, 21_000]]);
  });

  it("every refund's transaction: ours from Toss's reply at once, one made at Toss with ?refresh=true", async () => {
    const r = keep(await s.merchantRequest(`/payments/${card.orderNo}/refunds`, { method: 'POST', headers: { 'idempotency-key': 'mf-1' }, json: { amount: 10_000, amountTaxFree: 0 } }));
    expect(r.status).toBe(201);
    const ours = await view(card.orderNo);
    const refund = (await getPayment(s.sandbox.url, card.payToken)).refunds[0];
    expect(ours.transactions.at(-1)).toEqual({ stepType: 'REFUND', transactionId: refund?.transactionId, transactionAmount: -10_000, discountedAmount: 0, paidAmount: -10_000, regTs: expect.any(String) });
    const atToss = await refundAtToss(s.sandbox.url, card.payToken, { amount: 5_000 });
    const refreshed = await view(card.orderNo, '?refresh=true');
    const toss = await tossStatus(card.payToken);
    expect(refreshed.transactions.map((t) => t.transactionId)).toEqual((toss.transactions as { transactionId: string }[]).map((t) => t.transactionId));
    expect(refreshed.transactions.at(-1)).toMatchObject({ transactionId: atToss.transactionId, transactionAmount: -5_000 });
  });
});

describe('GET /payments and the events', () => {
  it('list the same money facts and transactions', async () => {
    const r = keep(await s.merchantRequest(`/payments?limit=100&from=${encodeURIComponent(new Date(Date.now() - 3_600_000).toISOString())}`));
    const listed = (r.json.orders as Record<string, unknown>[]).find((o) => o.orderNo === money.orderNo);
    const full = await view(money.orderNo);
    expect(listed).toMatchObject({ tossMoney: full.tossMoney, transactions: full.transactions });
    expect((r.json.orders as Record<string, unknown>[]).find((o) => o.orderNo === card.orderNo)).toMatchObject({ receiptUrl: (await view(card.orderNo)).receiptUrl });
  });

  it("payment.completed carries them in its data", async () => {
    await s.streams.caughtUp();
    const completed = s.eventBridge.entries().find((e) => e.DetailType === 'payment.completed' && (e.Detail.data as { orderNo?: string }).orderNo === card.orderNo);
    const data = completed?.Detail.data as OrderView | undefined;
    seen.push(JSON.stringify(completed?.Detail));
    expect(data?.tossMoney?.card).toMatchObject({ cardUserType: 'CORP_COMPANY', spreadOut: 3 });
    expect(data?.receiptUrl).toMatch(/sales-check/);
    expect(data?.transactions[0]).toMatchObject({ stepType: 'PAY', transactionAmount: 60_000 });
  });
});

describe("the buyer's result page", () => {
  it('links the card slip (매출전표 보기) for a card payment, and nothing for Toss Money', async () => {
    const receiptUrl = (await view(card.orderNo)).receiptUrl ?? '';
    expect(card.landing.text).toContain('매출전표 보기');
    expect(card.landing.text).toContain(`href="${receiptUrl.replaceAll('&', '&amp;')}"`);
    expect(money.landing.text).not.toContain('매출전표');
  });
});

describe('an order stored without the money facts (recorded before they were kept)', () => {
  it('reads as before, and learns them at its next re-check after payment', async () => {
    const old = await pay({ amount: 5_000 }, { payMethod: 'CARD', cardMethodType: 'CHECK' });
    const full = await view(old.orderNo);
    const client = documentClient();
    await client.send(new UpdateCommand({ TableName: s.tableName, Key: { pk: orderKey(old.orderNo) }, UpdateExpression: 'REMOVE tossMoney' }));
    const before = await view(old.orderNo);
    expect(before).not.toHaveProperty('tossMoney');
    expect(before).not.toHaveProperty('receiptUrl');
    expect(before.transactions).toEqual(full.transactions);
    // The first re-check after payment (1 hour): the reconciler's write of the check records them.
    const summary = await pass(reconcileDeps({ client, tableName: s.tableName, sandboxUrl: s.sandbox.url, offsetMs: 61 * MINUTE }));
    expect(summary.errors).toBe(0);
    const after = await view(old.orderNo);
    expect(after.tossMoney).toEqual(full.tossMoney);
    expect(after.receiptUrl).toBe(full.receiptUrl);
    expect(after.tossMoney?.card?.cardMethodType).toBe('CHECK');
  });
});

describe('no reply carries a card or account number, or a BIN', () => {
  it('none of the replies above holds one the sandbox issued', async () => {
    const issued = await listPayments(s.sandbox.url);
    const numbers = issued.flatMap((p) => [p.cardNumber, p.accountNumber]).filter((n): n is string => n !== null);
    const bins = issued.map((p) => p.cardBinNumber).filter((n): n is string => n !== null);
    expect(numbers.length).toBeGreaterThan(2);
    expect(bins.length).toBeGreaterThan(1);
    expect(seen.length).toBeGreaterThan(8);
    for (const text of seen) {
      for (const n of numbers) expect(text).not.toContain(n);
      for (const bin of bins) expect(text).not.toMatch(new RegExp(`(?<![0-9])${bin}(?![0-9])`));
      expect(text).not.toMatch(/cardNumber|cardBinNumber|accountNumber/);
    }
  });
});
