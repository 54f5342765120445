/**
 * The webhook endpoints as a resource, over HTTP: created (201 with its `whsec_` secret, shown
 * once), listed and read (never a secret), changed, deleted; at most 20, also when creates race
 * (the limit is a condition of the write); bad input refused with a stable code and nothing
 * written; MERCHANT_WEBHOOK_URL listed as the read-only `we_env`. The stack's log-leak check (at
 * stop) fails if any secret the API handed out was ever logged.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEndpointStore } from '../../../shared/store/webhook-endpoints.ts';
import { MAX_ENDPOINTS } from '../../../shared/events/endpoint-model.ts';
import { testDocumentClient } from '../../support/dynamo.ts';
import { startStack, type HttpReply, type Stack } from '../../support/stack.ts';
import { Webhook } from 'standardwebhooks';
import { createEndpoint, getEndpoint, listEndpoints } from './support.ts';

let s: Stack;
const client = testDocumentClient();
/** The endpoints as the table holds them, secrets and all. */
const stored = () => createEndpointStore({ client, tableName: s.tableName }).list();
beforeAll(async () => {
  // MERCHANT_WEBHOOK_URL set: the configured endpoint is one of them.
  s = await startStack({}, { webhooks: true });
});
afterAll(async () => {
  client.destroy();
  await s.stop();
});

const code = (r: HttpReply): unknown => (r.json.error as { code?: string } | undefined)?.code;
const post = (json: unknown) => s.merchantRequest('/webhook-endpoints', { method: 'POST', json });

