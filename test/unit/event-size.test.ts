/**
 * Every event fits the services that carry it, whatever its order holds: an order built to the
 * worst (thousands of refunds, every free-text field far past its limit and made of the
 * characters JSON spells longest, a long history and Toss transactions) gives events whose
 * envelope is at most MAX_EVENT_BYTES, well inside an EventBridge entry (256 KB as EventBridge
 * counts it) and a DynamoDB item (400 KB), and whose data the documented schema accepts.
 */
import { describe, expect, it } from 'vitest';
import type { Order } from '../../shared/domain/order.ts';
import type { Refund } from '../../shared/domain/refunds.ts';
import { envelopeOf } from '../../shared/events/envelope.ts';
import { entrySize, EVENT_SOURCE, MAX_PUT_EVENTS_BYTES } from '../../shared/events/event-bus.ts';
import { clip, EVENT_RECENT_REFUNDS, EVENT_RECENT_TRANSACTIONS, eventData, MAX_EVENT_BYTES } from '../../shared/events/event-data.ts';
import { orderEvents, type OrderEvent } from '../../shared/events/order-events.ts';
import { eventDataSchema } from '../../shared/events/reply-schemas.ts';

/** `n` UTF-16 units that JSON writes as 6 bytes each (`\u0001`). */
const worst = (n: number): string => '\u0001'.repeat(n);
const at = '2026-11-30T10:00:00.000Z';
const REFUNDS = 5_000;

const refund = (i: number, status: Refund['status']): Refund => ({
  refundNo: `rf_${String(i).padStart(6, '0')}${worst(500)}`,
  amount: 1,
  amountTaxFree: 0,
  status,
  source: i % 2 === 0 ? 'api' : 'toss',
  reason: worst(10_000),
  actor: { id: `user:${worst(10_000)}`, email: worst(10_000) },
  requestedAt: new Date(Date.parse(at) + i * 1000).toISOString(),
  approvedAt: status === 'SUCCEEDED' ? at : undefined,
  failure: status === 'FAILED' ? { errorCode: worst(5_000), msg: worst(50_000) } : undefined,
});

/** The worst order: every string past its limit, REFUNDS refunds, a long history. */
function worstOrder(over: Partial<Order> = {}): Order {
  const refunds: Record<string, Refund> = {};
  for (let i = 0; i < REFUNDS; i++) {
    const r = refund(i, i % 3 === 0 ? 'FAILED' : 'SUCCEEDED');
    refunds[r.refundNo] = r;
  }
  return {
    orderNo: `${'9'.repeat(50)}`,
    status: 'REFUND_SUCCESS',
    amount: 9_999_999,
    amountTaxFree: 9_999_999,
    amountTaxable: 9_999_999,
    amountVat: 9_999_999,
    amountServiceFee: 9_999_999,
    productDesc: worst(100_000),
    autoExecute: true,
    expiresAt: at,
    mode: 'LIVE',
    metadata: worst(100_000),
    payMethod: worst(10_000),
    payToken: worst(10_000),
    paidAmount: 9_999_999,
    discountedAmount: 9_999_999,
    paidTs: '20261130190000',
    tossMoney: {
      amountTaxable: 9_999_999,
      amountTaxFree: 9_999_999,
      amountVat: 9_999_999,
      amountServiceFee: 9_999_999,
      discountedAmount: 9_999_999,
      discountAmountV2: 9_999_999,
      paidPointV2: 9_999_999,
      paidAmount: 9_999_999,
      disposableCupDeposit: 9_999_999,
      accountBankCode: worst(10_000),
      accountBankName: worst(10_000),
      card: {
        cardCompanyName: worst(10_000),
        cardCompanyCode: 10,
        cardMethodType: worst(10_000),
        cardUserType: worst(10_000),
        noInterest: true,
        spreadOut: 36,
        cardNum4Print: worst(10_000),
        cardAuthorizationNo: worst(10_000),
      },
      receiptUrl: `https://pay.toss.im/${'a'.repeat(1_990)}`,
    },
    transactions: [
      { stepType: 'PAY', transactionId: `p${worst(200)}`, transactionAmount: 9_999_999, discountedAmount: 9_999_999, paidAmount: 9_999_999, regTs: '20261130190000' },
      ...Array.from({ length: 2_000 }, (_, i) => ({ stepType: 'REFUND', transactionId: `t${i}${worst(200)}`, transactionAmount: -9_999_999, discountedAmount: -9_999_999, paidAmount: -9_999_999, regTs: '20261130190000' })),
    ],
    failure: { errorCode: worst(10_000), msg: worst(100_000) },
    attention: { reason: worst(100_000), at },
    cancelledBy: { id: `user:${worst(10_000)}`, email: worst(10_000) },
    history: Array.from({ length: 2_000 }, () => ({ from: 'PAY_COMPLETE' as const, to: 'REFUND_SUCCESS' as const, source: 'merchant' as const, at, note: worst(1_000) })),
    createdAt: at,
    updatedAt: at,
    checks: 0,
    version: 99_999,
    paidAt: at,
    refunds,
    ...over,
  };
}

