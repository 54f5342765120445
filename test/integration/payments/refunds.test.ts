/**
 * Refunds and cancellations through the merchant API, over HTTP against the real stack: exactly
 * once per Idempotency-Key, never more than the balance and never two at once, every Toss fault
 * ending with our record equal to Toss's, and refunds made at Toss (its console) found by the
 * re-checks after payment and by `?refresh=true`.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { approve, clearFaults, getPayment, refundAtToss, setFault } from '../../../local/toss-sandbox/control-client.ts';
import { RECHECKS_AFTER_PAYMENT_MS } from '../../../shared/domain/schedule.ts';
import { MINUTE, pass, reconcileDeps, type TestDeps } from '../reconciler/support.ts';
import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { orderKey } from '../../../shared/store/orders.ts';
import { testDocumentClient } from '../../support/dynamo.ts';
import { eventually, newOrderNo, PAYMENTS_ALONE, startStack, type HttpReply, type Stack } from '../../support/stack.ts';

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

const auth = () => ({ authorization: `Bearer ${s.token}`, 'content-type': 'application/json' });
const refund = (orderNo: string, key: string | undefined, body: Record<string, unknown>): Promise<HttpReply> =>
  s.request(`/payments/${orderNo}/refunds`, {
    method: 'POST',
    headers: { ...auth(), ...(key !== undefined ? { 'idempotency-key': key } : {}) },
    body: JSON.stringify(body),
  });
const cancel = (orderNo: string): Promise<HttpReply> => s.request(`/payments/${orderNo}/cancel`, { method: 'POST', headers: auth() });
const code = (r: HttpReply) => (r.json.error as { code?: string } | undefined)?.code;
const view = async (orderNo: string, refresh = false) => (await s.request(`/payments/${orderNo}${refresh ? '?refresh=true' : ''}`, { headers: auth() })).json;

/** A paid order (its callback dropped: the tests settle it through the API). */
async function paid(amount = 30_000, extra: Record<string, unknown> = {}): Promise<{ orderNo: string; payToken: string }> {
  const orderNo = newOrderNo('rf');
  await setFault(s.sandbox.url, { target: 'callback', kind: 'drop', orderNo });
  const c = await s.createPayment({ orderNo, amount, amountTaxFree: 0, productDesc: '환불 테스트', ...extra });
  expect(c.status).toBe(201);
  const payToken = String(c.json.payToken);
  const { redirect } = await approve(s.sandbox.url, payToken, 'CARD');
  expect((await s.visit(redirect)).text).toContain('결제 완료');
  return { orderNo, payToken };
}

/** Toss's refunds of a payment, as its status shows them (positive amounts). */
const tossRefunds = async (payToken: string) =>
  (await getPayment(s.sandbox.url, payToken)).transactions.filter((t) => t.stepType === 'REFUND').map((t) => -t.transactionAmount);

