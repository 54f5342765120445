/**
 * From the table's change stream to the merchant: for each committed change of an order, its
 * ledger rows (shared/ledger) are recorded, and its events (order-events.ts) are logged once each
 * (the log is the source of GET /events and of every webhook delivery), put on the event bus, and
 * sent to every webhook endpoint that wants it, first attempts at once. A change of the webhook
 * endpoints themselves gives its events too (an endpoint disabled for failing: endpoint.disabled).
 *
 * No dual writes: the code that changes orders publishes nothing; an event exists iff its change
 * was committed. The stream may deliver a change more than once: the event ids are the same, the
 * log keeps one of each with its deliveries (made in the same transaction: to the endpoints as they
 * are when it is logged), and a delivery is first attempted only by whoever logged the event. The
 * bus gets an event again when its change comes again (at least once; receivers dedupe by id).
 *
 * No receiver holds anything back: the log and the bus never wait on a webhook. First attempts
 * start as their events are logged, a few at a time per endpoint (`concurrency`: one endpoint's
 * slow receiver never takes another's), each given at most `budgetMs`; once the log and the bus
 * are done the invocation waits for them at most `budgetMs` more, then cuts those still open. An attempt cut is recorded and retried on the schedule, one not
 * started is left due for the retrier. A receiver that hangs costs each invocation at most the
 * budget, so the stream moves on and none of its records ages out while the receiver is down.
 */
import { randomUUID } from 'node:crypto';
import { recordLedger } from '../ledger/record.ts';
import { MetricName } from '../metrics.ts';
import { endpointEvents } from './endpoint-events.ts';
import { fanOut, type Endpoint } from './endpoint-model.ts';
import { endpointPools } from './endpoint-pools.ts';
import { envelopeOf } from './envelope.ts';
import { EventBusError } from './errors.ts';
import { orderEvents } from './order-events.ts';
import type { Change, DeliveryRecord, EventToLog, OrderChange, PublishDeps } from './ports.ts';
import type { LoggedEvent } from './reply-schemas.ts';
import { deliverTaken, FIRST_LEASE_MARGIN_MS, healthRecorder, loadEndpoints, type DeliveryContext } from './webhooks.ts';

export type { Change, OrderChange };

export interface PublishOptions {
  /** How long a first webhook attempt may take, and the invocation wait for them after the log and the bus. */
  budgetMs: number;
  /** Epoch ms by which every first attempt has ended, whatever the budget (the invocation's time). */
  deadline: number;
  /** First webhook attempts in flight at once, per endpoint. */
  concurrency: number;
}

/** Events logged per store call: a failure fails the changes from the first of the call on. */
const LOG_GROUP = 25;
/** An attempt is not started with less time than this (a budget under it: the retrier makes every attempt). */
const MIN_ATTEMPT_MS = 250;

/**
 * First webhook attempts, as events are logged: per endpoint at most `concurrency` at once, each
 * within the budget. The log makes their deliveries with this invocation's `lease` already on them
 * (until `deadline`, by which every first attempt has ended, and a margin to record it), so a first
 * attempt costs no write to take it; one never started gives its lease up at the end, for the retrier.
 */
function firstAttempts(deps: PublishDeps, o: PublishOptions, ctx: DeliveryContext) {
  const stop = new AbortController();
  let startBy = o.deadline;
  const making = o.budgetMs >= MIN_ATTEMPT_MS;
  const lease = making ? { id: randomUUID(), until: o.deadline + FIRST_LEASE_MARGIN_MS } : undefined;
  const notStarted = new Map<string, DeliveryRecord>();
  const pools = endpointPools({
    concurrency: o.concurrency,
    canStart: () => making && !stop.signal.aborted && deps.clock() + MIN_ATTEMPT_MS <= startBy,
    onError: (e) => deps.logger.error('a first webhook attempt could not be made; the retrier makes it', { error: e }),
  });
  return {
    lease,
    /** A delivery the log just made with the lease. */
    add(record: DeliveryRecord): void {
      if (lease === undefined) return;
      const key = `${record.eventId}#${record.endpointId}`;
      notStarted.set(key, record);
      pools.add(record.endpointId, async () => {
        notStarted.delete(key);
        await deliverTaken(record, lease.id, deps, ctx, { deadline: Math.min(deps.clock() + o.budgetMs, o.deadline), stop: stop.signal });
      });
    },
    /**
     * Once the log and the bus are done: waits for the attempts at most the budget more, then cuts
     * those still open (each records its attempt); the rest are given up to the retrier.
     */
    async finish(): Promise<void> {
      startBy = Math.min(deps.clock() + o.budgetMs, o.deadline);
      const timer = setTimeout(() => stop.abort(), Math.max(0, startBy - deps.clock()));
      try {
        await pools.idle();
      } finally {
        clearTimeout(timer);
      }
      await ctx.health.flush();
      const left = [...notStarted.values()];
      if (left.length === 0 || lease === undefined) return;
      deps.logger.info('first webhook attempts left to the retrier: no time left in this invocation', { count: left.length });
      await Promise.all(
        left.map((r) =>
          deps.deliveries.release(r.eventId, r.endpointId, lease.id).catch((e: unknown) => deps.logger.warn('a first attempt\'s lease could not be given up; it lapses', { eventId: r.eventId, error: e })),
        ),
      );
    },
  };
}

