/**
 * Tax parts (복합과세) over HTTP against the real stack and the sandbox, as Toss's create and
 * refund pages state them: what Toss receives always follows its rule (amountTaxFree alone is
 * completed with Toss's default split; any other combination adds up or is a 400 naming the rule,
 * with nothing written); refunds of a payment with parts name the parts (completed where implied,
 * a 400 naming them otherwise, never more than is left of a part); an order stored before, with
 * amountTaxFree alone, reads and refunds as it did.
 */
import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { approve, getPayment, listPayments, setFault } from '../../../local/toss-sandbox/control-client.ts';
import { orderKey } from '../../../shared/store/orders.ts';
import { testDocumentClient } from '../../support/dynamo.ts';
import { newOrderNo, PAYMENTS_ALONE, startStack, type HttpReply, type Stack } from '../../support/stack.ts';

let s: Stack;
beforeAll(async () => {
  s = await startStack({}, PAYMENTS_ALONE);
});
afterAll(() => s.stop());

const code = (r: HttpReply) => (r.json.error as { code?: string } | undefined)?.code;
const issuePaths = (r: HttpReply) => ((r.json.error as { issues?: { path: string }[] }).issues ?? []).map((i) => i.path);
const refund = (orderNo: string, key: string, body: Record<string, unknown>) =>
  s.merchantRequest(`/payments/${orderNo}/refunds`, { method: 'POST', headers: { 'idempotency-key': key }, json: body });
const partsOf = (o: { amountTaxFree?: unknown; amountTaxable?: unknown; amountVat?: unknown; amountServiceFee?: unknown }) => [o.amountTaxFree, o.amountTaxable, o.amountVat, o.amountServiceFee];

async function paid(body: Record<string, unknown>): Promise<{ orderNo: string; payToken: string }> {
  const orderNo = newOrderNo('tx');
  await setFault(s.sandbox.url, { target: 'callback', kind: 'drop', orderNo });
  const c = await s.createPayment({ orderNo, productDesc: '복합과세 테스트', ...body });
  expect(c.status).toBe(201);
  const payToken = String(c.json.payToken);
  const { redirect } = await approve(s.sandbox.url, payToken, 'TOSS_MONEY');
  expect((await s.visit(redirect)).text).toContain('결제 완료');
  return { orderNo, payToken };
}

describe('create', () => {
  it("amountTaxFree alone is completed with Toss's default split of the taxable rest, and Toss receives all four", async () => {
    const o = await paid({ amount: 10_000, amountTaxFree: 3_000 });
    const t = await getPayment(s.sandbox.url, o.payToken);
    expect([t.composite, ...partsOf(t)]).toEqual([true, 3_000, 6_363, 637, 0]);
    expect(partsOf((await s.getPayment(o.orderNo)).json)).toEqual([3_000, 6_363, 637, 0]);
  });

  it('any other combination adds up or is a 400 naming the rule; nothing is written, Toss is not asked', async () => {
    const cases: [Record<string, unknown>, string[]][] = [
      [{ amountTaxFree: 3_000, amountServiceFee: 0 }, ['amountTaxable', 'amountVat']],
      [{ amountTaxFree: 0, amountTaxable: 9_091, amountVat: 909 }, ['amountServiceFee']],
      [{ amountTaxFree: 0, amountTaxable: 9_000, amountVat: 900, amountServiceFee: 0 }, ['amount']],
      [{ amountTaxFree: 11_000 }, ['amountTaxFree']],
    ];
    const issued = (await listPayments(s.sandbox.url)).length;
    for (const [parts, paths] of cases) {
      const orderNo = newOrderNo('txbad');
      const r = await s.createPayment({ orderNo, amount: 10_000, productDesc: '복합과세', ...parts });
      expect({ parts, status: r.status, code: code(r), paths: issuePaths(r) }).toEqual({ parts, status: 400, code: 'VALIDATION_FAILED', paths });
      expect(await s.readOrder(orderNo)).toBeUndefined();
    }
    const blank = await s.createPayment({ orderNo: newOrderNo('txbad'), amount: 10_000, productDesc: '복합과세', amountTaxFree: 0, amountTaxable: 9_091, amountVat: 909 });
    expect(JSON.stringify(blank.json)).toContain('복합과세');
    expect(await listPayments(s.sandbox.url)).toHaveLength(issued);
    // All four, adding up: sent as given.
    const ok = await paid({ amount: 11_000, amountTaxFree: 1_000, amountTaxable: 9_091, amountVat: 909, amountServiceFee: 0 });
    expect(partsOf(await getPayment(s.sandbox.url, ok.payToken))).toEqual([1_000, 9_091, 909, 0]);
  });
});

