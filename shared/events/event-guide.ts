/**
 * What each event type tells the merchant and what to do on it: THE table the reference
 * (docs/reference/events.md, made by `npm run docs`) is generated from. Typed by EVENT_TYPES
 * (./order-events.ts decides when each is emitted), so a type without an entry does not compile.
 * Documentation only: no function imports it.
 */
import type { EventType } from './order-events.ts';

export interface EventGuide {
  /** The change of the order that emits it. */
  readonly when: string;
  /** What the merchant's system does on it. */
  readonly act: string;
}

export const EVENT_GUIDE = {
  'payment.completed': {
    when: 'The order became paid (confirmed with Toss: by its callback, the buyer\'s return, the reconciler or `?refresh=true`).',
    act: 'Fulfil the order, once: key on the event `id` (or the orderNo); `data.paid` is true.',
  },
  'payment.cancelled': {
    when: 'The order ended cancelled before anyone paid: the buyer quit, the merchant cancelled it, or it expired. `data.cancelReason`: `MERCHANT`, `BUYER` or `UNKNOWN` (`EXPIRED` on orders recorded before); `data.cancelNote`: the merchant\'s reason.',
    act: 'Release what the order held (stock, a basket); nothing was paid.',
  },
  'payment.failed': {
    when: 'Toss refused the payment\'s create or its execute (`data.status` `CREATE_FAILED` or `EXECUTE_FAILED`, `data.failure` why).',
    act: 'Tell the buyer; a new attempt needs a new orderNo.',
  },
  'payment.refunded': {
    when: 'A refund succeeded at Toss, partial or full, made through this API or in Toss\'s console (`data.refund` is that refund).',
    act: 'Record the refund (key on `data.refund.refundNo`); `data.refundableAmount` is what is left.',
  },
  'refund.failed': {
    when: 'Toss refused a refund (`data.refund.failure` says why); its amount is back in the balance.',
    act: 'Fix the cause, then refund again with a new Idempotency-Key, or refund in Toss\'s console.',
  },
  'payment.settled': {
    when: 'Toss paid the order\'s money out to the merchant (정산: its status said SETTLEMENT_COMPLETE or SETTLEMENT_REFUND_COMPLETE). Once per order.',
    act: 'Mark it settled in your books; later refunds are taken from a later settlement.',
  },
  'order.flagged': {
    when: 'The order needs a person: recovered from Toss, contradicted by Toss, a write DynamoDB refused, or unresolved too long (`data.attention.reason`).',
    act: 'Look at it (`GET /payments?attention=true`) and follow the runbook of the alarm it raised (`orders-flagged`).',
  },
} as const satisfies Record<EventType, EventGuide>;
