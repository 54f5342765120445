/**
 * The pure parts of webhook endpoints: who gets an event (fanOut), endpoint.disabled from the
 * endpoints' change, the health shown and when a failing endpoint is disabled (on a clock of the
 * test's own: days pass without waiting for them), and rotation: both secrets sign until the
 * window's end, then only the new one (verified with the independent standardwebhooks package).
 */
import { describe, expect, it } from 'vitest';
import { Webhook } from 'standardwebhooks';
import { endpointEvents } from '../../shared/events/endpoint-events.ts';
import { addAttempt, failedForDays, healthView, lastDay } from '../../shared/events/endpoint-health.ts';
import { fanOut, newEndpointId, newSigningSecret, signingSecretsOf, type Endpoint, type StoredEndpoint } from '../../shared/events/endpoint-model.ts';
import { webhookHeaders } from '../../shared/events/webhook-signing.ts';

const DAY = 86_400_000;
const HOUR = 3_600_000;
const T0 = Date.parse('2026-12-01T00:00:00Z');

const endpoint = (id: string, o: Partial<Endpoint> = {}): Endpoint => ({ id, url: `https://${id}.example/`, enabled: true, managed: 'api', secrets: () => Promise.resolve({ current: 'whsec_x' }), ...o });
const stored = (id: string, o: Partial<StoredEndpoint> = {}): StoredEndpoint => ({ id, url: `https://${id}.example/`, enabled: true, createdAt: T0, updatedAt: T0, secret: 'whsec_x', ...o });

describe('who gets an event', () => {
  it('every endpoint that wants its type; one disabled for failing keeps it (waiting); one the merchant disabled does not; never the one it is about', () => {
    const eps = [
      endpoint('we_all'),
      endpoint('we_refunds', { eventTypes: ['payment.refunded'] }),
      endpoint('we_down', { enabled: false, disabledReason: 'failing' }),
      endpoint('we_off', { enabled: false, disabledReason: 'merchant' }),
    ];
    expect(fanOut(eps, 'payment.completed')).toEqual([
      { endpointId: 'we_all', waiting: false },
      { endpointId: 'we_down', waiting: true },
    ]);
    expect(fanOut(eps, 'payment.refunded').map((d) => d.endpointId)).toEqual(['we_all', 'we_refunds', 'we_down']);
    expect(fanOut(eps, 'endpoint.disabled', 'we_down').map((d) => d.endpointId)).toEqual(['we_all']);
  });

  it('ids and secrets are what they say', () => {
    expect(newEndpointId()).toMatch(/^we_[A-Za-z0-9]{24}$/);
    expect(new Set(Array.from({ length: 100 }, newEndpointId)).size).toBe(100);
    const secret = newSigningSecret();
    expect(secret).toMatch(/^whsec_/);
    expect(Buffer.from(secret.slice(6), 'base64')).toHaveLength(32);
  });
});

describe('endpoint.disabled', () => {
  it('comes of an endpoint disabled for failing, once, with an id of that change', () => {
    const before = [stored('we_a'), stored('we_b')];
    const after = [stored('we_a', { enabled: false, disabledReason: 'failing', disabledAt: T0 + DAY, failingSince: T0 - 4 * DAY, description: '주문' }), stored('we_b')];
    const [e, ...more] = endpointEvents(before, after);
    expect(more).toEqual([]);
    expect(e).toEqual({
      id: expect.stringMatching(/^evt_[A-Za-z0-9_-]{26}$/),
      type: 'endpoint.disabled',
      timestamp: new Date(T0 + DAY).toISOString(),
      data: { endpointId: 'we_a', url: 'https://we_a.example/', description: '주문', reason: 'failing', failingSince: new Date(T0 - 4 * DAY).toISOString(), disabledAt: new Date(T0 + DAY).toISOString() },
    });
    // The stream giving the same change again gives the same id; the next change nothing.
    expect(endpointEvents(before, after)[0]?.id).toBe(e?.id);
    expect(endpointEvents(after, after)).toEqual([]);
    // Disabled by the merchant, or deleted: nothing to tell.
    expect(endpointEvents(before, [stored('we_a', { enabled: false, disabledReason: 'merchant', disabledAt: T0 })])).toEqual([]);
    expect(endpointEvents(before, [])).toEqual([]);
  });
});

