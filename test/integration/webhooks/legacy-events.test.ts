/**
 * Events logged before endpoints existed keep their one delivery on the event item (`delivery`,
 * with `HOOK#n` or `HOOK#FAILED` in the due index) and no `endpoints`. They must still read as
 * before and still be sent: the retrier sends a due one to MERCHANT_WEBHOOK_URL (`we_env`), a
 * failed one is redelivered by POST /events/redeliver, any one by POST /events/{id}/redeliver;
 * each is first taken over by a delivery item of its own (its attempts kept). The items are
 * written here as the code before endpoints wrote them.
 */
import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEventStore, eventKey } from '../../../shared/store/events.ts';
import { hookShardOf, HOOK_FAILED } from '../../../shared/store/deliveries.ts';
import { testDocumentClient } from '../../support/dynamo.ts';
import { startStack, type Stack } from '../../support/stack.ts';
import { loggedFor, payOrder } from '../events/support.ts';
import { getEvent } from './support.ts';

let s: Stack;
const client = testDocumentClient();
beforeAll(async () => {
  s = await startStack({}, { webhooks: { retrySchedule: '1,1' } });
});
afterAll(async () => {
  client.destroy();
  await s.stop();
});

type Legacy = { status: 'none' | 'pending' | 'delivered' | 'failed'; attempts: { at: string; status?: number; latencyMs: number; error?: string }[]; nextAt?: string; roundFrom?: number };

/** An event as the code before endpoints logged it: a real envelope under a new id, its delivery on the item. */
async function legacyEvent(name: string, delivery: Legacy, dueOf?: (id: string) => { shard: string; at: number }): Promise<string> {
  const { orderNo } = await payOrder(s, { prefix: `lg${name}` });
  await s.streams.caughtUp();
  const [real] = await loggedFor(s, orderNo, 1);
  const id = `evt_legacy${name}${Date.now().toString(36)}`;
  const body = JSON.stringify({ id, type: real?.type, timestamp: real?.timestamp, data: real?.data });
  const [logged] = await createEventStore({ client, tableName: s.tableName, retentionDays: 1 }).logEvents([{ id, type: 'payment.completed', timestamp: real?.timestamp ?? '', orderNo, body, deliveries: [] }]);
  expect(logged?.kind).toBe('logged');
  const due = dueOf?.(id);
  await client.send(
    new UpdateCommand({
      TableName: s.tableName,
      Key: { pk: eventKey(id) },
      UpdateExpression: `SET #delivery = :d${due !== undefined ? ', #s = :s, #a = :a' : ''} REMOVE #eps`,
      ExpressionAttributeNames: { '#delivery': 'delivery', '#eps': 'endpoints', ...(due !== undefined ? { '#s': 'dueShard', '#a': 'dueAt' } : {}) },
      ExpressionAttributeValues: { ':d': delivery, ...(due !== undefined ? { ':s': due.shard, ':a': due.at } : {}) },
    }),
  );
  return id;
}

const iso = (ms: number): string => new Date(ms).toISOString();

describe('events logged before endpoints', () => {
  it('read as before, and a due one is sent by the retrier to the configured endpoint, its attempts kept', async () => {
    const failedAt = Date.now() - 10_000;
    // Its shard as the old code chose it: from the event id.
    const id = await legacyEvent('due', { status: 'pending', attempts: [{ at: iso(failedAt), status: 500, latencyMs: 12 }], nextAt: iso(failedAt + 5_000), roundFrom: 0 }, (x) => ({ shard: hookShardOf(x), at: failedAt + 5_000 }));
    const before = await getEvent(s, id);
    expect(before.delivery).toEqual({ status: 'pending', attempts: [{ at: iso(failedAt), status: 500, latencyMs: 12, endpointId: 'we_env' }], nextAt: iso(failedAt + 5_000), roundFrom: 0 });
    expect(before.deliveries).toEqual([{ endpointId: 'we_env', status: 'pending', attempts: [{ at: iso(failedAt), status: 500, latencyMs: 12 }], attemptCount: 1, nextAt: iso(failedAt + 5_000), roundFrom: 0 }]);

    expect((await s.runWebhookRetrier()).attempted).toBeGreaterThanOrEqual(1);
    const after = await getEvent(s, id);
    expect(after.deliveries).toEqual([
      { endpointId: 'we_env', status: 'delivered', attempts: [{ at: iso(failedAt), status: 500, latencyMs: 12 }, { at: expect.any(String), status: 200, latencyMs: expect.any(Number) }], attemptCount: 2, roundFrom: 0 },
    ]);
    const got = s.webhooks?.deliveriesOf(id) ?? [];
    expect(got.map((d) => [d.status, d.verified])).toEqual([[200, true]]);
    expect(JSON.parse(got[0]?.body ?? '{}').id).toBe(id);
    // Listed as it now is, too.
    const page = (await s.merchantRequest('/events?limit=100')).json as { events: { id: string; delivery: { status: string } }[] };
    expect(page.events.find((e) => e.id === id)?.delivery.status).toBe('delivered');
  });

  it('a failed one is queued by POST /events/redeliver {failedSince} and sent', async () => {
    const failedAt = Date.now() - 5_000;
    const id = await legacyEvent('failed', { status: 'failed', attempts: [{ at: iso(failedAt - 1_000), status: 503, latencyMs: 5 }, { at: iso(failedAt), error: 'ECONNREFUSED', latencyMs: 1 }], roundFrom: 0 }, () => ({ shard: HOOK_FAILED, at: failedAt }));
    expect((await getEvent(s, id)).delivery.status).toBe('failed');
    const r = await s.merchantRequest('/events/redeliver', { method: 'POST', json: { failedSince: iso(failedAt - 60_000) } });
    expect([r.status, r.json]).toEqual([202, { queued: 1 }]);
    await s.runWebhookRetrier();
    expect((await getEvent(s, id)).deliveries).toEqual([expect.objectContaining({ endpointId: 'we_env', status: 'delivered', attemptCount: 3, roundFrom: 2 })]);
    expect(s.webhooks?.deliveriesOf(id).map((d) => d.verified)).toEqual([true]);
  });

  it('a delivered one, and one logged when no webhook was configured, are sent again by POST /events/{id}/redeliver', async () => {
    const delivered = await legacyEvent('ok', { status: 'delivered', attempts: [{ at: iso(Date.now() - 60_000), status: 204, latencyMs: 3 }] });
    expect((await getEvent(s, delivered)).delivery).toEqual({ status: 'delivered', attempts: [expect.objectContaining({ status: 204, endpointId: 'we_env' })], roundFrom: 0 });
    const r1 = await s.merchantRequest(`/events/${delivered}/redeliver`, { method: 'POST' });
    expect((r1.json as { deliveries: unknown[] }).deliveries).toEqual([expect.objectContaining({ endpointId: 'we_env', status: 'delivered', attemptCount: 2, roundFrom: 1 })]);

    const none = await legacyEvent('none', { status: 'none', attempts: [] });
    expect((await getEvent(s, none)).delivery).toEqual({ status: 'none', attempts: [] });
    expect((await getEvent(s, none)).deliveries).toEqual([]);
    const r2 = await s.merchantRequest(`/events/${none}/redeliver`, { method: 'POST' });
    expect((r2.json as { deliveries: unknown[] }).deliveries).toEqual([expect.objectContaining({ endpointId: 'we_env', status: 'delivered', attemptCount: 1 })]);
    for (const id of [delivered, none]) expect(s.webhooks?.deliveriesOf(id).map((d) => [d.status, d.verified])).toEqual([[200, true]]);
  });
});
