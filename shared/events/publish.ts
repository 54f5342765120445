/**
 * From the table's change stream to the merchant: for each committed change of an order, its
 * ledger rows (shared/ledger) are recorded, and its events (order-events.ts) are logged once each
 * (the log is the source of GET /events and of every webhook delivery), put on the event bus, and
 * sent to the webhook, first attempt at once.
 *
 * No dual writes: the code that changes orders publishes nothing; an event exists iff its change
 * was committed. The stream may deliver a change more than once: the event ids are the same, the
 * log keeps one of each, and a webhook is first attempted only by whoever logged the event. The
 * bus gets an event again when its change comes again (at least once; receivers dedupe by id).
 *
 * No receiver holds anything back: the log and the bus never wait on a webhook. First attempts
 * start as their events are logged, a few at a time (`concurrency`), each given at most
 * `budgetMs`; once the log and the bus are done the invocation waits for them at most `budgetMs`
 * more, then cuts those still open. An attempt cut is recorded and retried on the schedule, one not
 * started is left due for the retrier. A receiver that hangs costs each invocation at most the
 * budget, so the stream moves on and none of its records ages out while the receiver is down.
 */
import { recordLedger } from '../ledger/record.ts';
import { MetricName } from '../metrics.ts';
import { envelopeOf } from './envelope.ts';
import { EventBusError } from './errors.ts';
import { orderEvents, type OrderEvent } from './order-events.ts';
import type { EventsDeps, OrderChange } from './ports.ts';

export type { OrderChange };
import { deliver } from './webhooks.ts';


export interface PublishOptions {
  /** How long a first webhook attempt may take, and the invocation wait for them after the log and the bus. */
  budgetMs: number;
  /** Epoch ms by which every first attempt has ended, whatever the budget (the invocation's time). */
  deadline: number;
  /** First webhook attempts in flight at once. */
  concurrency: number;
}

/** Events logged per store call: a failure fails the changes from the first of the call on. */
const LOG_GROUP = 25;
/** An attempt is not started with less time than this (a budget under it: the retrier makes every attempt). */
const MIN_ATTEMPT_MS = 250;

/** First webhook attempts, as events are logged: at most `concurrency` at once, each within the budget. */
function firstAttempts(deps: EventsDeps, o: PublishOptions) {
  const queue: string[] = [];
  const started: Promise<void>[] = [];
  const stop = new AbortController();
  let startBy = o.deadline;
  let running = 0;
  const pump = (): void => {
    while (running < o.concurrency && queue.length > 0 && o.budgetMs >= MIN_ATTEMPT_MS && !stop.signal.aborted && deps.clock() + MIN_ATTEMPT_MS <= startBy) {
      const id = queue.shift() as string;
      running++;
      started.push(
        deliver(id, deps, { deadline: Math.min(deps.clock() + o.budgetMs, o.deadline), stop: stop.signal })
          .then(
            () => undefined,
            (e: unknown) => deps.logger.error('a first webhook attempt could not be made; the retrier makes it', { eventId: id, error: e }),
          )
          .finally(() => {
            running--;
            pump();
          }),
      );
    }
  };
  return {
    add(id: string): void {
      queue.push(id);
      pump();
    },
    /**
     * Once the log and the bus are done: waits for the attempts at most the budget more, then cuts
     * those still open (each records its attempt); the rest stay due for the retrier.
     */
    async finish(): Promise<void> {
      startBy = Math.min(deps.clock() + o.budgetMs, o.deadline);
      const timer = setTimeout(() => stop.abort(), Math.max(0, startBy - deps.clock()));
      try {
        // An attempt that ends starts the next one queued: wait for those too.
        for (let seen = 0; seen < started.length; ) {
          const upTo = started.length;
          await Promise.all(started.slice(seen, upTo));
          seen = upTo;
        }
      } finally {
        clearTimeout(timer);
      }
      if (queue.length > 0) deps.logger.info('first webhook attempts left to the retrier: no time left in this invocation', { count: queue.length });
    },
  };
}

/**
 * Publishes the events of `changes`, in order. Returns the recordIds that failed (the stream
 * retries from the first of them): a failure of one change never loses the others' events, and
 * never reorders an order's changes (everything after a failed change is retried with it).
 */
export async function publishChanges(changes: readonly OrderChange[], deps: EventsDeps, opts: PublishOptions): Promise<string[]> {
  const events = changes.map((c) => orderEvents(c.before, c.after));
  const hooks = deps.webhook === undefined ? undefined : firstAttempts(deps, opts);
  let failedFrom = changes.length;
  const fail = (from: number, what: string, error: unknown): void => {
    if (from >= failedFrom) return;
    failedFrom = from;
    deps.logger.error('publishing an order change failed; the stream retries it', { orderNo: changes[from]?.after.orderNo, step: what, error });
  };

  // The ledger's rows first (shared/ledger): derived from the same changes, each written
  // idempotently, side by side; a failure retries its change (and those after it) with their
  // events, which are logged once whatever comes again.
  const ledger = await Promise.allSettled(changes.map((c) => recordLedger(c.before, c.after, deps.ledger)));
  for (const [i, r] of ledger.entries()) if (r.status === 'rejected') fail(i, 'ledger', r.reason);

  // The log, a group of changes per call, in order.
  for (let i = 0; i < failedFrom; ) {
    let end = i;
    let count = 0;
    while (end < failedFrom && (end === i || count + (events[end]?.length ?? 0) <= LOG_GROUP)) count += events[end++]?.length ?? 0;
    const group = events.slice(i, end).flat();
    try {
      const logged = group.length === 0 ? [] : await deps.events.logEvents(group.map((e) => ({ id: e.id, type: e.type, timestamp: e.timestamp, orderNo: e.data.orderNo, body: envelopeOf(e) })), hooks !== undefined);
      for (const [k, r] of logged.entries()) {
        const e = group[k] as OrderEvent;
        deps.logger.info('event published', { eventId: e.id, type: e.type, orderNo: e.data.orderNo, logged: r.kind === 'logged' });
        if (r.kind !== 'logged') continue;
        deps.count(MetricName.EventsPublished);
        hooks?.add(e.id);
      }
    } catch (e) {
      fail(i, 'log', e);
    }
    i = end;
  }

  // The bus: every event of the changes logged (again when a change comes again).
  const onBus = events.slice(0, failedFrom).flat();
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

  await hooks?.finish();
  return changes.slice(failedFrom).map((c) => c.recordId);
}
