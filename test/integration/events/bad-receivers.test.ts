/**
 * Receivers that misbehave hold nothing back and cost nothing:
 * - one that never answers: 8 paid orders are all logged and on the bus while it still holds
 *   every request it got; the first attempts are cut at the events function's budget
 *   (WEBHOOK_FIRST_ATTEMPT_MS), none waits out the receiver's 15 s, at most WEBHOOK_CONCURRENCY
 *   are open at once, and every delivery is left due for the retrier;
 * - one that answers 200 with an endless body: the attempt is delivered having read a few KiB,
 *   the connection dropped (the receiver could write only what the socket buffers hold);
 * - one that answers a redirect: not delivered, and the redirect is not followed.
 * One receiver plays each part in turn (`mode`).
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDeliveryStore } from '../../../shared/store/deliveries.ts';
import { REPLY_READ_BYTES } from '../../../shared/events/webhooks.ts';
import { testDocumentClient } from '../../support/dynamo.ts';
import { eventually, startStack, type Stack } from '../../support/stack.ts';
import { newWebhookSecret } from '../../support/webhook-receiver.ts';
import { busFor, loggedFor, payOrder, type LoggedEvent } from './support.ts';

type Mode = 'hang' | 'endless' | 'redirect';
const CONCURRENCY = 3;
const HUGE = 1024 * 1024 * 1024;

/** The receiver: what it got, how many requests it held at once, and what it wrote of each reply. */
const receiver = {
  mode: 'hang' as Mode,
  requests: [] as { id: string; mode: Mode; closedByClient: boolean; written: number }[],
  open: 0,
  maxOpen: 0,
  /** Requests to the redirect's target (never expected). */
  followed: 0,
};

function onRequest(req: IncomingMessage, res: ServerResponse): void {
  if (req.url === '/elsewhere') {
    receiver.followed++;
    res.end('{}');
    return;
  }
  const r = { id: String(req.headers['webhook-id']), mode: receiver.mode, closedByClient: false, written: 0 };
  receiver.requests.push(r);
  receiver.open++;
  receiver.maxOpen = Math.max(receiver.maxOpen, receiver.open);
  res.on('close', () => {
    receiver.open--;
    r.closedByClient = !res.writableFinished;
  });
  req.resume();
  if (r.mode === 'hang') return;
  if (r.mode === 'redirect') {
    res.writeHead(307, { location: '/elsewhere' });
    res.end();
    return;
  }
  // 200 and a body of a GiB, written as the client takes it.
  res.writeHead(200, { 'content-type': 'application/json', 'content-length': HUGE });
  const chunk = Buffer.alloc(64 * 1024, 0x20);
  const pump = (): void => {
    while (r.written < HUGE && !res.destroyed) {
      r.written += chunk.length;
      if (!res.write(chunk)) return void res.once('drain', pump);
    }
    res.end();
  };
  pump();
}

const server = createServer(onRequest);
let s: Stack;
beforeAll(async () => {
  await new Promise<void>((resolve) => server.listen({ port: 0, host: '127.0.0.1' }, resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hooks`;
  s = await startStack({ WEBHOOK_CONCURRENCY: String(CONCURRENCY) }, { webhooks: { url, secret: newWebhookSecret() } });
});
afterAll(async () => {
  await s.stop();
  server.closeAllConnections();
  await new Promise((r) => server.close(r));
});

const getEvent = async (id: string): Promise<LoggedEvent> => (await s.merchantRequest(`/events/${id}`)).json as unknown as LoggedEvent;

describe('receivers that misbehave', () => {
  it('one that never answers: 8 paid orders are logged and on the bus while it holds their requests; every delivery is left due', async () => {
    receiver.mode = 'hang';
    const paid = await Promise.all(Array.from({ length: 8 }, (_, i) => payOrder(s, { prefix: `hang${i}` })));
    // Every order's event is logged and on the bus…
    const events = await Promise.all(paid.map(async (p) => (await loggedFor(s, p.orderNo, 1, 20_000))[0] as LoggedEvent));
    await eventually(async () => (paid.every((p) => busFor(s, p.orderNo).length === 1) ? true : undefined), 20_000);
    // …while the receiver has answered none of its requests, and none of them waited out its 15 s.
    expect(receiver.requests.every((r) => r.mode === 'hang')).toBe(true);
    expect(receiver.requests.length).toBeGreaterThan(0);
    expect(receiver.maxOpen).toBeLessThanOrEqual(CONCURRENCY);

    // Each first attempt was cut at the budget or never made: every delivery is due for the retrier.
    await s.streams.caughtUp();
    const after = await Promise.all(events.map((e) => getEvent(e.id)));
    for (const e of after) {
      expect(e.delivery.status).toBe('pending');
      expect(e.delivery.nextAt).toBeDefined();
      expect(e.delivery.attempts.map((a) => a.error)).toEqual(e.delivery.attempts.length === 0 ? [] : ['deadline']);
    }
    expect(after.filter((e) => e.delivery.attempts.length === 1).length).toBe(receiver.requests.length);
    const client = testDocumentClient();
    try {
      const due = await createDeliveryStore({ client, tableName: s.tableName, retentionDays: 1 }).due(['we_env'], Date.now() + 60_000, 100);
      expect(due.map((k) => k.eventId)).toEqual(expect.arrayContaining(events.map((e) => e.id)));
    } finally {
      client.destroy();
    }
  });

  it('one that answers 200 with an endless body: delivered, having read a few KiB; the connection dropped', async () => {
    receiver.mode = 'endless';
    const before = receiver.requests.length;
    const { orderNo } = await payOrder(s, { prefix: 'huge' });
    const [event] = await loggedFor(s, orderNo, 1);
    const done = await eventually(async () => {
      const e = await getEvent(event?.id ?? '');
      return e.delivery.status === 'delivered' ? e : undefined;
    });
    expect(done.delivery.attempts.map((a) => [a.status, a.error])).toEqual([[200, undefined]]);
    const r = receiver.requests.slice(before);
    expect(r.map((x) => x.mode)).toEqual(['endless']);
    await eventually(async () => (r[0]?.closedByClient === true ? true : undefined));
    // What the receiver could write before the client dropped it: the few KiB read and the socket's buffers, not the GiB.
    expect(REPLY_READ_BYTES).toBeLessThanOrEqual(8 * 1024);
    expect(r[0]?.written).toBeLessThan(16 * 1024 * 1024);
  });

  it('one that answers a redirect: not delivered, and the redirect is not followed', async () => {
    receiver.mode = 'redirect';
    const { orderNo } = await payOrder(s, { prefix: 'redir' });
    const [event] = await loggedFor(s, orderNo, 1);
    const e = await eventually(async () => {
      const x = await getEvent(event?.id ?? '');
      return x.delivery.attempts.length > 0 ? x : undefined;
    });
    expect(e.delivery).toMatchObject({ status: 'pending', attempts: [{ status: 307 }] });
    expect(receiver.followed).toBe(0);
  });
});
