/**
 * What an event is made of, as the contract states it: its types, the order fields its `data`
 * keeps and the bounds on it, and the states of its webhook delivery. Plain data: the events
 * (./order-events.ts, ./event-data.ts), their schemas (./reply-schemas.ts, ./request-schemas.ts)
 * and the ports all read it, and it reads none of them.
 */
import type { OrderView } from '../payments/reply-schemas.ts';

export const EVENT_TYPES = [
  'payment.completed',
  'payment.cancelled',
  'payment.failed',
  'payment.refunded',
  'refund.failed',
  'payment.settled',
  'order.flagged',
] as const;
export type EventType = (typeof EVENT_TYPES)[number];

/** The latest refunds an event carries (oldest first); GET /payments/{orderNo} has them all. */
export const EVENT_RECENT_REFUNDS = 10;
/** The latest refund transactions an event carries beside the payment's own; GET /payments/{orderNo} has them all. */
export const EVENT_RECENT_TRANSACTIONS = 10;
/** The most an event's envelope (a webhook's body, the bus entry's Detail, the log's body) takes, in UTF-8 bytes. */
export const MAX_EVENT_BYTES = 64 * 1024;

/** The fields of the order view an event keeps as they are (besides the ones ./event-data.ts bounds). */
export const EVENT_ORDER_FIELDS = {
  orderNo: true,
  version: true,
  status: true,
  paymentState: true,
  paid: true,
  mode: true,
  modeMismatch: true,
  amount: true,
  amountTaxFree: true,
  amountTaxable: true,
  amountVat: true,
  amountServiceFee: true,
  paidAmount: true,
  refundedAmount: true,
  refundableAmount: true,
  discountedAmount: true,
  tossPaidAmount: true,
  productDesc: true,
  autoExecute: true,
  payToken: true,
  payMethod: true,
  metadata: true,
  expiresAt: true,
  paidAt: true,
  paidTs: true,
  cancelReason: true,
  cancelNote: true,
  cancelledBy: true,
  settled: true,
  settledSeenAt: true,
  tossMoney: true,
  receiptUrl: true,
  transactions: true,
  createdAt: true,
  updatedAt: true,
  failure: true,
  attention: true,
} as const satisfies Partial<Record<keyof OrderView, true>>;

/** Where an event's webhook delivery is: none configured, due, delivered, or given up after its last retry. */
export type DeliveryStatus = 'none' | 'pending' | 'delivered' | 'failed';
