/**
 * What each event type tells the merchant and what to do on it: THE table the reference
 * (docs/reference/events.md, made by `npm run docs`) is generated from. Typed by EVENT_TYPES and
 * the test event's type (./event-shape.ts; ./order-events.ts and ./endpoint-events.ts decide when
 * each is emitted), so a type without an entry does not compile. Documentation only: no function
 * imports it.
 */
import type { EventType, TEST_EVENT_TYPE } from './event-shape.ts';

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
  'endpoint.disabled': {
    when: 'A webhook endpoint was disabled after failing every attempt for `WEBHOOK_DISABLE_AFTER_DAYS` (5 by default; `data.failingSince`). Sent to the other endpoints that want it, never to the disabled one.',
    act: 'Fix that receiver, check it with `POST /webhook-endpoints/{id}/test`, then enable it (`PATCH` `enabled: true`): the events it missed are sent then. Runbook: `webhook-endpoint-disabled`.',
  },
  'webhook.test': {
    when: '`POST /webhook-endpoints/{id}/test` sent it, to that endpoint alone, signed as every delivery is. Never logged, never on the bus, never retried.',
    act: 'Verify it as any delivery and answer 2xx; do not act on it (`data.message` says it is a test).',
  },
} as const satisfies Record<EventType | typeof TEST_EVENT_TYPE, EventGuide>;