describe('health', () => {
  it("counts the last 24 hours' attempts by the hour", () => {
    const now = T0 + 30 * HOUR + 5 * 60_000;
    const hour = (n: number) => Math.floor((now - n * HOUR) / HOUR);
    const h = { hours: [{ hour: hour(0), ok: 3, failed: 1 }, { hour: hour(23), ok: 1, failed: 1 }, { hour: hour(24), ok: 50, failed: 50 }] };
    expect(lastDay(h, now)).toEqual({ attempts: 6, succeeded: 4, failed: 2, successRate: 4 / 6 });
    expect(lastDay({ hours: [] }, now)).toEqual({ attempts: 0, succeeded: 0, failed: 0 });
  });

  it('an endpoint is disabled once every attempt has failed for the days configured', () => {
    const failing = { failingSince: T0, consecutiveFailures: 7 };
    expect(failedForDays(failing, T0 + 5 * DAY - 1, 5)).toBe(false);
    expect(failedForDays(failing, T0 + 5 * DAY, 5)).toBe(true);
    // A success since (the streak is over).
    expect(failedForDays({ consecutiveFailures: 0 }, T0 + 9 * DAY, 5)).toBe(false);
    // 0 days: at its first failure.
    expect(failedForDays({ failingSince: T0, consecutiveFailures: 1 }, T0, 0)).toBe(true);
  });

  it('sums attempts up in the order they ended: counts, the last, and the streak after the last success', () => {
    const a = (ok: boolean, eventId: string) => ({ at: new Date(T0).toISOString(), latencyMs: 1, eventId, ok, ...(ok ? { status: 200 } : { status: 500 }) });
    let sum = addAttempt(undefined, a(false, 'e1'), T0 + 1);
    expect(sum).toEqual({ ok: 0, failed: 1, last: a(false, 'e1'), failsAfter: 1, firstFailAfter: T0 + 1 });
    sum = addAttempt(sum, a(false, 'e2'), T0 + 2);
    expect(sum).toMatchObject({ failed: 2, failsAfter: 2, firstFailAfter: T0 + 1 });
    sum = addAttempt(sum, a(true, 'e3'), T0 + 3);
    expect(sum).toEqual({ ok: 1, failed: 2, last: a(true, 'e3'), lastOkAt: T0 + 3, failsAfter: 0 });
    sum = addAttempt(sum, a(false, 'e4'), T0 + 4);
    expect(sum).toEqual({ ok: 1, failed: 3, last: a(false, 'e4'), lastOkAt: T0 + 3, failsAfter: 1, firstFailAfter: T0 + 4 });
  });

  it('shows the last attempt, the streak and the oldest undelivered event', () => {
    const now = T0 + HOUR;
    const view = healthView(
      { lastAttempt: { at: new Date(now).toISOString(), eventId: 'evt_1', ok: false, error: 'timeout', latencyMs: 15_000 }, failingSince: T0, consecutiveFailures: 2, hours: [{ hour: Math.floor(now / HOUR), ok: 0, failed: 2 }] },
      now,
      { eventId: 'evt_0', loggedAt: T0 },
    );
    expect(view).toEqual({
      lastAttempt: { at: new Date(now).toISOString(), eventId: 'evt_1', ok: false, error: 'timeout', latencyMs: 15_000 },
      failingSince: new Date(T0).toISOString(),
      consecutiveFailures: 2,
      lastDay: { attempts: 2, succeeded: 0, failed: 2, successRate: 0 },
      oldestUndelivered: { eventId: 'evt_0', loggedAt: new Date(T0).toISOString() },
    });
  });
});

describe('rotation', () => {
  it('both secrets sign until the previous one expires, then only the new one', () => {
    const old = newSigningSecret();
    const next = newSigningSecret();
    const secrets = signingSecretsOf({ secret: next, previousSecret: old, previousUntil: T0 + 24 * HOUR });
    const body = '{"id":"evt_rot"}';
    const verifies = (secret: string, headers: Record<string, string>): boolean => {
      try {
        // standardwebhooks checks the timestamp against its own clock: sign at "now".
        new Webhook(secret).verify(body, headers);
        return true;
      } catch {
        return false;
      }
    };
    const at = (offset: number): Record<string, string> => {
      const h = webhookHeaders({ ...secrets, previousUntil: Date.now() + offset }, 'evt_rot', body, Date.now());
      return h;
    };
    const during = at(60_000);
    expect(during['webhook-signature']?.split(' ')).toHaveLength(2);
    expect([verifies(old, during), verifies(next, during)]).toEqual([true, true]);
    const after = at(0);
    expect(after['webhook-signature']?.split(' ')).toHaveLength(1);
    expect([verifies(old, after), verifies(next, after)]).toEqual([false, true]);
    expect(signingSecretsOf({ secret: next })).toEqual({ current: next });
  });
});
