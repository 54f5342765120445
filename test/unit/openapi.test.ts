/**
 * The OpenAPI document (tools/openapi.ts): valid OpenAPI 3.1 for an independent parser, every
 * route of the table with its method and auth, every error code of the code base, each route's
 * error statuses those of its codes, docs/openapi.json up to date, and the reply check the
 * integration suite runs (test/support/openapi-replies.ts) refusing what the document does not say.
 */
import { validate, compileErrors } from '@readme/openapi-parser';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { DOCUMENT_PATH, documentPath, documentText, documentedErrorCodes, openApiDocument } from '../../tools/openapi.ts';
import { ERROR_CODES, ERROR_STATUS, type ErrorCode } from '../../shared/http/error-codes.ts';
import { routes } from '../../shared/routes.ts';
import { EVENT_TYPES } from '../../shared/events/order-events.ts';
import { checkReply, KEPT, ReplyContractError, routeOf } from '../support/openapi-replies.ts';

const ROOT = join(import.meta.dirname, '..', '..');
type Json = Record<string, unknown>;
const doc = openApiDocument();
const paths = doc.paths as Record<string, Record<string, Json>>;
const operation = (method: string, path: string): Json => paths[documentPath(path)]![method.toLowerCase()]!;
const responsesOf = (method: string, path: string) => operation(method, path).responses as Record<string, Json>;

/** The codes a response's JSON error schema allows (its narrowed enum), none when it has no JSON error. */
function codesOf(response: Json): string[] {
  const schema = ((response.content as Record<string, { schema: Json }> | undefined)?.['application/json']?.schema ?? {}) as Json;
  const branches = (schema.anyOf as Json[] | undefined) ?? [schema];
  return branches.flatMap((b) => ((b.properties as { error?: { properties: { code: { enum: string[] } } } } | undefined)?.error?.properties.code.enum ?? []));
}

/** Every file under `dir` ending in .ts. */
const sources = (dir: string): string[] =>
  readdirSync(join(ROOT, dir), { recursive: true, encoding: 'utf8' })
    .filter((f) => f.endsWith('.ts'))
    .map((f) => readFileSync(join(ROOT, dir, f), 'utf8'));

