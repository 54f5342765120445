/**
 * The gateway maps payload-2.0 results back to HTTP as API Gateway does, and turns errors,
 * timeouts and replies over Lambda's 6 MB into API Gateway's 500.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { MAX_RESPONSE_BYTES } from '../../../local/gateway/lambda.ts';
import { startGateway, type Gateway, type LambdaHandler } from '../../../local/gateway/server.ts';
import type { Route } from '../../../shared/routes.ts';
import { boom, recorded, respond, slow, sync } from '../../support/fixtures/handlers.ts';
import { send } from '../../support/fixtures/http.ts';

const testRoutes: Route[] = [
  { method: 'POST', path: '/respond', fn: 'respond', auth: 'public' },
  { method: 'GET', path: '/slow', fn: 'slow', auth: 'public' },
  { method: 'GET', path: '/boom', fn: 'boom', auth: 'public' },
  { method: 'GET', path: '/sync', fn: 'sync', auth: 'public' },
  { method: 'GET', path: '/missing', fn: 'missing', auth: 'public' },
  { method: 'GET', path: '/big', fn: 'big', auth: 'public' },
];

const fixtures: Record<string, LambdaHandler> = {
  respond: respond as LambdaHandler,
  boom: boom as LambdaHandler,
  sync: sync as LambdaHandler,
  // A reply whose serialised result is `?bytes=` long: `{"statusCode":200,"body":"xxx…"}`.
  big: ((e: { queryStringParameters?: Record<string, string> }) => ({ statusCode: 200, body: 'x'.repeat(Number(e.queryStringParameters?.bytes) - 28) })) as LambdaHandler,
};
const slowFn = recorded(slow);

let gw: Gateway;
beforeAll(async () => {
  gw = await startGateway({
    routes: testRoutes,
    quiet: true,
    loadFunction: async (fn) => {
      if (fn === 'slow') return slowFn.handler;
      const h = fixtures[fn];
      if (h === undefined) throw new Error(`no fixture ${fn}`);
      return h;
    },
    timeoutSeconds: (fn) => (fn === 'slow' ? 1 : 5),
  });
});
afterAll(() => gw.close());
afterEach(() => vi.restoreAllMocks());

const result = (value: unknown) =>
  send(gw.url, {
    method: 'POST',
    path: '/respond',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ result: value }),
  });

describe('structured results', () => {
  it('uses statusCode, headers and body', async () => {
    const r = await result({
      statusCode: 201,
      headers: { 'content-type': 'application/json', 'x-order-no': 'o-1', 'x-count': 3, 'x-flag': true },
      body: '{"ok":true}',
    });
    expect(r.status).toBe(201);
    expect(r.headers['content-type']).toBe('application/json');
    expect(r.headers['x-order-no']).toBe('o-1');
    expect(r.headers['x-count']).toBe('3');
    expect(r.headers['x-flag']).toBe('true');
    expect(r.text).toBe('{"ok":true}');
  });

  it('sends one Set-Cookie per cookie', async () => {
    const r = await result({ statusCode: 200, cookies: ['a=1; Path=/; HttpOnly', 'b=2; Secure'], body: '' });
    expect(r.headers['set-cookie']).toEqual(['a=1; Path=/; HttpOnly', 'b=2; Secure']);
  });

  it('decodes a base64 body when isBase64Encoded', async () => {
    const bytes = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 255]);
    const r = await result({
      statusCode: 200,
      headers: { 'content-type': 'image/png' },
      body: bytes.toString('base64'),
      isBase64Encoded: true,
    });
    expect(r.headers['content-type']).toBe('image/png');
    expect(r.body.equals(bytes)).toBe(true);
  });

  it('passes a redirect with its Location and an empty body', async () => {
    const r = await result({ statusCode: 303, headers: { location: 'https://pay.toss.im/checkout' } });
    expect(r.status).toBe(303);
    expect(r.headers.location).toBe('https://pay.toss.im/checkout');
    expect(r.body.length).toBe(0);
  });

  it('takes a synchronous handler result', async () => {
    const r = await send(gw.url, { path: '/sync' });
    expect(r.status).toBe(204);
  });

  it('answers 500 to a result it cannot map', async () => {
    const err = vi.spyOn(console, 'error').mockImplementation(() => undefined);
    const r = await result({ statusCode: 'two hundred', body: 'x' });
    expect(r.status).toBe(500);
    expect(r.json()).toEqual({ message: 'Internal Server Error' });
    expect(err).toHaveBeenCalled();
  });
});

describe('shorthand results', () => {
  it('sends a bare string as a 200 JSON body', async () => {
    const r = await result('hello');
    expect(r.status).toBe(200);
    expect(r.headers['content-type']).toBe('application/json');
    expect(r.text).toBe('hello');
  });

  it('sends an object without statusCode as 200 JSON of it', async () => {
    const r = await result({ orderNo: 'o-1', amount: 35000, nested: { a: [1, 2] } });
    expect(r.status).toBe(200);
    expect(r.headers['content-type']).toBe('application/json');
    expect(r.json()).toEqual({ orderNo: 'o-1', amount: 35000, nested: { a: [1, 2] } });
  });
});

describe('failures', () => {
  it('answers 500 and logs the error when the handler throws', async () => {
    const err = vi.spyOn(console, 'error').mockImplementation(() => undefined);
    const r = await send(gw.url, { path: '/boom' });
    expect(r.status).toBe(500);
    expect(r.json()).toEqual({ message: 'Internal Server Error' });
    expect(err.mock.calls.flat().some((a) => a instanceof Error && a.message === 'fixture failure')).toBe(true);
  });

  it("answers 500 to a reply over Lambda's 6 MB (the invocation fails), and passes one at the limit", async () => {
    const err = vi.spyOn(console, 'error').mockImplementation(() => undefined);
    expect(JSON.stringify({ statusCode: 200, body: 'x'.repeat(72) })).toHaveLength(100);
    const at = await send(gw.url, { path: `/big?bytes=${MAX_RESPONSE_BYTES}` });
    expect([at.status, at.text.length]).toEqual([200, MAX_RESPONSE_BYTES - 28]);
    const over = await send(gw.url, { path: `/big?bytes=${MAX_RESPONSE_BYTES + 1}` });
    expect(over.status).toBe(500);
    expect(over.json()).toEqual({ message: 'Internal Server Error' });
    expect(err.mock.calls.flat().some((a) => a instanceof Error && a.message.includes('exceeded maximum allowed payload size'))).toBe(true);
  });

  it('answers 500 when the function cannot be loaded', async () => {
    vi.spyOn(console, 'error').mockImplementation(() => undefined);
    const r = await send(gw.url, { path: '/missing' });
    expect(r.status).toBe(500);
    expect(r.json()).toEqual({ message: 'Internal Server Error' });
  });

  it('answers 500 and logs "Task timed out" when the function outlives its timeout', async () => {
    const err = vi.spyOn(console, 'error').mockImplementation(() => undefined);
    const t0 = Date.now();
    const r = await send(gw.url, { path: '/slow?ms=3000' });
    const took = Date.now() - t0;
    expect(r.status).toBe(500);
    expect(r.json()).toEqual({ message: 'Internal Server Error' });
    expect(took).toBeGreaterThanOrEqual(950);
    expect(took).toBeLessThan(2_500);
    expect(err.mock.calls.flat().join(' ')).toMatch(/slow: Task timed out after 1\.00 seconds/);
    // The handler really ran and saw its 1 s budget.
    const last = slowFn.calls.at(-1);
    expect(last?.context.functionName).toBe('slow');
    expect(last?.context.getRemainingTimeInMillis()).toBe(0);
  });

  it('answers normally when the function finishes within its timeout', async () => {
    const r = await send(gw.url, { path: '/slow?ms=100' });
    expect(r.status).toBe(200);
    expect(r.text).toBe('late');
  });
});
