/**
 * Toss's paid family as the pure domain sees it: settlement is a paid state, never an end; every
 * move within the family that keeps Toss's money facts is legal (no contradiction, no flag); a
 * status older than what the order records is "Toss behind"; a refund's outcome moves the state
 * only through the state machine; whether a refund may start is the money's; an order shows when it
 * was first seen settled, and the merchant is told once (payment.settled).
 */
import { describe, expect, it } from 'vitest';
import { decide, type VerifiedStatus } from '../../shared/domain/decide.ts';
import type { HistoryEntry, Order } from '../../shared/domain/order.ts';
import { REFUND_START_STATUSES, statusAfterRefund, type Refund } from '../../shared/domain/refunds.ts';
import { dueAfterChange, RECHECKS_AFTER_PAYMENT_MS } from '../../shared/domain/schedule.ts';
import { isSettled, settledSeenAt } from '../../shared/domain/settlement.ts';
import { canTransition, isPaid, isTerminal, PAID_STATUSES, SETTLEMENT_STATUSES, type OrderStatus } from '../../shared/domain/states.ts';
import { orderEvents } from '../../shared/events/order-events.ts';
import { orderView } from '../../shared/payments/order-view.ts';

const order = (status: OrderStatus, extra: Partial<Order> = {}): Order => ({
  orderNo: 'o-1',
  status,
  amount: 1000,
  amountTaxFree: 0,
  productDesc: 'T',
  autoExecute: true,
  expiresAt: '2026-01-01T00:15:00.000Z',
  mode: 'TEST',
  payToken: 'tok-1',
  history: [],
  createdAt: '2026-01-01T00:00:00.000Z',
  updatedAt: '2026-01-01T00:01:00.000Z',
  checks: 0,
  version: 2,
  refunds: {},
  ...extra,
});
const status = (payStatus: string, extra: Partial<VerifiedStatus> = {}): VerifiedStatus => ({
  mode: 'TEST',
  orderNo: 'o-1',
  payToken: 'tok-1',
  payStatus,
  amount: 1000,
  ...extra,
});
const pay = { stepType: 'PAY', transactionId: 'tx-pay', transactionAmount: 1000 };
const refundTx = (id: string, amount: number) => ({ stepType: 'REFUND', transactionId: id, transactionAmount: -amount });
const made = (over: Partial<Refund> = {}): Refund => ({
  refundNo: 'rf_1',
  amount: 400,
  amountTaxFree: 0,
  status: 'SUCCEEDED',
  source: 'api',
  requestedAt: '2026-01-02T00:00:00.000Z',
  transactionId: 'tx-r1',
  ...over,
});
const entry = (from: OrderStatus | null, to: OrderStatus, at: string): HistoryEntry => ({ from, to, source: 'reconciler', at });

