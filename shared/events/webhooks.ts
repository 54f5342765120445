/**
 * Webhook deliveries (Standard Webhooks: signed headers, the same body every time, the same
 * `webhook-id` at every endpoint). Each event goes to each endpoint that wants it as a delivery of
 * its own (shared/store/deliveries.ts): its own attempts, lease, retry schedule
 * (WEBHOOK_RETRY_SCHEDULE, by default about 3 days in all) and status. A 2xx within 15 s is
 * delivered; anything else is retried after each delay of the schedule, and after the last the
 * delivery has failed: counted (an alarm), listed, and redeliverable by hand.
 *
 * Every attempt also counts in its endpoint's health (shared/store/webhook-health.ts; one write per
 * endpoint and invocation). An endpoint the API manages whose every attempt has failed for
 * WEBHOOK_DISABLE_AFTER_DAYS is disabled, by one conditional write (only the writer that makes it tells: a warning, the metric, and, from the
 * endpoints' change on the stream, an endpoint.disabled event to the others); its deliveries then
 * wait for it, and are sent again when it is enabled (the retrier's catch-up).
 */
import { MetricName } from '../metrics.ts';
import { ENV_ENDPOINT_ID, endpointOf, type Endpoint } from './endpoint-model.ts';
import { endpointPools } from './endpoint-pools.ts';
import { addAttempt, failedForDays } from './endpoint-health.ts';
import type { AfterAttempt, AttemptDeps, AttemptsSummary, DeliveryAttempt, DeliveryKey, DeliveryRecord, EventsDeps } from './ports.ts';
import { webhookHeaders } from './webhook-signing.ts';

export { REPLY_READ_BYTES } from './webhook-http.ts';

/** A receiver has this long to answer 2xx. */
export const WEBHOOK_TIMEOUT_MS = 15_000;
/** The lease on a delivery: longer than one attempt. */
const LEASE_MS = WEBHOOK_TIMEOUT_MS + 15_000;
/** What a lease made by the log outlasts the first attempts' time (their budget, twice: to start, then to run): to record them. */
export const FIRST_LEASE_MARGIN_MS = 10_000;
const SECOND = 1_000;
/**
 * Delays after each failed attempt (seconds): 5 s, 5 min, 30 min, 2 h, 5 h, 10 h, 10 h, 24 h, 24 h:
 * ten attempts over about 3 days.
 */
export const DEFAULT_RETRY_SCHEDULE: readonly number[] = [5, 300, 1_800, 7_200, 18_000, 36_000, 36_000, 86_400, 86_400];
/** Open deliveries a catch-up queues again per endpoint and retrier run; the rest in the next runs. */
const CATCH_UP_PER_RUN = 1_000;
/** Due deliveries a retrier run reads per endpoint (more than its attempts in flight can make in a run); the rest in the next runs. */
const DUE_PER_ENDPOINT = 500;

/** What comes after a failed attempt, the `failed`-th of its round: the next time, or giving up. */
export function afterFailure(failed: number, schedule: readonly number[], now: number): { status: 'pending'; at: number } | { status: 'failed'; at: number } {
  const delay = schedule[failed - 1];
  return delay === undefined ? { status: 'failed', at: now } : { status: 'pending', at: now + delay * SECOND };
}

/** Every endpoint by id: the configured one (MERCHANT_WEBHOOK_URL), then those of the API. */
export async function loadEndpoints(deps: Pick<EventsDeps, 'endpoints' | 'configured'>): Promise<Map<string, Endpoint>> {
  const stored = await deps.endpoints.list();
  return new Map([...(deps.configured !== undefined ? [deps.configured] : []), ...stored.map(endpointOf)].map((e) => [e.id, e]));
}

export interface AttemptOptions {
  /** Epoch ms by which the attempt ends, if before its timeout (recorded as `deadline`). */
  deadline?: number | undefined;
  /** Ends the attempt now (recorded as `deadline`). */
  stop?: AbortSignal | undefined;
}

/**
 * One POST of `body` (event `id`) to `endpoint`, signed at its start; what came of it. The receiver
 * has WEBHOOK_TIMEOUT_MS, or less: `deadline` and `stop` end the attempt earlier.
 */
