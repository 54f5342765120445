/**
 * What the events use cases need from the world: the event log (shared/store/events.ts), the
 * deliveries, the endpoints and their health (shared/store/), the event bus (EventBridge), and an
 * HTTP client for webhooks (./webhook-http.ts).
 */
import type { Actor, Order } from '../domain/order.ts';
import type { LedgerStore } from '../ledger/ports.ts';
import type { LookupAddress } from 'node:dns';
import type { SigningSecrets } from '../signing-secrets.ts';
import type { DeliveryState, DeliveryStatus, EventType } from './event-shape.ts';
import type { LoggedEvent } from './reply-schemas.ts';
import type { PaymentLogger } from '../payments/ports.ts';

/** Why an endpoint is disabled: its attempts failed for WEBHOOK_DISABLE_AFTER_DAYS (it still collects what it misses), or the merchant said so. */
export type DisabledReason = 'failing' | 'merchant';

/** An endpoint the API manages, as the table keeps it (shared/store/webhook-endpoints.ts). */
export interface StoredEndpoint {
  id: string;
  url: string;
  description?: string | undefined;
  /** The event types it gets; absent: every type. */
  eventTypes?: EventType[] | undefined;
  enabled: boolean;
  disabledReason?: DisabledReason | undefined;
  /** Epoch ms. */
  disabledAt?: number | undefined;
  /** When its failing began, for an endpoint disabled for failing (epoch ms). */
  failingSince?: number | undefined;
  createdAt: number;
  updatedAt: number;
  /** `whsec_…`: never shown but at creation and rotation, never logged. */
  secret: string;
  /** The secret before the last rotation, and until when it still signs (epoch ms). */
  previousSecret?: string | undefined;
  previousUntil?: number | undefined;
  /**
   * Set when it is enabled again: its undelivered events are queued again by the retrier, which
   * walks them oldest first from `after` (a place in its open deliveries, '' from the start) and
   * removes this when done.
   */
  catchUp?: { after: string } | undefined;
}

/** Every endpoint, as one delivery needs it: where, how it is signed, whether it takes events now. */
export interface Endpoint {
  id: string;
  url: string;
  eventTypes?: readonly EventType[] | undefined;
  enabled: boolean;
  disabledReason?: DisabledReason | undefined;
  /** The configured endpoint (MERCHANT_WEBHOOK_URL): read only through the API, never disabled. */
  managed: 'api' | 'configuration';
  secrets: () => Promise<SigningSecrets>;
}

/** One committed change: an order's (before: absent for a new order), or the webhook endpoints', as the events function reads them from the table's stream (shared/store/stream-changes.ts). */
export type Change =
  | {
      /** The stream record's id, for the batch-failure reply. */
      recordId: string;
      kind?: 'order';
      before: Order | undefined;
      after: Order;
    }
  | { recordId: string; kind: 'endpoints'; before: StoredEndpoint[]; after: StoredEndpoint[] };
/** An order's change (the stream's records of orders). */
export type OrderChange = Extract<Change, { before: Order | undefined }>;

/** Which endpoint URLs are taken: `local` (npm start: http to loopback too) or `public` (deployed: https to public addresses only). */
export type UrlPolicy = 'local' | 'public';
/** Name resolution, as endpoint URLs are checked with. */
export type Resolver = (host: string) => Promise<LookupAddress[]>;

/** One webhook POST. */
export interface WebhookPost {
  url: string;
  headers: Record<string, string>;
  body: string;
  /** Ends the request (the caller's timeout or deadline); the call then rejects. */
  signal: AbortSignal;
}
/** The receiver's status, or why no reply came. */
export type WebhookReply = { status: number } | { error: string };
/** Sends one delivery. Never throws: a failure is a reply without a status. */
export type WebhookHttp = (p: WebhookPost) => Promise<WebhookReply>;

/** One webhook delivery attempt, as recorded on its delivery. */
export interface DeliveryAttempt {
  /** ISO time the attempt started. */
  at: string;
  /** The receiver's HTTP status; absent when no reply came (timeout, connection refused). */
  status?: number;
  latencyMs: number;
  /** Why it failed, when no reply came. */
  error?: string;
}

export type { DeliveryState, DeliveryStatus };