describe('the OpenAPI document', () => {
  it('is valid OpenAPI 3.1 for @readme/openapi-parser, without warnings', async () => {
    expect(doc.openapi).toBe('3.1.0');
    const result = await validate(structuredClone(doc) as never);
    expect(result.valid ? '' : compileErrors(result)).toBe('');
    expect(result.warnings).toEqual([]);
  });

  it('is what docs/openapi.json holds (npm run openapi writes it)', () => {
    const written = readFileSync(join(ROOT, DOCUMENT_PATH), 'utf8');
    expect(written === documentText(), `${DOCUMENT_PATH} is stale: run npm run openapi`).toBe(true);
  });

  it('has every route of shared/routes.ts with its method, and nothing else', () => {
    const documented = Object.entries(paths).flatMap(([path, ops]) => Object.keys(ops).map((m) => `${m.toUpperCase()} ${path}`));
    expect(documented.sort()).toEqual(routes.map((r) => `${r.method} ${documentPath(r.path)}`).sort());
    for (const r of routes) expect(routeOf(r.method, r.path.replace(/\{[^}]+\}/g, 'x-1'))).toEqual(r);
  });

  it('puts the bearer scheme on the merchant routes and on no public one', () => {
    expect((doc.components as Json).securitySchemes).toEqual({ merchantToken: expect.objectContaining({ type: 'http', scheme: 'bearer' }) });
    // Merchant routes: the scheme, API Gateway's 401 and 403, and the route check's FORBIDDEN_ROLE. Public: neither; a 403 of their
    // own only (the callback's source check).
    const actual = routes.map((r) => {
      const responses = responsesOf(r.method, r.path);
      return [`${r.method} ${r.path}`, operation(r.method, r.path).security, '401' in responses, '403' in responses, responses['403'] === undefined ? [] : codesOf(responses['403'])];
    });
    const expected = routes.map((r) => [
      `${r.method} ${r.path}`,
      r.auth === 'merchant' ? [{ merchantToken: [] }] : [],
      r.auth === 'merchant',
      r.auth === 'merchant' || r.path === '/payments/callback',
      r.path === '/payments/callback' ? ['SOURCE_NOT_ALLOWED'] : r.auth === 'merchant' ? ['FORBIDDEN_ROLE'] : [],
    ]);
    expect(actual).toEqual(expected);
  });

  it('lists every error code of the code base, each answered by some route with its own status', () => {
    // The list itself, and what the code base says: every coded error class, the codes error-replies.ts writes.
    expect(documentedErrorCodes(doc).sort()).toEqual([...ERROR_CODES].sort());
    const inCode = new Set(
      [...sources('shared'), ...sources('functions')].flatMap((code) => [
        ...[...code.matchAll(/\bcode(?:: [A-Za-z]+)? = '([A-Z][A-Z0-9_]+)'/g)].map((m) => m[1]!),
        ...[...code.matchAll(/\bcode: '([A-Z][A-Z0-9_]+)'/g)].map((m) => m[1]!),
      ]),
    );
    // The callback's refusals are a union type of codes.
    const rejections = /export type CallbackRejection =([^;]+);/.exec(readFileSync(join(ROOT, 'shared/payments/errors.ts'), 'utf8'))?.[1] ?? '';
    for (const m of rejections.matchAll(/'([A-Z][A-Z0-9_]+)'/g)) inCode.add(m[1]!);
    expect(inCode.size).toBeGreaterThan(20);
    expect([...inCode].filter((c) => !(ERROR_CODES as string[]).includes(c))).toEqual([]);
    // Every code is answered by some route, and always with the status error-codes.ts gives it.
    const answered = new Set<string>();
    for (const r of routes) {
      for (const [status, response] of Object.entries(responsesOf(r.method, r.path))) {
        for (const code of codesOf(response)) {
          answered.add(code);
          expect(`${r.method} ${r.path} ${status} ${code}`).toBe(`${r.method} ${r.path} ${ERROR_STATUS[code as ErrorCode]} ${code}`);
        }
      }
    }
    expect([...answered].sort()).toEqual([...ERROR_CODES].sort());
  });

  it('is what the API reference lists: every error code a section of errors.md, every route of the table a row of api.md', () => {
    const errors = readFileSync(join(ROOT, 'docs/reference/errors.md'), 'utf8');
    expect(ERROR_CODES.filter((c) => !errors.includes(`\n## ${c}\n`))).toEqual([]);
    const api = readFileSync(join(ROOT, 'docs/reference/api.md'), 'utf8');
    for (const r of routes) expect(api, `${r.method} ${r.path}`).toContain(`| [\`${r.method} ${documentPath(r.path)}\`](#`);
  });

  it('documents the parameters: path, the listings\' queries, the refund\'s Idempotency-Key, the landings\' orderNo', () => {
    const names = (method: string, path: string) => ((operation(method, path).parameters ?? []) as Json[]).map((p) => `${String(p.in)}:${String(p.name)}`);
    expect(names('GET', '/payments').sort()).toEqual(['query:attention', 'query:cursor', 'query:from', 'query:limit', 'query:paymentState', 'query:status', 'query:to']);
    expect(names('GET', '/events').sort()).toEqual(['query:after', 'query:limit', 'query:type']);
    expect(names('GET', '/payments/{orderNo}')).toEqual(['path:orderNo', 'query:refresh']);
    expect(names('POST', '/payments/{orderNo}/refunds')).toEqual(['path:orderNo', 'header:Idempotency-Key']);
    expect(names('GET', '/events/{id}')).toEqual(['path:id']);
    expect(names('GET', '/payments/return')).toEqual(['query:t', 'query:orderNo']);
    expect(Object.keys((operation('POST', '/payments/callback').requestBody as { content: Json }).content).sort()).toEqual([
      'application/json',
      'application/x-www-form-urlencoded',
    ]);
    expect(Object.keys(responsesOf('GET', '/payments/return'))).toEqual(expect.arrayContaining(['200', '303', '404']));
    expect(names('PATCH', '/webhook-endpoints/{id}')).toEqual(['path:id']);
    expect(names('GET', '/webhook-endpoints')).toEqual([]);
    // Every event an endpoint can get, and the test event.
    expect(Object.keys(doc.webhooks as Json).sort()).toEqual([...EVENT_TYPES, 'webhook.test'].sort());
    // Sent by this service, not called by the merchant: no scheme of the API applies (Redocly's security-defined).
    for (const w of Object.values(doc.webhooks as Record<string, { post: Json }>)) expect(w.post.security).toEqual([]);
  });
});

