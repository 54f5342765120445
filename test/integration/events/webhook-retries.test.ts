/**
 * Webhook deliveries that fail, with a short retry schedule (WEBHOOK_RETRY_SCHEDULE=1,1,1: one
 * attempt, then three retries a second apart) and the webhook retrier run by hand as its schedule
 * would: a receiver that fails its first attempts gets the event later with the very same body;
 * after the last retry the delivery has failed and GET /events/{id} shows every attempt (time,
 * HTTP status, latency); redelivery by hand, one event or every failure since a time. Also: a
 * lost reply of the retrier's lease write (the first attempt's lease comes with the log's
 * transaction), and a bus that refuses the events for a while.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { approve } from '../../../local/toss-sandbox/control-client.ts';
import { newOrderNo, startStack, type Stack } from '../../support/stack.ts';
import type { Delivery } from '../../support/webhook-receiver.ts';
import { busFor, deliveriesFor, loggedFor, payOrder, statusOf, type LoggedEvent } from './support.ts';

let s: Stack;
beforeAll(async () => {
  s = await startStack({}, { webhooks: { retrySchedule: '1,1,1' } });
});
afterAll(() => s.stop());

const receiver = () => {
  if (s.webhooks === undefined) throw new Error('no receiver');
  return s.webhooks;
};
const getEvent = async (id: string): Promise<LoggedEvent> => {
  const r = await s.merchantRequest(`/events/${id}`);
  expect(r.status).toBe(200);
  return r.json as unknown as LoggedEvent;
};
/** Waits until the event's next attempt is due, then runs the retrier once. */
async function retryWhenDue(id: string): Promise<void> {
  const next = (await getEvent(id)).delivery.nextAt;
  expect(next).toBeDefined();
  const wait = Date.parse(next ?? '') - Date.now() + 50;
  if (wait > 0) await new Promise((r) => setTimeout(r, wait));
  const r = await s.runWebhookRetrier();
  expect(r.attempted).toBeGreaterThanOrEqual(1);
}
/** A paid order whose first `fails` webhook attempts the receiver answers 500; its payment.completed once logged. */
async function paidWithFailingReceiver(fails: number, prefix: string): Promise<{ orderNo: string; event: LoggedEvent }> {
  receiver().failNext(fails, 500);
  const { orderNo } = await payOrder(s, { prefix });
  await s.streams.caughtUp();
  const [event] = await loggedFor(s, orderNo, 1);
  if (event === undefined) throw new Error('no event');
  return { orderNo, event };
}
const expectSameDelivery = (deliveries: Delivery[], id: string): void => {
  expect(deliveries.every((d) => d.headers['webhook-id'] === id && d.verified)).toBe(true);
  expect(new Set(deliveries.map((d) => d.body)).size).toBe(1);
};

