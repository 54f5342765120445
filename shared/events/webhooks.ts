/**
 * Webhook deliveries to MERCHANT_WEBHOOK_URL (Standard Webhooks: signed headers, the same body
 * every time). A 2xx within 15 s is delivered. Anything else is retried after each delay of the
 * schedule (WEBHOOK_RETRY_SCHEDULE, by default about 3 days in all); after the last the delivery
 * has failed: counted (an alarm), listed, and redeliverable by hand. Every attempt is recorded
 * on the event (time, HTTP status, latency). A lease on the event keeps two senders apart.
 */
import { MetricName } from '../metrics.ts';
import type { DeliveryAttempt, EventRecord, EventsDeps } from './ports.ts';
import { webhookHeaders } from './webhook-signing.ts';

/** A receiver has this long to answer 2xx. */
export const WEBHOOK_TIMEOUT_MS = 15_000;
/** The lease on a delivery: longer than one attempt. */
const LEASE_MS = WEBHOOK_TIMEOUT_MS + 15_000;
const SECOND = 1_000;
/**
 * Delays after each failed attempt (seconds): 5 s, 5 min, 30 min, 2 h, 5 h, 10 h, 10 h, 24 h, 24 h:
 * ten attempts over about 3 days.
 */
export const DEFAULT_RETRY_SCHEDULE: readonly number[] = [5, 300, 1_800, 7_200, 18_000, 36_000, 36_000, 86_400, 86_400];

/** What comes after a failed attempt, the `failed`-th of its round: the next time, or giving up. */
export function afterFailure(failed: number, schedule: readonly number[], now: number): { status: 'pending'; at: number } | { status: 'failed'; at: number } {
  const delay = schedule[failed - 1];
  return delay === undefined ? { status: 'failed', at: now } : { status: 'pending', at: now + delay * SECOND };
}

/** At most this much of a receiver's reply is read; the rest is dropped with its connection. */
export const REPLY_READ_BYTES = 4 * 1024;

/**
 * Reads at most `max` bytes of the reply's body, then aborts the request, which closes the
 * connection: a receiver answering with a huge (or endless) body costs a few KiB, not memory.
 * A reply read whole (small, the usual) leaves the connection for the next delivery.
 */
async function readAtMost(res: Response, max: number, request: AbortController): Promise<void> {
  if (res.body === null) return;
  const reader = res.body.getReader();
  let read = 0;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) return;
      read += value.byteLength;
      if (read >= max) {
        request.abort();
        await reader.cancel().catch(() => undefined);
        return;
      }
    }
  } catch {
    // A reply cut short is still a reply: its status is the answer.
  }
}

/**
 * One attempt to deliver event `id`, if it is due and nobody else is sending it. The record after
 * it. The receiver has WEBHOOK_TIMEOUT_MS, or less: `deadline` (epoch ms) and `stop` end the
 * attempt earlier; one cut so is recorded as failed (`error: deadline`) and retried on the schedule.
 */
export async function deliver(id: string, deps: EventsDeps, opts: { deadline?: number; stop?: AbortSignal } = {}): Promise<EventRecord | undefined> {
  const hook = deps.webhook;
  if (hook === undefined) return undefined;
  const taken = await deps.events.takeDelivery(id, LEASE_MS);
  if (taken === undefined || taken.record.delivery.status !== 'pending') return taken?.record;
  const { record, leaseId } = taken;
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
    const res = await deps.fetch(hook.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'user-agent': 'toss-pay-webhooks', ...webhookHeaders(await hook.secrets(), record.id, record.body, started) },
      body: record.body,
      // A redirect is an answer (3xx: not delivered), never followed.
      redirect: 'manual',
      signal: request.signal,
    });
    attempt.status = res.status;
    await readAtMost(res, REPLY_READ_BYTES, request);
    ok = res.status >= 200 && res.status < 300;
  } catch (e) {
    if (cut !== undefined) attempt.error = cut;
    else attempt.error = (e as { cause?: { code?: string } }).cause?.code ?? (e as { name?: string }).name ?? 'error';
  } finally {
    clearTimeout(timer);
    opts.stop?.removeEventListener('abort', stop);
  }
  const now = deps.clock();
  attempt.latencyMs = now - started;
  const failedInRound = ok ? 0 : record.delivery.attempts.length - (record.delivery.roundFrom ?? 0) + 1;
  const next = ok ? ({ status: 'delivered' } as const) : afterFailure(failedInRound, hook.retrySchedule, now);
  deps.logger.info('webhook attempt', { eventId: id, httpStatus: attempt.status, error: attempt.error, latencyMs: attempt.latencyMs, next: next.status });
  if (next.status === 'failed') {
    deps.logger.error('webhook delivery failed after the last retry; redeliver it once the receiver is fixed', { eventId: id, attempts: failedInRound });
    deps.count(MetricName.WebhookFailures);
  }
  if (ok) deps.count(MetricName.WebhooksDelivered);
  return deps.events.recordAttempt(id, leaseId, attempt, next);
}

/** The retrier: every due delivery once, a few at a time, within `deadline` (epoch ms). */
export async function deliverDue(deps: EventsDeps, opts: { deadline: number; concurrency?: number; limit?: number }): Promise<{ attempted: number }> {
  if (deps.webhook === undefined) return { attempted: 0 };
  const ids = await deps.events.dueDeliveries(deps.clock(), opts.limit ?? 500);
  let next = 0;
  let attempted = 0;
  const worker = async (): Promise<void> => {
    // No attempt is started that could not finish in time.
    while (next < ids.length && deps.clock() + WEBHOOK_TIMEOUT_MS < opts.deadline) {
      const id = ids[next++];
      if (id === undefined) return;
      try {
        await deliver(id, deps, { deadline: opts.deadline });
        attempted++;
      } catch (e) {
        deps.logger.error('a webhook attempt could not be made; it stays due', { eventId: id, error: e });
      }
    }
  };
  await Promise.all(Array.from({ length: opts.concurrency ?? 8 }, worker));
  return { attempted };
}
