/**
 * Settlement (정산) over HTTP against the real stack and the sandbox: a settled payment is still
 * paid and still refundable while a balance remains; every move Toss makes within the paid family
 * is recorded without a contradiction or a flag; the re-checks after payment go on after
 * settlement (a refund made in Toss's console after it is found); the refund path asks Toss
 * before it refuses; a PENDING refund whose outcome is recorded after Toss settled it leaves the
 * order where Toss put it.
 */
import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { approve, getPayment, refundAtToss, setFault, settleAtToss } from '../../../local/toss-sandbox/control-client.ts';
import { RECHECKS_AFTER_PAYMENT_MS } from '../../../shared/domain/schedule.ts';
import { historyProblems } from '../../support/reliability.ts';
import { MINUTE, pass, reconcileDeps, type TestDeps } from '../reconciler/support.ts';
import { testDocumentClient } from '../../support/dynamo.ts';
import { orderKey } from '../../../shared/store/orders.ts';
import { newOrderNo, PAYMENTS_ALONE, startStack, type HttpReply, type Stack } from '../../support/stack.ts';

let s: Stack;
let deps: TestDeps;
beforeAll(async () => {
  s = await startStack({ TOSS_TIMEOUT_MS: '1500' }, PAYMENTS_ALONE);
  const client = testDocumentClient();
  deps = reconcileDeps({ client, tableName: s.tableName, sandboxUrl: s.sandbox.url, offsetMs: 5 * MINUTE });
});
afterAll(async () => {
  deps.client.destroy();
  await s.stop();
});

const code = (r: HttpReply) => (r.json.error as { code?: string } | undefined)?.code;
const refund = (orderNo: string, key: string, body: Record<string, unknown>) =>
  s.merchantRequest(`/payments/${orderNo}/refunds`, { method: 'POST', headers: { 'idempotency-key': key }, json: { amountTaxFree: 0, ...body } });
const view = async (orderNo: string, refresh = false) => (await s.merchantRequest(`/payments/${orderNo}${refresh ? '?refresh=true' : ''}`)).json;
const tossRefunds = async (payToken: string) =>
  (await getPayment(s.sandbox.url, payToken)).transactions.filter((t) => t.stepType === 'REFUND').map((t) => -t.transactionAmount);

/** A paid order (its callback dropped, the buyer's landing records it), or one Toss holds paid that we still hold unpaid (`land: false`). */
async function paid(amount = 10_000, land = true): Promise<{ orderNo: string; payToken: string }> {
  const orderNo = newOrderNo('st');
  await setFault(s.sandbox.url, { target: 'callback', kind: 'drop', orderNo });
  const c = await s.createPayment({ orderNo, amount, amountTaxFree: 0, productDesc: '정산 테스트' });
  expect(c.status).toBe(201);
  const payToken = String(c.json.payToken);
  const { redirect } = await approve(s.sandbox.url, payToken, 'CARD');
  if (land) expect((await s.visit(redirect)).text).toContain('결제 완료');
  return { orderNo, payToken };
}

/** The order never contradicted Toss: no flag, a history of legal moves only. */
async function untroubled(orderNo: string): Promise<void> {
  const o = await s.readOrder(orderNo);
  expect(o?.attention).toBeUndefined();
  expect(historyProblems(o ?? ({ orderNo, history: [] } as never))).toEqual([]);
}

