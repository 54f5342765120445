/**
 * The typed client (clients/typescript): its types are what docs/openapi.json makes now
 * (tools/client-types.ts, run by `npm run openapi`), and its retry rule reads the API's replies as
 * the API means them. Against the local stack over HTTP: test/integration/client/typescript-client.test.ts.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { retryAfterMs, retryDelayMs, retryingFetch } from '../../clients/typescript/client.ts';
import { CLIENT_TYPES_PATH, clientTypesText } from '../../tools/client-types.ts';

const ROOT = join(import.meta.dirname, '..', '..');
const O = { attempts: 3, maxDelayMs: 30_000, baseDelayMs: 1_000 };
const reply = (status: number, headers: Record<string, string> = {}) => new Response(null, { status, headers });

describe('clients/typescript', () => {
  it('has the types docs/openapi.json makes now', async () => {
    expect(readFileSync(join(ROOT, CLIENT_TYPES_PATH), 'utf8'), `${CLIENT_TYPES_PATH} is stale: run npm run openapi`).toBe(await clientTypesText());
  });

  it('retries a 409 only when it says when (Retry-After), a 503 always, nothing else', () => {
    expect(retryDelayMs(reply(409, { 'retry-after': '2' }), 0, O)).toBe(2_000);
    expect(retryDelayMs(reply(409), 0, O)).toBeUndefined();
    expect(retryDelayMs(reply(503, { 'retry-after': '1' }), 0, O)).toBe(1_000);
    expect(retryDelayMs(reply(503), 2, O)).toBe(4_000);
    expect([200, 201, 400, 404, 422, 500, 502, 504].filter((status) => retryDelayMs(reply(status, { 'retry-after': '1' }), 0, O) !== undefined)).toEqual([]);
    expect(retryAfterMs(reply(503, { 'retry-after': new Date(10_000).toUTCString() }), 7_000)).toBe(3_000);
  });

  it('sends the same request again after the wait, up to its attempts, and stops at a wait too long', async () => {
    const seen: { body: string; key: string | null }[] = [];
    const waits: number[] = [];
    const statuses = [409, 503, 201];
    const send = retryingFetch(
      async (r) => {
        seen.push({ body: await r.text(), key: r.headers.get('idempotency-key') });
        return reply(statuses.shift() ?? 500, { 'retry-after': '1' });
      },
      {},
      async (ms) => {
        waits.push(ms);
      },
    );
    const res = await send(new Request('http://x/payments/A/refunds', { method: 'POST', body: '{"amount":1}', headers: { 'Idempotency-Key': 'k-1' } }));
    expect(res.status).toBe(201);
    expect(waits).toEqual([1_000, 1_000]);
    expect(seen).toEqual(Array(3).fill({ body: '{"amount":1}', key: 'k-1' }));
    const long = retryingFetch(async () => reply(503, { 'retry-after': '60' }), { maxDelayMs: 30_000 }, async () => undefined);
    expect((await long(new Request('http://x/'))).status).toBe(503);
  });
});
