/**
 * What the events use cases need from the world: the event log (shared/store/events.ts), the
 * event bus (EventBridge), and an HTTP client for webhooks (global fetch in production).
 */
import type { Actor, Order } from '../domain/order.ts';
import type { LedgerStore } from '../ledger/ports.ts';
import type { DeliveryStatus, EventType } from './event-shape.ts';
import type { OrderEvent } from './reply-schemas.ts';
import type { PaymentLogger } from '../payments/ports.ts';
import type { SigningSecrets } from '../signing-secrets.ts';

export type { DeliveryStatus };

/** One webhook delivery attempt, as recorded on the event. */
export interface DeliveryAttempt {
  /** ISO time the attempt started. */
  at: string;
  /** The receiver's HTTP status; absent when no reply came (timeout, connection refused). */
  status?: number;
  latencyMs: number;
  /** Why it failed, when no reply came. */
  error?: string;
}


/** An event as the log keeps it. */
export interface EventRecord {
  id: string;
  type: EventType;
  timestamp: string;
  orderNo: string;
  /** The envelope exactly as it is sent (every delivery sends these bytes). */
  body: string;
  /** Epoch ms it was logged. */
  loggedAt: number;
  /** Its place in the log: the cursor of GET /events. */
  eventSeq: string;
  delivery: {
    status: DeliveryStatus;
    attempts: DeliveryAttempt[];
    /** ISO time of the next attempt, while one is due. */
    nextAt?: string;
    /** Where the current round of retries began in `attempts` (a redelivery starts a new round). */
    roundFrom?: number;
    /** Each redelivery asked for: where its round began in `attempts`, when, and who asked. */
    rounds?: RedeliveryRound[];
  };
}

/** A redelivery asked for through the API (POST /events/{id}/redeliver, POST /events/redeliver). */
export interface RedeliveryRound {
  /** Where its round of attempts begins in `attempts`. */
  from: number;
  /** ISO time it was asked for. */
  at: string;
  actor?: Actor;
}

/** What the log keeps of an event when it is logged. */
export interface EventToLog {
  id: string;
  type: EventType;
  timestamp: string;
  orderNo: string;
  body: string;
}

export interface EventStore {
  /**
   * Logs each event once, in order, each at the next position of the log (`exists`: it was logged
   * before, where it was). `webhook`: a delivery is due at once.
   */
  logEvents(events: readonly EventToLog[], webhook: boolean): Promise<Array<{ kind: 'logged'; record: EventRecord } | { kind: 'exists' }>>;
  getEvent(id: string): Promise<EventRecord | undefined>;
  /**
   * Events after cursor `after` (from the start without one), in log order: at most `limit`, and
   * none more once the bodies read pass `maxBytes`. Events logged before positions existed are
   * listed first, those logged before `legacyUntil` (epoch ms). `next`: where to go on from, while
   * more may remain.
   */
  listEvents(q: { after?: string | undefined; limit: number; type?: EventType | undefined; maxBytes: number; legacyUntil: number }): Promise<{ events: EventRecord[]; next?: string | undefined }>;
  /** The right to send a delivery now (no other sender for `leaseMs`); undefined when someone has it. */
  takeDelivery(id: string, leaseMs: number): Promise<{ leaseId: string; record: EventRecord } | undefined>;
  /** Records an attempt under the lease and what comes next: another attempt at `at`, delivered, or failed (at `at`). */
  recordAttempt(
    id: string,
    leaseId: string,
    attempt: DeliveryAttempt,
    next: { status: 'pending'; at: number } | { status: 'delivered' } | { status: 'failed'; at: number },
  ): Promise<EventRecord | undefined>;
  /**
   * Puts a delivery back in the queue, due now, with a new round of retries starting at attempt
   * `roundFrom`, recording who asked (`actor`).
   */
  queueRedelivery(id: string, roundFrom: number, actor?: Actor): Promise<EventRecord | undefined>;
  /** Ids of events whose next delivery attempt is due at `now`. */
  dueDeliveries(now: number, limit: number): Promise<string[]>;
  /** Ids of events whose delivery failed at or after `since` (epoch ms). */
  failedSince(since: number, limit: number): Promise<string[]>;
  /**
   * Events whose delivery failed (gave up after its last retry), the latest failure first: at most
   * `limit`, after `after` (the place of the last one listed before). `next`: while more may remain.
   */
  listFailed(q: { limit: number; after?: FailedPlace | undefined }): Promise<EventPage<FailedPlace>>;
  /**
   * One order's events, oldest first (in log order): at most `limit`, after `after` (the `eventSeq`
   * of the last one listed before). `next`: while more may remain. Events logged before this
   * listing existed are not in it (they are in the log).
   */
  listForOrder(q: { orderNo: string; limit: number; after?: string | undefined }): Promise<EventPage<string>>;
  /** The latest `limit` events of the log, newest first (events logged before positions are not among them). */
  recentEvents(limit: number): Promise<EventRecord[]>;
}

/** Where the failed deliveries' listing is: the failure time (epoch ms) and the event. */
export interface FailedPlace {
  at: number;
  id: string;
}

/** A page of a listing of events: each with its place in the listing, and where the next page starts. */
export interface EventPage<P> {
  events: Array<{ record: EventRecord; place: P }>;
  next?: P;
}

/**
 * One committed change: the order before (absent for a new order) and after, as the events function
 * reads them from the table's stream (shared/store/order-stream.ts).
 */
export interface OrderChange {
  /** The stream record's id, for the batch-failure reply. */
  recordId: string;
  before: Order | undefined;
  after: Order;
}

/** The event bus: EventBridge's PutEvents (source `toss-pay`, detail-type = the event's type). */
export interface EventBus {
  put(events: readonly OrderEvent[]): Promise<void>;
}

export interface EventsDeps {
  events: EventStore;
  /** The ledger the events function derives from the same changes (shared/ledger). */
  ledger: LedgerStore;
  bus: EventBus;
  /** The merchant's webhook, when one is configured. */
  webhook?: { url: string; secrets: () => Promise<SigningSecrets>; retrySchedule: readonly number[] } | undefined;
  fetch: typeof fetch;
  clock: () => number;
  logger: PaymentLogger;
  count: (name: string) => void;
}