export async function attemptOnce(endpoint: Endpoint, id: string, body: string, deps: Pick<EventsDeps, 'http' | 'clock'>, opts: AttemptOptions = {}): Promise<{ attempt: DeliveryAttempt; ok: boolean }> {
  const started = deps.clock();
  const attempt: DeliveryAttempt = { at: new Date(started).toISOString(), latencyMs: 0 };
  const request = new AbortController();
  let cut: 'timeout' | 'deadline' | undefined;
  const end = (why: 'timeout' | 'deadline') => (): void => {
    cut ??= why;
    request.abort();
  };
  const byDeadline = opts.deadline !== undefined && opts.deadline - started < WEBHOOK_TIMEOUT_MS;
  const timer = setTimeout(end(byDeadline ? 'deadline' : 'timeout'), byDeadline ? Math.max(0, (opts.deadline ?? started) - started) : WEBHOOK_TIMEOUT_MS);
  const stop = end('deadline');
  if (opts.stop?.aborted === true) stop();
  opts.stop?.addEventListener('abort', stop, { once: true });
  let ok = false;
  try {
    const secrets = await endpoint.secrets();
    const reply = await deps.http({
      url: endpoint.url,
      headers: { 'content-type': 'application/json', 'user-agent': 'toss-pay-webhooks', ...webhookHeaders(secrets, id, body, started) },
      body,
      signal: request.signal,
    });
    if ('status' in reply) {
      attempt.status = reply.status;
      ok = reply.status >= 200 && reply.status < 300;
    } else attempt.error = cut ?? reply.error;
  } catch (e) {
    // The secret could not be read (Secrets Manager, a bad value): no request was sent.
    attempt.error = cut ?? (e as { name?: string }).name ?? 'error';
  } finally {
    clearTimeout(timer);
    opts.stop?.removeEventListener('abort', stop);
  }
  attempt.latencyMs = deps.clock() - started;
  return { attempt, ok };
}

/**
 * Attempts counted in their endpoints' health: gathered per endpoint as they end, and written once
 * per endpoint (`flush`: one small write per endpoint and invocation, whatever the attempts).
 * Then an endpoint of the API whose every attempt has failed for WEBHOOK_DISABLE_AFTER_DAYS is
 * disabled (the configured one never is: only a deployment changes it). A health that cannot be
 * written never fails a delivery.
 */
type HealthDeps = Pick<EventsDeps, 'health' | 'endpoints' | 'webhooks' | 'clock' | 'logger' | 'count'>;

export interface HealthRecorder {
  add(endpoint: Endpoint, eventId: string, a: { attempt: DeliveryAttempt; ok: boolean }): void;
  flush(): Promise<void>;
}

export function healthRecorder(deps: HealthDeps): HealthRecorder {
  let sums = new Map<string, { endpoint: Endpoint; sum: AttemptsSummary }>();
  return {
    add(endpoint, eventId, a) {
      const was = sums.get(endpoint.id);
      sums.set(endpoint.id, { endpoint, sum: addAttempt(was?.sum, { ...a.attempt, eventId, ok: a.ok }, deps.clock()) });
    },
    async flush() {
      const these = [...sums.values()];
      sums = new Map();
      await Promise.all(these.map(({ endpoint, sum }) => writeHealth(endpoint, sum, deps)));
    },
  };
}

async function writeHealth(endpoint: Endpoint, sum: AttemptsSummary, deps: HealthDeps): Promise<void> {
  const now = deps.clock();
  try {
    const h = await deps.health.recordAttempts(endpoint.id, sum, now);
    if (sum.last.ok || endpoint.managed !== 'api' || !endpoint.enabled || !failedForDays(h, now, deps.webhooks.disableAfterDays)) return;
    const disabled = await deps.endpoints.update(
      endpoint.id,
      { enabled: false, disabledReason: 'failing', disabledAt: now, failingSince: h.failingSince, updatedAt: now },
      ['catchUp'],
      { enabled: true },
    );
    // Another invocation (or the merchant) got there first: it is theirs to tell.
    if (disabled === undefined) return;
    endpoint.enabled = false;
    endpoint.disabledReason = 'failing';
    deps.logger.warn('webhook endpoint disabled: every attempt failed since failingSince; its events wait until it is enabled again (PATCH enabled: true)', {
      endpointId: endpoint.id,
      failingSince: new Date(h.failingSince ?? now).toISOString(),
      disableAfterDays: deps.webhooks.disableAfterDays,
    });
    deps.count(MetricName.WebhookEndpointsDisabled);
  } catch (e) {
    deps.logger.error('the endpoint health could not be recorded', { endpointId: endpoint.id, error: e });
  }
}