describe('the reply check the integration suite runs', () => {
  const headers = (type?: string, more: Record<string, string> = {}) => new Headers({ ...(type !== undefined ? { 'content-type': type } : {}), ...more });
  const reply = (status: number, body: unknown, type = 'application/json; charset=utf-8') => ({ status, headers: headers(type), text: JSON.stringify(body) });
  const created = { orderNo: 'A-1', payToken: 'p', checkoutPage: 'https://pay.toss.im/x', status: 'PAY_STANDBY', expiresAt: '2026-01-01T00:15:00.000Z' };

  it('passes a reply the document describes', () => {
    expect(() => checkReply('POST', '/payments', reply(201, created))).not.toThrow();
    expect(() => checkReply('POST', '/payments', reply(409, { error: { code: 'CREATE_IN_PROGRESS', message: 'retry later' } }))).not.toThrow();
    expect(() => checkReply('GET', '/payments', reply(401, { message: 'Unauthorized' }))).not.toThrow();
    expect(() => checkReply('GET', '/payments/return?orderNo=A-1', { status: 303, headers: headers(undefined, { location: 'https://shop.example/r' }), text: '' })).not.toThrow();
    // Not a route of the table: the gateway's own 404.
    expect(() => checkReply('GET', '/nowhere', reply(404, { message: 'Not Found' }))).not.toThrow();
  });

  it('refuses a field, a status, an error code or a content type the document does not give the route', () => {
    const refused = (method: string, url: string, r: { status: number; headers: Headers; text: string }) => {
      try {
        checkReply(method, url, r);
      } catch (e) {
        return e instanceof ReplyContractError ? e.message.split('\n')[0] : `not a ReplyContractError: ${String(e)}`;
      }
      return 'passed';
    };
    expect(refused('POST', '/payments', reply(201, { ...created, extra: 1 }))).toMatch(/breaks its schema: .*additional properties/);
    expect(refused('POST', '/payments', reply(201, { ...created, expiresAt: 'tomorrow' }))).toMatch(/breaks its schema: .*date-time/);
    expect(refused('POST', '/payments', reply(418, {}))).toMatch(/no 418/);
    expect(refused('POST', '/payments', reply(404, { error: { code: 'ORDER_NOT_FOUND', message: 'x' } }))).toMatch(/no 404/);
    expect(refused('POST', '/payments', reply(409, { error: { code: 'ORDER_PAID', message: 'x' } }))).toMatch(/breaks its schema: .*allowed values/);
    expect(refused('GET', '/payments/A-1', reply(200, created, 'text/plain'))).toMatch(/content type "text\/plain"/);
    expect(refused('GET', '/payments/return?orderNo=A-1', { status: 303, headers: headers(), text: '' })).toMatch(/no Location header/);
    const validation = JSON.stringify({ error: { code: 'VALIDATION_FAILED', message: 'x' } });
    expect(refused('POST', '/payments', { status: 400, headers: headers('application/json', { 'retry-after': '1' }), text: validation })).toMatch(
      /a header the document does not give this reply: retry-after/,
    );
  });

  it("keeps its compiled validators for the worker's next files, and uses them only for the same document", async () => {
    const g = globalThis as Record<symbol, { json: string; documented: unknown } | undefined>;
    const saved = g[KEPT];
    try {
      // A file after this one evaluates the module afresh (test/support/shared-worker.ts) and finds what this one kept.
      checkReply('POST', '/payments', reply(201, created));
      const first = g[KEPT]?.documented;
      expect(first).toBeDefined();
      vi.resetModules();
      const next = await import('../support/openapi-replies.ts');
      next.checkReply('POST', '/payments', reply(201, created));
      expect(g[KEPT]?.documented).toBe(first);
      // Validators kept for another document (here one with no routes) are not used.
      g[KEPT] = { json: '{"paths":{}}', documented: { doc: { paths: {} }, headers: new Set(), compiled: new Map() } };
      vi.resetModules();
      const other = await import('../support/openapi-replies.ts');
      expect(() => other.checkReply('POST', '/payments', reply(201, created))).not.toThrow();
      expect(() => other.checkReply('POST', '/payments', reply(201, { ...created, extra: 1 }))).toThrow(/additional properties/);
      expect(g[KEPT]?.json).not.toBe('{"paths":{}}');
    } finally {
      g[KEPT] = saved;
    }
  });
});