describe('the paid family', () => {
  it('settlement is paid, not an end: refunds may still start there, and re-checks after payment go on', () => {
    for (const s of SETTLEMENT_STATUSES) {
      expect(isPaid(s)).toBe(true);
      expect(isTerminal(s)).toBe(false);
      expect(REFUND_START_STATUSES).toContain(s);
    }
    expect(REFUND_START_STATUSES).not.toContain('REFUND_PROGRESS');
    const paidAt = '2026-01-01T00:00:00.000Z';
    const now = Date.parse(paidAt) + 2 * 86_400_000;
    expect(dueAfterChange({ status: 'SETTLEMENT_COMPLETE', paidAt }, now)).toBe(Date.parse(paidAt) + (RECHECKS_AFTER_PAYMENT_MS[2] ?? 0));
  });

  it('every move within the family is a move of the table', () => {
    for (const a of PAID_STATUSES) for (const b of PAID_STATUSES) expect(canTransition(a, b)).toBe(a !== b);
  });

  it('follows Toss within the family when its money facts agree: no contradiction, no flag', () => {
    const moves: [OrderStatus, string, VerifiedStatus['transactions']][] = [
      ['PAY_COMPLETE', 'SETTLEMENT_COMPLETE', [pay]],
      ['REFUND_SUCCESS', 'SETTLEMENT_REFUND_COMPLETE', [pay, refundTx('tx-r1', 400)]],
      ['SETTLEMENT_COMPLETE', 'REFUND_PROGRESS', [pay]],
      ['SETTLEMENT_COMPLETE', 'REFUND_SUCCESS', [pay, refundTx('tx-r1', 400)]],
      ['SETTLEMENT_REFUND_COMPLETE', 'REFUND_SUCCESS', [pay, refundTx('tx-r1', 400), refundTx('tx-r2', 100)]],
      ['REFUND_SUCCESS', 'SETTLEMENT_COMPLETE', [pay, refundTx('tx-r1', 400)]],
      ['SETTLEMENT_REFUND_COMPLETE', 'SETTLEMENT_COMPLETE', [pay, refundTx('tx-r1', 400)]],
      ['REFUND_PROGRESS', 'SETTLEMENT_COMPLETE', [pay]],
      // A refund that never happened: Toss back where it was.
      ['REFUND_PROGRESS', 'PAY_COMPLETE', [pay]],
    ];
    for (const [from, to, transactions] of moves) {
      const d = decide(order(from), status(to, { transactions }), 'TEST');
      expect({ from, to, d: d.kind }).toEqual({ from, to, d: 'transition' });
    }
  });

  it('a status older than what the order records is Toss behind: no change, never a contradiction', () => {
    const behind = (o: Order, s: VerifiedStatus) => decide(o, s, 'TEST');
    const noChange = { kind: 'noChange', reason: 'TOSS_BEHIND' };
    // Never back to PAY_COMPLETE after a refund or a settlement.
    for (const s of ['REFUND_SUCCESS', 'SETTLEMENT_COMPLETE', 'SETTLEMENT_REFUND_COMPLETE'] as const)
      expect(behind(order(s), status('PAY_COMPLETE', { transactions: [pay] }))).toEqual(noChange);
    // From REFUND_PROGRESS only when no refund is known anywhere and it was never settled.
    expect(behind(order('REFUND_PROGRESS'), status('PAY_COMPLETE', { transactions: [pay, refundTx('tx-r1', 400)] }))).toEqual(noChange);
    expect(behind(order('REFUND_PROGRESS', { refunds: { rf_1: made() } }), status('PAY_COMPLETE', { transactions: [pay] }))).toEqual(noChange);
    expect(
      behind(order('REFUND_PROGRESS', { history: [entry(null, 'CREATING', 'a'), entry('CREATING', 'SETTLEMENT_COMPLETE', 'b'), entry('SETTLEMENT_COMPLETE', 'REFUND_PROGRESS', 'c')] }), status('PAY_COMPLETE', { transactions: [pay] })),
    ).toEqual(noChange);
    // A refund Toss confirmed to us that its status does not list yet: that status is older.
    expect(behind(order('REFUND_SUCCESS', { refunds: { rf_1: made() } }), status('SETTLEMENT_COMPLETE', { transactions: [pay] }))).toEqual(noChange);
    expect(decide(order('REFUND_SUCCESS', { refunds: { rf_1: made() } }), status('SETTLEMENT_REFUND_COMPLETE', { transactions: [pay, refundTx('tx-r1', 400)] }), 'TEST').kind).toBe(
      'transition',
    );
  });

  it('a refund moves the state through the state machine, never back over a settlement it is part of', () => {
    expect(statusAfterRefund('PAY_COMPLETE')).toBe('REFUND_SUCCESS');
    expect(statusAfterRefund('SETTLEMENT_COMPLETE')).toBe('REFUND_SUCCESS');
    expect(statusAfterRefund('REFUND_PROGRESS')).toBe('REFUND_SUCCESS');
    expect(statusAfterRefund('REFUND_SUCCESS')).toBe('REFUND_SUCCESS');
    expect(statusAfterRefund('SETTLEMENT_REFUND_COMPLETE')).toBe('SETTLEMENT_REFUND_COMPLETE');
    // Toss's status already lists the refund: the state it reported stands.
    expect(statusAfterRefund('SETTLEMENT_COMPLETE', true)).toBe('SETTLEMENT_COMPLETE');
    for (const s of PAID_STATUSES) {
      const to = statusAfterRefund(s);
      expect(to === s || canTransition(s, to)).toBe(true);
    }
  });
});

