/**
 * GET /openapi.json through the local stack (the gateway running functions/openapi): public, the
 * document docs/openapi.json holds (which is what the code makes: test/unit/openapi.test.ts),
 * valid for @readme/openapi-parser as served, cacheable, and 304 for its own ETag.
 */
import { validate } from '@readme/openapi-parser';
import { readFileSync } from 'node:fs';
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
    expect(r.json).toEqual(written);
    expect((await validate(r.json as never)).valid).toBe(true);
  });

  it('answers 304 to its own ETag, and the document to another', async () => {
    const etag = (await s.request('/openapi.json')).headers.get('etag') ?? '';
    const same = await s.request('/openapi.json', { headers: { 'if-none-match': etag } });
    expect([same.status, same.text, same.headers.get('etag')]).toEqual([304, '', etag]);
    const other = await s.request('/openapi.json', { headers: { 'if-none-match': '"another"' } });
    expect(other.status).toBe(200);
    expect(other.json).toEqual(written);
  });

  it('is the same with a merchant token (it is public, not merchant-only)', async () => {
    const r = await s.merchantRequest('/openapi.json');
    expect(r.status).toBe(200);
    expect(r.json).toEqual(written);
  });
});