describe('webhook retries', () => {
  it('a receiver that fails its first two attempts gets the event on the third, with identical bodies; each attempt recorded', async () => {
    const { orderNo, event } = await paidWithFailingReceiver(2, 'rt2');
    expect(event.delivery).toMatchObject({ status: 'pending', attempts: [{ status: 500 }] });
    await retryWhenDue(event.id);
    expect((await getEvent(event.id)).delivery).toMatchObject({ status: 'pending', attempts: [{ status: 500 }, { status: 500 }] });
    await retryWhenDue(event.id);

    const done = await getEvent(event.id);
    expect(done.delivery.status).toBe('delivered');
    expect(done.delivery.nextAt).toBeUndefined();
    expect(done.delivery.attempts.map((a) => a.status)).toEqual([500, 500, 200]);
    for (const a of done.delivery.attempts) {
      expect(a).toEqual({ at: expect.stringMatching(/^\d{4}-\d\d-\d\dT/), status: expect.any(Number), latencyMs: expect.any(Number), endpointId: 'we_env' });
      expect(a.latencyMs).toBeGreaterThanOrEqual(0);
    }
    const times = done.delivery.attempts.map((a) => Date.parse(a.at));
    // A second apart at least: the schedule's delays.
    expect(times[1]! - times[0]!).toBeGreaterThanOrEqual(1_000);
    expect(times[2]! - times[1]!).toBeGreaterThanOrEqual(1_000);

    const deliveries = deliveriesFor(s, orderNo);
    expect(deliveries.map((d) => d.status)).toEqual([500, 500, 200]);
    expectSameDelivery(deliveries, event.id);
    expect(JSON.parse(deliveries[0]!.body)).toEqual({ id: event.id, type: event.type, timestamp: event.timestamp, data: event.data });
    // Nothing is due any more.
    expect((await s.runWebhookRetrier()).attempted).toBe(0);
  });

  it('after the last retry the delivery has failed and is listed so; POST /events/{id}/redeliver sends it again at once', async () => {
    const { orderNo, event } = await paidWithFailingReceiver(100, 'rtf');
    for (let retry = 0; retry < 3; retry++) await retryWhenDue(event.id);

    const failed = await getEvent(event.id);
    expect(failed.delivery.status).toBe('failed');
    expect(failed.delivery.nextAt).toBeUndefined();
    expect(failed.delivery.attempts.map((a) => a.status)).toEqual([500, 500, 500, 500]);
    const listed = (await s.merchantRequest('/events?type=payment.completed&limit=100')).json as { events: LoggedEvent[] };
    expect(listed.events.find((e) => e.id === event.id)?.delivery.status).toBe('failed');
    // Given up: the retrier leaves it alone.
    await new Promise((r) => setTimeout(r, 1_100));
    expect((await s.runWebhookRetrier()).attempted).toBe(0);
    expect(deliveriesFor(s, orderNo)).toHaveLength(4);

    // The receiver is fixed; the merchant redelivers by hand.
    receiver().failNext(0);
    const r = await s.merchantRequest(`/events/${event.id}/redeliver`, { method: 'POST' });
    expect(r.status).toBe(200);
    const after = r.json as unknown as LoggedEvent;
    expect(after.delivery.status).toBe('delivered');
    expect(after.delivery.attempts.map((a) => a.status)).toEqual([500, 500, 500, 500, 200]);
    expect(after.delivery.roundFrom).toBe(4);
    const deliveries = deliveriesFor(s, orderNo);
    expect(deliveries.map((d) => d.status)).toEqual([500, 500, 500, 500, 200]);
    expectSameDelivery(deliveries, event.id);

    const unknown = await s.merchantRequest('/events/evt_nosuchevent000000000000000/redeliver', { method: 'POST' });
    expect(unknown.status).toBe(404);
  });

  it('POST /events/redeliver {failedSince} queues every delivery that failed since then; the retrier sends them', async () => {
    const since = new Date().toISOString();
    const { orderNo, event } = await paidWithFailingReceiver(100, 'rtq');
    for (let retry = 0; retry < 3; retry++) await retryWhenDue(event.id);
    expect((await getEvent(event.id)).delivery.status).toBe('failed');

    const later = await s.merchantRequest('/events/redeliver', { method: 'POST', json: { failedSince: new Date(Date.now() + 60_000).toISOString() } });
    expect([later.status, later.json]).toEqual([202, { queued: 0 }]);
    const bad = await s.merchantRequest('/events/redeliver', { method: 'POST', json: { failedSince: 'yesterday' } });
    expect(bad.status).toBe(400);

    receiver().failNext(0);
    const queued = await s.merchantRequest('/events/redeliver', { method: 'POST', json: { failedSince: since } });
    expect([queued.status, queued.json]).toEqual([202, { queued: 1 }]);
    expect((await getEvent(event.id)).delivery.status).toBe('pending');
    expect((await s.runWebhookRetrier()).attempted).toBe(1);
    const done = await getEvent(event.id);
    expect(done.delivery.status).toBe('delivered');
    expect(done.delivery.attempts.map((a) => a.status)).toEqual([500, 500, 500, 500, 200]);
    expectSameDelivery(deliveriesFor(s, orderNo), event.id);
  });

  it("the events function's first attempt takes no lease (the log made the delivery with it); a lost reply of the retrier's lease write still gives one attempt", async () => {
    const leaseWrite = { kind: 'drop-reply', operation: 'UpdateItem', table: s.tableName, expressionContains: 'SET #leaseUntil = :until, #leaseId = :lid', times: 1 } as const;
    const f = await s.proxy.addFault(leaseWrite);
    const { orderNo, event } = await paidWithFailingReceiver(1, 'rtl');
    expect(event.delivery.attempts.map((a) => a.status)).toEqual([500]);
    // No write took the first attempt's lease.
    expect((await s.proxy.faults()).find((x) => x.id === f.id)?.hits).toBe(0);
    await retryWhenDue(event.id);
    // The SDK sent the retrier's lease write again; its own lease was found and the attempt made, once.
    expect((await getEvent(event.id)).delivery.attempts.map((a) => a.status)).toEqual([500, 200]);
    expect(deliveriesFor(s, orderNo).map((d) => d.status)).toEqual([500, 200]);
    expect((await s.proxy.faults()).find((x) => x.id === f.id)?.hits).toBe(1);
    expect((await s.proxy.functions())['webhook-retrier']?.GetItem).toBeGreaterThanOrEqual(1);
  });

  it("a lost reply of the event log's write: the events function takes its own write for its own, and makes the first attempt at once", async () => {
    const orderNo = newOrderNo('rtp');
    const c = await s.createPayment({ orderNo, amount: 21_000, amountTaxFree: 0, productDesc: '토스 모자' });
    expect(c.status).toBe(201);
    await s.streams.caughtUp();
    // The next transaction on the table is the events function's log write of payment.completed.
    const logWrite = await s.proxy.addFault({ kind: 'drop-reply', operation: 'TransactWriteItems', table: s.tableName, expressionContains: 'attribute_not_exists(pk)' });
    await approve(s.sandbox.url, String(c.json.payToken), 'CARD');
    // Toss's callback pays the order a moment later; caughtUp() covers the changes made before it is called.
    await statusOf(s, orderNo, 'PAY_COMPLETE');
    await s.streams.caughtUp();
    expect((await s.proxy.faults()).find((f) => f.id === logWrite.id)?.hits, 'the log write reply was dropped').toBe(1);
    const [event, ...more] = await loggedFor(s, orderNo, 1);
    expect(more).toEqual([]);
    // Not taken for an earlier log of the same event (which would leave the first attempt to the retrier).
    expect(event?.type).toBe('payment.completed');
    expect(event?.delivery.status).toBe('delivered');
    expect(event?.delivery.attempts.map((a) => a.status)).toEqual([200]);
    expect(deliveriesFor(s, orderNo).map((d) => d.status)).toEqual([200]);
    expect(event?.data).not.toHaveProperty('writeId');
  });

  it('a bus that refuses the events for a while: the stream retries the change; each event logged and put once, and sent at once all the same', async () => {
    s.eventBridge.failNext(2);
    const failedBefore = s.streams.stats().failedInvocations;
    const { orderNo } = await payOrder(s, { prefix: 'rtb' });
    await s.streams.caughtUp();
    expect(s.streams.stats().failedInvocations - failedBefore).toBe(2);
    const logged = await loggedFor(s, orderNo, 1);
    expect(logged.map((e) => e.type)).toEqual(['payment.completed']);
    expect(busFor(s, orderNo).map((e) => e.Detail.id)).toEqual([logged[0]?.id]);
    // Logged on the first try, when the bus refused it; the first attempt does not wait for the bus,
    // so the shop has it at once, and once only: the stream's retries of the change do not send it
    // again (only the invocation that logged an event makes its first attempt).
    expect(deliveriesFor(s, orderNo).map((d) => d.status)).toEqual([200]);
    expect((await loggedFor(s, orderNo, 1))[0]?.delivery).toMatchObject({ status: 'delivered' });
    expect((await s.runWebhookRetrier()).attempted).toBe(0);
    expect(deliveriesFor(s, orderNo).map((d) => d.status)).toEqual([200]);
    // Said loudly by the consumer, and why by the function.
    const lines = s.logs().map((l) => l.text);
    const failed = lines.filter((t) => t.startsWith('[stream]') && t.includes('FAILED'));
    expect(failed.length).toBeGreaterThanOrEqual(2);
    expect(failed[0]).toMatch(/the function reported 1 failed record\(s\); retrying from sequence number \d+ \(ORDER#rtb-/);
    expect(lines.some((t) => t.includes('publishing an order change failed') && t.includes('EventBridge refused 1 of 1 events (InternalFailure)'))).toBe(true);
  });
});
