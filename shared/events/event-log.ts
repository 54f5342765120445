/**
 * The event log API's use cases (GET /events, GET /events/{id}, the failed deliveries, an order's
 * events, redeliveries): what merchants poll and reconcile with, and how they get a failed
 * delivery sent again.
 */
import type { Actor } from '../domain/order.ts';
import { isSettlement } from '../domain/states.ts';
import { makeCursor, readCursor } from '../paging.ts';
import { PaymentError } from '../payments/errors.ts';
import * as z from '../zod.ts';
import { boundedTransactions, orderPath } from './event-data.ts';
import { ENV_ENDPOINT_ID, fanOut } from './endpoint-model.ts';
import { WebhookEndpointDisabledError, WebhookEndpointNotFoundError } from './endpoint-errors.ts';
import { EVENT_ORDER_FIELDS, EVENT_RECENT_REFUNDS, ORDER_EVENT_TYPES, type EventType } from './event-shape.ts';
import type { EndpointEvent, EventView, ListEventsReply, LoggedEvent, OrderEvent, RedeliverFailedReply } from './reply-schemas.ts';
import type { DeliveryRecord, DeliveryStatus, EventPage, EventRecord, EventsDeps, FailedPlace } from './ports.ts';
import { deliver, healthRecorder, loadEndpoints } from './webhooks.ts';

type DeliveryView = EventView['deliveries'][number];

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
const placeSchema = /* @__PURE__ */ z.pure(() => z.string().check(z.regex(LOG_PLACE_RE)));

/** The cursor of the place after which a listing goes on: the same whatever `type` or `limit` it is used with. */
export const logCursor = (eventSeq: string): string => makeCursor(LOG_SCOPE, {}, eventSeq);

/**
 * The place a GET /events `after` names: a cursor as handed out, or the plain place (`<15
 * digits>#evt_…`) cursors were before they were made opaque, which pollers may still hold.
 */
export function placeOf(after: string): string {
  return LOG_PLACE_RE.test(after) ? after : readCursor(LOG_SCOPE, {}, after, placeSchema);
}

const ORDER_TYPES: ReadonlySet<string> = new Set(ORDER_EVENT_TYPES);

/** Redeliveries' rounds as the API shows them: `from` an index into the attempts listed, as `roundFrom` is. */
const roundsView = (rounds: DeliveryRecord['rounds'], dropped: number): Pick<DeliveryView, 'rounds'> =>
  rounds === undefined || rounds.length === 0
    ? {}
    : { rounds: rounds.map((x) => ({ from: Math.max(0, x.from - dropped), at: x.at, ...(x.actor !== undefined ? { actor: x.actor } : {}) })) };

/** A delivery as the API shows it: `roundFrom` an index into the attempts listed (the older ones are only counted). */
function deliveryView(r: DeliveryRecord): DeliveryView {
  const dropped = r.attemptCount - r.attempts.length;
  return {
    endpointId: r.endpointId,
    status: r.status,
    attempts: r.attempts.map((a) => ({ at: a.at, ...(a.status !== undefined ? { status: a.status } : {}), latencyMs: a.latencyMs, ...(a.error !== undefined ? { error: a.error } : {}) })),
    attemptCount: r.attemptCount,
    ...(r.status === 'pending' && r.nextAt !== undefined ? { nextAt: r.nextAt } : {}),
    roundFrom: Math.max(0, r.roundFrom - dropped),
    ...roundsView(r.rounds, dropped),
  };
}

/** The one delivery of an event logged before endpoints, to the configured endpoint (none: no webhook was configured then). */
function legacyDeliveries(r: EventRecord): DeliveryView[] {
  const d = r.delivery;
  if (d === undefined || d.status === 'none') return [];
  return [
    {
      endpointId: ENV_ENDPOINT_ID,
      status: d.status,
      attempts: d.attempts,
      attemptCount: d.attempts.length,
      ...(d.status === 'pending' && d.nextAt !== undefined ? { nextAt: d.nextAt } : {}),
      roundFrom: d.roundFrom ?? 0,
      ...roundsView(d.rounds, 0),
    },
  ];
}

/** The furthest behind first: what the event's `delivery.status` says when it went to several endpoints. */
const BEHIND: readonly DeliveryView['status'][] = ['pending', 'waiting', 'failed', 'delivered', 'cancelled'];

