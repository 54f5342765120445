/**
 * An endpoint's health, and one that fails every attempt disabled, over HTTP with receivers of our
 * own (standardwebhooks). WEBHOOK_DISABLE_AFTER_DAYS=0 stands in for the 5 days: the rule is "every
 * attempt failed since failingSince, which is that long ago", so with 0 its first failure
 * disables it (the days themselves: test/unit/endpoint-health.test.ts, on an injected clock).
 * - GET /webhook-endpoints/{id}: the last attempt, the failing streak, the last day's attempts and
 *   success rate, the oldest undelivered event;
 * - disabled: conditionally, once; a warning in the logs; an endpoint.disabled event in the log,
 *   sent to the other endpoints that want it (not to itself);
 * - its events wait (status waiting, never sent), also those logged meanwhile; PATCH enabled:true
 *   sends them again through the retrier, and its streak starts afresh;
 * - an endpoint the merchant disabled gets no events meanwhile; one deleted has what waited for it cancelled;
 * - WEBHOOK_SECRET_ROTATION_HOURS=0: after a rotation only the new secret signs.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Webhook } from 'standardwebhooks';
import { startStack, type Stack } from '../../support/stack.ts';
import type { WebhookReceiver } from '../../support/webhook-receiver.ts';
import { allLogged, loggedFor, payOrder } from '../events/support.ts';
import { at, deliveryOf, endpointReceiver, getEndpoint, getEvent, type EndpointReply } from './support.ts';

type Hook = { receiver: WebhookReceiver; endpoint: EndpointReply & { secret: string } };
let s: Stack;
let failing: Hook;
let other: Hook;
let paymentsOnly: Hook;
beforeAll(async () => {
  s = await startStack({ WEBHOOK_DISABLE_AFTER_DAYS: '0', WEBHOOK_SECRET_ROTATION_HOURS: '0', WEBHOOK_RETRY_SCHEDULE: '1,1' });
  failing = await endpointReceiver(s, { description: 'failing' });
  other = await endpointReceiver(s, { description: 'told' });
  paymentsOnly = await endpointReceiver(s, { eventTypes: ['payment.completed'] });
});
afterAll(async () => {
  await s.stop();
  for (const h of [failing, other, paymentsOnly]) await h?.receiver.close();
});

async function paidEvent(prefix: string): Promise<string> {
  const { orderNo } = await payOrder(s, { prefix });
  await s.streams.caughtUp();
  const [e] = await loggedFor(s, orderNo, 1);
  return e?.id ?? '';
}

describe('endpoint health', () => {
  let first = '';
  let meanwhile = '';

  it('an endpoint failing every attempt is disabled once, tells the others (endpoint.disabled) and the logs, and keeps what it misses', async () => {
    failing.receiver.failNext(1_000, 500);
    first = await paidEvent('hf1');
    // The other endpoints got it at once.
    expect(at(other.receiver, first).map((d) => [d.status, d.verified])).toEqual([[200, true]]);

    const x = await getEndpoint(s, failing.endpoint.id);
    expect(x).toMatchObject({ enabled: false, disabledReason: 'failing', disabledAt: expect.any(String) });
    expect(x.health).toEqual({
      lastAttempt: { at: expect.any(String), eventId: first, ok: false, status: 500, latencyMs: expect.any(Number) },
      failingSince: expect.any(String),
      consecutiveFailures: 1,
      lastDay: { attempts: 1, succeeded: 0, failed: 1, successRate: 0 },
      oldestUndelivered: { eventId: first, loggedAt: expect.any(String) },
    });
    expect(s.logs().filter((l) => l.text.includes('webhook endpoint disabled') && l.text.includes(failing.endpoint.id))).toHaveLength(1);

    // endpoint.disabled, from the endpoints' change on the stream: in the log, to the others that want it.
    await s.streams.caughtUp();
    const disabled = (await allLogged(s, 'type=endpoint.disabled')).filter((e) => e.data.endpointId === failing.endpoint.id);
    expect(disabled).toHaveLength(1);
    const d = disabled[0]!;
    expect(d.data).toEqual({ endpointId: failing.endpoint.id, url: failing.endpoint.url, description: 'failing', reason: 'failing', failingSince: x.health?.failingSince, disabledAt: x.disabledAt });
    expect(d.deliveries.map((x) => x.endpointId)).toEqual([other.endpoint.id]);
    const told = at(other.receiver, d.id);
    expect(told.map((x) => [x.status, x.verified])).toEqual([[200, true]]);
    expect(JSON.parse(told[0]?.body ?? '{}')).toMatchObject({ id: d.id, type: 'endpoint.disabled', data: { endpointId: failing.endpoint.id } });
    expect(at(paymentsOnly.receiver, d.id)).toEqual([]);
    expect(at(failing.receiver, d.id)).toEqual([]);

    // Its delivery waits for it: the retrier sends nothing there.
    const pending = await deliveryOf(s, first, failing.endpoint.id);
    expect(pending).toMatchObject({ status: 'pending', attemptCount: 1 });
    await new Promise((r) => setTimeout(r, Math.max(0, Date.parse(pending?.nextAt ?? '') - Date.now() + 50)));
    expect((await s.runWebhookRetrier()).attempted).toBe(0);
    expect(await deliveryOf(s, first, failing.endpoint.id)).toMatchObject({ status: 'waiting', attemptCount: 1 });

    // An event logged while it is disabled is kept for it too, never sent.
    meanwhile = await paidEvent('hf2');
    expect(await deliveryOf(s, meanwhile, failing.endpoint.id)).toMatchObject({ status: 'waiting', attemptCount: 0 });
    expect(await deliveryOf(s, meanwhile, other.endpoint.id)).toMatchObject({ status: 'delivered' });
    expect((await getEvent(s, meanwhile)).delivery.status).toBe('waiting');
    expect(failing.receiver.deliveries()).toHaveLength(1);
    expect((await getEndpoint(s, failing.endpoint.id)).health?.oldestUndelivered?.eventId).toBe(first);

    // A test still reaches it (and is not counted).
    const probe = await s.merchantRequest(`/webhook-endpoints/${failing.endpoint.id}/test`, { method: 'POST' });
    expect(probe.json).toMatchObject({ ok: false, status: 500 });
    expect((await getEndpoint(s, failing.endpoint.id)).health?.lastDay.attempts).toBe(1);
  });

  it('enabled again, what it missed is sent, and its streak starts afresh', async () => {
    failing.receiver.failNext(0);
    const r = await s.merchantRequest(`/webhook-endpoints/${failing.endpoint.id}`, { method: 'PATCH', json: { enabled: true } });
    expect(r.json).toMatchObject({ enabled: true });
    expect(r.json).not.toHaveProperty('disabledReason');
    expect((await getEndpoint(s, failing.endpoint.id)).health).toMatchObject({ consecutiveFailures: 0 });
    expect((await getEndpoint(s, failing.endpoint.id)).health).not.toHaveProperty('failingSince');

    const run = await s.runWebhookRetrier();
    expect(run).toEqual({ attempted: 2, queued: 2 });
    const got = failing.receiver.deliveries().filter((d) => d.status === 200);
    // Queued oldest first; sent side by side, so they may arrive in any order.
    expect(got.map((d) => d.headers['webhook-id']).sort()).toEqual([first, meanwhile].sort());
    expect(got.every((d) => d.verified)).toBe(true);
    for (const id of [first, meanwhile]) expect(await deliveryOf(s, id, failing.endpoint.id)).toMatchObject({ status: 'delivered' });
    const health = (await getEndpoint(s, failing.endpoint.id)).health;
    expect(health).toMatchObject({ consecutiveFailures: 0, lastSuccessAt: expect.any(String), lastDay: { attempts: 3, succeeded: 2, failed: 1 } });
    expect(health?.lastDay.successRate).toBeCloseTo(2 / 3);
    expect(health).not.toHaveProperty('oldestUndelivered');
    // Done: the catch-up mark is gone, nothing more is queued.
    expect(await s.runWebhookRetrier()).toEqual({ attempted: 0, queued: 0 });
  });

  it('an endpoint the merchant disabled gets nothing meanwhile', async () => {
    await s.merchantRequest(`/webhook-endpoints/${paymentsOnly.endpoint.id}`, { method: 'PATCH', json: { enabled: false } });
    const id = await paidEvent('hf3');
    expect((await getEvent(s, id)).deliveries.map((d) => d.endpointId)).not.toContain(paymentsOnly.endpoint.id);
    await s.merchantRequest(`/webhook-endpoints/${paymentsOnly.endpoint.id}`, { method: 'PATCH', json: { enabled: true } });
    await s.runWebhookRetrier();
    expect(at(paymentsOnly.receiver, id)).toEqual([]);
  });

  it('an endpoint deleted: what waited for it is cancelled by the retrier', async () => {
    paymentsOnly.receiver.failNext(1_000, 500);
    const failed = await paidEvent('hf5');
    expect((await getEndpoint(s, paymentsOnly.endpoint.id)).disabledReason).toBe('failing');
    const waiting = await paidEvent('hf6');
    expect(await deliveryOf(s, waiting, paymentsOnly.endpoint.id)).toMatchObject({ status: 'waiting' });
    expect((await s.merchantRequest(`/webhook-endpoints/${paymentsOnly.endpoint.id}`, { method: 'DELETE' })).status).toBe(200);
    const due = Date.parse((await deliveryOf(s, failed, paymentsOnly.endpoint.id))?.nextAt ?? '');
    await new Promise((r) => setTimeout(r, Math.max(0, due - Date.now() + 50)));
    expect((await s.runWebhookRetrier()).attempted).toBe(0);
    for (const id of [failed, waiting]) expect(await deliveryOf(s, id, paymentsOnly.endpoint.id)).toMatchObject({ status: 'cancelled' });
    expect((await getEvent(s, waiting)).delivery.status).toBe('delivered');
  });

  it('with WEBHOOK_SECRET_ROTATION_HOURS=0 a rotation leaves only the new secret signing', async () => {
    const r = await s.merchantRequest(`/webhook-endpoints/${other.endpoint.id}/rotate-secret`, { method: 'POST' });
    expect(r.json).not.toHaveProperty('previousSecretExpiresAt');
    const id = await paidEvent('hf4');
    const [d] = at(other.receiver, id);
    expect((d?.headers['webhook-signature'] ?? '').split(' ')).toHaveLength(1);
    expect(d?.verified).toBe(false);
    expect(() => new Webhook(String(r.json.secret)).verify(d?.body ?? '', d?.headers ?? {})).not.toThrow();
  });
});
