/**
 * Deliveries per endpoint, over HTTP with receivers of our own that verify every delivery with
 * the independent standardwebhooks package and their endpoint's secret:
 * - each event goes to each endpoint that wants it (its eventTypes), with the same webhook-id and
 *   body at every endpoint, each signed with that endpoint's own secret;
 * - one endpoint that hangs never delays another: with one attempt at a time per endpoint
 *   (WEBHOOK_CONCURRENCY=1), the healthy endpoint gets every event on its first attempt while the
 *   hanging one holds its only slot until the first-attempt budget cuts it;
 * - each delivery has its own attempts and retries (GET /events/{id} shows them per endpoint), and
 *   a redelivery can name one endpoint (even one the event was not given to);
 * - an endpoint deleted gets nothing more: its pending deliveries are cancelled.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Webhook } from 'standardwebhooks';
import { startStack, type Stack } from '../../support/stack.ts';
import type { WebhookReceiver } from '../../support/webhook-receiver.ts';
import { loggedFor, payOrder, quitOrder } from '../events/support.ts';
import { at, deliveryOf, endpointReceiver, getEvent, retryWhenDue, type EndpointReply } from './support.ts';

let s: Stack;
let all: { receiver: WebhookReceiver; endpoint: EndpointReply & { secret: string } };
let cancels: { receiver: WebhookReceiver; endpoint: EndpointReply & { secret: string } };
let slow: { receiver: WebhookReceiver; endpoint: EndpointReply & { secret: string } };
beforeAll(async () => {
  s = await startStack({ WEBHOOK_CONCURRENCY: '1', WEBHOOK_FIRST_ATTEMPT_MS: '1500', WEBHOOK_RETRY_SCHEDULE: '1,1,1' });
  all = await endpointReceiver(s, { description: 'every event' });
  cancels = await endpointReceiver(s, { eventTypes: ['payment.cancelled'] });
  slow = await endpointReceiver(s, { description: 'hangs at first' });
});
afterAll(async () => {
  await s.stop();
  for (const r of [all, cancels, slow]) await r?.receiver.close();
});

const idsAt = (r: WebhookReceiver): string[] => r.deliveries().map((d) => d.headers['webhook-id'] ?? '');

describe('deliveries per endpoint', () => {
  let paidEvents: string[] = [];

  it('a hanging endpoint never delays another; each endpoint that wants an event gets it, the same id and body, signed with its own secret', async () => {
    slow.receiver.hang(true);
    const paid = await Promise.all([1, 2, 3].map((i) => payOrder(s, { prefix: `fan${i}` })));
    await s.streams.caughtUp();
    const events = await Promise.all(paid.map(async (p) => (await loggedFor(s, p.orderNo, 1))[0]!));
    paidEvents = events.map((e) => e.id);
    for (const e of events) {
      const view = await getEvent(s, e.id);
      // Given to the endpoints that want payment.completed, not to the one that wants cancels only.
      expect(view.deliveries.map((d) => d.endpointId).sort()).toEqual([all.endpoint.id, slow.endpoint.id].sort());
      // The healthy endpoint got it on its first attempt, in the invocation that logged it.
      expect(view.deliveries.find((d) => d.endpointId === all.endpoint.id)).toMatchObject({ status: 'delivered', attemptCount: 1, attempts: [{ status: 200 }] });
      // The hanging one: its first attempt cut at the budget, or not made; due again.
      const hung = view.deliveries.find((d) => d.endpointId === slow.endpoint.id);
      expect(hung).toMatchObject({ status: 'pending', nextAt: expect.any(String) });
      expect(hung?.attempts.map((a) => a.error)).toEqual(hung?.attempts.length === 0 ? [] : ['deadline']);
      expect(view.delivery.status).toBe('pending');
    }
    expect(idsAt(all.receiver).filter((id) => paidEvents.includes(id)).sort()).toEqual([...paidEvents].sort());
    expect(at(cancels.receiver, paidEvents[0]!)).toEqual([]);

    // The hanging endpoint answers again; the retrier sends it what it missed.
    slow.receiver.hang(false);
    await retryWhenDue(s, paidEvents, slow.endpoint.id);
    for (const id of paidEvents) {
      const [a] = at(all.receiver, id);
      const [b] = at(slow.receiver, id).filter((d) => d.status === 200);
      expect(a?.verified).toBe(true);
      expect(b?.verified).toBe(true);
      // One event, one id, one body, wherever it goes; signed with each endpoint's own secret.
      expect(b?.body).toBe(a?.body);
      expect(b?.headers['webhook-id']).toBe(id);
      expect(() => new Webhook(all.endpoint.secret).verify(b?.body ?? '', b?.headers ?? {})).toThrow();
      expect(() => new Webhook(slow.endpoint.secret).verify(a?.body ?? '', a?.headers ?? {})).toThrow();
      expect((await getEvent(s, id)).delivery.status).toBe('delivered');
    }
  });

  it('an event type goes only to the endpoints that want it', async () => {
    const { orderNo } = await quitOrder(s, 'fanq');
    await s.streams.caughtUp();
    const [cancelled] = await loggedFor(s, orderNo, 1);
    const id = cancelled?.id ?? '';
    expect(cancelled?.type).toBe('payment.cancelled');
    expect((await getEvent(s, id)).deliveries.map((d) => [d.endpointId, d.status]).sort()).toEqual(
      [
        [all.endpoint.id, 'delivered'],
        [cancels.endpoint.id, 'delivered'],
        [slow.endpoint.id, 'delivered'],
      ].sort(),
    );
    for (const r of [all, cancels, slow]) expect(at(r.receiver, id).map((d) => [d.status, d.verified])).toEqual([[200, true]]);
  });

  it('each delivery retries on its own; a redelivery can name an endpoint, even one the event was not given to', async () => {
    const [id] = paidEvents;
    if (id === undefined) throw new Error('no event');
    all.receiver.failNext(1, 503);
    const r = await s.merchantRequest(`/events/${id}/redeliver`, { method: 'POST', json: { endpointId: all.endpoint.id } });
    expect(r.status).toBe(200);
    // Only that endpoint was sent to, and its delivery started a new round.
    expect(await deliveryOf(s, id, all.endpoint.id)).toMatchObject({ status: 'pending', attemptCount: 2, roundFrom: 1, attempts: [{ status: 200 }, { status: 503 }] });
    expect(await deliveryOf(s, id, slow.endpoint.id)).toMatchObject({ status: 'delivered' });
    expect(at(slow.receiver, id).filter((d) => d.status === 200)).toHaveLength(1);
    await retryWhenDue(s, id, all.endpoint.id);
    expect(await deliveryOf(s, id, all.endpoint.id)).toMatchObject({ status: 'delivered', attemptCount: 3 });
    expect(at(all.receiver, id).map((d) => d.status)).toEqual([200, 503, 200]);

    // The endpoint for cancels never got this payment.completed; redelivered to it by name, it does.
    const named = await s.merchantRequest(`/events/${id}/redeliver`, { method: 'POST', json: { endpointId: cancels.endpoint.id } });
    expect((named.json as unknown as { deliveries: { endpointId: string; status: string }[] }).deliveries).toContainEqual(expect.objectContaining({ endpointId: cancels.endpoint.id, status: 'delivered' }));
    expect(at(cancels.receiver, id).map((d) => [d.status, d.verified])).toEqual([[200, true]]);

    const unknown = await s.merchantRequest(`/events/${id}/redeliver`, { method: 'POST', json: { endpointId: 'we_nosuchendpoint' } });
    expect([unknown.status, (unknown.json.error as { code?: string }).code]).toEqual([404, 'WEBHOOK_ENDPOINT_NOT_FOUND']);
  });

  it('an endpoint deleted gets nothing more: its pending deliveries are cancelled', async () => {
    slow.receiver.hang(true);
    const { orderNo } = await payOrder(s, { prefix: 'fand' });
    await s.streams.caughtUp();
    const [event] = await loggedFor(s, orderNo, 1);
    const id = event?.id ?? '';
    expect(await deliveryOf(s, id, slow.endpoint.id)).toMatchObject({ status: 'pending' });
    const before = slow.receiver.deliveries().length;
    slow.receiver.hang(false);
    expect((await s.merchantRequest(`/webhook-endpoints/${slow.endpoint.id}`, { method: 'DELETE' })).status).toBe(200);
    await retryWhenDue(s, id, slow.endpoint.id);
    expect(await deliveryOf(s, id, slow.endpoint.id)).toMatchObject({ status: 'cancelled' });
    expect(slow.receiver.deliveries().length).toBe(before);
    // Events from now on are not given to it at all.
    const next = await payOrder(s, { prefix: 'fane' });
    await s.streams.caughtUp();
    const [after] = await loggedFor(s, next.orderNo, 1);
    expect((await getEvent(s, after?.id ?? '')).deliveries.map((d) => d.endpointId)).toEqual([all.endpoint.id]);
    expect((await s.runWebhookRetrier()).attempted).toBe(0);
  });
});
