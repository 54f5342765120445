/**
 * The worst-case order item, built from the limits of shared/domain/order-limits.ts and our API's
 * validation (every string at its longest, in 3-byte UTF-8 characters where a person writes it;
 * Toss's strings at generous lengths), measured as DynamoDB counts it: it stays under half of the
 * 400 KB an item may hold. The rest is room for what Toss may add and for refunds made in its
 * console beyond our cap. Also the pure rules that keep it there: the history kept, and Toss's
 * words clipped.
 */
import { describe, expect, it } from 'vitest';
import type { HistoryEntry, Order, TossTransaction } from '../../shared/domain/order.ts';
import {
  boundedFailure,
  FAILURE_CODE_MAX,
  FAILURE_MSG_MAX,
  HISTORY_KEPT,
  keptHistory,
  MAX_REFUNDS_PER_ORDER,
  REFUND_REASON_MAX,
} from '../../shared/domain/order-limits.ts';
import type { Refund } from '../../shared/domain/refunds.ts';
import { isSettled, settledSeenAt } from '../../shared/domain/settlement.ts';
import { ORDER_STATUSES } from '../../shared/domain/states.ts';
import { createPaymentSchema } from '../../shared/payments/request-schemas.ts';
import { CANCEL_REASON_MAX, refundRequestSchema } from '../../shared/payments/request-schemas.ts';
import { ITEM_LIMIT_BYTES, itemSize, valueSize } from '../support/item-size.ts';

/** A Korean string of `n` characters (3 bytes each in UTF-8): the most bytes per character a person's text takes within a character limit. */
const hangul = (n: number): string => '환'.repeat(n);
const ascii = (n: number): string => 'x'.repeat(n);
const iso = '2026-12-31T23:59:59.999Z';
const uuid = '00000000-0000-4000-8000-000000000000';
/** The longest state name: history entries are at their largest with it. */
const longestState = [...ORDER_STATUSES].sort((a, b) => b.length - a.length)[0] as Order['status'];
const big = 9_999_999;
const epochMs = 1_999_999_999_999;

/** A refund at its largest: every field, the longest reason, Toss's failure at its clipped length, a lease. */
const worstRefund = (i: number): Refund => ({
  refundNo: `rf_${ascii(32 - String(i).length)}${i}`,
  amount: big,
  amountTaxFree: big,
  amountTaxable: big,
  amountVat: big,
  amountServiceFee: big,
  status: 'SUCCEEDED',
  source: 'api',
  reason: hangul(REFUND_REASON_MAX),
  requestHash: ascii(64),
  requestedAt: iso,
  approvedAt: iso,
  transactionId: uuid,
  failure: boundedFailure({ errorCode: hangul(500), msg: hangul(5_000) }),
  lease: { id: uuid, until: epochMs },
});

/** Toss's transaction at its largest as we know it (its example's fields, and a few more of the same size). */
const worstTransaction = (): TossTransaction & Record<string, unknown> => ({
  stepType: 'REFUND',
  transactionId: uuid,
  transactionAmount: -big,
  discountedAmount: big,
  paidAmount: big,
  pointAmount: big,
  regTs: '2026-12-31 23:59:59',
});

const worstEntry = (): HistoryEntry => ({
  from: longestState,
  to: longestState,
  source: 'reconciler',
  at: iso,
  note: `refund tx_${uuid}${ascii(25)}`,
  writeId: uuid,
});

/** The longest an order's own fields get: our API's limits, Toss's strings at generous lengths. */
function worstOrderFields(): Record<string, unknown> {
  const orderNo = ascii(50);
  return {
    pk: `ORDER#${orderNo}`,
    orderNo,
    status: longestState,
    payToken: ascii(64),
    checkoutPage: `https://pay.toss.im/payfront/auth?payToken=${ascii(64)}${ascii(100)}`,
    amount: big,
    amountTaxFree: big,
    amountTaxable: big,
    amountVat: big,
    amountServiceFee: big,
    productDesc: hangul(255),
    autoExecute: false,
    expiresAt: iso,
    mode: 'LIVE',
    requestHash: ascii(64),
    metadata: hangul(2_000),
    payMethod: 'TOSS_MONEY',
    paidAmount: big,
    discountedAmount: big,
    paidTs: '2026-12-31 23:59:59',
    failure: boundedFailure({ errorCode: hangul(500), msg: hangul(5_000) }),
    attention: { reason: `CONTRADICTION:${ascii(60)}`, at: iso },
    createdAt: iso,
    updatedAt: iso,
    checks: 999,
    lastCheckedAt: iso,
    dueAt: epochMs,
    dueShard: 'DUE#7',
    writeId: uuid,
    version: 999_999,
    leaseId: uuid,
    leaseUntil: epochMs,
    execLockId: uuid,
    execUntil: epochMs,
    execAttempts: 999,
    landingCheckAt: epochMs,
    supersededPayTokens: Array.from({ length: 10 }, () => ascii(64)),
    paidAt: iso,
    cancelReason: 'MERCHANT',
    cancelNote: hangul(CANCEL_REASON_MAX),
    refundInFlight: `rf_${ascii(32)}`,
    refundReserved: big,
    historyDropped: 999_999,
    createdDay: '2026-12-31',
    flaggedList: 'FLAGGED',
    ttl: 9_999_999_999,
  };
}

