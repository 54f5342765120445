/**
 * One paid order, end to end over the real stack: the table's stream feeds the events function,
 * which logs the event, puts it on the bus and sends it to the merchant's webhook. Exactly one
 * payment.completed, with an id derived from the change, the same envelope in all three places,
 * and a Standard Webhooks signature the independent `standardwebhooks` package accepts (and
 * refuses once the body or the timestamp is not the one signed).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startStreamConsumer } from '../../../local/dynamodb-streams.ts';
import { eventId } from '../../../shared/events/order-events.ts';
import { parseSigningSecrets, webhookHeaders } from '../../../shared/events/webhook-signing.ts';
import { dynamoEndpoint } from '../../support/dynamo.ts';
import { startStack, type Stack } from '../../support/stack.ts';
import { allLogged, busFor, deliveriesFor, envelopeOf, loggedFor, payOrder, typesOf } from './support.ts';

let s: Stack;
beforeAll(async () => {
  s = await startStack({}, { webhooks: true });
});
afterAll(() => s.stop());

describe('a paid order', () => {
  it('produces exactly one payment.completed: in the log, on the bus and at the webhook, with a deterministic id and one body', async () => {
    const { orderNo, order } = await payOrder(s);
    await s.streams.caughtUp();

    // The log: one event, its id derived from the order, the version of the paying change and the type.
    const [logged, ...more] = await loggedFor(s, orderNo, 1);
    expect(more).toEqual([]);
    if (logged === undefined) throw new Error('no event');
    expect(logged.type).toBe('payment.completed');
    expect(logged.id).toBe(eventId(orderNo, order.version ?? 0, 'payment.completed'));
    expect(logged.id).toMatch(/^evt_[A-Za-z0-9_-]{26}$/);
    expect(logged.timestamp).toBe(order.updatedAt);
    expect(logged.data).toMatchObject({ orderNo, status: 'PAY_COMPLETE', paymentState: 'paid', paid: true, amount: 35_000, version: order.version });
    expect(logged.delivery.status).toBe('delivered');
    expect(logged.delivery.attempts).toEqual([{ at: expect.any(String), status: 200, latencyMs: expect.any(Number), endpointId: 'we_env' }]);
    // The one endpoint (MERCHANT_WEBHOOK_URL) and its delivery.
    expect(logged.deliveries).toEqual([{ endpointId: 'we_env', status: 'delivered', attempts: [{ at: expect.any(String), status: 200, latencyMs: expect.any(Number) }], attemptCount: 1, roundFrom: 0 }]);
    const byId = await s.merchantRequest(`/events/${logged.id}`);
    expect(byId.status).toBe(200);
    expect(byId.json).toEqual(logged);

    // The bus: one entry, source toss-pay, detail-type the type, detail the envelope.
    const bus = busFor(s, orderNo);
    expect(bus).toHaveLength(1);
    expect(bus[0]).toMatchObject({ EventBusName: 'toss-pay-local', Source: 'toss-pay', DetailType: 'payment.completed', Detail: envelopeOf(logged) });
    expect(bus[0]?.Time).toBe(order.updatedAt);

    // The webhook: one delivery of the same envelope, signed as Standard Webhooks says.
    const [d, ...again] = deliveriesFor(s, orderNo);
    expect(again).toEqual([]);
    if (d === undefined) throw new Error('no delivery');
    expect(d.status).toBe(200);
    expect(d.verified).toBe(true);
    expect(d.headers['webhook-id']).toBe(logged.id);
    expect(d.headers['content-type']).toBe('application/json');
    expect(Math.abs(Number(d.headers['webhook-timestamp']) - d.at / 1000)).toBeLessThan(5);
    expect(JSON.parse(d.body)).toEqual(envelopeOf(logged));
    expect(s.webhooks?.verify(d.body, d.headers)).toEqual(envelopeOf(logged));
  });

  it('the receiver refuses a tampered body and an old timestamp (standardwebhooks)', async () => {
    const { orderNo } = await payOrder(s, { prefix: 'evt' });
    await s.streams.caughtUp();
    const [d] = deliveriesFor(s, orderNo);
    if (d === undefined || s.webhooks === undefined) throw new Error('no delivery');
    const wh = s.webhooks;
    expect(() => wh.verify(d.body, d.headers)).not.toThrow();

    const tampered = d.body.replace('"amount":35000', '"amount":3500');
    expect(tampered).not.toBe(d.body);
    expect(() => wh.verify(tampered, d.headers)).toThrow(/signature/i);
    expect(() => wh.verify(d.body, { ...d.headers, 'webhook-id': 'evt_someotherevent' })).toThrow(/signature/i);

    // The same body signed (by the project's signer) 10 minutes ago: refused for its age alone.
    const secrets = parseSigningSecrets(wh.secret);
    const old = webhookHeaders(secrets, d.headers['webhook-id'] ?? '', d.body, Date.now() - 10 * 60_000);
    expect(() => wh.verify(d.body, old)).toThrow(/too old/i);
    expect(() => wh.verify(d.body, webhookHeaders(secrets, d.headers['webhook-id'] ?? '', d.body, Date.now()))).not.toThrow();
    // A signature from another secret is refused.
    const other = webhookHeaders(parseSigningSecrets(`whsec_${Buffer.alloc(24, 7).toString('base64')}`), d.headers['webhook-id'] ?? '', d.body, Date.now());
    expect(() => wh.verify(d.body, other)).toThrow(/signature/i);
  });

  it('the stream delivering every change again changes nothing but the bus: the same ids, one log entry each, no second webhook', async () => {
    const { orderNo } = await payOrder(s, { prefix: 'evr' });
    await s.streams.caughtUp();
    await loggedFor(s, orderNo, 1);
    const before = await allLogged(s);
    const busBefore = busFor(s, orderNo);
    const deliveriesBefore = s.webhooks?.deliveries().length;
    expect(busBefore).toHaveLength(1);

    // A second event source mapping on the same stream: every record of the table again, from TRIM_HORIZON.
    const replay = await startStreamConsumer({ endpoint: dynamoEndpoint(), tableName: s.tableName, pollIntervalMs: 50, discoveryIntervalMs: 100 });
    try {
      await replay.caughtUp();
      expect(replay.stats().failedInvocations).toBe(0);
      expect(replay.stats().passed).toBeGreaterThan(0);
    } finally {
      await replay.stop();
    }
    await new Promise((r) => setTimeout(r, 2_100));
    const after = await allLogged(s);
    expect(after.map((e) => e.id)).toEqual(expect.arrayContaining(before.map((e) => e.id)));
    expect(new Set(after.map((e) => e.id)).size).toBe(after.length);
    expect(after.filter((e) => e.data.orderNo === orderNo).map((e) => [e.id, e.type])).toEqual(before.filter((e) => e.data.orderNo === orderNo).map((e) => [e.id, e.type]));
    // At least once on the bus: the same event (same id, same detail) again.
    const busAfter = busFor(s, orderNo);
    expect(busAfter).toHaveLength(2);
    expect(busAfter[1]?.Detail).toEqual(busBefore[0]?.Detail);
    expect(typesOf(busAfter.map((e) => ({ type: e.DetailType })))).toEqual(['payment.completed', 'payment.completed']);
    expect(s.webhooks?.deliveries().length).toBe(deliveriesBefore);
  });
});