/** An event's delivery to one endpoint, as the table keeps it (shared/store/deliveries.ts). */
export interface DeliveryRecord {
  eventId: string;
  endpointId: string;
  type: EventType;
  /** Epoch ms the event was logged. */
  loggedAt: number;
  status: DeliveryState;
  /** The latest attempts (at most MAX_KEPT_ATTEMPTS), oldest first. */
  attempts: DeliveryAttempt[];
  /** Every attempt ever made. */
  attemptCount: number;
  /** The attemptCount when the current round of retries began (a redelivery starts a new one). */
  roundFrom: number;
  /** ISO time of the next attempt, while one is due. */
  nextAt?: string;
  /** It has failed and is not delivered yet: listed among its endpoint's open deliveries (the oldest undelivered, the catch-up). */
  open?: boolean;
  /** Each redelivery asked for through the API: its `from` the attemptCount its round began at, when, and who asked. */
  rounds?: RedeliveryRound[];
}

/** Where a due (or failed) delivery is: one of an event to an endpoint, or an event logged before endpoints (its delivery on the event itself). */
export type DeliveryKey = { kind: 'delivery'; eventId: string; endpointId: string } | { kind: 'legacy'; eventId: string };

/** An event as the log keeps it. */
export interface EventRecord {
  id: string;
  type: EventType;
  timestamp: string;
  /** The order an order event is about. */
  orderNo?: string;
  /** The endpoint an endpoint event is about. */
  endpointId?: string;
  /** The envelope exactly as it is sent (every delivery sends these bytes). */
  body: string;
  /** Epoch ms it was logged. */
  loggedAt: number;
  /** Its place in the log: the cursor of GET /events. */
  eventSeq: string;
  /** The endpoints it was given to (each delivery an item of its own). Absent on events logged before endpoints. */
  endpoints?: string[];
  /** Events logged before endpoints: the one delivery, to MERCHANT_WEBHOOK_URL, kept on the event. */
  delivery?: {
    status: 'none' | 'pending' | 'delivered' | 'failed';
    attempts: DeliveryAttempt[];
    nextAt?: string;
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

/** What the log keeps of an event when it is logged, and who gets it. */
export interface EventToLog {
  id: string;
  type: EventType;
  timestamp: string;
  orderNo?: string | undefined;
  endpointId?: string | undefined;
  body: string;
  /** Its deliveries, made in the same transaction: due at once, or waiting (a disabled endpoint). */
  deliveries: ReadonlyArray<{ endpointId: string; waiting: boolean }>;
  /**
   * The lease the due ones are made with: the invocation logging the event makes their first attempts
   * (no other sender takes them before `until`), without a write to take them.
   */
  lease?: { id: string; until: number } | undefined;
}

export interface EventStore {
  /**
   * Logs each event once, in order, each at the next position of the log, with its deliveries
   * (`exists`: it was logged before, where it was).
   */
  logEvents(events: readonly EventToLog[]): Promise<Array<{ kind: 'logged'; record: EventRecord } | { kind: 'exists' }>>;
  getEvent(id: string): Promise<EventRecord | undefined>;
  /**
   * Events after cursor `after` (from the start without one), in log order: at most `limit`, and
   * none more once the bodies read pass `maxBytes`. Events logged before positions existed are
   * listed first, those logged before `legacyUntil` (epoch ms). `next`: where to go on from, while
   * more may remain.
   */
  listEvents(q: { after?: string | undefined; limit: number; type?: EventType | undefined; maxBytes: number; legacyUntil: number }): Promise<{ events: EventRecord[]; next?: string | undefined }>;
  /** The events of these ids that exist, in the order given. */
  getEvents(ids: readonly string[]): Promise<EventRecord[]>;
  /**
   * One order's events, oldest first (in log order): at most `limit`, after `after` (the `eventSeq`
   * of the last one listed before). `next`: while more may remain. Events logged before this
   * listing existed are not in it (they are in the log).
   */
  listForOrder(q: { orderNo: string; limit: number; after?: string | undefined }): Promise<EventPage<string>>;
  /** The latest `limit` events of the log, newest first (events logged before positions are not among them). */
  recentEvents(limit: number): Promise<EventRecord[]>;
}

/** Where the failed deliveries' listing is: the failure time (epoch ms), the event, and the endpoint (none: an event logged before endpoints). */
export interface FailedPlace {
  at: number;
  id: string;
  endpointId?: string | undefined;
}

/** A page of a listing of events: each with its place in the listing, and where the next page starts. */
export interface EventPage<P> {
  events: Array<{ record: EventRecord; place: P }>;
  next?: P;
}

/** What comes after an attempt: another at `at`, delivered, or failed (at `at`: the retry schedule ran out). */
export type AfterAttempt = { status: 'pending'; at: number } | { status: 'delivered' } | { status: 'failed'; at: number };

/** The deliveries: one item per event and endpoint, each with its own attempts, lease and due time. */
export interface DeliveryStore {
  /** The deliveries of events to endpoints (those that exist), by `eventId` then `endpointId`. */
  getDeliveries(wanted: ReadonlyArray<{ eventId: string; endpointIds: readonly string[] }>): Promise<Map<string, Map<string, DeliveryRecord>>>;
  /** The right to send a pending delivery now (no other sender for `leaseMs`); undefined when someone has it, or it is not pending. */
  take(eventId: string, endpointId: string, leaseMs: number): Promise<{ leaseId: string; record: DeliveryRecord } | undefined>;
  /** Gives a lease up (an attempt that was never made): the delivery is the retrier's at once. */
  release(eventId: string, endpointId: string, leaseId: string): Promise<void>;
  /** Records an attempt under the lease (the record it was taken with) and what comes next. */
  record(r: DeliveryRecord, leaseId: string, attempt: DeliveryAttempt, next: AfterAttempt): Promise<DeliveryRecord | undefined>;
  /** Under its lease: a delivery whose endpoint is disabled waits for it (out of the due index, among its open deliveries). */
  park(r: DeliveryRecord, leaseId: string): Promise<boolean>;
  /** Under its lease: a delivery whose endpoint was deleted; nothing more is sent. */
  cancel(r: DeliveryRecord, leaseId: string): Promise<boolean>;
  /**
   * Queues a delivery again, due now, in a new round of retries, whatever its state, recording who
   * asked (`actor`); made when the event never had one for the endpoint.
   */
  queue(event: Pick<EventRecord, 'id' | 'type' | 'loggedAt'>, endpointId: string, actor?: Actor): Promise<DeliveryRecord>;
  /** A delivery of an endpoint removed that waits or has failed: cancelled, its pointer closed (false when it is in another state). */
  close(eventId: string, endpointId: string): Promise<boolean>;
  /** Queues an existing delivery again, due now, in a new round: only from one of `from` (undefined when it is in none). */
  requeue(
    eventId: string,
    endpointId: string,
    from: readonly DeliveryState[],
    /** A redelivery asked for through the API: its round is recorded, with who asked. */
    redelivery?: { actor?: Actor | undefined },
  ): Promise<DeliveryRecord | undefined>;
  /** Adds `endpointId` to the event's endpoints (a redelivery to one it was not given to). */
  addEndpoint(eventId: string, endpointId: string): Promise<void>;
  /**
   * The deliveries to these endpoints whose next attempt is due at `now` (oldest due first, at most
   * `perEndpoint` of each endpoint's), and as many of the events logged before endpoints.
   */
  due(endpointIds: readonly string[], now: number, perEndpoint: number): Promise<DeliveryKey[]>;
  /** Whether any delivery to the endpoint is in its due shards (due now or later). */
  anyDue(endpointId: string): Promise<boolean>;
  /** The deliveries that failed at or after `since` (epoch ms). */
  failedSince(since: number, limit: number): Promise<DeliveryKey[]>;
  /**
   * The deliveries that failed (their retries ran out), the latest failure first: at most `limit`,
   * after `after` (the place of the last one listed before). `next`: while more may remain.
   */
  listFailed(q: { limit: number; after?: FailedPlace | undefined }): Promise<{ items: Array<{ key: DeliveryKey; place: FailedPlace }>; next?: FailedPlace }>;
  /** An endpoint's open deliveries (failed at least once, not delivered), oldest event first, after `after` (a place: '' for the start). */
  openDeliveries(endpointId: string, after: string, limit: number): Promise<{ items: Array<{ eventId: string; loggedAt: number; place: string }>; more: boolean }>;
  /**
   * An event logged before endpoints, taken over as a delivery to `endpointId` (the configured
   * endpoint): its state, attempts and due time move to a delivery item. False when it was not
   * (taken over already, or an attempt of the old code holds its lease).
   */
  adoptLegacy(r: EventRecord, endpointId: string): Promise<boolean>;
}

/**
 * What is done with a delivery whose lease is held (each call names the lease): what an attempt
 * needs once it has its lease, and all the events function's first attempts need (the log gives
 * them their lease).
 */
export type LeasedDeliveries = Pick<DeliveryStore, 'release' | 'record' | 'park' | 'cancel'>;

/** The endpoints the API manages: one item (shared/store/webhook-endpoints.ts), changed by conditional writes. */
export interface EndpointStore {
  list(): Promise<StoredEndpoint[]>;
  /** Adds one; `limit`: the store already holds MAX_ENDPOINTS (nothing written). */
  create(e: StoredEndpoint, max: number): Promise<'created' | 'limit'>;
  /** Sets and removes fields of endpoint `id` (`when`: a condition on its fields as they are); undefined when there is no such endpoint, or the condition failed. */
  update(id: string, set: Partial<StoredEndpoint>, remove: ReadonlyArray<keyof StoredEndpoint>, when?: { enabled?: boolean; catchUpAfter?: string }): Promise<StoredEndpoint | undefined>;
  /** Removes one, leaving a mark (`removed`) until its open deliveries are cancelled (the retrier). */
  remove(id: string): Promise<boolean>;
  /** Endpoints removed whose open deliveries are still to be cancelled, and the place the walk is at ('' from the start). */
  removed(): Promise<Array<{ id: string; after: string }>>;
  /** Moves a removed endpoint's walk on to `to` (from `from`), or, `to` undefined, ends it. */
  removedProgress(id: string, from: string, to: string | undefined): Promise<void>;
}

/** An endpoint's attempts in one hour (its `hour`: epoch hours). */
export interface HourCount {
  hour: number;
  ok: number;
  failed: number;
}

/** What the health item of an endpoint holds (shared/store/webhook-health.ts). */
export interface HealthRecord {
  lastAttempt?: DeliveryAttempt & { eventId: string; ok: boolean };
  lastSuccessAt?: number;
  /** The first failure since the last success (epoch ms). */
  failingSince?: number;
  consecutiveFailures: number;
  /** The last 24 hours' counts (older slots may be among them: the reader keeps the last day's). */
  hours: HourCount[];
}

/** Attempts to one endpoint summed up in the order they ended: what one health write records. */
export interface AttemptsSummary {
  ok: number;
  failed: number;
  /** The last of them. */
  last: DeliveryAttempt & { eventId: string; ok: boolean };
  /** When the last that succeeded ended (epoch ms), if one did. */
  lastOkAt?: number;
  /** The failures after it (all of them, without one), and when the first of those ended. */
  failsAfter: number;
  firstFailAfter?: number;
}

export interface HealthStore {
  /** Counts attempts (in the hour of `now`), keeps the last, and carries the failing streak on; the health after it. */
  recordAttempts(endpointId: string, a: AttemptsSummary, now: number): Promise<HealthRecord>;
  read(endpointId: string): Promise<HealthRecord>;
  /** The failing streak forgotten (an endpoint enabled again starts afresh). */
  resetStreak(endpointId: string): Promise<void>;
}

/** The event bus: EventBridge's PutEvents (source `toss-pay`, detail-type = the event's type). */
export interface EventBus {
  put(events: readonly LoggedEvent[]): Promise<void>;
}

export interface EventsDeps {
  events: EventStore;
  deliveries: DeliveryStore;
  endpoints: EndpointStore;
  health: HealthStore;
  /** The endpoint MERCHANT_WEBHOOK_URL configures, when it is set. */
  configured?: Endpoint | undefined;
  webhooks: {
    retrySchedule: readonly number[];
    /** Hours a rotated secret still signs. */
    rotationHours: number;
    /** Days of failing every attempt after which an endpoint is disabled. */
    disableAfterDays: number;
    policy: UrlPolicy;
    /** The name resolution endpoint URLs are checked with (the public policy). */
    resolve: Resolver;
  };
  http: WebhookHttp;
  clock: () => number;
  logger: PaymentLogger;
  count: (name: string) => void;
}

/** What an attempt of a delivery whose lease is held needs (shared/events/webhooks.ts, deliverTaken). */
export type AttemptDeps = Omit<EventsDeps, 'deliveries'> & { deliveries: LeasedDeliveries };

/**
 * What publishing the table's changes needs (shared/events/publish.ts, the events function alone):
 * the deliveries only as its first attempts use them (under the lease the log gives them), the
 * ledger it derives from the changes (shared/ledger) and the bus.
 */
export interface PublishDeps extends AttemptDeps {
  ledger: LedgerStore;
  bus: EventBus;
}
