/**
 * Secret rotation without a gap, and the test event, over HTTP with a receiver of our own
 * verifying with the independent standardwebhooks package: after POST .../rotate-secret every
 * delivery carries both signatures (space-separated `v1,` entries) for WEBHOOK_SECRET_ROTATION_HOURS
 * (24 by default, as here), so the receiver accepts it with the old secret or the new one; a
 * second rotation drops the oldest secret at once. (The window running out is in
 * test/unit/webhook-rotation.test.ts, on an injected clock, and in health.test.ts, whose stack
 * keeps no window.) POST .../test sends a signed webhook.test at once and tells what the receiver did.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Webhook } from 'standardwebhooks';
import { startStack, type Stack } from '../../support/stack.ts';
import type { Delivery, WebhookReceiver } from '../../support/webhook-receiver.ts';
import { loggedFor, payOrder } from '../events/support.ts';
import { at, endpointReceiver, getEndpoint, type EndpointReply } from './support.ts';

let s: Stack;
let hook: { receiver: WebhookReceiver; endpoint: EndpointReply & { secret: string } };
beforeAll(async () => {
  s = await startStack();
  hook = await endpointReceiver(s);
});
afterAll(async () => {
  await s.stop();
  await hook?.receiver.close();
});

/** The delivery of the payment.completed of a new paid order. */
async function nextDelivery(prefix: string): Promise<Delivery> {
  const { orderNo } = await payOrder(s, { prefix });
  await s.streams.caughtUp();
  const [event] = await loggedFor(s, orderNo, 1);
  const [d, ...more] = at(hook.receiver, event?.id ?? '');
  expect(more).toEqual([]);
  if (d === undefined) throw new Error('not delivered');
  return d;
}
const verifies = (secret: string, d: Delivery): boolean => {
  try {
    new Webhook(secret).verify(d.body, d.headers);
    return true;
  } catch {
    return false;
  }
};
const signatures = (d: Delivery): string[] => (d.headers['webhook-signature'] ?? '').split(' ');

describe('secret rotation', () => {
  it('both secrets sign for the window after a rotation; a second rotation drops the oldest', async () => {
    const first = hook.endpoint.secret;
    const before = await nextDelivery('rot0');
    expect(signatures(before)).toHaveLength(1);
    expect([before.verified, verifies(first, before)]).toEqual([true, true]);

    const r = await s.merchantRequest(`/webhook-endpoints/${hook.endpoint.id}/rotate-secret`, { method: 'POST' });
    expect(r.status).toBe(200);
    const second = String(r.json.secret);
    expect(second).toMatch(/^whsec_/);
    expect(second).not.toBe(first);
    const expires = Date.parse(String(r.json.previousSecretExpiresAt));
    expect(Math.abs(expires - (Date.now() + 24 * 3_600_000))).toBeLessThan(60_000);
    const read = await getEndpoint(s, hook.endpoint.id);
    expect(read.previousSecretExpiresAt).toBe(r.json.previousSecretExpiresAt);
    expect(JSON.stringify(read)).not.toContain('whsec_');

    // The receiver still verifies with the first secret: accepted, and with the new one too.
    const during = await nextDelivery('rot1');
    expect(signatures(during)).toHaveLength(2);
    expect(signatures(during).every((x) => x.startsWith('v1,'))).toBe(true);
    expect([during.status, during.verified, verifies(first, during), verifies(second, during)]).toEqual([200, true, true, true]);
    // It switches to the new secret whenever it likes within the window.
    hook.receiver.setSecret(second);
    const switched = await nextDelivery('rot2');
    expect([switched.status, switched.verified]).toEqual([200, true]);

    // Again: the newest and the one before sign; the first no longer.
    const again = await s.merchantRequest(`/webhook-endpoints/${hook.endpoint.id}/rotate-secret`, { method: 'POST', json: {} });
    const third = String(again.json.secret);
    const after = await nextDelivery('rot3');
    expect(signatures(after)).toHaveLength(2);
    expect([after.verified, verifies(third, after), verifies(second, after), verifies(first, after)]).toEqual([true, true, true, false]);
  });
});

describe('POST /webhook-endpoints/{id}/test', () => {
  it("sends a signed webhook.test at once and answers with the receiver's status and time; nothing is logged", async () => {
    const r = await s.merchantRequest(`/webhook-endpoints/${hook.endpoint.id}/test`, { method: 'POST' });
    expect(r.status).toBe(200);
    expect(r.json).toEqual({ eventId: expect.stringMatching(/^evt_/), ok: true, status: 200, latencyMs: expect.any(Number) });
    const [d] = at(hook.receiver, String(r.json.eventId));
    expect(d?.verified).toBe(true);
    expect(JSON.parse(d?.body ?? '{}')).toEqual({
      id: r.json.eventId,
      type: 'webhook.test',
      timestamp: expect.any(String),
      data: { endpointId: hook.endpoint.id, message: expect.any(String) },
    });
    // A probe: not in the log, not in the endpoint's health.
    expect((await s.merchantRequest(`/events/${String(r.json.eventId)}`)).status).toBe(404);
    const health = (await getEndpoint(s, hook.endpoint.id)).health;
    expect(health?.lastAttempt?.eventId).not.toBe(r.json.eventId);

    hook.receiver.failNext(1, 418);
    const refused = await s.merchantRequest(`/webhook-endpoints/${hook.endpoint.id}/test`, { method: 'POST' });
    expect(refused.json).toMatchObject({ ok: false, status: 418 });
  });
});
