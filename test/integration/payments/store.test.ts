import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { NewOrder } from '../../../shared/payments/ports.ts';
import { createDueStore } from '../../../shared/store/due.ts';
import type { DueStore } from '../../../shared/payments/ports.ts';
import { createOrderStore, dueShardOf } from '../../../shared/store/orders.ts';
import type { OrderStore } from '../../../shared/payments/ports.ts';
import { RECHECKS_AFTER_PAYMENT_MS } from '../../../shared/domain/schedule.ts';
import { freshTable, testDocumentClient } from '../../support/dynamo.ts';

let store: OrderStore;
let due: DueStore;
let client: ReturnType<typeof testDocumentClient>;
let tableName: string;
let seq = 0;

const newOrder = (extra: Partial<NewOrder> = {}): NewOrder => ({
  orderNo: `st-${Date.now()}-${seq++}`,
  amount: 1000,
  amountTaxFree: 0,
  productDesc: 'T-shirt',
  autoExecute: true,
  expiresAt: new Date(Date.now() + 15 * 60_000).toISOString(),
  mode: 'TEST',
  requestHash: 'h1',
  ...extra,
});
/** A create lease that has already lapsed: these tests are not about leases. */
const lease = () => ({ id: `lease-${seq++}`, until: 0 });
const raw = async (orderNo: string) =>
  (await client.send(new GetCommand({ TableName: tableName, Key: { pk: `ORDER#${orderNo}` } }))).Item;

beforeAll(async () => {
  tableName = await freshTable();
  client = testDocumentClient();
  store = createOrderStore({ client, tableName, retentionDays: 10 });
  due = createDueStore({ client, tableName });
});
afterAll(() => client.destroy());

async function standby(extra: Partial<NewOrder> = {}) {
  const o = newOrder(extra);
  await store.createOrder(o, lease());
  const r = await store.applyTransition(
    o.orderNo,
    { to: 'PAY_STANDBY', from: ['CREATING'], payToken: `tok-${o.orderNo}`, amount: o.amount, set: { checkoutPage: 'https://x' } },
    'create',
  );
  expect(r.kind).toBe('applied');
  return o;
}

