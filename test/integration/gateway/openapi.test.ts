/**
 * GET /openapi.json through the local stack (the gateway running functions/openapi): public, the
 * document docs/openapi.json holds (which is what the code makes: test/unit/openapi.test.ts) with
 * its `servers` the address it was served from, valid for @readme/openapi-parser as served,
 * cacheable, and 304 for its own ETag (one per address).
 */
import { validate } from '@readme/openapi-parser';
import { readFileSync } from 'node:fs';
import { request } from 'node:http';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DOCUMENT_PATH } from '../../../tools/openapi.ts';
import { startStack, type Stack } from '../../support/stack.ts';

let s: Stack;
beforeAll(async () => {
  s = await startStack();
});
afterAll(() => s.stop());

const written = JSON.parse(readFileSync(join(import.meta.dirname, '..', '..', '..', DOCUMENT_PATH), 'utf8')) as Record<string, unknown>;

describe('GET /openapi.json', () => {
  it('answers the document without a token, as JSON, cacheable', async () => {
    const r = await s.request('/openapi.json');
    expect(r.status).toBe(200);
    expect(r.headers.get('content-type')).toBe('application/json; charset=utf-8');
    expect(r.headers.get('cache-control')).toBe('public, max-age=300');
    expect(r.headers.get('etag')).toMatch(/^"[A-Za-z0-9_-]{27}"$/);
    expect(r.json).toEqual({ ...written, servers: [{ url: s.api, description: 'This API, where this document was served from.' }] });
    expect((await validate(r.json as never)).valid).toBe(true);
  });

  it('names the address it was served from as its server: another host, another server and ETag', async () => {
    // fetch() sets Host itself: a plain request names another (as a custom domain in front of the API would).
    const get = (headers: Record<string, string>) =>
      new Promise<{ status: number; etag: string; body: string }>((resolve, reject) => {
        const req = request(`${s.api}/openapi.json`, { headers }, (res) => {
          let body = '';
          res.on('data', (c: Buffer) => (body += c.toString('utf8')));
          res.on('end', () => resolve({ status: res.statusCode ?? 0, etag: String(res.headers.etag ?? ''), body }));
        });
        req.on('error', reject);
        req.end();
      });
    const own = await get({});
    const other = await get({ host: 'pay.example.com' });
    const servers = (r: { body: string }) => (JSON.parse(r.body) as { servers: unknown[] }).servers;
    expect(servers(own)).toEqual([{ url: s.api, description: 'This API, where this document was served from.' }]);
    expect(servers(other)).toEqual([{ url: 'http://pay.example.com', description: 'This API, where this document was served from.' }]);
    expect(other.etag).not.toBe(own.etag);
    // Each ETag answers 304 for its own address only; a host that is not one keeps the file's template.
    expect((await get({ host: 'pay.example.com', 'if-none-match': other.etag })).status).toBe(304);
    expect((await get({ 'if-none-match': other.etag })).status).toBe(200);
    expect(servers(await get({ host: 'bad_host!' }))).toEqual(written.servers);
  });

  it('answers 304 to its own ETag, and the document to another', async () => {
    const etag = (await s.request('/openapi.json')).headers.get('etag') ?? '';
    const same = await s.request('/openapi.json', { headers: { 'if-none-match': etag } });
    expect([same.status, same.text, same.headers.get('etag')]).toEqual([304, '', etag]);
    const other = await s.request('/openapi.json', { headers: { 'if-none-match': '"another"' } });
    expect(other.status).toBe(200);
    expect(other.json).toMatchObject({ ...written, servers: [{ url: s.api }] });
  });

  it('is the same with a merchant token (it is public, not merchant-only)', async () => {
    const r = await s.merchantRequest('/openapi.json');
    expect(r.status).toBe(200);
    expect(r.json).toMatchObject({ ...written, servers: [{ url: s.api }] });
  });
});