export interface DeliveryContext {
  /** Every endpoint, by id (loadEndpoints). */
  endpoints: Map<string, Endpoint>;
  /** The envelope of an event (its body as logged), or undefined when the event is gone. */
  body: (eventId: string) => Promise<string | undefined>;
  /** Where the attempts are counted (written by whoever made the context, when its attempts are done). */
  health: HealthRecorder;
}

/**
 * One attempt of the delivery `key`, if it is pending and due and nobody else is sending it. A
 * delivery whose endpoint was deleted is cancelled, one whose endpoint is disabled waits for it.
 */
export async function deliver(
  key: { eventId: string; endpointId: string },
  deps: EventsDeps,
  ctx: DeliveryContext,
  opts: AttemptOptions = {},
): Promise<{ attempted: boolean; record?: DeliveryRecord | undefined }> {
  const taken = await deps.deliveries.take(key.eventId, key.endpointId, LEASE_MS);
  if (taken === undefined) return { attempted: false };
  return deliverTaken(taken.record, taken.leaseId, deps, ctx, opts);
}

/** deliver, once its lease is held: the delivery as it was when taken (or made, with its lease, by the log). */
export async function deliverTaken(
  record: DeliveryRecord,
  leaseId: string,
  deps: AttemptDeps,
  ctx: DeliveryContext,
  opts: AttemptOptions = {},
): Promise<{ attempted: boolean; record?: DeliveryRecord | undefined }> {
  const { eventId, endpointId } = record;
  const endpoint = ctx.endpoints.get(endpointId);
  const body = endpoint === undefined ? undefined : await ctx.body(eventId);
  if (endpoint === undefined || body === undefined) {
    await deps.deliveries.cancel(record, leaseId);
    deps.logger.info('webhook delivery cancelled: its endpoint (or event) no longer exists', { eventId, endpointId });
    return { attempted: false };
  }
  if (!endpoint.enabled) {
    await deps.deliveries.park(record, leaseId);
    return { attempted: false };
  }
  const a = await attemptOnce(endpoint, eventId, body, deps, opts);
  const now = deps.clock();
  const failedInRound = a.ok ? 0 : record.attemptCount - record.roundFrom + 1;
  const next: AfterAttempt = a.ok ? { status: 'delivered' } : afterFailure(failedInRound, deps.webhooks.retrySchedule, now);
  deps.logger.info('webhook attempt', { eventId, endpointId, httpStatus: a.attempt.status, error: a.attempt.error, latencyMs: a.attempt.latencyMs, next: next.status });
  if (next.status === 'failed') {
    deps.logger.error('webhook delivery failed after the last retry; redeliver it once the receiver is fixed', { eventId, endpointId, attempts: failedInRound });
    deps.count(MetricName.WebhookFailures);
  }
  if (a.ok) deps.count(MetricName.WebhooksDelivered);
  const recorded = await deps.deliveries.record(record, leaseId, a.attempt, next);
  ctx.health.add(endpoint, eventId, a);
  return { attempted: true, record: recorded };
}

/** The bodies of events, each read once per run. */
export function bodyCache(deps: Pick<EventsDeps, 'events'>): (eventId: string) => Promise<string | undefined> {
  const cache = new Map<string, Promise<string | undefined>>();
  return (eventId) => {
    let p = cache.get(eventId);
    if (p === undefined) {
      p = deps.events.getEvent(eventId).then((r) => r?.body);
      cache.set(eventId, p);
    }
    return p;
  };
}

/**
 * A key the `due` index gave, as a delivery: an event logged before endpoints is first taken over
 * as a delivery to the configured endpoint (whether or not one is configured now: without one it
 * is then cancelled, as it can never be sent).
 */
async function asDelivery(k: DeliveryKey, deps: EventsDeps): Promise<{ eventId: string; endpointId: string } | undefined> {
  if (k.kind === 'delivery') return k;
  const r = await deps.events.getEvent(k.eventId);
  if (r === undefined) return undefined;
  if (r.endpoints === undefined && !(await deps.deliveries.adoptLegacy(r, ENV_ENDPOINT_ID))) return undefined;
  return { eventId: k.eventId, endpointId: ENV_ENDPOINT_ID };
}

