/**
 * The EventBridge stand-in (local/eventbridge.ts) spoken to by the real AWS SDK client: the
 * project's own bus (shared/events/event-bus.ts) puts events on it, in calls of at most 10 entries
 * and 256 KB (as EventBridge counts an entry's size), and the stand-in answers as EventBridge does
 * (ids, per-entry errors, a ValidationException for more entries or bytes than a call takes,
 * injected failures the bus client turns into an error). Its control routes read and clear what
 * was put.
 */
import { EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { clearPutEvents, readPutEvents, startEventBridge, type EventBridgeStandIn } from '../../../local/eventbridge.ts';
import { createEventBus, entrySize, EVENT_SOURCE, MAX_PUT_EVENTS_BYTES } from '../../../shared/events/event-bus.ts';
import type { OrderEvent } from '../../../shared/events/order-events.ts';
import { endpointSettings } from '../../../shared/store/client.ts';

let eb: EventBridgeStandIn;
let sdk: EventBridgeClient;
beforeAll(async () => {
  eb = await startEventBridge();
  sdk = new EventBridgeClient({ region: 'ap-northeast-2', ...endpointSettings(eb.url), maxAttempts: 1 });
});
afterAll(async () => {
  sdk.destroy();
  await eb.close();
});
beforeEach(() => {
  eb.clear();
  eb.failNext(0);
});

const event = (n: number): OrderEvent => ({
  id: `evt_${String(n).padStart(26, '0')}`,
  type: n % 2 === 0 ? 'payment.completed' : 'payment.refunded',
  timestamp: new Date(Date.UTC(2026, 0, 1, 0, 0, n, 250)).toISOString(),
  // A partial order: the bus carries `data` as it is given.
  data: { orderNo: `o-${n}`, version: n, amount: 1_000 * n } as OrderEvent['data'],
});

describe('the EventBridge stand-in', () => {
  it('takes PutEvents from the real SDK client through the project bus: every event, in batches of 10, as sent', async () => {
    const bus = createEventBus({ busName: 'toss-pay-test', region: 'ap-northeast-2', endpoint: eb.url });
    const events = Array.from({ length: 12 }, (_, i) => event(i));
    await bus.put(events);
    const got = eb.entries();
    expect(got).toHaveLength(12);
    expect(got.map((e) => e.Detail)).toEqual(events.map((e) => ({ id: e.id, type: e.type, timestamp: e.timestamp, data: e.data })));
    for (const [i, e] of got.entries()) {
      expect(e).toMatchObject({ EventBusName: 'toss-pay-test', Source: EVENT_SOURCE, DetailType: events[i]?.type, Time: events[i]?.timestamp, Resources: [] });
      expect(e.EventId).toMatch(/^[0-9a-f-]{36}$/);
    }
    // Over HTTP, as npm start's users read it.
    expect(await readPutEvents(eb.url)).toEqual(got);
    expect((await readPutEvents(eb.url, 'payment.refunded')).map((e) => e.Detail.id)).toEqual(events.filter((e) => e.type === 'payment.refunded').map((e) => e.id));
    await clearPutEvents(eb.url);
    expect(eb.entries()).toEqual([]);
  });

  it("answers the SDK's PutEvents with EventIds, and per-entry errors as EventBridge does", async () => {
    const r = await sdk.send(
      new PutEventsCommand({
        Entries: [
          { Source: 'toss-pay', DetailType: 'payment.completed', Detail: '{"id":"evt_1"}', EventBusName: 'b' },
          { Source: 'toss-pay', DetailType: 'payment.completed', Detail: 'not json' },
          { Source: 'toss-pay', DetailType: 'payment.completed', Detail: '[1,2]' },
          { DetailType: 'payment.completed', Detail: '{}' },
          { Source: 'toss-pay', DetailType: 'payment.completed', Detail: '{"id":"evt_2"}' },
        ],
      }),
    );
    expect(r.FailedEntryCount).toBe(3);
    expect(r.Entries?.map((e) => e.ErrorCode ?? 'ok')).toEqual(['ok', 'MalformedDetail', 'MalformedDetail', 'InvalidArgument', 'ok']);
    expect(r.Entries?.[3]?.ErrorMessage).toContain('Source');
    expect(eb.entries().map((e) => [e.EventBusName, e.Detail.id])).toEqual([
      ['b', 'evt_1'],
      ['default', 'evt_2'],
    ]);
    expect(eb.entries().map((e) => e.EventId)).toEqual([r.Entries?.[0]?.EventId, r.Entries?.[4]?.EventId]);
  });

  it('refuses more than 10 entries with a ValidationException the SDK raises', async () => {
    const entries = Array.from({ length: 11 }, () => ({ Source: 's', DetailType: 't', Detail: '{}' }));
    await expect(sdk.send(new PutEventsCommand({ Entries: entries }))).rejects.toMatchObject({
      name: 'ValidationException',
      message: expect.stringContaining('between 1 and 10'),
      $metadata: { httpStatusCode: 400 },
    });
    expect(eb.entries()).toEqual([]);
  });

  it("counts an entry's size as EventBridge does: 14 bytes for a Time, the UTF-8 bytes of Source, DetailType, Detail and each Resource", () => {
    expect(entrySize({ Source: 'ab', DetailType: 'c', Detail: '{}' })).toBe(5);
    expect(entrySize({ Time: new Date(), Source: 'ab', DetailType: 'c', Detail: '{"k":"토스"}', Resources: ['r1', 'ü'] })).toBe(14 + 2 + 1 + 14 + 2 + 2);
  });

  it('refuses a call whose entries add up to more than 256 KB, whole (ValidationException), and takes one of exactly 256 KB', async () => {
    // An entry of `size` bytes: Source and DetailType 1 each, Detail {"p":"xxx…"}.
    const entry = (size: number) => ({ Source: 's', DetailType: 't', Detail: `{"p":"${'x'.repeat(size - 10)}"}` });
    const over = [entry(100_000), entry(100_000), entry(MAX_PUT_EVENTS_BYTES - 200_000 + 1)];
    expect(over.reduce((n, e) => n + entrySize(e), 0)).toBe(MAX_PUT_EVENTS_BYTES + 1);
    await expect(sdk.send(new PutEventsCommand({ Entries: over }))).rejects.toMatchObject({
      name: 'ValidationException',
      message: 'Total size of the entries in the request is over the limit.',
      $metadata: { httpStatusCode: 400 },
    });
    // One entry alone over the limit: the same.
    await expect(sdk.send(new PutEventsCommand({ Entries: [entry(MAX_PUT_EVENTS_BYTES + 1)] }))).rejects.toMatchObject({ name: 'ValidationException' });
    // The Time's 14 bytes count.
    await expect(sdk.send(new PutEventsCommand({ Entries: [{ ...entry(MAX_PUT_EVENTS_BYTES - 13), Time: new Date() }] }))).rejects.toMatchObject({ name: 'ValidationException' });
    expect(eb.entries()).toEqual([]);
    const r = await sdk.send(new PutEventsCommand({ Entries: [entry(MAX_PUT_EVENTS_BYTES)] }));
    expect(r.FailedEntryCount).toBe(0);
    expect(eb.entries()).toHaveLength(1);
  });

  it('the project bus puts large events in calls of at most 256 KB: every one arrives, none refused', async () => {
    const bus = createEventBus({ busName: 'toss-pay-test', region: 'ap-northeast-2', endpoint: eb.url });
    // 60 KB each: four to a call, not ten.
    const big = Array.from({ length: 12 }, (_, i) => ({ ...event(i), data: { ...event(i).data, metadata: 'm'.repeat(60_000) } }));
    await bus.put(big);
    expect(eb.entries().map((e) => e.Detail.id)).toEqual(big.map((e) => e.id));
  });

  it('fails the next calls when told to; the project bus turns a failed entry into an error (the stream then retries)', async () => {
    const bus = createEventBus({ busName: 'toss-pay-test', region: 'ap-northeast-2', endpoint: eb.url });
    const set = await fetch(`${eb.url}/faults`, { method: 'POST', body: JSON.stringify({ failNext: 1, errorCode: 'ThrottlingException' }) });
    expect(set.status).toBe(200);
    await expect(bus.put([event(1), event(2)])).rejects.toThrow('EventBridge refused 2 of 2 events (ThrottlingException)');
    expect(eb.entries()).toEqual([]);
    await bus.put([event(1)]);
    expect(eb.entries()).toHaveLength(1);
    expect((await fetch(`${eb.url}/faults`, { method: 'POST', body: '{"failNext":"x"}' })).status).toBe(400);
  });

  it('has a health route, and refuses other operations and routes', async () => {
    await createEventBus({ busName: 'b', region: 'ap-northeast-2', endpoint: eb.url }).put([event(3)]);
    expect(await (await fetch(`${eb.url}/health`)).json()).toEqual({ status: 'ok', entries: 1 });
    const other = await fetch(eb.url, { method: 'POST', headers: { 'x-amz-target': 'AWSEvents.ListRules', 'content-type': 'application/x-amz-json-1.1' }, body: '{}' });
    expect(other.status).toBe(400);
    expect(((await other.json()) as { __type: string }).__type).toBe('UnknownOperationException');
    expect((await fetch(`${eb.url}/nothing`)).status).toBe(404);
  });
});