function worstOrder(): Record<string, unknown> {
  const refunds = Array.from({ length: MAX_REFUNDS_PER_ORDER }, (_, i) => worstRefund(i));
  return {
    ...worstOrderFields(),
    refunds: Object.fromEntries(refunds.map((r) => [r.refundNo, r])),
    transactions: Array.from({ length: MAX_REFUNDS_PER_ORDER + 1 }, worstTransaction),
    // The last HISTORY_KEPT entries, and the first one that recorded the order settled.
    history: Array.from({ length: HISTORY_KEPT + 1 }, worstEntry),
  };
}

describe('the worst-case order item', () => {
  it('the limits it is built from are the API`s own', () => {
    expect(refundRequestSchema.safeParse({ amountTaxFree: 0, reason: hangul(REFUND_REASON_MAX) }).success).toBe(true);
    expect(refundRequestSchema.safeParse({ amountTaxFree: 0, reason: hangul(REFUND_REASON_MAX + 1) }).success).toBe(false);
    const create = { amount: 1_000, amountTaxFree: 0, productDesc: hangul(255), metadata: hangul(2_000), orderNo: ascii(50) };
    expect(createPaymentSchema.safeParse(create).success).toBe(true);
    expect(createPaymentSchema.safeParse({ ...create, productDesc: hangul(256) }).success).toBe(false);
    expect(createPaymentSchema.safeParse({ ...create, metadata: hangul(2_001) }).success).toBe(false);
    expect(createPaymentSchema.safeParse({ ...create, orderNo: ascii(51) }).success).toBe(false);
  });

  it('stays under half of the 400 KB an item may hold: room for what Toss adds and for its console`s refunds', () => {
    const item = worstOrder();
    const size = itemSize(item);
    const parts = {
      fields: itemSize(worstOrderFields()),
      refunds: valueSize(item.refunds) + 'refunds'.length,
      transactions: valueSize(item.transactions) + 'transactions'.length,
      history: valueSize(item.history) + 'history'.length,
    };
    console.log(`worst-case order item: ${size} bytes (${JSON.stringify(parts)}); DynamoDB's limit ${ITEM_LIMIT_BYTES}`);
    expect(parts.fields + parts.refunds + parts.transactions + parts.history).toBe(size);
    expect(size).toBeLessThan(ITEM_LIMIT_BYTES / 2);
    // A refund made in Toss's console beyond the cap (recorded whatever the cap): the room left takes hundreds.
    const tossRefund = valueSize({ ...worstRefund(0), reason: undefined, requestHash: undefined, failure: undefined, lease: undefined }) + 35 + 1;
    const perConsoleRefund = tossRefund + valueSize(worstTransaction()) + 1 + 2 * (valueSize(worstEntry()) + 1);
    expect(Math.floor((ITEM_LIMIT_BYTES - size) / perConsoleRefund)).toBeGreaterThan(200);
  });

  it('counts as DynamoDB does: names and values, 3 bytes per list or map and 1 per element', () => {
    expect(itemSize({ a: 'abc' })).toBe(4);
    expect(itemSize({ k: '환' })).toBe(4);
    expect(itemSize({ n: 12_345 })).toBe(1 + 4);
    expect(itemSize({ b: true, z: null })).toBe(4);
    expect(itemSize({ l: [] })).toBe(4);
    expect(itemSize({ m: { x: 'y' } })).toBe(1 + 3 + 1 + 1 + 1);
  });
});

describe('what keeps it there', () => {
  const entry = (to: Order['status'], i: number): HistoryEntry => ({ from: null, to, source: 'reconciler', at: new Date(i * 1000).toISOString() });

  it('the history keeps its last HISTORY_KEPT entries and counts the others', () => {
    const full = Array.from({ length: HISTORY_KEPT }, (_, i) => entry('REFUND_SUCCESS', i));
    const next = entry('REFUND_PROGRESS', HISTORY_KEPT);
    const { kept, dropped } = keptHistory(full, next);
    expect(kept).toHaveLength(HISTORY_KEPT);
    expect(dropped).toBe(1);
    expect(kept.at(-1)).toBe(next);
    expect(kept[0]).toBe(full[1]);
    expect(keptHistory(full.slice(1), next)).toEqual({ kept: [...full.slice(1), next], dropped: 0 });
  });

  it('keeps the first entry that recorded the order settled (settled and settledSeenAt are read from it)', () => {
    const history = [entry('CREATING', 0), entry('PAY_COMPLETE', 1), entry('SETTLEMENT_COMPLETE', 2), ...Array.from({ length: HISTORY_KEPT }, (_, i) => entry('REFUND_SUCCESS', 3 + i))];
    const { kept, dropped } = keptHistory(history, entry('REFUND_SUCCESS', 999));
    expect(kept).toHaveLength(HISTORY_KEPT);
    expect(kept[0]).toBe(history[2]);
    expect(dropped).toBe(history.length + 1 - HISTORY_KEPT);
    const order = { status: 'REFUND_SUCCESS' as const, history: kept };
    expect(isSettled(order)).toBe(true);
    expect(settledSeenAt(order)).toBe(history[2]?.at);
  });

  it("clips Toss's errorCode and msg to what an order stores", () => {
    const f = boundedFailure({ errorCode: 'E'.repeat(500), msg: '실패'.repeat(1_000) });
    expect(f.errorCode).toHaveLength(FAILURE_CODE_MAX);
    expect(f.msg).toHaveLength(FAILURE_MSG_MAX);
    expect(f.msg.endsWith('…')).toBe(true);
    expect(boundedFailure({ errorCode: 'REFUND_EXCEED_DAILY', msg: '일일 환불 한도 초과' })).toEqual({ errorCode: 'REFUND_EXCEED_DAILY', msg: '일일 환불 한도 초과' });
  });
});