/** An event's deliveries summed up (with one, exactly that one, as before endpoints). */
function summary(ds: readonly DeliveryView[]): EventView['delivery'] {
  const attempts = ds
    .flatMap((d) => d.attempts.map((a) => ({ ...a, endpointId: d.endpointId })))
    .sort((a, b) => a.at.localeCompare(b.at));
  const [only] = ds;
  if (only === undefined) return { status: 'none', attempts: [] };
  if (ds.length === 1)
    return { status: only.status, attempts, ...(only.nextAt !== undefined ? { nextAt: only.nextAt } : {}), roundFrom: only.roundFrom, ...(only.rounds !== undefined ? { rounds: only.rounds } : {}) };
  const next = ds.flatMap((d) => (d.nextAt !== undefined ? [d.nextAt] : [])).sort()[0];
  return { status: BEHIND.find((st) => ds.some((d) => d.status === st)) ?? 'none', attempts, ...(next !== undefined ? { nextAt: next } : {}) };
}

/** An event's deliveries as the API shows them (`found`: its delivery items, by endpoint). */
function deliveryViews(r: EventRecord, found: ReadonlyMap<string, DeliveryRecord> | undefined): DeliveryView[] {
  // An event logged before endpoints whose delivery was since taken over by an item of its own shows that item.
  const adopted = r.endpoints === undefined ? found?.get(ENV_ENDPOINT_ID) : undefined;
  if (r.endpoints !== undefined)
    return r.endpoints.flatMap((ep) => {
      const d = found?.get(ep);
      return d === undefined ? [] : [deliveryView(d)];
    });
  return adopted !== undefined ? [deliveryView(adopted)] : legacyDeliveries(r);
}

/** An event as the API shows it: the envelope, where it is in the log, and its deliveries (`found`: its delivery items, by endpoint). */
export function eventView(r: EventRecord, found: ReadonlyMap<string, DeliveryRecord> | undefined): EventView {
  const envelope = JSON.parse(r.body) as LoggedEvent;
  const deliveries = deliveryViews(r, found);
  const log = { cursor: logCursor(r.eventSeq), loggedAt: new Date(r.loggedAt).toISOString(), delivery: summary(deliveries), deliveries };
  return ORDER_TYPES.has(envelope.type) ? { ...bounded(envelope as OrderEvent), ...log } : { ...(envelope as EndpointEvent), ...log };
}

/** The deliveries of these events, by event and endpoint (one BatchGetItem per 100). */
function deliveriesOf(records: readonly EventRecord[], deps: Pick<EventsDeps, 'deliveries'>): Promise<Map<string, Map<string, DeliveryRecord>>> {
  const wanted = records.map((r) => ({ eventId: r.id, endpointIds: r.endpoints ?? [ENV_ENDPOINT_ID] })).filter((w) => w.endpointIds.length > 0);
  return wanted.length === 0 ? Promise.resolve(new Map()) : deps.deliveries.getDeliveries(wanted);
}

export async function listEvents(
  q: { after?: string | undefined; limit: number; type?: EventType | undefined },
  deps: Pick<EventsDeps, 'events' | 'deliveries' | 'clock'>,
): Promise<ListEventsReply> {
  const after = q.after === undefined ? undefined : placeOf(q.after);
  const r = await deps.events.listEvents({ ...q, after, maxBytes: MAX_PAGE_BYTES, legacyUntil: deps.clock() - LOG_LISTING_DELAY_MS });
  const found = await deliveriesOf(r.events, deps);
  const events: EventView[] = [];
  // `{"events":[` … `],"next":"<cursor>"}`
  let bytes = 100;
  for (const record of r.events) {
    const view = eventView(record, found.get(record.id));
    const size = Buffer.byteLength(JSON.stringify(view)) + 1;
    if (events.length > 0 && bytes + size > MAX_PAGE_BYTES) return { events, next: events.at(-1)?.cursor ?? '' };
    events.push(view);
    bytes += size;
  }
  return { events, ...(r.next !== undefined ? { next: logCursor(r.next) } : {}) };
}

