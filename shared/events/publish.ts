/**
 * From the table's change stream to the merchant: for each committed change of an order, its
 * ledger rows (shared/ledger) are recorded, and its events (order-events.ts) are logged once each
 * (the log is the source of GET /events and of every webhook delivery), put on the event bus, and
 * sent to the webhook, first attempt at once.
 *
 * No dual writes: the code that changes orders publishes nothing; an event exists iff its change
 * was committed. The stream may deliver a change more than once: the event ids are the same, the
 * log keeps one of each, and a webhook is first attempted only by whoever logged the event (at once,
 * whether or not the bus took the events). The bus gets an event again when its change comes again
 * (at least once; receivers dedupe by id).
 */
import type { Order } from '../domain/order.ts';
import { recordLedger } from '../ledger/record.ts';
import { MetricName } from '../metrics.ts';
import { orderEvents, type OrderEvent } from './order-events.ts';
import type { EventsDeps } from './ports.ts';
import { deliver } from './webhooks.ts';

/** One committed change: the order before (absent for a new order) and after. */
export interface OrderChange {
  /** The stream record's id, for the batch-failure reply. */
  recordId: string;
  before: Order | undefined;
  after: Order;
}

/** The exact bytes every delivery of `e` sends (Standard Webhooks envelope). */
export const envelopeOf = (e: OrderEvent): string => JSON.stringify({ id: e.id, type: e.type, timestamp: e.timestamp, data: e.data });

/**
 * Publishes the events of `changes`, in order. Returns the recordIds that failed (the stream
 * retries from the first of them): a failure of one change never loses the others' events, and
 * never reorders an order's changes (everything after a failed change is retried with it).
 */
export async function publishChanges(changes: readonly OrderChange[], deps: EventsDeps): Promise<string[]> {
  for (const [i, change] of changes.entries()) {
    try {
      await publishOne(change, deps);
    } catch (e) {
      deps.logger.error('publishing an order change failed; the stream retries it', { orderNo: change.after.orderNo, error: e });
      return changes.slice(i).map((c) => c.recordId);
    }
  }
  return [];
}

async function publishOne(change: OrderChange, deps: EventsDeps): Promise<void> {
  // The ledger's rows first (shared/ledger): derived from the same change, written idempotently; a
  // failure retries the change with its events, which are logged once whatever comes again.
  await recordLedger(change.before, change.after, deps.ledger);
  const events = orderEvents(change.before, change.after);
  if (events.length === 0) return;
  const logged: OrderEvent[] = [];
  for (const e of events) {
    const r = await deps.events.logEvent(
      { id: e.id, type: e.type, timestamp: e.timestamp, orderNo: change.after.orderNo, body: envelopeOf(e) },
      deps.webhook !== undefined,
    );
    if (r.kind === 'logged') {
      logged.push(e);
      deps.count(MetricName.EventsPublished);
    }
  }
  // The bus put and the first webhook attempts run side by side and neither waits on the other: a
  // bus that refuses the events (the stream retries the change) never holds back the webhook, whose
  // first attempt only this invocation makes (it logged the event). A failed attempt is retried on
  // the schedule; an attempt that could not be made at all stays due for the retrier.
  const attempts = deps.webhook === undefined ? [] : logged.map((e) => deliver(e.id, deps));
  const [put, ...tried] = await Promise.allSettled([deps.bus.put(events), ...attempts]);
  for (const t of tried) {
    if (t.status === 'rejected') deps.logger.error('a first webhook attempt could not be made; the retrier makes it', { orderNo: change.after.orderNo, error: t.reason });
  }
  if (put?.status === 'rejected') throw put.reason;
  for (const e of events) deps.logger.info('event published', { eventId: e.id, type: e.type, orderNo: change.after.orderNo, logged: logged.includes(e) });
}