describe('settlement', () => {
  it('a payment settled at Toss but stored PAY_COMPLETE refunds normally', async () => {
    const o = await paid();
    await settleAtToss(s.sandbox.url, o.payToken);
    expect((await s.readOrder(o.orderNo))?.status).toBe('PAY_COMPLETE');
    const r = await refund(o.orderNo, 'k1', { amount: 3_000 });
    expect([r.status, r.json.status]).toEqual([201, 'SUCCEEDED']);
    expect(await tossRefunds(o.payToken)).toEqual([3_000]);
    expect(await view(o.orderNo, true)).toMatchObject({ status: 'REFUND_SUCCESS', refundedAmount: 3_000, refundableAmount: 7_000, paid: true });
    await untroubled(o.orderNo);
  });

  it('the re-checks after payment see the settlement, go on after it, and find a refund made in Toss`s console after it', async () => {
    const o = await paid(8_000);
    const paidAt = Date.parse(String((await s.readOrder(o.orderNo))?.paidAt));
    await settleAtToss(s.sandbox.url, o.payToken);
    await pass(deps, { now: paidAt + (RECHECKS_AFTER_PAYMENT_MS[0] ?? 0) + MINUTE });
    const settled = await s.readOrder(o.orderNo);
    expect(settled?.status).toBe('SETTLEMENT_COMPLETE');
    // Still in the due index: the next re-check after payment comes.
    expect(settled?.dueAt).toBeDefined();
    const v = await view(o.orderNo);
    expect(v).toMatchObject({ status: 'SETTLEMENT_COMPLETE', settled: true, paid: true, paymentState: 'paid', refundableAmount: 8_000 });
    expect(Date.parse(String(v.settledSeenAt))).toBeGreaterThan(paidAt);

    await refundAtToss(s.sandbox.url, o.payToken, { amount: 2_000 });
    await pass(deps, { now: paidAt + (RECHECKS_AFTER_PAYMENT_MS[1] ?? 0) + MINUTE });
    expect(await view(o.orderNo)).toMatchObject({ status: 'REFUND_SUCCESS', settled: true, refundedAmount: 2_000, refundableAmount: 6_000, refunds: [{ source: 'toss', amount: 2_000 }] });
    // The refund's own settlement, found by a refresh.
    await settleAtToss(s.sandbox.url, o.payToken);
    expect(await view(o.orderNo, true)).toMatchObject({ status: 'SETTLEMENT_REFUND_COMPLETE', settled: true, settledSeenAt: v.settledSeenAt, refundableAmount: 6_000 });
    await untroubled(o.orderNo);
    expect(deps.counts.get('SecurityEvents') ?? 0).toBe(0);
    expect(deps.counts.get('OrdersFlagged') ?? 0).toBe(0);
  });

  it("a settled order's refund asks Toss first: a refund made in its console since is counted, more than is left is refused before Toss is asked", async () => {
    const o = await paid(10_000);
    await settleAtToss(s.sandbox.url, o.payToken);
    expect(await view(o.orderNo, true)).toMatchObject({ status: 'SETTLEMENT_COMPLETE', settled: true });
    await refundAtToss(s.sandbox.url, o.payToken, { amount: 4_000 });
    const over = await refund(o.orderNo, 'over', { amount: 7_000 });
    expect([over.status, code(over)]).toEqual([422, 'REFUND_EXCEEDS_BALANCE']);
    expect(String((over.json.error as { message: string }).message)).toContain('6000');
    expect(await tossRefunds(o.payToken)).toEqual([4_000]);
    const rest = await refund(o.orderNo, 'rest', {});
    expect([rest.status, rest.json.amount, rest.json.refundableAmount]).toEqual([201, 6_000, 0]);
    expect(await tossRefunds(o.payToken)).toEqual([4_000, 6_000]);
    expect(await view(o.orderNo)).toMatchObject({ paymentState: 'refunded', paid: false, settled: true });
    await untroubled(o.orderNo);
  });

  it('an order Toss holds paid while we hold it unpaid (callback and landing lost): the refund learns it first and refunds', async () => {
    const o = await paid(5_000, false);
    expect((await s.readOrder(o.orderNo))?.status).toBe('PAY_STANDBY');
    const r = await refund(o.orderNo, 'k', { amount: 1_000 });
    expect([r.status, r.json.status]).toEqual([201, 'SUCCEEDED']);
    expect((await s.readOrder(o.orderNo))?.status).toBe('REFUND_SUCCESS');
    await untroubled(o.orderNo);
  });

  it.each(['a refresh', 'a reconciler pass'] as const)(
    'a PENDING refund whose outcome is recorded after Toss settled it (%s) leaves the order SETTLEMENT_REFUND_COMPLETE',
    async (how) => {
      const o = await paid(9_000);
      await setFault(s.sandbox.url, { target: 'refunds', kind: 'lose-reply', payToken: o.payToken, times: 1 });
      expect((await refund(o.orderNo, 'lost', { amount: 4_000 })).status).toBe(504);
      expect((await view(o.orderNo)).refunds).toMatchObject([{ status: 'PENDING' }]);
      await settleAtToss(s.sandbox.url, o.payToken);
      // Its call to Toss is surely over (its lease lapsed) rather than in seconds: the refresh runs on the real clock.
      const refundNo = String((await s.readOrder(o.orderNo))?.refundInFlight);
      await deps.client.send(
        new UpdateCommand({
          TableName: s.tableName,
          Key: { pk: orderKey(o.orderNo) },
          UpdateExpression: 'SET refunds.#rn.lease.#until = :past',
          ExpressionAttributeNames: { '#rn': refundNo, '#until': 'until' },
          ExpressionAttributeValues: { ':past': Date.now() - 1 },
        }),
      );
      if (how === 'a refresh') await view(o.orderNo, true);
      else await pass(deps, { now: deps.clock() + 10 * MINUTE });
      const v = await view(o.orderNo);
      expect(v).toMatchObject({ status: 'SETTLEMENT_REFUND_COMPLETE', settled: true, refunds: [{ status: 'SUCCEEDED', amount: 4_000 }], refundableAmount: 5_000 });
      expect((await getPayment(s.sandbox.url, o.payToken)).payStatus).toBe('SETTLEMENT_REFUND_COMPLETE');
      const history = ((await s.readOrder(o.orderNo))?.history ?? []).map((h) => h.to);
      expect(history.slice(history.indexOf('SETTLEMENT_REFUND_COMPLETE'))).toEqual(['SETTLEMENT_REFUND_COMPLETE']);
      await untroubled(o.orderNo);
    },
  );
});
