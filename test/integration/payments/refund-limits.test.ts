/**
 * An order never outgrows its DynamoDB item (shared/domain/order-limits.ts), over HTTP against the
 * real stack: an order driven to its limits (the most refunds, each with the longest reason and
 * all four tax parts, some refused by Toss with long messages; its history past what it keeps;
 * its own fields at their longest) takes every write, and the refund past the cap is refused
 * before Toss is asked anything, with nothing written. And a write DynamoDB refuses for good (an
 * order stored before the cap, at the size limit) is flagged and counted, never logged and skipped:
 * by the reconciler (its summary counts it) and by the refund route (500, the metric).
 */
import { GetCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { approve, getPayment, refundAtToss, setFault, settleAtToss } from '../../../local/toss-sandbox/control-client.ts';
import { HISTORY_KEPT, MAX_REFUNDS_PER_ORDER, REFUND_REASON_MAX } from '../../../shared/domain/order-limits.ts';
import { refundsOf } from '../../../shared/domain/refunds.ts';
import { MetricName } from '../../../shared/metrics.ts';
import { createDocumentClient } from '../../../shared/store/client.ts';
import { orderKey } from '../../../shared/store/orders.ts';
import { dynamoEndpoint } from '../../support/dynamo.ts';
import { ITEM_LIMIT_BYTES, itemSize } from '../../support/item-size.ts';
import { newOrderNo, PAYMENTS_ALONE, startStack, type HttpReply, type Stack } from '../../support/stack.ts';
import { MINUTE, pass, reconcileDeps, type TestDeps } from '../reconciler/support.ts';

let s: Stack;
let deps: TestDeps;
beforeAll(async () => {
  // The payments alone: an order near DynamoDB's size limit, changed hundreds of times, would make
  // stream records of twice its size, each turned into events nothing here reads.
  s = await startStack({}, PAYMENTS_ALONE);
  const client = createDocumentClient({ region: 'ap-northeast-2', endpoint: dynamoEndpoint() });
  deps = reconcileDeps({ client, tableName: s.tableName, sandboxUrl: s.sandbox.url, offsetMs: 5 * MINUTE });
});
afterAll(async () => {
  deps.client.destroy();
  await s.stop();
});

const auth = () => ({ authorization: `Bearer ${s.token}`, 'content-type': 'application/json' });
const refund = (orderNo: string, key: string, body: Record<string, unknown>): Promise<HttpReply> =>
  s.request(`/payments/${orderNo}/refunds`, { method: 'POST', headers: { ...auth(), 'idempotency-key': key }, body: JSON.stringify(body) });
const refresh = (orderNo: string): Promise<HttpReply> => s.request(`/payments/${orderNo}?refresh=true`, { headers: auth() });
const code = (r: HttpReply) => (r.json.error as { code?: string } | undefined)?.code;
/** A Korean string: 3 bytes a character, the most a person's text takes within a character limit. */
const hangul = (n: number): string => '환'.repeat(n);
const rawItem = async (orderNo: string): Promise<Record<string, unknown>> =>
  (await deps.client.send(new GetCommand({ TableName: s.tableName, Key: { pk: orderKey(orderNo) }, ConsistentRead: true }))).Item ?? {};

/** A paid order (its callback dropped: landings and refreshes record what Toss says). */
async function paidOrder(body: Record<string, unknown>): Promise<{ orderNo: string; payToken: string }> {
  const orderNo = String(body.orderNo);
  await setFault(s.sandbox.url, { target: 'callback', kind: 'drop', orderNo });
  const c = await s.createPayment(body);
  expect(c.status).toBe(201);
  const payToken = String(c.json.payToken);
  const { redirect } = await approve(s.sandbox.url, payToken, 'CARD');
  expect((await s.visit(redirect)).text).toContain('결제 완료');
  return { orderNo, payToken };
}

describe('an order at its limits', () => {
  it(
    `takes ${MAX_REFUNDS_PER_ORDER} refunds at their largest and a history past ${HISTORY_KEPT} entries; the next refund is refused before Toss, and nothing is written`,
    async () => {
      // The longest orderNo, product and metadata; explicit tax parts (every refund names all four).
      const orderNo = newOrderNo('lim').padEnd(50, 'x');
      const o = await paidOrder({
        orderNo,
        amount: 5_000_000,
        amountTaxFree: 1_250_000,
        amountTaxable: 2_500_000,
        amountVat: 250_000,
        amountServiceFee: 1_000_000,
        productDesc: hangul(255),
        metadata: hangul(2_000),
      });
      const parts = { amount: 40_000, amountTaxFree: 10_000, amountTaxable: 20_000, amountVat: 2_000, amountServiceFee: 8_000 };
      const reason = hangul(REFUND_REASON_MAX);
      const replies: [number, number, string | undefined][] = [];
      for (let i = 0; i < MAX_REFUNDS_PER_ORDER; i++) {
        // Every fourth Toss refuses, at length: the refusal is stored clipped, and the refund counts.
        const refused = i % 4 === 3;
        if (refused)
          await setFault(s.sandbox.url, { target: 'refunds', kind: 'error', errorCode: `REFUND_EXCEED_DAILY_${'X'.repeat(79)}`, msg: hangul(500), payToken: o.payToken, times: 1 });
        const r = await refund(orderNo, `key-${i}`, { ...parts, reason });
        replies.push([i, r.status, code(r)]);
        if (refused) continue;
        // Toss's state after the refund, then its settlement: two history entries a round.
        await refresh(orderNo);
        await settleAtToss(s.sandbox.url, o.payToken);
        await refresh(orderNo);
      }
      expect(replies).toEqual(replies.map(([i]) => (i % 4 === 3 ? [i, 422, 'TOSS_REFUSED'] : [i, 201, undefined])));
      expect((await s.readOrder(orderNo))?.status).toBe('SETTLEMENT_REFUND_COMPLETE');
      const full = await s.readOrder(orderNo);
      expect(refundsOf(full!)).toHaveLength(MAX_REFUNDS_PER_ORDER);
      expect(full!.history).toHaveLength(HISTORY_KEPT);
      expect(full!.historyDropped).toBeGreaterThan(0);
      expect(refundsOf(full!).filter((r) => r.status === 'FAILED').every((r) => (r.failure?.msg.length ?? 0) <= 100 && (r.failure?.errorCode.length ?? 0) <= 64)).toBe(true);
      const v = (await s.getPayment(orderNo)).json;
      // The first settlement is kept, so the order still reads settled since then.
      expect(v).toMatchObject({ settled: true, historyDropped: full!.historyDropped, refundedAmount: 75 * 40_000, refundableAmount: 2_000_000 });
      expect(v.settledSeenAt).toBe(full!.history[0]?.at);

      // The refund past the cap: refused before Toss is asked anything (status or refund), nothing written.
      const calls = (await getPayment(s.sandbox.url, o.payToken)).calls;
      const before = await rawItem(orderNo);
      const over = await refund(orderNo, 'one-too-many', { ...parts, reason });
      expect([over.status, code(over)]).toEqual([422, 'REFUND_LIMIT_REACHED']);
      expect((await getPayment(s.sandbox.url, o.payToken)).calls).toEqual(calls);
      expect(await rawItem(orderNo)).toEqual(before);
      // An earlier key still answers with its refund.
      expect((await refund(orderNo, 'key-0', { ...parts, reason })).status).toBe(200);

      // Every write at the limit still takes: a settlement seen, a refund made in Toss's console
      // (recorded beyond our cap: it happened), a reconciler pass.
      await refundAtToss(s.sandbox.url, o.payToken, { amount: 40_000, amountTaxFree: 10_000, amountTaxable: 20_000, amountVat: 2_000, amountServiceFee: 8_000 });
      expect((await refresh(orderNo)).json).toMatchObject({ status: 'REFUND_SUCCESS', refundedAmount: 76 * 40_000 });
      await settleAtToss(s.sandbox.url, o.payToken);
      expect((await refresh(orderNo)).json.status).toBe('SETTLEMENT_REFUND_COMPLETE');
      const summary = await pass(deps, { now: deps.clock() + 40 * 24 * 60 * MINUTE });
      expect(summary).toMatchObject({ errors: 0, rejected: 0 });
      const after = await s.readOrder(orderNo);
      expect(refundsOf(after!)).toHaveLength(MAX_REFUNDS_PER_ORDER + 1);
      expect(after!.history).toHaveLength(HISTORY_KEPT);

      // What it weighs, as DynamoDB counts it: well under half of the item's limit.
      const size = itemSize(await rawItem(orderNo));
      console.log(`order at its limits: ${size} bytes (DynamoDB's limit ${ITEM_LIMIT_BYTES})`);
      expect(size).toBeLessThan(ITEM_LIMIT_BYTES / 2);
    },
    300_000,
  );
});

describe('a write DynamoDB refuses for good', () => {
  /** The longest `padding` DynamoDB Local takes on the item as it is (it refuses the rest: ValidationException). */
  async function longestPad(orderNo: string): Promise<number> {
    let fits = 0;
    let tooLong = ITEM_LIMIT_BYTES;
    while (tooLong - fits > 1) {
      const mid = Math.floor((fits + tooLong) / 2);
      try {
        await deps.client.send(
          new UpdateCommand({ TableName: s.tableName, Key: { pk: orderKey(orderNo) }, UpdateExpression: 'SET #pad = :p', ExpressionAttributeNames: { '#pad': 'padding' }, ExpressionAttributeValues: { ':p': 'p'.repeat(mid) } }),
        );
        fits = mid;
      } catch (e) {
        if ((e as Error).name !== 'ValidationException' || !/size/i.test((e as Error).message)) throw e;
        tooLong = mid;
      }
    }
    return fits;
  }
  const setPad = (orderNo: string, n: number) =>
    deps.client.send(new UpdateCommand({ TableName: s.tableName, Key: { pk: orderKey(orderNo) }, UpdateExpression: 'SET #pad = :p', ExpressionAttributeNames: { '#pad': 'padding' }, ExpressionAttributeValues: { ':p': 'p'.repeat(n) } }));

  it('an order stored at the size limit (as before the cap): the refund Toss made cannot be recorded; the order is flagged, the reconciler counts an error and the refund route answers 500, each alarmed', async () => {
    const o = await paidOrder({ orderNo: newOrderNo('big'), amount: 9_000, amountTaxFree: 0, productDesc: '큰 주문' });
    // A refund left PENDING (Toss failed; its lease ended at once).
    await setFault(s.sandbox.url, { target: 'refunds', kind: 'http5xx', payToken: o.payToken, times: 1 });
    expect((await refund(o.orderNo, 'k', { amount: 3_000, amountTaxFree: 0 })).status).toBe(502);
    const refundNo = String((await s.readOrder(o.orderNo))?.refundInFlight);

    // The item grown to DynamoDB's limit; our measure (test/support/item-size.ts) agrees with
    // DynamoDB's within a few bytes of its 400 KB.
    const longest = await longestPad(o.orderNo);
    await setPad(o.orderNo, longest);
    const atLimit = itemSize(await rawItem(o.orderNo));
    expect(Math.abs(atLimit - ITEM_LIMIT_BYTES)).toBeLessThanOrEqual(32);
    // Room for the lease and for the flag, not for recording the refund made (its transaction, time and history entry).
    await setPad(o.orderNo, longest - 180);

    // The reconciler: it asks Toss with the refundNo (Toss makes the refund), and the write refusing
    // is counted as an error and a rejected write, never "unchanged, errors 0".
    const summary = await pass(deps, { now: deps.clock() + 10 * MINUTE });
    expect(summary).toMatchObject({ examined: 1, errors: 1, rejected: 1, unchanged: 0 });
    expect(deps.counts.get(MetricName.OrderWritesRejected)).toBe(1);
    expect(deps.counts.get(MetricName.OrdersFlagged)).toBe(1);
    expect(deps.logs.some((l) => l.level === 'error' && l.fields.reason === 'ITEM_TOO_LARGE' && l.fields.orderNo === o.orderNo)).toBe(true);
    const flagged = await s.readOrder(o.orderNo);
    expect(flagged?.attention?.reason).toBe('WRITE_REJECTED:ITEM_TOO_LARGE');
    expect(flagged?.refunds?.[refundNo]?.status).toBe('PENDING');
    // Toss made it: our books and Toss's differ, and a person is told.
    expect((await getPayment(s.sandbox.url, o.payToken)).refunds.map((r) => r.refundNo)).toEqual([refundNo]);
    const list = await s.request('/payments?attention=true', { headers: auth() });
    expect((list.json.orders as { orderNo: string }[]).map((x) => x.orderNo)).toContain(o.orderNo);

    // The merchant's retry, once that call is surely over: the same refusal, answered 500 and counted.
    await deps.client.send(
      new UpdateCommand({
        TableName: s.tableName,
        Key: { pk: orderKey(o.orderNo) },
        UpdateExpression: 'REMOVE refunds.#rn.lease',
        ExpressionAttributeNames: { '#rn': refundNo },
      }),
    );
    const logged = s.logs().length;
    const r = await refund(o.orderNo, 'k', { amount: 3_000, amountTaxFree: 0 });
    expect([r.status, code(r)]).toEqual([500, 'INTERNAL_ERROR']);
    const lines = s.logs().slice(logged).map((l) => l.text);
    expect(lines.some((l) => l.includes('"_aws"') && l.includes(`"${MetricName.OrderWritesRejected}":1`))).toBe(true);
    expect(lines.some((l) => l.includes('"level":"ERROR"') && l.includes('ITEM_TOO_LARGE'))).toBe(true);
    expect(lines.some((l) => l.includes('"UnhandledErrors"'))).toBe(false);
  }, 120_000);
});
