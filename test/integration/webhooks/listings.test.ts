/**
 * The event listings the console reads, over HTTP, with deliveries per endpoint: GET /events/failed
 * (failed deliveries, the latest first, paged) and GET /payments/{orderNo}/events show each event
 * with every endpoint's delivery exactly as GET /events/{id} does; a redelivery (of one event to
 * one endpoint, or of every failed delivery) records its round on that endpoint's delivery, with
 * who asked, and on no other.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tokenId } from '../../../functions/authorizer/tokens.ts';
import { startStack, type Stack } from '../../support/stack.ts';
import type { WebhookReceiver } from '../../support/webhook-receiver.ts';
import { loggedFor, payOrder, type LoggedEvent } from '../events/support.ts';
import { deliveryOf, endpointReceiver, getEvent, retryWhenDue, type EndpointReply } from './support.ts';

type Listed = { events: LoggedEvent[]; next?: string };

let s: Stack;
let ok: { receiver: WebhookReceiver; endpoint: EndpointReply & { secret: string } };
let bad: { receiver: WebhookReceiver; endpoint: EndpointReply & { secret: string } };
beforeAll(async () => {
  // One retry, a second after the first attempt: a delivery fails for good within the test.
  s = await startStack({ WEBHOOK_RETRY_SCHEDULE: '1' });
  ok = await endpointReceiver(s, { description: 'answers' });
  bad = await endpointReceiver(s, { description: 'refuses' });
  bad.receiver.failNext(1_000, 500);
});
afterAll(async () => {
  await s.stop();
  for (const r of [ok, bad]) await r?.receiver.close();
});

const list = async (path: string): Promise<Listed> => {
  const r = await s.merchantRequest(path);
  expect({ path, status: r.status }).toEqual({ path, status: 200 });
  return r.json as unknown as Listed;
};

/** A paid order whose payment.completed was delivered to `ok` and failed for good at `bad`. */
async function failedAtBad(prefix: string): Promise<{ orderNo: string; eventId: string }> {
  const { orderNo } = await payOrder(s, { prefix });
  await s.streams.caughtUp();
  const [e] = await loggedFor(s, orderNo, 1);
  const eventId = String(e?.id);
  await retryWhenDue(s, eventId, bad.endpoint.id);
  expect((await deliveryOf(s, eventId, bad.endpoint.id))?.status).toBe('failed');
  return { orderNo, eventId };
}

describe('the listings with deliveries per endpoint', () => {
  let first: { orderNo: string; eventId: string };
  let second: { orderNo: string; eventId: string };

  it('GET /events/failed and GET /payments/{orderNo}/events show each endpoint’s delivery as GET /events/{id} does', async () => {
    first = await failedAtBad('lsa');
    second = await failedAtBad('lsb');
    const one = await getEvent(s, first.eventId);
    expect(one.deliveries.map((d) => [d.endpointId, d.status]).sort()).toEqual(
      [
        [ok.endpoint.id, 'delivered'],
        [bad.endpoint.id, 'failed'],
      ].sort(),
    );
    expect(one.delivery.status).toBe('failed');

    const failed = await list('/events/failed?limit=100');
    // The latest failure first; each event once, with all its deliveries.
    expect(failed.events.map((e) => e.id)).toEqual([second.eventId, first.eventId]);
    expect(failed.events[1]).toEqual(one);

    const ofOrder = await list(`/payments/${first.orderNo}/events`);
    expect(ofOrder.events.map((e) => e.id)).toEqual([first.eventId]);
    expect(ofOrder.events[0]).toEqual(one);
  });

  it('pages the failed deliveries (a cursor names the endpoint of the last one), and refuses another listing’s cursor', async () => {
    const page = await list('/events/failed?limit=1');
    expect(page.events.map((e) => e.id)).toEqual([second.eventId]);
    const rest = await list(`/events/failed?limit=1&after=${encodeURIComponent(String(page.next))}`);
    expect(rest.events.map((e) => e.id)).toEqual([first.eventId]);
    const ofOrder = await s.merchantRequest(`/payments/${first.orderNo}/events?after=${encodeURIComponent(String(page.next))}`);
    expect([ofOrder.status, (ofOrder.json.error as { code?: string } | undefined)?.code]).toEqual([400, 'INVALID_CURSOR']);
  });

  it('a redelivery to one endpoint records its round, with who asked, on that delivery alone; so does a redelivery of the failed ones', async () => {
    const actor = { id: `merchant:${tokenId(s.token)}` };
    const r = await s.merchantRequest(`/events/${first.eventId}/redeliver`, { method: 'POST', json: { endpointId: bad.endpoint.id } });
    expect(r.status).toBe(200);
    const view = r.json as unknown as LoggedEvent;
    const badDelivery = view.deliveries.find((d) => d.endpointId === bad.endpoint.id);
    // Two attempts before (the first and its one retry): the round begins at the third.
    expect(badDelivery?.rounds).toEqual([{ from: 2, at: expect.any(String), actor }]);
    expect(badDelivery?.attemptCount).toBe(3);
    expect(view.deliveries.find((d) => d.endpointId === ok.endpoint.id)?.rounds).toBeUndefined();
    // One endpoint: the summary is that delivery's (with its rounds) only when there is one; here two.
    expect(view.delivery.rounds).toBeUndefined();

    // It fails again (one retry), then every failed delivery of that endpoint is queued again.
    await retryWhenDue(s, first.eventId, bad.endpoint.id);
    expect((await deliveryOf(s, first.eventId, bad.endpoint.id))?.status).toBe('failed');
    const all = await s.merchantRequest('/events/redeliver', { method: 'POST', json: { failedSince: new Date(0).toISOString(), endpointId: bad.endpoint.id } });
    expect([all.status, all.json.queued]).toEqual([202, 2]);
    const again = await deliveryOf(s, first.eventId, bad.endpoint.id);
    expect(again?.rounds).toEqual([
      { from: 2, at: expect.any(String), actor },
      { from: 4, at: expect.any(String), actor },
    ]);
    expect((await deliveryOf(s, second.eventId, bad.endpoint.id))?.rounds).toEqual([{ from: 2, at: expect.any(String), actor }]);
    // The order's listing shows the same.
    const ofOrder = await list(`/payments/${first.orderNo}/events`);
    expect(ofOrder.events[0]).toEqual(await getEvent(s, first.eventId));
  });
});
