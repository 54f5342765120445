/**
 * An endpoint's health as the API shows it, and when a failing endpoint is disabled. Pure.
 *
 * - The last day: the hourly counts of the 24 hours up to now (the current hour included).
 * - Disabled: an endpoint whose every attempt has failed for WEBHOOK_DISABLE_AFTER_DAYS (its
 *   failing streak began that long ago, and no attempt has succeeded since).
 */
import { DAY_MS } from '../domain/toss-time.ts';
import type { EndpointHealth } from './reply-schemas.ts';
import type { AttemptsSummary, DeliveryAttempt, HealthRecord } from './ports.ts';

const HOUR = 3_600_000;
const iso = (ms: number): string => new Date(ms).toISOString();

/** Attempts in the 24 hours up to `now`, by the hour. */
export function lastDay(h: Pick<HealthRecord, 'hours'>, now: number): EndpointHealth['lastDay'] {
  const current = Math.floor(now / HOUR);
  const recent = h.hours.filter((x) => x.hour > current - 24 && x.hour <= current);
  const succeeded = recent.reduce((n, x) => n + x.ok, 0);
  const failed = recent.reduce((n, x) => n + x.failed, 0);
  const attempts = succeeded + failed;
  return { attempts, succeeded, failed, ...(attempts > 0 ? { successRate: succeeded / attempts } : {}) };
}

/** Whether an endpoint with this health at `now` has failed every attempt for `days` days. */
export const failedForDays = (h: Pick<HealthRecord, 'failingSince' | 'consecutiveFailures'>, now: number, days: number): boolean =>
  h.failingSince !== undefined && h.consecutiveFailures > 0 && now - h.failingSince >= days * DAY_MS;

export function healthView(h: HealthRecord, now: number, oldest: { eventId: string; loggedAt: number } | undefined): EndpointHealth {
  return {
    ...(h.lastAttempt !== undefined
      ? {
          lastAttempt: {
            at: h.lastAttempt.at,
            eventId: h.lastAttempt.eventId,
            ok: h.lastAttempt.ok,
            ...(h.lastAttempt.status !== undefined ? { status: h.lastAttempt.status } : {}),
            ...(h.lastAttempt.error !== undefined ? { error: h.lastAttempt.error } : {}),
            latencyMs: h.lastAttempt.latencyMs,
          },
        }
      : {}),
    ...(h.lastSuccessAt !== undefined ? { lastSuccessAt: iso(h.lastSuccessAt) } : {}),
    ...(h.failingSince !== undefined ? { failingSince: iso(h.failingSince) } : {}),
    consecutiveFailures: h.consecutiveFailures,
    lastDay: lastDay(h, now),
    ...(oldest !== undefined ? { oldestUndelivered: { eventId: oldest.eventId, loggedAt: iso(oldest.loggedAt) } } : {}),
  };
}

/** `sum` with one more attempt, which ended at `at` (attempts are added in the order they end). */
export function addAttempt(sum: AttemptsSummary | undefined, a: DeliveryAttempt & { eventId: string; ok: boolean }, at: number): AttemptsSummary {
  const s: AttemptsSummary = sum ?? { ok: 0, failed: 0, last: a, failsAfter: 0 };
  if (a.ok) return { ok: s.ok + 1, failed: s.failed, last: a, lastOkAt: at, failsAfter: 0 };
  return {
    ok: s.ok,
    failed: s.failed + 1,
    last: a,
    ...(s.lastOkAt !== undefined ? { lastOkAt: s.lastOkAt } : {}),
    failsAfter: s.failsAfter + 1,
    firstFailAfter: s.failsAfter === 0 ? at : (s.firstFailAfter ?? at),
  };
}