describe('settled on the order', () => {
  it('is the first write that recorded a settlement state, and stays after later refunds', () => {
    const history = [
      entry(null, 'CREATING', '2026-01-01T00:00:00.000Z'),
      entry('CREATING', 'PAY_COMPLETE', '2026-01-01T00:01:00.000Z'),
      entry('PAY_COMPLETE', 'SETTLEMENT_COMPLETE', '2026-01-03T00:00:00.000Z'),
      entry('SETTLEMENT_COMPLETE', 'REFUND_SUCCESS', '2026-01-04T00:00:00.000Z'),
      entry('REFUND_SUCCESS', 'SETTLEMENT_REFUND_COMPLETE', '2026-01-06T00:00:00.000Z'),
    ];
    const o = order('REFUND_SUCCESS', { history: history.slice(0, 4) });
    expect(isSettled(o)).toBe(true);
    expect(settledSeenAt(o)).toBe('2026-01-03T00:00:00.000Z');
    expect(settledSeenAt(order('SETTLEMENT_REFUND_COMPLETE', { history }))).toBe('2026-01-03T00:00:00.000Z');
    expect(orderView(o, 'TEST')).toMatchObject({ settled: true, settledSeenAt: '2026-01-03T00:00:00.000Z' });
    expect(orderView(order('PAY_COMPLETE', { history: history.slice(0, 2) }), 'TEST')).toMatchObject({ settled: false });
    expect(orderView(order('PAY_COMPLETE', { history: history.slice(0, 2) }), 'TEST').settledSeenAt).toBeUndefined();
  });

  it('an order stored settled before settlement had a history of its own still reads settled', () => {
    expect(orderView(order('SETTLEMENT_COMPLETE', { history: [entry(null, 'SETTLEMENT_COMPLETE', '2026-01-01T00:00:00.000Z')] }), 'TEST').settled).toBe(true);
    expect(isSettled(order('SETTLEMENT_COMPLETE'))).toBe(true);
  });

  it('payment.settled once: when the order is first seen settled, not on later moves', () => {
    const h = [entry(null, 'CREATING', 'a'), entry('CREATING', 'PAY_COMPLETE', 'b')];
    const paid = order('PAY_COMPLETE', { history: h });
    const settled = order('SETTLEMENT_COMPLETE', { history: [...h, entry('PAY_COMPLETE', 'SETTLEMENT_COMPLETE', 'c')], version: 3 });
    const refunded = order('REFUND_SUCCESS', { history: [...settled.history, entry('SETTLEMENT_COMPLETE', 'REFUND_SUCCESS', 'd')], version: 4 });
    const settledAgain = order('SETTLEMENT_REFUND_COMPLETE', { history: [...refunded.history, entry('REFUND_SUCCESS', 'SETTLEMENT_REFUND_COMPLETE', 'e')], version: 5 });
    const types = (b: Order | undefined, a: Order) => orderEvents(b, a).map((e) => e.type);
    expect(types(paid, settled)).toEqual(['payment.settled']);
    expect(types(settled, refunded)).toEqual([]);
    expect(types(refunded, settledAgain)).toEqual([]);
    expect(orderEvents(paid, settled)[0]?.data).toMatchObject({ settled: true, settledSeenAt: 'c', paid: true });
  });
});
