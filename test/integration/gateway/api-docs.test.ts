/**
 * GET /docs through the local stack (the gateway running functions/api-docs): the page and every
 * file it loads come from this API, with a Content-Security-Policy that allows nothing else; the
 * files are Swagger UI's own (swagger-ui-dist) and this page's, gzipped for clients that take it,
 * and an unknown file is a 404. The page in Chromium: test/e2e/api-docs.ts.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DOCS_ASSET_NAMES, DOCS_CSP } from '../../../functions/api-docs/page.ts';
import { startStack, type Stack } from '../../support/stack.ts';

let s: Stack;
beforeAll(async () => {
  s = await startStack();
});
afterAll(() => s.stop());

const require = createRequire(import.meta.url);
const FILES: Record<(typeof DOCS_ASSET_NAMES)[number], string> = {
  'swagger-ui-bundle.js': require.resolve('swagger-ui-dist/swagger-ui-bundle.js'),
  'swagger-ui.css': require.resolve('swagger-ui-dist/swagger-ui.css'),
  'docs.css': new URL('../../../functions/api-docs/static/docs.css', import.meta.url).pathname,
  'docs.js': new URL('../../../functions/api-docs/static/docs.js', import.meta.url).pathname,
};

/** The raw reply (fetch would undo the gzip itself). */
async function raw(path: string, headers: Record<string, string>): Promise<{ status: number; headers: Headers; body: Buffer }> {
  const { request } = await import('node:http');
  return new Promise((resolve, reject) => {
    const req = request(`${s.api}${path}`, { headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        const h = new Headers();
        for (const [k, v] of Object.entries(res.headers)) if (typeof v === 'string') h.set(k, v);
        resolve({ status: res.statusCode ?? 0, headers: h, body: Buffer.concat(chunks) });
      });
    });
    req.on('error', reject);
    req.end();
  });
}

describe('GET /docs', () => {
  it('answers the page without a token, loading only its own files, under a policy that allows nothing else', async () => {
    const r = await s.request('/docs');
    expect(r.status).toBe(200);
    expect(r.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(r.headers.get('content-security-policy')).toBe(DOCS_CSP);
    expect(DOCS_CSP).toContain("script-src 'self'");
    expect(DOCS_CSP).toContain("style-src 'self'");
    expect(DOCS_CSP).toContain("frame-ancestors 'none'");
    expect(r.headers.get('x-frame-options')).toBe('DENY');
    expect(r.headers.get('x-content-type-options')).toBe('nosniff');
    // Every script and stylesheet is one of the function's files (no inline script, nothing absolute).
    const loaded = [...r.text.matchAll(/(?:src|href)="([^"]+)"/g)].map((m) => m[1] ?? '');
    expect(loaded.filter((u) => u.startsWith('docs/') && !/^docs\/[\w.-]+\?v=[A-Za-z0-9_-]{16}$/.test(u))).toEqual([]);
    expect(loaded.map((u) => u.replace(/\?v=.*$/, '')).sort()).toEqual([...DOCS_ASSET_NAMES.map((n) => `docs/${n}`), 'openapi.json'].sort());
    expect(r.text).not.toMatch(/<script>|<style|style=|https?:\/\//);
  });

  for (const name of DOCS_ASSET_NAMES) {
    it(`serves ${name} gzipped to a client that takes gzip, plain to one that does not: the file itself`, async () => {
      const file = readFileSync(FILES[name]);
      const zipped = await raw(`/docs/${name}`, { 'accept-encoding': 'gzip, deflate, br' });
      expect(zipped.status).toBe(200);
      expect(zipped.headers.get('content-encoding')).toBe('gzip');
      expect(zipped.headers.get('content-type')).toMatch(name.endsWith('.js') ? /^text\/javascript/ : /^text\/css/);
      expect(zipped.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
      expect(gunzipSync(zipped.body).equals(file)).toBe(true);
      const plain = await raw(`/docs/${name}`, {});
      expect(plain.headers.get('content-encoding')).toBeNull();
      expect(plain.body.equals(file)).toBe(true);
    });
  }

  it('answers 404 for a file it does not have', async () => {
    const r = await s.request('/docs/index.html');
    expect(r.status).toBe(404);
    expect(r.json).toEqual({ message: 'Not Found' });
  });
});
