/**
 * The event log API's use cases (GET /events, GET /events/{id}, redeliveries): what merchants
 * poll and reconcile with, and how they get a failed delivery sent again.
 */
import type { Actor } from '../domain/order.ts';
import { isSettlement } from '../domain/states.ts';
import { makeCursor, readCursor } from '../paging.ts';
import { PaymentError } from '../payments/errors.ts';
import * as z from '../zod.ts';
import { boundedTransactions, orderPath } from './event-data.ts';
import { EVENT_ORDER_FIELDS, EVENT_RECENT_REFUNDS, type EventType } from './event-shape.ts';
import type { OrderEvent } from './reply-schemas.ts';
import type { EventView, ListEventsReply, RedeliverFailedReply } from './reply-schemas.ts';
import type { EventPage, EventRecord, EventsDeps, FailedPlace } from './ports.ts';
import { deliver } from './webhooks.ts';

/**
 * Events logged before positions existed (shared/store/event-log.ts) are listed once this old, as
 * they were then: one logged a moment later could have an earlier place.
 */
export const LOG_LISTING_DELAY_MS = 2_000;
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
 * refund) and no `settled`: the API shows the bounded data derived from it, as the event would be
 * logged now. (Its
 * webhook redeliveries send the body as it was logged.)
 */
function bounded(e: OrderEvent): OrderEvent {
  const data = e.data as OrderEvent['data'] & { refunds?: OrderEvent['data']['recentRefunds'] };
  if (typeof data.href === 'string') return e;
  const refunds = Array.isArray(data.refunds) ? data.refunds : [];
  const transactions = Array.isArray(data.transactions) ? data.transactions : [];
  const kept = Object.fromEntries(Object.keys(EVENT_ORDER_FIELDS).flatMap((k) => (k in data ? [[k, data[k as keyof typeof data]]] : [])));
  return {
    ...e,
    data: {
      ...(kept as Pick<OrderEvent['data'], keyof typeof EVENT_ORDER_FIELDS>),
      // Logged before settlement was a paid state: settled is what its status said.
      settled: data.settled ?? isSettlement(data.status),
      transactions: boundedTransactions(transactions),
      transactionCount: transactions.length,
      refundCount: refunds.length,
      recentRefunds: refunds.slice(-EVENT_RECENT_REFUNDS),
      href: orderPath(data.orderNo),
      ...(data.refund !== undefined ? { refund: data.refund } : {}),
    },
  };
}

/** The listing whose cursors GET /events hands out (shared/paging.ts): one log, so no parameters bind them. */
const LOG_SCOPE = 'events';
/** A place in the log as the store keeps it (`eventSeq`): the position (or, before positions, the log time), then the id. */
export const LOG_PLACE_RE = /^\d{15}#evt_[A-Za-z0-9_-]{1,40}$/;
const placeSchema = z.string().check(z.regex(LOG_PLACE_RE));

/** The cursor of the place after which a listing goes on: the same whatever `type` or `limit` it is used with. */
export const logCursor = (eventSeq: string): string => makeCursor(LOG_SCOPE, {}, eventSeq);

/**
 * The place a GET /events `after` names: a cursor as handed out, or the plain place (`<15
 * digits>#evt_…`) cursors were before they were made opaque, which pollers may still hold.
 */
export function placeOf(after: string): string {
  return LOG_PLACE_RE.test(after) ? after : readCursor(LOG_SCOPE, {}, after, placeSchema);
}

/** An event as the API shows it: the envelope, where it is in the log, and its deliveries. */
export function eventView(r: EventRecord): EventView {
  return {
    ...bounded(JSON.parse(r.body) as OrderEvent),
    cursor: logCursor(r.eventSeq),
    loggedAt: new Date(r.loggedAt).toISOString(),
    delivery: r.delivery,
  };
}

export async function listEvents(
  q: { after?: string | undefined; limit: number; type?: EventType | undefined },
  deps: Pick<EventsDeps, 'events' | 'clock'>,
): Promise<ListEventsReply> {
  const after = q.after === undefined ? undefined : placeOf(q.after);
  const r = await deps.events.listEvents({ ...q, after, maxBytes: MAX_PAGE_BYTES, legacyUntil: deps.clock() - LOG_LISTING_DELAY_MS });
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
  return { events, ...(r.next !== undefined ? { next: logCursor(r.next) } : {}) };
}

/** The failed deliveries' cursors (shared/paging.ts): the failure time and the event; no parameters bind them. */
const FAILED_SCOPE = 'events-failed';
const eventIdRe = /^evt_[A-Za-z0-9_-]{1,40}$/;
const failedPlaceSchema = z.strictObject({ a: z.int().check(z.gte(0), z.lte(Number.MAX_SAFE_INTEGER)), i: z.string().check(z.regex(eventIdRe)) });
const failedCursor = (p: FailedPlace): string => makeCursor(FAILED_SCOPE, {}, { a: p.at, i: p.id });
const failedPlace = (after: string): FailedPlace => {
  const p = readCursor(FAILED_SCOPE, {}, after, failedPlaceSchema);
  return { at: p.a, id: p.i };
};

/** An order's events' cursors: the place in the log of the last one listed, bound to the order. */
const ORDER_EVENTS_SCOPE = 'order-events';
const orderEventsCursor = (orderNo: string) => (place: string): string => makeCursor(ORDER_EVENTS_SCOPE, { orderNo }, place);

/**
 * GET /events/failed: the events whose webhook delivery failed (gave up after its last retry),
 * the latest failure first, from the `due` index's failed partition (never a Scan). `after`: the
 * `next` of the page before. A page holds at most `limit` events and MAX_PAGE_BYTES.
 */
export async function listFailedEvents(q: { after?: string | undefined; limit: number }, deps: Pick<EventsDeps, 'events'>): Promise<ListEventsReply> {
  const after = q.after === undefined ? undefined : failedPlace(q.after);
  return pageOf(await deps.events.listFailed({ limit: q.limit, after }), failedCursor);
}

/**
 * GET /payments/{orderNo}/events: one order's events with their webhook deliveries, oldest first,
 * from the table's `lists` index (never a Scan). Pages as GET /events/failed does; a cursor of
 * another order's listing is refused.
 */
export async function listOrderEvents(orderNo: string, q: { after?: string | undefined; limit: number }, deps: Pick<EventsDeps, 'events'>): Promise<ListEventsReply> {
  const after = q.after === undefined ? undefined : readCursor(ORDER_EVENTS_SCOPE, { orderNo }, q.after, placeSchema);
  return pageOf(await deps.events.listForOrder({ orderNo, limit: q.limit, after }), orderEventsCursor(orderNo));
}

/** A page of events as the API shows them: at most MAX_PAGE_BYTES (or one event). */
function pageOf<P>(r: EventPage<P>, cursorOf: (place: P) => string): ListEventsReply {
  const events: EventView[] = [];
  let bytes = 100;
  let last: P | undefined;
  for (const { record, place } of r.events) {
    const view = eventView(record);
    const size = Buffer.byteLength(JSON.stringify(view)) + 1;
    if (events.length > 0 && bytes + size > MAX_PAGE_BYTES && last !== undefined) return { events, next: cursorOf(last) };
    events.push(view);
    bytes += size;
    last = place;
  }
  return { events, ...(r.next !== undefined ? { next: cursorOf(r.next) } : {}) };
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