describe('refunds of a payment with parts', () => {
  it('completed where implied, a 400 naming the parts where not, never more than is left of a part', async () => {
    const o = await paid({ amount: 10_000, amountTaxFree: 3_000 });
    // A partial refund's split is not implied (three parts hold money): the parts to give are named.
    const bare = await refund(o.orderNo, 'bare', { amount: 1_000 });
    expect([bare.status, code(bare), issuePaths(bare)]).toEqual([400, 'VALIDATION_FAILED', ['amountTaxFree', 'amountTaxable', 'amountVat']]);
    const taxFree = await refund(o.orderNo, 'tax-free', { amount: 1_000, amountTaxFree: 1_000 });
    expect(taxFree.status).toBe(201);
    // More than is left of the tax-free part (2,000): refused before Toss is asked.
    const over = await refund(o.orderNo, 'over', { amount: 3_000, amountTaxFree: 3_000, amountTaxable: 0, amountVat: 0, amountServiceFee: 0 });
    expect([over.status, code(over), issuePaths(over)]).toEqual([400, 'VALIDATION_FAILED', ['amountTaxFree']]);
    // The whole balance takes what is left of each part.
    const rest = await refund(o.orderNo, 'rest', {});
    expect([rest.status, rest.json.amount]).toEqual([201, 9_000]);
    const v = (await s.getPayment(o.orderNo)).json as { refunds: Record<string, unknown>[] };
    expect(v.refunds.map(partsOf)).toEqual([
      [1_000, 0, 0, 0],
      [2_000, 6_363, 637, 0],
    ]);
    const t = await getPayment(s.sandbox.url, o.payToken);
    expect(t.refunds.map(partsOf)).toEqual(v.refunds.map(partsOf));
    expect(t.remainingParts).toEqual({ amountTaxFree: 0, amountTaxable: 0, amountVat: 0, amountServiceFee: 0 });
  });

  it('a payment whose only part is tax-free: any refund is tax-free', async () => {
    const o = await paid({ amount: 5_000, amountTaxFree: 5_000 });
    const r = await refund(o.orderNo, 'k', { amount: 1_200 });
    expect(r.status).toBe(201);
    expect((await getPayment(s.sandbox.url, o.payToken)).refunds.map(partsOf)).toEqual([[1_200, 0, 0, 0]]);
  });

  it('an order stored before creates were completed (amountTaxFree alone) reads and refunds as before', async () => {
    const o = await paid({ amount: 10_000, amountTaxFree: 0 });
    // As such an order was stored: amountTaxFree only (Toss split the rest by its default rule).
    const client = testDocumentClient();
    try {
      await client.send(
        new UpdateCommand({ TableName: s.tableName, Key: { pk: orderKey(o.orderNo) }, UpdateExpression: 'SET amountTaxFree = :tf', ExpressionAttributeValues: { ':tf': 2_000 } }),
      );
    } finally {
      client.destroy();
    }
    const v = (await s.getPayment(o.orderNo)).json;
    expect(partsOf(v)).toEqual([2_000, undefined, undefined, undefined]);
    const unnamed = await refund(o.orderNo, 'unnamed', { amount: 1_000 });
    expect([unnamed.status, issuePaths(unnamed)]).toEqual([400, ['amountTaxFree']]);
    expect((await refund(o.orderNo, 'named', { amount: 1_000, amountTaxFree: 0 })).status).toBe(201);
  });
});