/** The events of one change, and who gets each as it is logged. */
function eventsOf(c: Change, endpoints: readonly Endpoint[]): Array<{ event: LoggedEvent; log: EventToLog }> {
  const events: LoggedEvent[] = c.kind === 'endpoints' ? endpointEvents(c.before, c.after) : orderEvents(c.before, c.after);
  return events.map((e) => {
    const about = e.type === 'endpoint.disabled' ? { endpointId: e.data.endpointId } : { orderNo: e.data.orderNo };
    return { event: e, log: { id: e.id, type: e.type, timestamp: e.timestamp, ...about, body: envelopeOf(e), deliveries: fanOut(endpoints, e.type, about.endpointId) } };
  });
}

/**
 * Publishes the events of `changes`, in order. Returns the recordIds that failed (the stream
 * retries from the first of them): a failure of one change never loses the others' events, and
 * never reorders an order's changes (everything after a failed change is retried with it).
 */
export async function publishChanges(changes: readonly Change[], deps: PublishDeps, opts: PublishOptions): Promise<string[]> {
  let failedFrom = changes.length;
  const fail = (from: number, what: string, error: unknown): void => {
    if (from >= failedFrom) return;
    failedFrom = from;
    const c = changes[from];
    if (c?.kind === 'endpoints') deps.logger.error('publishing a change of the webhook endpoints failed; the stream retries it', { step: what, error });
    else deps.logger.error('publishing an order change failed; the stream retries it', { orderNo: c?.after.orderNo, step: what, error });
  };

  // Who gets the events: the endpoints as they are now (one read per invocation).
  let endpoints: Map<string, Endpoint>;
  try {
    endpoints = await loadEndpoints(deps);
  } catch (e) {
    fail(0, 'endpoints', e);
    return changes.map((c) => c.recordId);
  }
  const events = changes.map((c) => eventsOf(c, [...endpoints.values()]));
  const bodies = new Map(events.flat().map(({ log }) => [log.id, log.body]));
  const hooks = firstAttempts(deps, opts, { endpoints, body: (id) => Promise.resolve(bodies.get(id)), health: healthRecorder(deps) });

  // The ledger's rows first (shared/ledger): derived from the same changes, each written
  // idempotently, side by side; a failure retries its change (and those after it) with their
  // events, which are logged once whatever comes again.
  const ledger = await Promise.allSettled(changes.map((c) => (c.kind === 'endpoints' ? Promise.resolve() : recordLedger(c.before, c.after, deps.ledger))));
  for (const [i, r] of ledger.entries()) if (r.status === 'rejected') fail(i, 'ledger', r.reason);

  // The log, a group of changes per call, in order.
  for (let i = 0; i < failedFrom; ) {
    let end = i;
    let count = 0;
    while (end < failedFrom && (end === i || count + (events[end]?.length ?? 0) <= LOG_GROUP)) count += events[end++]?.length ?? 0;
    const group = events.slice(i, end).flat();
    try {
      const logged = group.length === 0 ? [] : await deps.events.logEvents(group.map((e) => ({ ...e.log, lease: hooks.lease })));
      for (const [k, r] of logged.entries()) {
        const { event: e, log } = group[k] as (typeof group)[number];
        deps.logger.info('event published', { eventId: e.id, type: e.type, ...(log.orderNo !== undefined ? { orderNo: log.orderNo } : { endpointId: log.endpointId }), logged: r.kind === 'logged', endpoints: log.deliveries.length });
        if (r.kind !== 'logged') continue;
        deps.count(MetricName.EventsPublished);
        // Only the invocation that logged an event makes its first attempts: it holds their lease.
        for (const d of log.deliveries) {
          if (d.waiting) continue;
          hooks.add({ eventId: e.id, endpointId: d.endpointId, type: e.type, loggedAt: r.record.loggedAt, status: 'pending', attempts: [], attemptCount: 0, roundFrom: 0 });
        }
      }
    } catch (e) {
      fail(i, 'log', e);
    }
    i = end;
  }

  // The bus: every event of the changes logged (again when a change comes again).
  const onBus = events.slice(0, failedFrom).flat().map((x) => x.event);
  if (onBus.length > 0) {
    try {
      await deps.bus.put(onBus);
    } catch (e) {
      const put = e instanceof EventBusError ? e.put : 0;
      // The change of the first event not put, and everything after it.
      let seen = 0;
      const from = events.findIndex((es) => (seen += es.length) > put);
      fail(from === -1 ? 0 : from, 'bus', e);
    }
  }

  await hooks.finish();
  return changes.slice(failedFrom).map((c) => c.recordId);
}