describe('webhook endpoints', () => {
  it('POST creates one: 201 with its secret, once; GET lists and reads it without the secret', async () => {
    const url = `${s.webhooks?.url ?? ''}?shop=1`;
    const e = await createEndpoint(s, { url, description: '주문 처리', eventTypes: ['payment.completed', 'payment.refunded'] });
    expect(e).toEqual({
      id: expect.stringMatching(/^we_[A-Za-z0-9]{24}$/),
      url,
      description: '주문 처리',
      eventTypes: ['payment.completed', 'payment.refunded'],
      enabled: true,
      managedBy: 'api',
      createdAt: expect.any(String),
      updatedAt: expect.any(String),
      secret: expect.stringMatching(/^whsec_[A-Za-z0-9+/]{43}=$/),
    });
    // A Standard Webhooks secret: the independent package takes it.
    expect(() => new Webhook(e.secret)).not.toThrow();

    const list = await s.merchantRequest('/webhook-endpoints');
    expect(list.text).not.toContain('whsec_');
    const listed = (list.json as unknown as { endpoints: { id: string }[] }).endpoints;
    // The configured endpoint first, read only.
    expect(listed[0]).toEqual({ id: 'we_env', url: s.webhooks?.url, enabled: true, managedBy: 'configuration' });
    expect(listed.map((x) => x.id)).toContain(e.id);
    const { secret: _secret, ...view } = e;
    expect(listed.find((x) => x.id === e.id)).toEqual(view);

    const one = await s.merchantRequest(`/webhook-endpoints/${e.id}`);
    expect(one.text).not.toContain('whsec_');
    expect(one.json).toEqual({ ...view, health: { consecutiveFailures: 0, lastDay: { attempts: 0, succeeded: 0, failed: 0 } } });
    // Stored with its secret, which only the functions read.
    expect((await stored()).find((x) => x.id === e.id)?.secret).toBe(e.secret);
  });

  it('PATCH changes what it is given; null removes description and eventTypes; DELETE removes it', async () => {
    const e = await createEndpoint(s, { url: s.webhooks?.url, description: 'a', eventTypes: ['payment.completed'] });
    const r1 = await s.merchantRequest(`/webhook-endpoints/${e.id}`, { method: 'PATCH', json: { description: 'b', eventTypes: ['payment.cancelled', 'endpoint.disabled'] } });
    expect(r1.status).toBe(200);
    expect(r1.json).toMatchObject({ id: e.id, url: e.url, description: 'b', eventTypes: ['payment.cancelled', 'endpoint.disabled'], enabled: true });
    expect(r1.text).not.toContain('whsec_');
    const r2 = await s.merchantRequest(`/webhook-endpoints/${e.id}`, { method: 'PATCH', json: { description: null, eventTypes: null, url: `${s.webhooks?.url ?? ''}/v2` } });
    expect(r2.json).not.toHaveProperty('description');
    expect(r2.json).not.toHaveProperty('eventTypes');
    expect(r2.json.url).toBe(`${s.webhooks?.url ?? ''}/v2`);
    const off = await s.merchantRequest(`/webhook-endpoints/${e.id}`, { method: 'PATCH', json: { enabled: false } });
    expect(off.json).toMatchObject({ enabled: false, disabledReason: 'merchant', disabledAt: expect.any(String) });
    const on = await s.merchantRequest(`/webhook-endpoints/${e.id}`, { method: 'PATCH', json: { enabled: true } });
    expect(on.json.enabled).toBe(true);
    expect(on.json).not.toHaveProperty('disabledReason');
    // Its secret never changed.
    expect((await stored()).find((x) => x.id === e.id)?.secret).toBe(e.secret);

    const del = await s.merchantRequest(`/webhook-endpoints/${e.id}`, { method: 'DELETE' });
    expect([del.status, del.json]).toEqual([200, { id: e.id, deleted: true }]);
    expect((await stored()).map((x) => x.id)).not.toContain(e.id);
    for (const r of [
      await s.merchantRequest(`/webhook-endpoints/${e.id}`),
      await s.merchantRequest(`/webhook-endpoints/${e.id}`, { method: 'DELETE' }),
      await s.merchantRequest(`/webhook-endpoints/${e.id}`, { method: 'PATCH', json: { enabled: false } }),
      await s.merchantRequest(`/webhook-endpoints/${e.id}/rotate-secret`, { method: 'POST' }),
      await s.merchantRequest(`/webhook-endpoints/${e.id}/test`, { method: 'POST' }),
    ])
      expect([r.status, code(r)]).toEqual([404, 'WEBHOOK_ENDPOINT_NOT_FOUND']);
  });

  it('bad input gets a 4xx with a stable code, and nothing is written', async () => {
    const before = await stored();
    const url = s.webhooks?.url;
    const cases: Array<[unknown, number, string, string?]> = [
      [{ url, surprise: 1 }, 400, 'VALIDATION_FAILED', 'surprise'],
      [{}, 400, 'VALIDATION_FAILED', 'url'],
      [{ url: 'not a url' }, 400, 'WEBHOOK_URL_NOT_ALLOWED', 'url'],
      [{ url: 'ftp://127.0.0.1/hooks' }, 400, 'WEBHOOK_URL_NOT_ALLOWED', 'url'],
      // http:// only on this machine, even in the local stack.
      [{ url: 'http://shop.example.com/hooks' }, 400, 'WEBHOOK_URL_NOT_ALLOWED', 'url'],
      [{ url: 'http://10.0.0.1/hooks' }, 400, 'WEBHOOK_URL_NOT_ALLOWED', 'url'],
      [{ url: 'https://user:pass@shop.example.com/hooks' }, 400, 'WEBHOOK_URL_NOT_ALLOWED', 'url'],
      [{ url: `https://shop.example.com/${'x'.repeat(2_100)}` }, 400, 'VALIDATION_FAILED', 'url'],
      [{ url, eventTypes: ['payment.completed', 'payment.exploded'] }, 400, 'VALIDATION_FAILED', 'eventTypes.1'],
      [{ url, eventTypes: ['webhook.test'] }, 400, 'VALIDATION_FAILED', 'eventTypes.0'],
      [{ url, eventTypes: [] }, 400, 'VALIDATION_FAILED', 'eventTypes'],
      [{ url, eventTypes: ['payment.completed', 'payment.completed'] }, 400, 'VALIDATION_FAILED', 'eventTypes'],
      [{ url, description: 'x'.repeat(257) }, 400, 'VALIDATION_FAILED', 'description'],
      [{ url, description: 'tab\there' }, 400, 'VALIDATION_FAILED', 'description'],
      [{ url, enabled: 'yes' }, 400, 'VALIDATION_FAILED', 'enabled'],
    ];
    for (const [body, status, want, path] of cases) {
      const r = await post(body);
      const paths = (r.json.error as { issues?: { path: string }[] }).issues?.map((i) => i.path) ?? [];
      expect({ body, status: r.status, code: code(r), named: path === undefined || paths.includes(path) }).toEqual({ body, status, code: want, named: true });
    }
    const malformed = await s.merchantRequest('/webhook-endpoints', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"url":' });
    expect([malformed.status, code(malformed)]).toEqual([422, 'MALFORMED_JSON']);
    const [some] = before;
    if (some === undefined) throw new Error('an endpoint from the first test');
    for (const [body, status, want] of [
      [{}, 400, 'VALIDATION_FAILED'],
      [{ enabled: true, surprise: 1 }, 400, 'VALIDATION_FAILED'],
      [{ url: 'http://shop.example.com/' }, 400, 'WEBHOOK_URL_NOT_ALLOWED'],
      [{ eventTypes: ['nope'] }, 400, 'VALIDATION_FAILED'],
    ] as const) {
      const r = await s.merchantRequest(`/webhook-endpoints/${some.id}`, { method: 'PATCH', json: body });
      expect({ body, status: r.status, code: code(r) }).toEqual({ body, status, code: want });
    }
    const badId = await s.merchantRequest('/webhook-endpoints/not-an-id');
    expect([badId.status, code(badId)]).toEqual([400, 'VALIDATION_FAILED']);
    expect(await stored()).toEqual(before);
  });

  it('the configured endpoint (MERCHANT_WEBHOOK_URL) is read only: 409 WEBHOOK_ENDPOINT_MANAGED_BY_CONFIGURATION', async () => {
    const before = await stored();
    for (const r of [
      await s.merchantRequest('/webhook-endpoints/we_env', { method: 'PATCH', json: { enabled: false } }),
      await s.merchantRequest('/webhook-endpoints/we_env', { method: 'DELETE' }),
      await s.merchantRequest('/webhook-endpoints/we_env/rotate-secret', { method: 'POST' }),
    ])
      expect([r.status, code(r)]).toEqual([409, 'WEBHOOK_ENDPOINT_MANAGED_BY_CONFIGURATION']);
    expect(await getEndpoint(s, 'we_env')).toMatchObject({ id: 'we_env', managedBy: 'configuration', enabled: true, health: { consecutiveFailures: 0 } });
    expect(await stored()).toEqual(before);
  });

  it(`at most ${MAX_ENDPOINTS}: creates racing past the limit make exactly ${MAX_ENDPOINTS}, the others 422 with nothing written`, async () => {
    const have = (await stored()).length;
    for (let i = have; i < MAX_ENDPOINTS - 2; i++) await createEndpoint(s, { url: s.webhooks?.url, description: `n${i}` });
    expect(await stored()).toHaveLength(MAX_ENDPOINTS - 2);
    // Six at once for the last two places.
    const replies = await Promise.all(Array.from({ length: 6 }, (_, i) => post({ url: s.webhooks?.url, description: `race${i}` })));
    expect(replies.map((r) => r.status).sort()).toEqual([201, 201, 422, 422, 422, 422]);
    for (const r of replies.filter((x) => x.status === 422)) expect(code(r)).toBe('WEBHOOK_ENDPOINT_LIMIT_REACHED');
    const all = await stored();
    expect(all).toHaveLength(MAX_ENDPOINTS);
    expect(all.filter((x) => x.description?.startsWith('race') === true).map((x) => x.id).sort()).toEqual(replies.filter((r) => r.status === 201).map((r) => String(r.json.id)).sort());
    // Listed: the configured one and the 20.
    expect(await listEndpoints(s)).toHaveLength(MAX_ENDPOINTS + 1);
    // One more is refused; deleting one makes room.
    expect(code(await post({ url: s.webhooks?.url }))).toBe('WEBHOOK_ENDPOINT_LIMIT_REACHED');
    await s.merchantRequest(`/webhook-endpoints/${all[0]?.id ?? ''}`, { method: 'DELETE' });
    await createEndpoint(s, { url: s.webhooks?.url });
    expect(await stored()).toHaveLength(MAX_ENDPOINTS);
  });
});
