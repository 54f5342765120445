/**
 * The event log API's use cases (GET /events, GET /events/{id}, redeliveries): what merchants
 * poll and reconcile with, and how they get a failed delivery sent again.
 */
import { isSettlement } from '../domain/states.ts';
import { makeCursor, readCursor } from '../paging.ts';
import { PaymentError } from '../payments/errors.ts';
import * as z from '../zod.ts';
import { boundedTransactions, EVENT_ORDER_FIELDS, EVENT_RECENT_REFUNDS, orderPath } from './event-data.ts';
import { ENV_ENDPOINT_ID, fanOut } from './endpoint-model.ts';
import { WebhookEndpointDisabledError, WebhookEndpointNotFoundError } from './endpoint-errors.ts';
import { ORDER_EVENT_TYPES, type EventType } from './event-types.ts';
import type { EndpointEvent, EventView, ListEventsReply, LoggedEvent, OrderEvent, RedeliverFailedReply } from './reply-schemas.ts';
import type { DeliveryRecord, EventRecord, EventsDeps } from './ports.ts';
import { deliver, healthRecorder, loadEndpoints } from './webhooks.ts';

type DeliveryView = EventView['deliveries'][number];

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

const ORDER_TYPES: ReadonlySet<string> = new Set(ORDER_EVENT_TYPES);

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
  if (ds.length === 1) return { status: only.status, attempts, ...(only.nextAt !== undefined ? { nextAt: only.nextAt } : {}), roundFrom: only.roundFrom };
  const next = ds.flatMap((d) => (d.nextAt !== undefined ? [d.nextAt] : [])).sort()[0];
  return { status: BEHIND.find((st) => ds.some((d) => d.status === st)) ?? 'none', attempts, ...(next !== undefined ? { nextAt: next } : {}) };
}

/** An event as the API shows it: the envelope, where it is in the log, and its deliveries (`found`: its delivery items, by endpoint). */
export function eventView(r: EventRecord, found: ReadonlyMap<string, DeliveryRecord> | undefined): EventView {
  const envelope = JSON.parse(r.body) as LoggedEvent;
  // An event logged before endpoints whose delivery was since taken over by an item of its own shows that item.
  const adopted = r.endpoints === undefined ? found?.get(ENV_ENDPOINT_ID) : undefined;
  const deliveries =
    r.endpoints !== undefined ? r.endpoints.flatMap((ep) => { const d = found?.get(ep); return d === undefined ? [] : [deliveryView(d)]; }) : adopted !== undefined ? [deliveryView(adopted)] : legacyDeliveries(r);
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
  const r = await deps.events.listEvents({ ...q, after, maxBytes: MAX_PAGE_BYTES, legacyUntil: deps.clock() - LOG_SETTLE_MS });
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
 * Sends an event again, now: to the endpoint named, or to every endpoint it was given to that is
 * still there and enabled (none left: to those that want it now). One attempt each, at once; if it
 * fails, the retry schedule starts over.
 */
export async function redeliver(id: string, endpointId: string | undefined, deps: EventsDeps): Promise<EventView> {
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
  const ctx = { endpoints, body: () => Promise.resolve(r.body), health: healthRecorder(deps) };
  await Promise.all(
    targets.map(async (ep) => {
      await deps.deliveries.queue(r, ep);
      await deliver({ eventId: id, endpointId: ep }, deps, ctx);
    }),
  );
  await ctx.health.flush();
  return getEvent(id, deps);
}

/** Queues every delivery that failed at or after `since` (to `endpointId`, or any) for a new round; the retrier sends them. */
export async function redeliverFailed(since: number, endpointId: string | undefined, deps: EventsDeps): Promise<RedeliverFailedReply> {
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
    if ((await deps.deliveries.requeue(key.eventId, key.endpointId, ['failed'])) !== undefined) queued++;
  }
  return { queued };
}