/** The failed deliveries' cursors (shared/paging.ts): the failure time, the event and its endpoint; no parameters bind them. */
const FAILED_SCOPE = 'events-failed';
const eventIdRe = /^evt_[A-Za-z0-9_-]{1,40}$/;
const failedPlaceSchema = /* @__PURE__ */ z.pure(() =>
  z.strictObject({
    a: z.int().check(z.gte(0), z.lte(Number.MAX_SAFE_INTEGER)),
    i: z.string().check(z.regex(eventIdRe)),
    // Absent: an event logged before endpoints (its delivery on the event).
    e: z.optional(z.string().check(z.regex(/^we_[A-Za-z0-9]{1,40}$/))),
  }),
);
const failedCursor = (p: FailedPlace): string => makeCursor(FAILED_SCOPE, {}, { a: p.at, i: p.id, ...(p.endpointId !== undefined ? { e: p.endpointId } : {}) });
const failedPlace = (after: string): FailedPlace => {
  const p = readCursor(FAILED_SCOPE, {}, after, failedPlaceSchema);
  return { at: p.a, id: p.i, ...(p.e !== undefined ? { endpointId: p.e } : {}) };
};

/** An order's events' cursors: the place in the log of the last one listed, bound to the order. */
const ORDER_EVENTS_SCOPE = 'order-events';
const orderEventsCursor = (orderNo: string) => (place: string): string => makeCursor(ORDER_EVENTS_SCOPE, { orderNo }, place);

/**
 * GET /events/failed: the events whose webhook delivery to an endpoint failed (gave up after its
 * last retry), the latest failure first, from the `due` index's failed partition (never a Scan),
 * each with all its deliveries as GET /events/{id} shows them. An event that failed at several
 * endpoints is on a page once (at its latest failure there); a later page may list it again for
 * another endpoint's failure. `after`: the `next` of the page before. A page holds at most `limit`
 * events and MAX_PAGE_BYTES.
 */
export async function listFailedEvents(
  q: { after?: string | undefined; limit: number },
  deps: Pick<EventsDeps, 'events' | 'deliveries'>,
): Promise<ListEventsReply> {
  const after = q.after === undefined ? undefined : failedPlace(q.after);
  const r = await deps.deliveries.listFailed({ limit: q.limit, after });
  const records = new Map((await deps.events.getEvents([...new Set(r.items.map((x) => x.key.eventId))])).map((e) => [e.id, e]));
  const seen = new Set<string>();
  const events = r.items.flatMap(({ key, place }) => {
    const record = records.get(key.eventId);
    if (record === undefined || seen.has(key.eventId)) return [];
    seen.add(key.eventId);
    return [{ record, place }];
  });
  return pageOf({ events, ...(r.next !== undefined ? { next: r.next } : {}) }, failedCursor, deps);
}

/**
 * GET /payments/{orderNo}/events: one order's events with their webhook deliveries (each
 * endpoint's, as GET /events/{id} shows them), oldest first, from the table's `lists` index (never
 * a Scan). Pages as GET /events/failed does; a cursor of another order's listing is refused.
 */
export async function listOrderEvents(
  orderNo: string,
  q: { after?: string | undefined; limit: number },
  deps: Pick<EventsDeps, 'events' | 'deliveries'>,
): Promise<ListEventsReply> {
  const after = q.after === undefined ? undefined : readCursor(ORDER_EVENTS_SCOPE, { orderNo }, q.after, placeSchema);
  return pageOf(await deps.events.listForOrder({ orderNo, limit: q.limit, after }), orderEventsCursor(orderNo), deps);
}

/** A page of events as the API shows them, with their deliveries: at most MAX_PAGE_BYTES (or one event). */
async function pageOf<P>(r: EventPage<P>, cursorOf: (place: P) => string, deps: Pick<EventsDeps, 'deliveries'>): Promise<ListEventsReply> {
  const found = await deliveriesOf(
    r.events.map((x) => x.record),
    deps,
  );
  const events: EventView[] = [];
  let bytes = 100;
  let last: P | undefined;
  for (const { record, place } of r.events) {
    const view = eventView(record, found.get(record.id));
    const size = Buffer.byteLength(JSON.stringify(view)) + 1;
    if (events.length > 0 && bytes + size > MAX_PAGE_BYTES && last !== undefined) return { events, next: cursorOf(last) };
    events.push(view);
    bytes += size;
    last = place;
  }
  return { events, ...(r.next !== undefined ? { next: cursorOf(r.next) } : {}) };
}

async function eventRecord(id: string, deps: Pick<EventsDeps, 'events'>): Promise<EventRecord> {
  const r = await deps.events.getEvent(id);
  if (r === undefined) throw new EventNotFoundError('no such event');
  return r;
}

