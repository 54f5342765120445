import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decide, transitionFromStatus, type VerifiedStatus } from '../../shared/domain/decide.ts';
import { dueAtFor, nextCheckAt } from '../../shared/domain/schedule.ts';
import {
  buyerResult,
  canTransition,
  isAtOrBeyond,
  isPaid,
  isTerminal,
  isUnfinished,
  nextStates,
  ORDER_STATUSES,
  PAID_STATUSES,
  predecessorsOf,
  TERMINAL_STATUSES,
  type OrderStatus,
} from '../../shared/domain/states.ts';

const order = (status: OrderStatus, extra: Partial<{ payToken: string }> = {}) => ({
  orderNo: 'o-1',
  status,
  amount: 1000,
  mode: 'TEST' as const,
  payToken: 'tok-1',
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

describe('state machine', () => {
  it('lists the transitions of the design', () => {
    expect(nextStates.PAY_STANDBY).toEqual(
      expect.arrayContaining(['PAY_APPROVED', 'PAY_PROGRESS', 'PAY_COMPLETE', 'PAY_CANCEL', 'EXECUTING']),
    );
    expect(nextStates.PAY_APPROVED).toEqual(expect.arrayContaining(['EXECUTING', 'PAY_PROGRESS', 'PAY_COMPLETE', 'PAY_CANCEL']));
    expect(nextStates.EXECUTING).toEqual(expect.arrayContaining(['PAY_COMPLETE', 'PAY_PROGRESS', 'EXECUTE_FAILED', 'PAY_CANCEL']));
    expect(nextStates.EXECUTE_FAILED).toEqual(expect.arrayContaining(['PAY_CANCEL', 'PAY_COMPLETE']));
    expect(nextStates.PAY_PROGRESS).toContain('PAY_COMPLETE');
    expect(nextStates.PAY_COMPLETE).toEqual(expect.arrayContaining(['REFUND_PROGRESS', 'REFUND_SUCCESS', 'SETTLEMENT_COMPLETE']));
    expect(nextStates.REFUND_SUCCESS).toEqual(expect.arrayContaining(['REFUND_PROGRESS', 'SETTLEMENT_REFUND_COMPLETE']));
    // Settled is still paid: refunds (and their settlement) may follow.
    expect(nextStates.SETTLEMENT_COMPLETE).toEqual(expect.arrayContaining(['REFUND_PROGRESS', 'REFUND_SUCCESS', 'SETTLEMENT_REFUND_COMPLETE']));
    expect(nextStates.SETTLEMENT_REFUND_COMPLETE).toEqual(expect.arrayContaining(['REFUND_PROGRESS', 'REFUND_SUCCESS', 'SETTLEMENT_COMPLETE']));
    expect(nextStates.CREATING).toEqual(expect.arrayContaining(['PAY_STANDBY', 'PAY_COMPLETE', 'PAY_CANCEL', 'CREATE_FAILED']));
    expect(canTransition('PAY_PROGRESS', 'PAY_CANCEL')).toBe(false);
    expect(canTransition('PAY_COMPLETE', 'PAY_CANCEL')).toBe(false);
    expect(canTransition('EXECUTE_FAILED', 'EXECUTING')).toBe(false);
    expect(canTransition('PAY_STANDBY', 'CREATE_FAILED')).toBe(false);
  });

  it('never changes a terminal state and never moves to itself', () => {
    for (const t of TERMINAL_STATUSES) expect(nextStates[t]).toEqual([]);
    for (const s of ORDER_STATUSES) {
      expect(canTransition(s, s)).toBe(false);
      expect(isTerminal(s)).toBe(nextStates[s].length === 0);
    }
  });

  it('only moves forward: apart from the paid family (refunds and settlements in any order), no state is reachable from its successors', () => {
    const cycle = new Set<OrderStatus>(PAID_STATUSES);
    fc.assert(
      fc.property(fc.constantFrom(...ORDER_STATUSES), fc.constantFrom(...ORDER_STATUSES), (a, b) => {
        if (a === b || !canTransition(a, b)) return;
        if (cycle.has(a) && cycle.has(b)) return;
        expect(isAtOrBeyond(a, b)).toBe(false);
      }),
    );
  });

  it('paid means money was taken: PAY_COMPLETE and every state after it', () => {
    expect(ORDER_STATUSES.filter(isPaid)).toEqual(ORDER_STATUSES.filter((s) => isAtOrBeyond(s, 'PAY_COMPLETE')));
  });

  it('ends only where money never moved, and keeps checking every order that can still move without us', () => {
    expect([...TERMINAL_STATUSES].sort()).toEqual(['CREATE_FAILED', 'PAY_CANCEL']);
    expect(ORDER_STATUSES.filter((s) => isTerminal(s) && isUnfinished(s))).toEqual([]);
    expect(ORDER_STATUSES.filter((s) => !isTerminal(s) && !isPaid(s) && !isUnfinished(s))).toEqual([]);
    // A refund in flight ends at Toss on its own: it is checked until it does.
    expect(isUnfinished('REFUND_PROGRESS')).toBe(true);
  });

  it('tells the buyer paid, failed, cancelled or pending', () => {
    expect(buyerResult('REFUND_SUCCESS')).toBe('paid');
    expect(buyerResult('EXECUTE_FAILED')).toBe('failed');
    expect(buyerResult('PAY_CANCEL')).toBe('cancelled');
    expect(buyerResult('EXECUTING')).toBe('pending');
  });

  it('predecessorsOf is the inverse of the table', () => {
    expect(predecessorsOf('PAY_COMPLETE').sort()).toEqual(
      [
        'CREATING',
        'EXECUTE_FAILED',
        'EXECUTING',
        'PAY_APPROVED',
        'PAY_PROGRESS',
        'PAY_STANDBY',
        'REFUND_PROGRESS',
        'REFUND_SUCCESS',
        'SETTLEMENT_COMPLETE',
        'SETTLEMENT_REFUND_COMPLETE',
      ].sort(),
    );
    expect(predecessorsOf('EXECUTING').sort()).toEqual(['PAY_APPROVED', 'PAY_STANDBY']);
  });
});

describe('decide()', () => {
  it('moves an order forward to the verified state, with the fields Toss reports', () => {
    const d = decide(
      order('PAY_STANDBY'),
      status('PAY_COMPLETE', {
        payMethod: 'CARD',
        paidAmount: 900,
        discountedAmount: 100,
        paidTs: '2024-01-01 10:00:00',
        transactions: [{ stepType: 'PAY', transactionId: 't1', transactionAmount: 1000, cardNumber: '1234' }],
      }),
      'TEST',
    );
    expect(d.kind).toBe('transition');
    if (d.kind !== 'transition') return;
    expect(d.transition.to).toBe('PAY_COMPLETE');
    expect(d.transition.from).toEqual(['PAY_STANDBY']);
    expect(transitionFromStatus(status('PAY_COMPLETE'))?.from).toContain('EXECUTING');
    expect(d.transition.payToken).toBe('tok-1');
    expect(d.transition.amount).toBe(1000);
    expect(d.transition.set).toEqual({
      payToken: 'tok-1',
      payMethod: 'CARD',
      paidAmount: 900,
      discountedAmount: 100,
      paidTs: '2024-01-01 10:00:00',
      transactions: [{ stepType: 'PAY', transactionId: 't1', transactionAmount: 1000 }],
      // Toss's money facts go with it (shared/domain/money-facts.ts).
      tossMoney: { paidAmount: 900, discountedAmount: 100 },
    });
  });

  it('sees no change when already there or when Toss is behind us', () => {
    expect(decide(order('PAY_COMPLETE'), status('PAY_COMPLETE'), 'TEST')).toEqual({ kind: 'noChange', reason: 'ALREADY_THERE' });
    expect(decide(order('EXECUTING'), status('PAY_APPROVED'), 'TEST')).toEqual({ kind: 'noChange', reason: 'TOSS_BEHIND' });
    expect(decide(order('EXECUTE_FAILED'), status('PAY_APPROVED'), 'TEST')).toEqual({ kind: 'noChange', reason: 'TOSS_BEHIND' });
    expect(decide(order('PAY_COMPLETE'), status('PAY_STANDBY'), 'TEST')).toEqual({ kind: 'noChange', reason: 'TOSS_BEHIND' });
  });

  it('ignores escrow and unknown states without crashing', () => {
    for (const s of ['ESCROW_REQUEST', 'ESCROW_DENY', 'SOMETHING_NEW'])
      expect(decide(order('PAY_STANDBY'), status(s), 'TEST')).toEqual({ kind: 'noChange', reason: 'UNUSED_STATUS' });
    expect(transitionFromStatus(status('ESCROW_RELEASE'))).toBeUndefined();
  });

  it('reports contradictions instead of changing state', () => {
    const c = (o: ReturnType<typeof order>, s: VerifiedStatus, mode: 'TEST' | 'LIVE' = 'TEST') => {
      const d = decide(o, s, mode);
      return d.kind === 'contradiction' ? d.reason : d.kind;
    };
    expect(c(order('PAY_STANDBY'), status('PAY_COMPLETE', { orderNo: 'o-2' }))).toBe('ORDER_NO_MISMATCH');
    expect(c(order('PAY_STANDBY'), status('PAY_COMPLETE', { payToken: 'tok-2' }))).toBe('PAY_TOKEN_MISMATCH');
    expect(c(order('PAY_STANDBY'), status('PAY_COMPLETE', { amount: 10 }))).toBe('AMOUNT_MISMATCH');
    expect(c(order('PAY_STANDBY'), status('PAY_COMPLETE', { mode: 'LIVE' }))).toBe('MODE_MISMATCH');
    expect(c(order('PAY_STANDBY'), status('PAY_COMPLETE'), 'LIVE')).toBe('MODE_MISMATCH');
    expect(c(order('PAY_CANCEL'), status('PAY_COMPLETE'))).toBe('STATE_CONTRADICTION');
    expect(c(order('CREATE_FAILED'), status('PAY_STANDBY'))).toBe('STATE_CONTRADICTION');
  });

  it('adopts the payToken for an order created without one (CREATING)', () => {
    const o = { orderNo: 'o-1', status: 'CREATING' as const, amount: 1000, mode: 'TEST' as const };
    const d = decide(o, status('PAY_STANDBY', { payToken: 'tok-9' }), 'TEST');
    expect(d.kind === 'transition' && d.transition.set.payToken).toBe('tok-9');
  });

  it('never proposes a move the table forbids (property)', () => {
    fc.assert(
      fc.property(fc.constantFrom(...ORDER_STATUSES), fc.string(), (s, payStatus) => {
        const d = decide(order(s), status(payStatus), 'TEST');
        const to = d.kind === 'transition' ? d.transition.to : undefined;
        expect(to === undefined || canTransition(s, to)).toBe(true);
        expect(isTerminal(s) && to !== undefined).toBe(false);
      }),
    );
  });
});

describe('reconciler schedule', () => {
  it('backs off 1, 2, 5, 10, 30 minutes, capped', () => {
    const now = 1_000_000;
    expect([0, 1, 2, 3, 4, 5, 50].map((c) => (nextCheckAt(c, now) - now) / 60_000)).toEqual([1, 2, 5, 10, 30, 30, 30]);
  });

  it('checks a waiting order soon after it expires', () => {
    const now = Date.parse('2024-01-01T00:00:00Z');
    const expiresAt = '2024-01-01T00:03:00Z';
    expect(dueAtFor({ status: 'PAY_STANDBY', checks: 3, expiresAt }, now)).toBe(Date.parse(expiresAt) + 30_000);
    expect(dueAtFor({ status: 'PAY_STANDBY', checks: 0, expiresAt }, now)).toBe(now + 60_000);
    expect(dueAtFor({ status: 'PAY_PROGRESS', checks: 3, expiresAt }, now)).toBe(now + 600_000);
    expect(dueAtFor({ status: 'PAY_STANDBY', checks: 4, expiresAt: '2023-12-31T00:00:00Z' }, now)).toBe(now + 1_800_000);
  });
});
