/**
 * Which webhook URLs are taken (shared/events/webhook-url.ts) and what the delivery client does
 * with a name that resolves to a private address (shared/events/webhook-http.ts), with a resolver
 * of the test's own: at every connection the agent resolves the name again and connects only to
 * an address it checked, so a DNS answer that turns private after the endpoint was created
 * (rebinding) is refused before anything connects.
 */
import { createServer, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { webhookHttp } from '../../shared/events/webhook-http.ts';
import {
  checkEndpointUrl,
  checkUrlShape,
  DnsUnavailableError,
  isLoopbackHost,
  isPublicAddress,
  publicAddresses,
  publicLookup,
  WebhookUrlError,
  type Resolver,
} from '../../shared/events/webhook-url.ts';

const resolverOf =
  (table: Record<string, string[] | string>): Resolver =>
  (host) => {
    const v = table[host];
    if (typeof v === 'string') return Promise.reject(Object.assign(new Error(v), { code: v }));
    return Promise.resolve((v ?? []).map((address) => ({ address, family: address.includes(':') ? 6 : 4 })));
  };
const refusal = async (p: Promise<unknown> | (() => unknown)): Promise<string | undefined> => {
  try {
    await (typeof p === 'function' ? p() : p);
    return undefined;
  } catch (e) {
    return e instanceof WebhookUrlError ? e.reason : (e as Error).name;
  }
};

describe('public addresses', () => {
  it.each([
    ['8.8.8.8', true],
    ['93.184.215.14', true],
    ['2606:4700::1111', true],
    ['127.0.0.1', false],
    ['127.255.0.9', false],
    ['10.1.2.3', false],
    ['172.16.0.1', false],
    ['172.31.255.255', false],
    ['172.32.0.1', true],
    ['192.168.1.1', false],
    ['169.254.169.254', false],
    ['169.254.170.2', false],
    ['100.64.0.1', false],
    ['0.0.0.0', false],
    ['224.0.0.1', false],
    ['255.255.255.255', false],
    ['198.18.0.1', false],
    ['::1', false],
    ['::', false],
    ['fd00:ec2::254', false],
    ['fc00::1', false],
    ['fe80::1', false],
    ['ff02::1', false],
    ['2001:db8::1', false],
    ['::ffff:127.0.0.1', false],
    ['::ffff:7f00:1', false],
    ['::ffff:8.8.8.8', true],
    ['64:ff9b::a9fe:a9fe', false],
    ['64:ff9b::808:808', true],
    ['2002:a00:1::1', false],
    ['::127.0.0.1', false],
    ['not-an-ip', false],
  ])('%s is public: %s', (ip, want) => {
    expect(isPublicAddress(ip)).toBe(want);
  });

  it('knows this machine by name and address', () => {
    for (const h of ['localhost', 'LOCALHOST', 'a.localhost', '127.0.0.1', '127.1.2.3', '[::1]', '::1', '::ffff:127.0.0.1']) expect({ h, loop: isLoopbackHost(h) }).toEqual({ h, loop: true });
    for (const h of ['example.com', '10.0.0.1', '::2', 'localhost.example.com']) expect({ h, loop: isLoopbackHost(h) }).toEqual({ h, loop: false });
  });
});

describe('URL rules', () => {
  it('local: https anywhere, http on this machine only; never a password', async () => {
    expect(checkUrlShape('http://127.0.0.1:3000/demo/webhooks', 'local').toString()).toBe('http://127.0.0.1:3000/demo/webhooks');
    expect(checkUrlShape('http://localhost:3000/x', 'local').hostname).toBe('localhost');
    expect(checkUrlShape('https://10.0.0.1/x', 'local').hostname).toBe('10.0.0.1');
    expect(await refusal(() => checkUrlShape('http://example.com/x', 'local'))).toBe('http_not_loopback');
    expect(await refusal(() => checkUrlShape('ftp://127.0.0.1/x', 'local'))).toBe('scheme');
    expect(await refusal(() => checkUrlShape('https://a:b@example.com/x', 'local'))).toBe('credentials');
    expect(await refusal(() => checkUrlShape('/relative', 'local'))).toBe('not_a_url');
  });

  it('public: https only, never a non-public address or this machine by name', async () => {
    expect(await refusal(() => checkUrlShape('http://example.com/x', 'public'))).toBe('scheme');
    for (const u of ['https://127.0.0.1/', 'https://localhost/', 'https://[::ffff:10.0.0.1]/', 'https://169.254.169.254/latest/meta-data/'])
      expect({ u, r: await refusal(() => checkUrlShape(u, 'public')) }).toEqual({ u, r: 'address_not_allowed' });
    expect(checkUrlShape('https://8.8.8.8/hooks', 'public').hostname).toBe('8.8.8.8');
  });

  it('public: a name is taken only when every address it resolves to is public', async () => {
    const resolve = resolverOf({
      'shop.example': ['93.184.215.14', '2606:2800:21f:cb07:6820:80da:af6b:8b2c'],
      'mixed.example': ['93.184.215.14', '10.0.0.5'],
      'metadata.example': ['169.254.169.254'],
      'v6.example': ['fd00:ec2::254'],
      'gone.example': 'ENOTFOUND',
      'flaky.example': 'EAI_AGAIN',
    });
    expect(await checkEndpointUrl('https://shop.example/hooks', 'public', resolve)).toBe('https://shop.example/hooks');
    expect(await refusal(checkEndpointUrl('https://mixed.example/hooks', 'public', resolve))).toBe('address_not_allowed');
    expect(await refusal(checkEndpointUrl('https://metadata.example/hooks', 'public', resolve))).toBe('address_not_allowed');
    expect(await refusal(checkEndpointUrl('https://v6.example/hooks', 'public', resolve))).toBe('address_not_allowed');
    expect(await refusal(checkEndpointUrl('https://gone.example/hooks', 'public', resolve))).toBe('host_not_found');
    await expect(publicAddresses('flaky.example', resolve)).rejects.toBeInstanceOf(DnsUnavailableError);
    // Locally no name is resolved at all.
    expect(await checkEndpointUrl('https://mixed.example/hooks', 'local', resolve)).toBe('https://mixed.example/hooks');
  });

  it("the agent's lookup hands the socket exactly the addresses it checked, or refuses", async () => {
    const lookup = publicLookup(resolverOf({ 'shop.example': ['93.184.215.14', '2606:4700::1111'], 'inside.example': ['10.0.0.5'] }));
    const call = (host: string, options: { all?: boolean }) =>
      new Promise<{ err: NodeJS.ErrnoException | null; address: unknown; family?: number }>((resolve) => lookup(host, options, (err, address, family) => resolve({ err, address, family })));
    expect(await call('shop.example', { all: true })).toEqual({ err: null, address: [{ address: '93.184.215.14', family: 4 }, { address: '2606:4700::1111', family: 6 }], family: undefined });
    expect(await call('shop.example', {})).toEqual({ err: null, address: '93.184.215.14', family: 4 });
    expect((await call('inside.example', { all: true })).err?.code).toBe('EADDRNOTALLOWED');
  });
});

describe('the delivery client', () => {
  const sockets: Socket[] = [];
  const server = createServer((c) => {
    sockets.push(c);
    c.end('HTTP/1.1 200 OK\r\ncontent-length: 0\r\n\r\n');
  });
  let port = 0;
  beforeAll(async () => {
    await new Promise<void>((r) => server.listen({ port: 0, host: '127.0.0.1' }, r));
    port = (server.address() as AddressInfo).port;
  });
  afterAll(async () => {
    for (const c of sockets) c.destroy();
    await new Promise((r) => server.close(r));
  });

  const post = (http: ReturnType<typeof webhookHttp>, url: string) => http({ url, headers: {}, body: '{}', signal: AbortSignal.timeout(5_000) });

  it('public: a name that resolves (now) to a private address is refused before anything connects', async () => {
    // Public when the endpoint was created…
    const atCreation = resolverOf({ 'receiver.example': ['93.184.215.14'] });
    expect(await checkEndpointUrl(`https://receiver.example:${port}/hooks`, 'public', atCreation)).toBe(`https://receiver.example:${port}/hooks`);
    // …on this machine when a delivery goes out.
    const http = webhookHttp('public', { resolve: resolverOf({ 'receiver.example': ['127.0.0.1'] }) });
    expect(await post(http, `https://receiver.example:${port}/hooks`)).toEqual({ error: 'address_not_allowed' });
    expect(await post(http, `http://127.0.0.1:${port}/hooks`)).toEqual({ error: 'url_not_allowed' });
    expect(sockets).toHaveLength(0);
  });

  it('local: connects to this machine', async () => {
    expect(await post(webhookHttp('local'), `http://127.0.0.1:${port}/hooks`)).toEqual({ status: 200 });
    expect(sockets.length).toBeGreaterThan(0);
  });
});
