/**
 * The event log API's use cases (GET /events, GET /events/{id}, redeliveries): what merchants
 * poll and reconcile with, and how they get a failed delivery sent again.
 */
import type { Actor } from '../domain/order.ts';
import { PaymentError } from '../payments/errors.ts';
import { EVENT_ORDER_FIELDS, EVENT_RECENT_REFUNDS, orderPath } from './event-data.ts';
import type { EventType, OrderEvent } from './order-events.ts';
import type { EventView, ListEventsReply, RedeliverFailedReply } from './reply-schemas.ts';
import { FAILED_CURSOR_RE } from './api-requests.ts';
import type { EventRecord, EventsDeps, FailedCursor } from './ports.ts';
import { deliver } from './webhooks.ts';

/**
 * Events logged before positions existed (shared/store/event-log.ts) are listed once this old, as
 * they were then: one logged a moment later could have an earlier place.
 */
export const LOG_SETTLE_MS = 2_000;
/**
 * A page of GET /events is at most this many bytes of JSON (or one event, when one alone is more):
 * with the escaping Lambda's reply adds (at most twice), far under its 6 MB.
 */
export const MAX_PAGE_BYTES = 1024 * 1024;

export class EventNotFoundError extends PaymentError {
  override name = 'EventNotFoundError';
  readonly code = 'EVENT_NOT_FOUND';
}
export class WebhookNotConfiguredError extends PaymentError {
  override name = 'WebhookNotConfiguredError';
  readonly code = 'WEBHOOK_NOT_CONFIGURED';
}

/**
 * An event logged before its data was bounded carries the whole order view (its history and every
 * refund): the API shows the bounded data derived from it, as the event would be logged now. (Its
 * webhook redeliveries send the body as it was logged.)
 */
function bounded(e: OrderEvent): OrderEvent {
  const data = e.data as OrderEvent['data'] & { refunds?: OrderEvent['data']['recentRefunds'] };
  if (typeof data.href === 'string') return e;
  const refunds = Array.isArray(data.refunds) ? data.refunds : [];
  const kept = Object.fromEntries(Object.keys(EVENT_ORDER_FIELDS).flatMap((k) => (k in data ? [[k, data[k as keyof typeof data]]] : [])));
  return {
    ...e,
    data: {
      ...(kept as Pick<OrderEvent['data'], keyof typeof EVENT_ORDER_FIELDS>),
      refundCount: refunds.length,
      recentRefunds: refunds.slice(-EVENT_RECENT_REFUNDS),
      href: orderPath(data.orderNo),
      ...(data.refund !== undefined ? { refund: data.refund } : {}),
    },
  };
}

/** An event as the API shows it: the envelope, where it is in the log, and its deliveries. */
export function eventView(r: EventRecord): EventView {
  return {
    ...bounded(JSON.parse(r.body) as OrderEvent),
    cursor: r.eventSeq,
    loggedAt: new Date(r.loggedAt).toISOString(),
    delivery: r.delivery,
  };
}

export async function listEvents(
  q: { after?: string | undefined; limit: number; type?: EventType | undefined },
  deps: Pick<EventsDeps, 'events' | 'clock'>,
): Promise<ListEventsReply> {
  const r = await deps.events.listEvents({ ...q, maxBytes: MAX_PAGE_BYTES, legacyUntil: deps.clock() - LOG_SETTLE_MS });
  const events: EventView[] = [];
  // `{"events":[` … `],"next":"<cursor>"}`
  let bytes = 100;
  for (const record of r.events) {
    const view = eventView(record);
    const size = Buffer.byteLength(JSON.stringify(view)) + 1;
    if (events.length > 0 && bytes + size > MAX_PAGE_BYTES) return { events, next: events.at(-1)?.cursor ?? '' };
    events.push(view);
    bytes += size;
  }
  return { events, ...(r.next !== undefined ? { next: r.next } : {}) };
}

