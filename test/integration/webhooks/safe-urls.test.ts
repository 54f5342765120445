/**
 * Safe webhook URLs in a deployed stage (STAGE=dev here: every stage but npm start's `local` may go
 * LIVE), over HTTP: only `https://`, and a host that is, or resolves to, a private, loopback,
 * link-local (the instance metadata service) or otherwise non-public address is refused at
 * creation (400 WEBHOOK_URL_NOT_ALLOWED, nothing written) and again at every delivery: an endpoint
 * stored with such a URL (written to the table by hand, as an older rule or a DNS change would
 * leave it) is never connected to. That the address connected to is the one the agent's lookup
 * checked (a name resolving to a private address): test/unit/webhook-http.test.ts, with a resolver
 * of its own. Redirects not followed and replies read up to 4 KiB: events/bad-receivers.test.ts.
 */
import { createServer, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newSigningSecret } from '../../../shared/events/endpoint-model.ts';
import { createEndpointStore } from '../../../shared/store/webhook-endpoints.ts';
import { testDocumentClient } from '../../support/dynamo.ts';
import { startStack, type HttpReply, type Stack } from '../../support/stack.ts';
import { loggedFor, payOrder } from '../events/support.ts';
import { deliveryOf } from './support.ts';

let s: Stack;
const client = testDocumentClient();
const stored = () => createEndpointStore({ client, tableName: s.tableName }).list();
/** A TCP server on this machine that counts every connection made to it. */
const sockets: Socket[] = [];
const server = createServer((c) => sockets.push(c));
let port = 0;
beforeAll(async () => {
  await new Promise<void>((r) => server.listen({ port: 0, host: '127.0.0.1' }, r));
  port = (server.address() as AddressInfo).port;
  s = await startStack({ STAGE: 'dev', WEBHOOK_FIRST_ATTEMPT_MS: '5000' });
});
afterAll(async () => {
  client.destroy();
  await s.stop();
  for (const c of sockets) c.destroy();
  await new Promise((r) => server.close(r));
});

const code = (r: HttpReply): unknown => (r.json.error as { code?: string } | undefined)?.code;

describe('webhook URLs in a deployed stage', () => {
  it('refuses http://, and hosts that are or resolve to non-public addresses, with nothing written', async () => {
    const before = await stored();
    for (const url of [
      `http://127.0.0.1:${port}/hooks`,
      'http://shop.example.com/hooks',
      `https://127.0.0.1:${port}/hooks`,
      'https://localhost/hooks',
      'https://hooks.localhost/hooks',
      'https://10.0.0.8/hooks',
      'https://172.16.5.4/hooks',
      'https://192.168.0.10/hooks',
      'https://100.64.0.1/hooks',
      'https://169.254.169.254/latest/meta-data',
      'https://0.0.0.0/hooks',
      'https://[::1]/hooks',
      'https://[::ffff:127.0.0.1]/hooks',
      'https://[::ffff:a9fe:a9fe]/hooks',
      'https://[fd00:ec2::254]/hooks',
      'https://[fe80::1]/hooks',
      'https://[64:ff9b::a00:1]/hooks',
      // Does not resolve.
      'https://no-such-host.invalid/hooks',
    ]) {
      const r = await s.merchantRequest('/webhook-endpoints', { method: 'POST', json: { url } });
      expect({ url, status: r.status, code: code(r) }).toEqual({ url, status: 400, code: 'WEBHOOK_URL_NOT_ALLOWED' });
    }
    expect(await stored()).toEqual(before);
    // A public address is taken (and removed again: nothing here can reach it).
    const ok = await s.merchantRequest('/webhook-endpoints', { method: 'POST', json: { url: 'https://93.184.215.14/hooks' } });
    expect(ok.status).toBe(201);
    const patch = await s.merchantRequest(`/webhook-endpoints/${String(ok.json.id)}`, { method: 'PATCH', json: { url: 'https://169.254.169.254/' } });
    expect([patch.status, code(patch)]).toEqual([400, 'WEBHOOK_URL_NOT_ALLOWED']);
    expect((await s.merchantRequest(`/webhook-endpoints/${String(ok.json.id)}`, { method: 'DELETE' })).status).toBe(200);
    expect(sockets).toHaveLength(0);
  });

  it('an endpoint stored with such a URL is never connected to: each attempt is refused before it connects', async () => {
    const store = createEndpointStore({ client, tableName: s.tableName });
    const now = Date.now();
    for (const url of [`https://127.0.0.1:${port}/hooks`, `https://localhost:${port}/hooks`, `http://127.0.0.1:${port}/hooks`]) {
      const id = `we_byhand${Math.random().toString(36).slice(2, 10)}`;
      expect(await store.create({ id, url, enabled: true, createdAt: now, updatedAt: now, secret: newSigningSecret() }, 20)).toBe('created');
    }
    const byHand = (await stored()).filter((e) => e.id.startsWith('we_byhand'));
    const { orderNo } = await payOrder(s, { prefix: 'safe' });
    await s.streams.caughtUp();
    const [event] = await loggedFor(s, orderNo, 1);
    for (const e of byHand) {
      const d = await deliveryOf(s, event?.id ?? '', e.id);
      expect({ url: e.url, delivery: d }).toMatchObject({
        url: e.url,
        delivery: { status: 'pending', attempts: [{ error: e.url.startsWith('http:') ? 'url_not_allowed' : 'address_not_allowed' }] },
      });
    }
    expect(sockets).toHaveLength(0);
  });
});