describe('order store (DynamoDB Local)', () => {
  it('creates once; the same orderNo again returns the stored order from the failed condition', async () => {
    const o = newOrder();
    const a = await store.createOrder(o, lease());
    expect(a.kind).toBe('created');
    const b = await store.createOrder({ ...o, requestHash: 'other' }, lease());
    expect(b.kind).toBe('exists');
    expect(b.order.requestHash).toBe('h1');
    expect(b.order.status).toBe('CREATING');
    const item = await raw(o.orderNo);
    expect(item?.dueShard).toBe(dueShardOf(o.orderNo));
    expect(typeof item?.dueAt).toBe('number');
  });

  it('applies a transition with history, due attributes and payToken in one write', async () => {
    const o = await standby();
    const got = await store.getOrder(o.orderNo);
    expect(got?.status).toBe('PAY_STANDBY');
    expect(got?.payToken).toBe(`tok-${o.orderNo}`);
    expect(got?.history.map((h) => [h.from, h.to, h.source])).toEqual([
      [null, 'CREATING', 'create'],
      ['CREATING', 'PAY_STANDBY', 'create'],
    ]);
    const paid = await store.applyTransition(
      o.orderNo,
      { to: 'PAY_COMPLETE', from: ['PAY_STANDBY'], payToken: `tok-${o.orderNo}`, amount: 1000, set: { payMethod: 'CARD', paidAmount: 1000 } },
      'callback',
    );
    expect(paid.kind).toBe('applied');
    expect(paid.kind === 'applied' && paid.order.payMethod).toBe('CARD');
    // Paid: in the due index only for the re-checks after payment (the first an hour on), never a TTL yet.
    const item = await raw(o.orderNo);
    expect(item?.dueShard).toBe(dueShardOf(o.orderNo));
    expect(item?.dueAt).toBe(Date.parse(String(item?.paidAt)) + RECHECKS_AFTER_PAYMENT_MS[0]!);
    expect(item?.ttl).toBeUndefined();
  });

  it('recognises duplicates, contradictions and lost races from the returned old item', async () => {
    const o = await standby();
    const pt = `tok-${o.orderNo}`;
    const complete = { to: 'PAY_COMPLETE' as const, from: ['PAY_STANDBY' as const], payToken: pt, amount: 1000, set: {} };
    expect((await store.applyTransition(o.orderNo, complete, 'callback')).kind).toBe('applied');
    expect((await store.applyTransition(o.orderNo, complete, 'callback')).kind).toBe('duplicate');
    const other = await store.applyTransition(o.orderNo, { ...complete, payToken: 'tok-other' }, 'callback');
    expect(other.kind === 'conflict' && other.reason).toBe('PAY_TOKEN_MISMATCH');
    const amt = await store.applyTransition(o.orderNo, { ...complete, amount: 999 }, 'callback');
    expect(amt.kind === 'conflict' && amt.reason).toBe('AMOUNT_MISMATCH');
    const cancel = await store.applyTransition(o.orderNo, { to: 'PAY_CANCEL', from: ['PAY_STANDBY'], payToken: pt, set: {} }, 'cancel');
    expect(cancel.kind === 'conflict' && cancel.reason).toBe('STATE');
    expect(cancel.kind === 'conflict' && cancel.order.status).toBe('PAY_COMPLETE');
    expect((await store.applyTransition('nope', complete, 'callback')).kind).toBe('missing');
    expect((await store.getOrder(o.orderNo))?.history).toHaveLength(3);
  });

  it('lets exactly one of ten concurrent identical transitions through', async () => {
    const o = await standby();
    const t = { to: 'PAY_COMPLETE' as const, from: ['PAY_STANDBY' as const], payToken: `tok-${o.orderNo}`, amount: 1000, set: {} };
    const rs = await Promise.all(Array.from({ length: 10 }, () => store.applyTransition(o.orderNo, t, 'callback')));
    expect(rs.filter((r) => r.kind === 'applied')).toHaveLength(1);
    expect(rs.filter((r) => r.kind === 'duplicate')).toHaveLength(9);
    expect((await store.getOrder(o.orderNo))?.history).toHaveLength(3);
  });

  it('sets ttl on a terminal write and keeps unfinished orders in the due index', async () => {
    const o = await standby();
    const dueNow = async (): Promise<string[]> => {
      const pages = await Promise.all(due.shards.map((s) => due.queryDue(s, Date.now() + 3_600_000, { limit: 1000 })));
      return pages.flatMap((p) => p.orders.map((x) => x.orderNo));
    };
    expect((await due.queryDue(dueShardOf(o.orderNo), Date.now() + 3_600_000, { limit: 1000 })).orders.map((x) => x.orderNo)).toContain(
      o.orderNo,
    );
    const r = await store.applyTransition(o.orderNo, { to: 'PAY_CANCEL', from: ['PAY_STANDBY'], set: {} }, 'cancel');
    expect(r.kind).toBe('applied');
    const item = await raw(o.orderNo);
    expect(item?.ttl).toBeGreaterThan(Date.now() / 1000 + 9 * 86_400);
    expect(item?.dueShard).toBeUndefined();
    expect(await dueNow()).not.toContain(o.orderNo);
  });

  it('records a reconciler check only while the order is still as the check saw it', async () => {
    const o = await standby();
    const seen = (await raw(o.orderNo)) as { dueAt: number };
    const next = Date.now() + 120_000;
    expect((await due.touch({ orderNo: o.orderNo, status: 'PAY_STANDBY', dueAt: seen.dueAt }, { dueAt: next })).kind).toBe('touched');
    const got = await store.getOrder(o.orderNo);
    expect(got?.checks).toBe(1);
    expect(got?.dueAt).toBe(next);
    // A second check working from the same (now stale) read writes nothing.
    expect((await due.touch({ orderNo: o.orderNo, status: 'PAY_STANDBY', dueAt: seen.dueAt }, { dueAt: next })).kind).toBe('stale');
    await store.applyTransition(o.orderNo, { to: 'PAY_CANCEL', from: ['PAY_STANDBY'], set: {} }, 'reconciler');
    // A finished order never gets its due attributes back.
    expect((await due.touch({ orderNo: o.orderNo, status: 'PAY_STANDBY', dueAt: next }, { dueAt: next })).kind).toBe('stale');
    expect((await raw(o.orderNo))?.dueAt).toBeUndefined();
  });

  it('a check with no next one (the re-checks after payment are over) takes the order out of the due index', async () => {
    const o = await standby();
    const paid = await store.applyTransition(o.orderNo, { to: 'PAY_COMPLETE', from: ['PAY_STANDBY'], set: {} }, 'reconciler');
    expect(paid.kind === 'applied' && paid.order.dueAt).toBeGreaterThan(Date.now());
    const seen = (await raw(o.orderNo)) as { dueAt: number };
    expect((await due.touch({ orderNo: o.orderNo, status: 'PAY_COMPLETE', dueAt: seen.dueAt }, { dueAt: undefined })).kind).toBe('touched');
    const item = await raw(o.orderNo);
    expect(item?.dueAt).toBeUndefined();
    expect(item?.dueShard).toBeUndefined();
  });

  it('records a recovered order once, flagged', async () => {
    const r = {
      orderNo: `rec-${Date.now()}`,
      status: 'PAY_COMPLETE' as const,
      payToken: 'tok-r',
      amount: 500,
      mode: 'TEST' as const,
      fields: { payMethod: 'CARD' },
      reason: 'RECOVERED',
    };
    const a = await store.recordRecoveredOrder(r, 'callback');
    expect(a.kind).toBe('created');
    expect(a.order.attention?.reason).toBe('RECOVERED');
    expect((await store.recordRecoveredOrder(r, 'callback')).kind).toBe('exists');
    expect(await store.flagOrder(r.orderNo, 'CHECK_ME')).toBe(true);
    expect((await store.getOrder(r.orderNo))?.attention?.reason).toBe('CHECK_ME');
    expect(await store.flagOrder('missing-order', 'X')).toBe(false);
  });

  it('records refunds made at Toss only on the order exactly as read, never while one of ours is in flight', async () => {
    const o = await standby();
    expect((await store.applyTransition(o.orderNo, { to: 'PAY_COMPLETE', from: ['PAY_STANDBY'], set: {} }, 'callback')).kind).toBe('applied');
    const read = await store.getOrder(o.orderNo);
    if (read === undefined) throw new Error('no order');
    const atToss = (tx: string) => ({ refundNo: `tx_${tx}`, amount: 100, amountTaxFree: 0, status: 'SUCCEEDED' as const, source: 'toss' as const, requestedAt: '2026-01-01T00:00:00.000Z', transactionId: tx });
    // One of ours begins after the read (and Toss makes it while a sync waits on Toss's status).
    const ours = { refundNo: 'r-ours', amount: 100, amountTaxFree: 0, status: 'PENDING' as const, source: 'api' as const, requestedAt: new Date().toISOString() };
    const begun = await store.beginRefund(o.orderNo, ours, o.amount - 100);
    expect(begun.kind).toBe('recorded');
    // The sync found Toss's refund unmatched against its old copy: refused, the order as it is returned.
    const stale = await store.recordTossRefunds(o.orderNo, [atToss('tx-1')], read);
    expect(stale.kind).toBe('stale');
    // On a fresh copy, still refused while ours is in flight.
    const fresh = await store.getOrder(o.orderNo);
    expect((await store.recordTossRefunds(o.orderNo, [atToss('tx-1')], fresh ?? {})).kind).toBe('stale');
    expect(Object.keys((await store.getOrder(o.orderNo))?.refunds ?? {})).toEqual(['r-ours']);
    // Once ours is concluded, a refund Toss made without us is recorded once.
    const concluded = await store.recordRefundOutcome(o.orderNo, 'r-ours', { kind: 'succeeded', transactionId: 'tx-ours', source: 'merchant', dueAt: undefined, status: 'REFUND_SUCCESS' }, 'PAY_COMPLETE');
    expect(concluded.kind).toBe('recorded');
    const now = await store.getOrder(o.orderNo);
    const recorded = await store.recordTossRefunds(o.orderNo, [atToss('tx-2')], now ?? {});
    expect(recorded.kind).toBe('recorded');
    expect((await store.recordTossRefunds(o.orderNo, [atToss('tx-2')], now ?? {})).kind).toBe('stale');
    const after = await store.getOrder(o.orderNo);
    expect(Object.keys(after?.refunds ?? {}).sort()).toEqual(['r-ours', 'tx_tx-2']);
    expect(after?.refundReserved).toBe(200);
  });

  it('a success from Toss over a crossing refusal of the same refund records it made, within the balance', async () => {
    const o = await standby();
    await store.applyTransition(o.orderNo, { to: 'PAY_COMPLETE', from: ['PAY_STANDBY'], set: {} }, 'callback');
    const r = { refundNo: 'r-x', amount: 600, amountTaxFree: 0, status: 'PENDING' as const, source: 'api' as const, requestedAt: new Date().toISOString() };
    expect((await store.beginRefund(o.orderNo, r, o.amount - 600)).kind).toBe('recorded');
    expect((await store.recordRefundOutcome(o.orderNo, 'r-x', { kind: 'failed', failure: { errorCode: 'X', msg: 'no' }, amount: 600, dueAt: undefined }, 'PAY_COMPLETE')).kind).toBe('recorded');
    expect((await store.getOrder(o.orderNo))?.refundReserved).toBe(0);
    const made = { kind: 'succeeded' as const, transactionId: 'tx-x', source: 'merchant' as const, dueAt: undefined, status: 'REFUND_SUCCESS' as const };
    // The plain write finds it FAILED; over the failure, within the balance, it is made.
    expect((await store.recordRefundOutcome(o.orderNo, 'r-x', made, 'PAY_COMPLETE')).kind).toBe('stale');
    // Not when its amount went to another refund meanwhile.
    expect((await store.recordRefundOutcome(o.orderNo, 'r-x', { ...made, overFailed: { amount: 600, maxReservedBefore: -1 } }, 'PAY_COMPLETE')).kind).toBe('stale');
    const w = await store.recordRefundOutcome(o.orderNo, 'r-x', { ...made, overFailed: { amount: 600, maxReservedBefore: o.amount - 600 } }, 'PAY_COMPLETE');
    expect(w.kind).toBe('recorded');
    const after = await store.getOrder(o.orderNo);
    expect(after?.refunds?.['r-x']).toMatchObject({ status: 'SUCCEEDED', transactionId: 'tx-x' });
    expect(after?.refunds?.['r-x']?.failure).toBeUndefined();
    expect(after?.refundReserved).toBe(600);
    expect(after?.status).toBe('REFUND_SUCCESS');
  });
});