describe('refunds', () => {
  it('partial refunds down to zero: each 201, the money shown at each step, then nothing left to refund', async () => {
    const o = await paid(30_000);
    const first = await refund(o.orderNo, 'k1', { amount: 10_000, amountTaxFree: 0, reason: '부분 환불' });
    expect(first.status).toBe(201);
    expect(first.json).toMatchObject({ orderNo: o.orderNo, status: 'SUCCEEDED', amount: 10_000, refundedAmount: 10_000, refundableAmount: 20_000 });
    expect(String(first.json.refundNo).length).toBeLessThanOrEqual(36);
    expect(await view(o.orderNo)).toMatchObject({ paymentState: 'partially_refunded', paid: true, paidAmount: 30_000, refundedAmount: 10_000, refundableAmount: 20_000 });

    const rest = await refund(o.orderNo, 'k2', { amountTaxFree: 0 });
    expect(rest.status).toBe(201);
    expect(rest.json).toMatchObject({ status: 'SUCCEEDED', amount: 20_000, refundedAmount: 30_000, refundableAmount: 0 });
    const v = await view(o.orderNo);
    expect(v).toMatchObject({ status: 'REFUND_SUCCESS', paymentState: 'refunded', paid: false, refundableAmount: 0 });
    expect((v.refunds as { source: string; status: string; amount: number }[]).map((r) => [r.source, r.status, r.amount])).toEqual([
      ['api', 'SUCCEEDED', 10_000],
      ['api', 'SUCCEEDED', 20_000],
    ]);
    expect(await tossRefunds(o.payToken)).toEqual([10_000, 20_000]);

    const more = await refund(o.orderNo, 'k3', { amount: 1, amountTaxFree: 0 });
    expect(more.status).toBe(422);
    expect(code(more)).toBe('REFUND_EXCEEDS_BALANCE');
    // The buyer's landing says refunded, not paid.
    expect((await s.request(`/payments/return?orderNo=${o.orderNo}`)).text).toContain('환불 완료');
  });

  it('the same Idempotency-Key and body again: 200 with the stored result, no second Toss refund; another body: 409', async () => {
    const o = await paid(12_000);
    const body = { amount: 2_000, amountTaxFree: 0 };
    const a = await refund(o.orderNo, 'same-key', body);
    expect(a.status).toBe(201);
    const b = await refund(o.orderNo, 'same-key', body);
    expect(b.status).toBe(200);
    expect(b.json).toEqual(a.json);
    const other = await refund(o.orderNo, 'same-key', { amount: 3_000, amountTaxFree: 0 });
    expect(other.status).toBe(409);
    expect(code(other)).toBe('IDEMPOTENCY_KEY_REUSED');
    expect(await tossRefunds(o.payToken)).toEqual([2_000]);
  });

  it('checks everything before writing anything: the key, the body, the order', async () => {
    const o = await paid(5_000);
    const cases: [string | undefined, Record<string, unknown>, number, string][] = [
      [undefined, { amountTaxFree: 0 }, 400, 'VALIDATION_FAILED'],
      ['bad key!', { amountTaxFree: 0 }, 400, 'VALIDATION_FAILED'],
      ['k', { amount: 0 }, 400, 'VALIDATION_FAILED'],
      ['k', { amountTaxFree: 0, foo: 1 }, 400, 'VALIDATION_FAILED'],
      ['k', { amountTaxFree: 0, reason: 'x'.repeat(101) }, 400, 'VALIDATION_FAILED'],
      ['k', { amount: 1_000, amountTaxFree: 2_000 }, 400, 'VALIDATION_FAILED'],
      ['k', { amount: 1_000, amountTaxFree: 0, amountTaxable: 500 }, 400, 'VALIDATION_FAILED'],
      ['k', { amount: 6_000, amountTaxFree: 0 }, 422, 'REFUND_EXCEEDS_BALANCE'],
    ];
    const got = [];
    for (const [key, body] of cases) {
      const r = await refund(o.orderNo, key, body);
      got.push([key, body, r.status, code(r)]);
    }
    expect(got).toEqual(cases);
    const issues = (await refund(o.orderNo, 'k', { amountTaxFree: 0, foo: 1 })).json.error as { issues: { path: string }[] };
    expect(issues.issues.map((i) => i.path)).toEqual(['foo']);
    expect((await view(o.orderNo)).refunds).toEqual([]);
    expect(await tossRefunds(o.payToken)).toEqual([]);
    expect(code(await refund('no-such-order', 'k', { amountTaxFree: 0 }))).toBe('ORDER_NOT_FOUND');
    const unpaid = newOrderNo('rf');
    expect((await s.createPayment({ orderNo: unpaid, amount: 1_000, amountTaxFree: 0, productDesc: '미결제' })).status).toBe(201);
    const r = await refund(unpaid, 'k', { amountTaxFree: 0 });
    expect([r.status, code(r)]).toEqual([409, 'ORDER_NOT_PAID']);
  });

  it('a payment with explicit tax parts: the refund must name its parts', async () => {
    const o = await paid(11_000, { amountTaxFree: 0, amountTaxable: 10_000, amountVat: 1_000, amountServiceFee: 0 });
    const bare = await refund(o.orderNo, 'k1', { amount: 1_100, amountTaxFree: 0 });
    expect([bare.status, code(bare)]).toEqual([400, 'VALIDATION_FAILED']);
    const named = await refund(o.orderNo, 'k2', { amount: 1_100, amountTaxFree: 0, amountTaxable: 1_000, amountVat: 100, amountServiceFee: 0 });
    expect(named.status).toBe(201);
  });

  it('10 concurrent requests with the same key: exactly one Toss refund', async () => {
    const o = await paid(9_000);
    const replies = await Promise.all(Array.from({ length: 10 }, () => refund(o.orderNo, 'storm-key', { amount: 4_000, amountTaxFree: 0 })));
    // One records it; the others find it in flight (409) or settled (200), never a second refund.
    expect(replies.filter((r) => r.status === 201)).toHaveLength(1);
    expect(replies.every((r) => [200, 201, 409].includes(r.status))).toBe(true);
    expect(await tossRefunds(o.payToken)).toEqual([4_000]);
    expect((await refund(o.orderNo, 'storm-key', { amount: 4_000, amountTaxFree: 0 })).status).toBe(200);
  });

  it('concurrent requests with different keys: one in flight at a time, never more than the balance', async () => {
    const o = await paid(10_000);
    const replies = await Promise.all(Array.from({ length: 8 }, (_, i) => refund(o.orderNo, `key-${i}`, { amount: 3_000, amountTaxFree: 0 })));
    const ok = replies.filter((r) => r.status === 201);
    expect(ok.length).toBeGreaterThanOrEqual(1);
    expect(replies.filter((r) => r.status !== 201).every((r) => ['REFUND_IN_PROGRESS', 'REFUND_EXCEEDS_BALANCE'].includes(code(r) ?? ''))).toBe(true);
    // Then one after the other until the balance runs out: 3 of 3,000 fit in 10,000.
    for (let i = 8; i < 12; i++) await refund(o.orderNo, `key-${i}`, { amount: 3_000, amountTaxFree: 0 });
    const refunded = await tossRefunds(o.payToken);
    expect(refunded).toEqual([3_000, 3_000, 3_000]);
    expect(await view(o.orderNo)).toMatchObject({ refundedAmount: 9_000, refundableAmount: 1_000 });
  });

  describe('one call to Toss per refund at a time', () => {
    it('40 requests with the key of a PENDING refund during a slow Toss refund, and a reconciler pass: one Toss call, the others 409 with Retry-After', async () => {
      const o = await paid(9_000);
      const body = { amount: 4_000, amountTaxFree: 0 };
      // Toss failed: the refund is PENDING, and no call about it runs.
      await setFault(s.sandbox.url, { target: 'refunds', kind: 'http5xx', payToken: o.payToken, times: 1 });
      expect((await refund(o.orderNo, 'storm', body)).status).toBe(502);
      expect((await view(o.orderNo)).refunds).toMatchObject([{ status: 'PENDING' }]);
      const before = (await getPayment(s.sandbox.url, o.payToken)).calls.refunds ?? 0;
      // Its retry meets a slow bank leg (within the client's timeout); the storm comes while it runs.
      await setFault(s.sandbox.url, { target: 'refunds', kind: 'latency', ms: 1_200, payToken: o.payToken, times: 1 });
      const holder = refund(o.orderNo, 'storm', body);
      await eventually(async () => ((await getPayment(s.sandbox.url, o.payToken)).calls.refunds === before + 1 ? true : undefined));
      // The reconciler on the same clock as the functions (the refund is due ten minutes on).
      const sameClock = reconcileDeps({ client: deps.client, tableName: s.tableName, sandboxUrl: s.sandbox.url, offsetMs: 0 });
      const [storm, summary] = await Promise.all([
        Promise.all(Array.from({ length: 40 }, () => refund(o.orderNo, 'storm', body))),
        pass(sameClock, { now: Date.now() + 10 * MINUTE }),
      ]);
      const first = await holder;
      expect(first.status).toBe(200);
      expect(first.json).toMatchObject({ status: 'SUCCEEDED', amount: 4_000, refundableAmount: 5_000 });
      // Nothing else was sent to Toss: one call, never two at once.
      const t = await getPayment(s.sandbox.url, o.payToken);
      expect((t.calls.refunds ?? 0) - before).toBe(1);
      expect(t.maxConcurrent.refunds).toBe(1);
      expect(summary.errors).toBe(0);
      // Each of the others: 409 with when to come back, or (arrived after it ended) the refund as made.
      const busy = storm.filter((r) => r.status === 409);
      expect(busy.length).toBeGreaterThan(0);
      for (const r of busy) {
        expect(code(r)).toBe('REFUND_IN_PROGRESS');
        expect(Number(r.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
      }
      for (const r of storm.filter((x) => x.status !== 409)) expect([r.status, r.json.status]).toEqual([200, 'SUCCEEDED']);
      // The refund ended SUCCEEDED once, and Toss made it once.
      expect((await view(o.orderNo)).refunds).toMatchObject([{ status: 'SUCCEEDED', amount: 4_000 }]);
      expect(await tossRefunds(o.payToken)).toEqual([4_000]);
      expect((await s.readOrder(o.orderNo))?.refunds?.[String(first.json.refundNo)]?.lease).toBeUndefined();
    });

    it('a refund whose call timed out: its key waits (409, Retry-After) until the call is surely over, and nothing is sent', async () => {
      const o = await paid(6_000);
      await setFault(s.sandbox.url, { target: 'refunds', kind: 'hang', payToken: o.payToken, times: 1 });
      expect((await refund(o.orderNo, 'k', { amount: 1_000, amountTaxFree: 0 })).status).toBe(504);
      const calls = (await getPayment(s.sandbox.url, o.payToken)).calls.refunds;
      const again = await refund(o.orderNo, 'k', { amount: 1_000, amountTaxFree: 0 });
      expect([again.status, code(again)]).toEqual([409, 'REFUND_IN_PROGRESS']);
      // The call's timeout (1.5 s) and the grace after it: at most 7 s from now.
      expect(Number(again.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
      expect(Number(again.headers.get('retry-after'))).toBeLessThanOrEqual(7);
      // Another key waits for it too, told when to come back.
      const other = await refund(o.orderNo, 'k2', { amount: 1_000, amountTaxFree: 0 });
      expect([other.status, code(other)]).toEqual([409, 'REFUND_IN_PROGRESS']);
      expect(Number(other.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
      expect((await getPayment(s.sandbox.url, o.payToken)).calls.refunds).toBe(calls);
    });
  });

  describe('Toss failing on v2/refunds: our record ends equal to Toss`s', () => {
    it.each([
      ['5xx', { kind: 'http5xx' }, 502],
      ['no reply (hang)', { kind: 'hang' }, 504],
      ['lost reply (the refund happened)', { kind: 'lose-reply' }, 504],
      ['429', { kind: 'error', errorCode: 'TOO_MANY_REQUESTS', status: 429 }, 503],
    ] as const)('%s: the refund stays PENDING, then a reconciler pass settles it', async (_name, fault, status) => {
      const o = await paid(8_000);
      await setFault(s.sandbox.url, { target: 'refunds', payToken: o.payToken, times: 1, ...fault });
      const r = await refund(o.orderNo, 'k', { amount: 5_000, amountTaxFree: 0 });
      expect(r.status).toBe(status);
      const pending = await view(o.orderNo);
      expect(pending.refunds).toMatchObject([{ status: 'PENDING', amount: 5_000 }]);
      expect(pending.refundableAmount).toBe(3_000);
      // Another refund waits for this one.
      expect(code(await refund(o.orderNo, 'other', { amount: 1_000, amountTaxFree: 0 }))).toBe('REFUND_IN_PROGRESS');
      await pass(deps, { now: deps.clock() + 10 * MINUTE });
      const after = await view(o.orderNo);
      expect(after.refunds).toMatchObject([{ status: 'SUCCEEDED', amount: 5_000, source: 'api' }]);
      expect(await tossRefunds(o.payToken)).toEqual([5_000]);
      // The same key again: the stored result.
      const again = await refund(o.orderNo, 'k', { amount: 5_000, amountTaxFree: 0 });
      expect(again.status).toBe(200);
      expect(again.json).toMatchObject({ status: 'SUCCEEDED', refundableAmount: 3_000 });
    });

    it('the scheduled reconciler function, as deployed, settles a refund whose reply was lost', async () => {
      const o = await paid(6_000);
      await setFault(s.sandbox.url, { target: 'refunds', kind: 'lose-reply', payToken: o.payToken, times: 1 });
      expect((await refund(o.orderNo, 'k', { amount: 2_000, amountTaxFree: 0 })).status).toBe(504);
      expect((await view(o.orderNo)).refunds).toMatchObject([{ status: 'PENDING', amount: 2_000 }]);
      // Due now rather than in a minute, and its call to Toss over (its lease lapsed) rather than
      // in seconds: the function's pass runs on the real clock.
      const refundNo = String((await s.readOrder(o.orderNo))?.refundInFlight);
      await deps.client.send(
        new UpdateCommand({
          TableName: s.tableName,
          Key: { pk: orderKey(o.orderNo) },
          UpdateExpression: 'SET dueAt = :now, refunds.#rn.lease.#until = :now',
          ExpressionAttributeNames: { '#rn': refundNo, '#until': 'until' },
          ExpressionAttributeValues: { ':now': Date.now() - 1 },
        }),
      );
      await s.runReconciler();
      const after = await view(o.orderNo);
      expect(after.refunds).toMatchObject([{ status: 'SUCCEEDED', amount: 2_000, source: 'api' }]);
      expect(after.refundableAmount).toBe(4_000);
      expect(await tossRefunds(o.payToken)).toEqual([2_000]);
    });

    it('a refusal: 422 with Toss`s errorCode, the refund FAILED and its amount back in the balance', async () => {
      const o = await paid(8_000);
      await setFault(s.sandbox.url, { target: 'refunds', kind: 'error', errorCode: 'REFUND_EXCEED_DAILY', msg: '일일 환불 한도 초과', payToken: o.payToken, times: 1 });
      const r = await refund(o.orderNo, 'k', { amount: 5_000, amountTaxFree: 0 });
      expect([r.status, code(r)]).toEqual([422, 'TOSS_REFUSED']);
      expect(r.json.error).toMatchObject({ errorCode: 'REFUND_EXCEED_DAILY' });
      const v = await view(o.orderNo);
      expect(v.refunds).toMatchObject([{ status: 'FAILED' }]);
      expect(v.refundableAmount).toBe(8_000);
      // The same key: the same refusal; a new key: a new refund.
      expect(code(await refund(o.orderNo, 'k', { amount: 5_000, amountTaxFree: 0 }))).toBe('TOSS_REFUSED');
      expect((await refund(o.orderNo, 'k2', { amount: 5_000, amountTaxFree: 0 })).status).toBe(201);
    });

    it('a refresh while the refund is in progress at Toss never records it twice', async () => {
      const o = await paid(7_000);
      await setFault(s.sandbox.url, { target: 'refunds', kind: 'latency', ms: 800, payToken: o.payToken, times: 1 });
      const [r, refreshed] = await Promise.all([
        refund(o.orderNo, 'slow', { amount: 2_000, amountTaxFree: 0 }),
        new Promise((res) => setTimeout(res, 300)).then(() => view(o.orderNo, true)),
      ]);
      expect(r.status).toBe(201);
      expect((refreshed.refunds as unknown[]).length).toBeLessThanOrEqual(1);
      const after = await view(o.orderNo, true);
      expect(after.refunds).toMatchObject([{ source: 'api', status: 'SUCCEEDED', amount: 2_000 }]);
      expect(after.refundedAmount).toBe(2_000);
    });
  });

  describe('refunds made at Toss without us (its console)', () => {
    it('appear after `?refresh=true`, with source toss, once', async () => {
      const o = await paid(6_000);
      await refundAtToss(s.sandbox.url, o.payToken, { amount: 1_500 });
      expect(await view(o.orderNo)).toMatchObject({ refundedAmount: 0, paymentState: 'paid' });
      const v = await view(o.orderNo, true);
      expect(v).toMatchObject({ status: 'REFUND_SUCCESS', refundedAmount: 1_500, refundableAmount: 4_500, paymentState: 'partially_refunded' });
      expect(v.refunds).toMatchObject([{ source: 'toss', status: 'SUCCEEDED', amount: 1_500 }]);
      expect((await view(o.orderNo, true)).refunds).toHaveLength(1);
    });

    it('appear after the scheduled re-check after payment, and a full one makes the order refunded', async () => {
      const o = await paid(6_000);
      await refundAtToss(s.sandbox.url, o.payToken);
      const before = await s.readOrder(o.orderNo);
      expect(before?.dueAt).toBe(Date.parse(String(before?.paidAt)) + (RECHECKS_AFTER_PAYMENT_MS[0] ?? 0));
      // A pass before the first re-check is due leaves it alone; one after finds the refund.
      await pass(deps, { now: Date.now() });
      expect((await view(o.orderNo)).refundedAmount).toBe(0);
      await pass(deps, { now: Date.parse(String(before?.paidAt)) + (RECHECKS_AFTER_PAYMENT_MS[0] ?? 0) + MINUTE });
      const v = await view(o.orderNo);
      expect(v).toMatchObject({ paymentState: 'refunded', paid: false, refundedAmount: 6_000 });
      expect(v.refunds).toMatchObject([{ source: 'toss', amount: 6_000 }]);
    });
  });
});

describe('cancel', () => {
  it('cancels an order nobody paid: 200 PAY_CANCEL with reason MERCHANT; again 200; Toss cancelled it once', async () => {
    const orderNo = newOrderNo('cx');
    const c = await s.createPayment({ orderNo, amount: 3_000, amountTaxFree: 0, productDesc: '취소 테스트' });
    const r = await cancel(orderNo);
    expect(r.status).toBe(200);
    expect(r.json).toMatchObject({ orderNo, status: 'PAY_CANCEL', paymentState: 'cancelled', paid: false, cancelReason: 'MERCHANT' });
    expect((await cancel(orderNo)).status).toBe(200);
    expect((await getPayment(s.sandbox.url, String(c.json.payToken))).payStatus).toBe('PAY_CANCEL');
    // A cancelled order has nothing to refund.
    expect(code(await refund(orderNo, 'k', { amountTaxFree: 0 }))).toBe('ORDER_NOT_PAID');
  });

  it("takes the merchant's reason (<= 50 characters, Toss's limit): sent to Toss and shown on the order; anything else is a 400 and Toss is not asked", async () => {
    const orderNo = newOrderNo('cx');
    const c = await s.createPayment({ orderNo, amount: 3_000, amountTaxFree: 0, productDesc: '취소 사유 테스트' });
    const payToken = String(c.json.payToken);
    const send = (body: unknown) => s.request(`/payments/${orderNo}/cancel`, { method: 'POST', headers: auth(), body: typeof body === 'string' ? body : JSON.stringify(body) });
    for (const [body, path] of [
      [{ reason: '재'.repeat(51) }, 'reason'],
      [{ reason: '   ' }, 'reason'],
      [{ reason: '재고 부족', force: true }, 'force'],
      ['{"reason": ', undefined],
    ] as const) {
      const r = await send(body);
      const paths = ((r.json.error as { issues?: { path: string }[] }).issues ?? []).map((i) => i.path);
      expect([r.status, code(r), paths]).toEqual([400, 'VALIDATION_FAILED', path === undefined ? [] : [path]]);
    }
    expect((await getPayment(s.sandbox.url, payToken)).calls.cancel ?? 0).toBe(0);
    expect((await s.readOrder(orderNo))?.status).toBe('PAY_STANDBY');
    const r = await send({ reason: '재고 부족 (Out of stock) #12' });
    expect(r.status).toBe(200);
    expect(r.json).toMatchObject({ status: 'PAY_CANCEL', cancelReason: 'MERCHANT', cancelNote: '재고 부족 (Out of stock) #12' });
    expect(await getPayment(s.sandbox.url, payToken)).toMatchObject({ payStatus: 'PAY_CANCEL', cancelReason: '재고 부족 (Out of stock) #12' });
    expect((await s.getPayment(orderNo)).json.cancelNote).toBe('재고 부족 (Out of stock) #12');
  });

  it('a paid order: 409 ORDER_PAID (refund it instead)', async () => {
    const o = await paid(2_000);
    const r = await cancel(o.orderNo);
    expect([r.status, code(r)]).toEqual([409, 'ORDER_PAID']);
  });

  describe("Toss's cancel not answered: its status says what happened", () => {
    it('the reply lost after Toss cancelled: 200 with the cancelled order, Toss asked once', async () => {
      const orderNo = newOrderNo('cx');
      const c = await s.createPayment({ orderNo, amount: 3_000, amountTaxFree: 0, productDesc: '취소 응답 유실' });
      const payToken = String(c.json.payToken);
      await setFault(s.sandbox.url, { target: 'cancel', kind: 'lose-reply', payToken, times: 1 });
      const r = await s.request(`/payments/${orderNo}/cancel`, { method: 'POST', headers: auth(), body: JSON.stringify({ reason: '재고 부족' }) });
      expect(r.status).toBe(200);
      expect(r.json).toMatchObject({ orderNo, status: 'PAY_CANCEL', cancelReason: 'MERCHANT', cancelNote: '재고 부족' });
      const t = await getPayment(s.sandbox.url, payToken);
      expect(t).toMatchObject({ payStatus: 'PAY_CANCEL', calls: { cancel: 1 } });
      expect((await s.readOrder(orderNo))?.status).toBe('PAY_CANCEL');
    });

    it('no answer and Toss still shows it waiting: 504 (nothing recorded); the retry cancels it', async () => {
      const orderNo = newOrderNo('cx');
      const c = await s.createPayment({ orderNo, amount: 3_000, amountTaxFree: 0, productDesc: '취소 무응답' });
      const payToken = String(c.json.payToken);
      await setFault(s.sandbox.url, { target: 'cancel', kind: 'hang', payToken, times: 1 });
      const r = await cancel(orderNo);
      expect([r.status, code(r)]).toEqual([504, 'TOSS_TIMEOUT']);
      expect((await getPayment(s.sandbox.url, payToken)).calls.status ?? 0).toBeGreaterThanOrEqual(1);
      expect((await s.readOrder(orderNo))?.status).toBe('PAY_STANDBY');
      expect((await cancel(orderNo)).json).toMatchObject({ status: 'PAY_CANCEL' });
    });

    it('no answer and the buyer had paid: 409 ORDER_PAID, and the order is recorded paid', async () => {
      const orderNo = newOrderNo('cx');
      await setFault(s.sandbox.url, { target: 'callback', kind: 'drop', orderNo });
      const c = await s.createPayment({ orderNo, amount: 3_000, amountTaxFree: 0, productDesc: '취소 중 결제' });
      const payToken = String(c.json.payToken);
      await approve(s.sandbox.url, payToken, 'CARD');
      await setFault(s.sandbox.url, { target: 'cancel', kind: 'hang', payToken, times: 1 });
      const r = await cancel(orderNo);
      expect([r.status, code(r)]).toEqual([409, 'ORDER_PAID']);
      expect((await s.readOrder(orderNo))?.status).toBe('PAY_COMPLETE');
    });
  });

  it('an approved order (autoExecute false) is cancelled at Toss and never executed', async () => {
    const orderNo = newOrderNo('cx');
    await setFault(s.sandbox.url, { target: 'callback', kind: 'drop', orderNo });
    const c = await s.createPayment({ orderNo, amount: 3_000, amountTaxFree: 0, productDesc: '승인 후 취소', autoExecute: false });
    const payToken = String(c.json.payToken);
    await approve(s.sandbox.url, payToken, 'TOSS_MONEY');
    const r = await cancel(orderNo);
    expect(r.json).toMatchObject({ status: 'PAY_CANCEL', cancelReason: 'MERCHANT' });
    expect((await getPayment(s.sandbox.url, payToken)).calls.execute ?? 0).toBe(0);
    await clearFaults(s.sandbox.url);
  });
});