const failedCursorOf = (c: FailedCursor): string => `${c.at}#${c.id}`;

/**
 * GET /events/failed: the events whose webhook delivery failed (gave up after its last retry),
 * the latest failure first, from the `due` index's failed partition (never a Scan). `after`: the
 * `next` of the page before. A page holds at most `limit` events and MAX_PAGE_BYTES.
 */
export async function listFailedEvents(q: { after?: string | undefined; limit: number }, deps: Pick<EventsDeps, 'events'>): Promise<ListEventsReply> {
  return pageOf(await deps.events.listFailed({ limit: q.limit, after: cursorFrom(q.after) }));
}

/**
 * GET /payments/{orderNo}/events: one order's events with their webhook deliveries, oldest first,
 * from the `byOrder` index (never a Scan). Pages as GET /events/failed does.
 */
export async function listOrderEvents(orderNo: string, q: { after?: string | undefined; limit: number }, deps: Pick<EventsDeps, 'events'>): Promise<ListEventsReply> {
  return pageOf(await deps.events.listForOrder({ orderNo, limit: q.limit, after: cursorFrom(q.after) }));
}

const cursorFrom = (after: string | undefined): FailedCursor | undefined => {
  const m = after === undefined ? null : FAILED_CURSOR_RE.exec(after);
  return m === null ? undefined : { at: Number(m[1]), id: String(m[2]) };
};

/** A page of events as the API shows them: at most MAX_PAGE_BYTES (or one event). */
function pageOf(r: Awaited<ReturnType<EventsDeps['events']['listFailed']>>): ListEventsReply {
  const events: EventView[] = [];
  let bytes = 100;
  let cursor: FailedCursor | undefined;
  for (const { record, cursor: at } of r.events) {
    const view = eventView(record);
    const size = Buffer.byteLength(JSON.stringify(view)) + 1;
    if (events.length > 0 && bytes + size > MAX_PAGE_BYTES && cursor !== undefined) return { events, next: failedCursorOf(cursor) };
    events.push(view);
    bytes += size;
    cursor = at;
  }
  return { events, ...(r.next !== undefined ? { next: failedCursorOf(r.next) } : {}) };
}

export async function getEvent(id: string, deps: Pick<EventsDeps, 'events'>): Promise<EventView> {
  const r = await deps.events.getEvent(id);
  if (r === undefined) throw new EventNotFoundError('no such event');
  return eventView(r);
}

/** Sends an event again, now (one attempt; if it fails, the retry schedule starts over); `actor`: who asked. */
export async function redeliver(id: string, deps: EventsDeps, actor?: Actor): Promise<EventView> {
  if (deps.webhook === undefined) throw new WebhookNotConfiguredError('no MERCHANT_WEBHOOK_URL is configured');
  const r = await deps.events.getEvent(id);
  if (r === undefined) throw new EventNotFoundError('no such event');
  await deps.events.queueRedelivery(id, r.delivery.attempts.length, actor);
  deps.logger.info('redelivery asked for', { eventId: id, actor: actor?.id });
  return eventView((await deliver(id, deps)) ?? (await deps.events.getEvent(id)) ?? r);
}

/** Queues every event whose delivery failed at or after `since` for a new round; the retrier sends them. */
export async function redeliverFailed(since: number, deps: EventsDeps, actor?: Actor): Promise<RedeliverFailedReply> {
  if (deps.webhook === undefined) throw new WebhookNotConfiguredError('no MERCHANT_WEBHOOK_URL is configured');
  const ids = await deps.events.failedSince(since, 1_000);
  let queued = 0;
  for (const id of ids) {
    const r = await deps.events.getEvent(id);
    if (r !== undefined && (await deps.events.queueRedelivery(id, r.delivery.attempts.length, actor)) !== undefined) queued++;
  }
  deps.logger.info('redelivery of failed deliveries asked for', { since: new Date(since).toISOString(), queued, actor: actor?.id });
  return { queued };
}