const bytes = (e: OrderEvent): number => Buffer.byteLength(envelopeOf(e));
const entry = (e: OrderEvent) => ({ Time: new Date(e.timestamp), Source: EVENT_SOURCE, DetailType: e.type, Detail: envelopeOf(e), Resources: [] });

describe('the size of an event', () => {
  const order = worstOrder();
  const lastFailed = Object.values(order.refunds ?? {}).filter((r) => r.status === 'FAILED').at(-1) as Refund;
  const before = worstOrder({ status: 'PAY_COMPLETE', attention: undefined, refunds: { ...order.refunds, [lastFailed.refundNo]: { ...lastFailed, status: 'PENDING', failure: undefined } } });
  const events = orderEvents(before, order);

  it('the worst order gives every kind of event, each within MAX_EVENT_BYTES and far within an EventBridge entry', () => {
    const last = Object.values(order.refunds ?? {}).filter((r) => r.status === 'SUCCEEDED').at(-1) as Refund;
    const pendingLast = { ...order.refunds, [last.refundNo]: { ...last, status: 'PENDING' as const, approvedAt: undefined } };
    const all = [
      ...events,
      ...orderEvents(worstOrder({ status: 'PAY_STANDBY' }), worstOrder({ status: 'PAY_COMPLETE' })),
      ...orderEvents(worstOrder({ status: 'PAY_STANDBY' }), worstOrder({ status: 'PAY_CANCEL', cancelReason: 'MERCHANT' })),
      ...orderEvents(worstOrder({ status: 'EXECUTING' }), worstOrder({ status: 'EXECUTE_FAILED' })),
      ...orderEvents(worstOrder({ refunds: pendingLast }), order),
    ];
    expect([...new Set(all.map((e) => e.type))].sort()).toEqual(['order.flagged', 'payment.cancelled', 'payment.completed', 'payment.failed', 'payment.refunded', 'refund.failed']);
    for (const e of all) {
      expect([e.type, bytes(e) <= MAX_EVENT_BYTES]).toEqual([e.type, true]);
      expect(entrySize(entry(e))).toBeLessThanOrEqual(MAX_EVENT_BYTES + 100);
    }
    expect(MAX_EVENT_BYTES + 100).toBeLessThan(MAX_PUT_EVENTS_BYTES);
  });

  it('a refund event of the worst order: the refund it is about, the latest refunds, the count and the way to the rest', () => {
    const e = events.find((x) => x.type === 'refund.failed') as OrderEvent;
    expect(e.data.refundCount).toBe(REFUNDS);
    expect(e.data.recentRefunds).toHaveLength(EVENT_RECENT_REFUNDS);
    expect(e.data.recentRefunds.at(-1)?.refundNo.startsWith(`rf_${String(REFUNDS - 1).padStart(6, '0')}`)).toBe(true);
    expect(e.data.refund?.refundNo.startsWith(lastFailed.refundNo.slice(0, 9))).toBe(true);
    expect(e.data.href).toBe(`/payments/${order.orderNo}`);
    expect(e.data.refund?.actor?.email?.endsWith('…')).toBe(true);
    // The recent refunds name who asked by id alone (their emails at their worst would not fit).
    expect(e.data.recentRefunds.map((r) => Object.keys(r.actor ?? {}))).toEqual(Array.from({ length: EVENT_RECENT_REFUNDS }, () => ['id']));
    expect(e.data.cancelledBy?.id.startsWith('user:')).toBe(true);
    expect(e.data).not.toHaveProperty('history');
    // Toss's payment transaction and the latest refund ones, with the count of them all.
    expect(e.data.transactionCount).toBe(2_001);
    expect(e.data.transactions.map((t) => t.stepType)).toEqual(['PAY', ...Array<string>(EVENT_RECENT_TRANSACTIONS).fill('REFUND')]);
    expect(e.data.transactions.at(-1)?.transactionId?.startsWith('t1999')).toBe(true);
    expect(e.data.tossMoney?.card?.cardCompanyName?.endsWith('…')).toBe(true);
    expect(e.data.receiptUrl).toBeUndefined();
    // Cut strings end in …, and the schema the OpenAPI document is made from takes the data.
    expect(e.data.metadata?.endsWith('…')).toBe(true);
    expect(e.data.refund?.failure?.msg.endsWith('…')).toBe(true);
    expect(eventDataSchema.safeParse(e.data).success).toBe(true);
  });

  it('an ordinary order keeps every field as GET /payments/{orderNo} shows it, uncut', () => {
    const plain = worstOrder({ productDesc: '토스 티셔츠', metadata: '{"sku":"T-1"}', payMethod: 'CARD', payToken: 'tok', failure: undefined, attention: undefined, refunds: {} });
    const data = eventData(plain);
    expect(data).toMatchObject({ productDesc: '토스 티셔츠', metadata: '{"sku":"T-1"}', payMethod: 'CARD', payToken: 'tok', refundCount: 0, recentRefunds: [] });
    expect(eventDataSchema.safeParse(data).success).toBe(true);
  });

  it('clip cuts at the limit, ends in …, and never splits a surrogate pair', () => {
    expect(clip('abc', 3)).toBe('abc');
    expect(clip('abcd', 3)).toBe('ab…');
    expect(clip('a😀b', 3)).toBe('a…');
    expect(clip('a😀bc', 4)).toBe('a😀…');
  });
});