export async function getEvent(id: string, deps: Pick<EventsDeps, 'events' | 'deliveries'>): Promise<EventView> {
  const r = await eventRecord(id, deps);
  return eventView(r, (await deliveriesOf([r], deps)).get(r.id));
}

/**
 * The latest `limit` events' deliveries, each event's summed up as its `delivery.status` shows it
 * (GET /stats: how the latest webhooks went).
 */
export async function recentDeliveryStatuses(limit: number, deps: Pick<EventsDeps, 'events' | 'deliveries'>): Promise<DeliveryStatus[]> {
  const records = await deps.events.recentEvents(limit);
  const found = await deliveriesOf(records, deps);
  return records.map((r) => summary(deliveryViews(r, found.get(r.id))).status);
}

/**
 * Sends an event again, now: to the endpoint named, or to every endpoint it was given to that is
 * still there and enabled (none left: to those that want it now). One attempt each, at once; if it
 * fails, the retry schedule starts over. Each delivery records the round, with who asked (`actor`).
 */
export async function redeliver(id: string, endpointId: string | undefined, deps: EventsDeps, actor?: Actor): Promise<EventView> {
  let r = await eventRecord(id, deps);
  const endpoints = await loadEndpoints(deps);
  if (r.endpoints === undefined) {
    // Logged before endpoints: its delivery becomes the configured endpoint's.
    await deps.deliveries.adoptLegacy(r, ENV_ENDPOINT_ID);
    r = await eventRecord(id, deps);
  }
  let targets: string[];
  if (endpointId !== undefined) {
    const e = endpoints.get(endpointId);
    if (e === undefined) throw new WebhookEndpointNotFoundError('no such webhook endpoint');
    if (!e.enabled) throw new WebhookEndpointDisabledError('the endpoint is disabled: enable it first (PATCH enabled: true)');
    targets = [endpointId];
  } else {
    targets = (r.endpoints ?? []).filter((ep) => endpoints.get(ep)?.enabled === true);
    if (targets.length === 0) targets = fanOut([...endpoints.values()], r.type).flatMap((d) => (d.waiting ? [] : [d.endpointId]));
    if (targets.length === 0) throw new WebhookNotConfiguredError('no enabled webhook endpoint wants this event');
  }
  for (const ep of targets) if (!(r.endpoints ?? []).includes(ep)) await deps.deliveries.addEndpoint(id, ep);
  deps.logger.info('redelivery asked for', { eventId: id, endpointIds: targets, actor: actor?.id });
  const ctx = { endpoints, body: () => Promise.resolve(r.body), health: healthRecorder(deps) };
  await Promise.all(
    targets.map(async (ep) => {
      await deps.deliveries.queue(r, ep, actor);
      await deliver({ eventId: id, endpointId: ep }, deps, ctx);
    }),
  );
  await ctx.health.flush();
  return getEvent(id, deps);
}

/**
 * Queues every delivery that failed at or after `since` (to `endpointId`, or any) for a new round,
 * recording who asked (`actor`); the retrier sends them.
 */
export async function redeliverFailed(since: number, endpointId: string | undefined, deps: EventsDeps, actor?: Actor): Promise<RedeliverFailedReply> {
  const endpoints = await loadEndpoints(deps);
  if (endpoints.size === 0) throw new WebhookNotConfiguredError('no webhook endpoint is configured');
  if (endpointId !== undefined && !endpoints.has(endpointId)) throw new WebhookEndpointNotFoundError('no such webhook endpoint');
  let queued = 0;
  for (const k of await deps.deliveries.failedSince(since, 1_000)) {
    let key: { eventId: string; endpointId: string } | undefined;
    if (k.kind === 'legacy') {
      const r = await deps.events.getEvent(k.eventId);
      if (r !== undefined && r.endpoints === undefined) await deps.deliveries.adoptLegacy(r, ENV_ENDPOINT_ID);
      key = { eventId: k.eventId, endpointId: ENV_ENDPOINT_ID };
    } else key = k;
    if (endpointId !== undefined && key.endpointId !== endpointId) continue;
    if ((await deps.deliveries.requeue(key.eventId, key.endpointId, ['failed'], { actor })) !== undefined) queued++;
  }
  deps.logger.info('redelivery of failed deliveries asked for', { since: new Date(since).toISOString(), endpointId, queued, actor: actor?.id });
  return { queued };
}