/**
 * Endpoints enabled again: their open deliveries (waiting, or failed) queued again, oldest event
 * first, a bounded number per run; the walk's place is kept on the endpoint, and the mark removed
 * when it is done.
 */
async function catchUp(deps: EventsDeps, endpoints: Map<string, Endpoint>, deadline: number): Promise<number> {
  let queued = 0;
  for (const stored of await deps.endpoints.list()) {
    if (stored.catchUp === undefined || !stored.enabled || endpoints.get(stored.id)?.enabled !== true) continue;
    let after = stored.catchUp.after;
    let done = false;
    let budget = CATCH_UP_PER_RUN;
    while (!done && budget > 0 && deps.clock() < deadline) {
      const page = await deps.deliveries.openDeliveries(stored.id, after, Math.min(100, budget));
      for (const item of page.items) if ((await deps.deliveries.requeue(item.eventId, stored.id, ['waiting', 'failed'])) !== undefined) queued++;
      budget -= page.items.length;
      const last = page.items.at(-1)?.place;
      done = !page.more || last === undefined;
      const moved = done
        ? await deps.endpoints.update(stored.id, {}, ['catchUp'], { catchUpAfter: after })
        : await deps.endpoints.update(stored.id, { catchUp: { after: last ?? after } }, [], { catchUpAfter: after });
      // Enabled again meanwhile (the walk starts over), or disabled, or deleted: the next run sees.
      if (moved === undefined) break;
      after = last ?? after;
    }
  }
  return queued;
}

/**
 * Endpoints removed: what waited for them (or had failed) is cancelled, a bounded number per run,
 * and their mark removed when done. (A pending one is cancelled by its next attempt.)
 */
async function cleanUp(deps: EventsDeps, deadline: number): Promise<void> {
  for (const { id, after: from } of await deps.endpoints.removed()) {
    let after = from;
    let budget = CATCH_UP_PER_RUN;
    for (;;) {
      const page = await deps.deliveries.openDeliveries(id, after, Math.min(100, budget));
      for (const item of page.items) await deps.deliveries.close(item.eventId, id);
      budget -= page.items.length;
      const last = page.items.at(-1)?.place;
      const done = !page.more || last === undefined;
      if (done || budget <= 0 || deps.clock() >= deadline) {
        // Its mark stays while deliveries to it are still in its due shards: the retrier reads them, and cancels each.
        const over = done && !(await deps.deliveries.anyDue(id));
        await deps.endpoints.removedProgress(id, from, over ? undefined : (last ?? from));
        break;
      }
      after = last;
    }
  }
}

/** The retrier: endpoints' catch-ups and clean-ups, then every due delivery once, a few per endpoint at a time, within `deadline` (epoch ms). */
export async function deliverDue(deps: EventsDeps, opts: { deadline: number; concurrency?: number; perEndpoint?: number }): Promise<{ attempted: number; queued: number }> {
  const endpoints = await loadEndpoints(deps);
  const queued = await catchUp(deps, endpoints, opts.deadline);
  await cleanUp(deps, opts.deadline);
  // Each endpoint's due deliveries read apart (and those of endpoints removed, to cancel them).
  const removed = (await deps.endpoints.removed()).map((r) => r.id);
  const keys = await deps.deliveries.due([...endpoints.keys(), ...removed], deps.clock(), opts.perEndpoint ?? DUE_PER_ENDPOINT);
  const ctx: DeliveryContext = { endpoints, body: bodyCache(deps), health: healthRecorder(deps) };
  let attempted = 0;
  const pools = endpointPools({
    concurrency: opts.concurrency ?? 8,
    // No attempt is started that could not finish in time.
    canStart: () => deps.clock() + WEBHOOK_TIMEOUT_MS < opts.deadline,
    onError: (e) => deps.logger.error('a webhook attempt could not be made; it stays due', { error: e }),
  });
  for (const k of keys) {
    const endpointId = k.kind === 'delivery' ? k.endpointId : ENV_ENDPOINT_ID;
    pools.add(endpointId, async () => {
      const key = await asDelivery(k, deps);
      if (key !== undefined && (await deliver(key, deps, ctx, { deadline: opts.deadline })).attempted) attempted++;
    });
  }
  await pools.idle();
  await ctx.health.flush();
  return { attempted, queued };
}
