/**
 * Every body the API takes refuses a field it does not know (400 VALIDATION_FAILED naming it, and
 * nothing written), on every POST and PATCH route of the route table: a typo must never be silently ignored.
 * The one exception is Toss's callback, whose body Toss extends without notice (its fields are a
 * hint confirmed with Toss's status API, never trusted). A new POST route fails this test until it
 * has a case here.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { approve } from '../../../local/toss-sandbox/control-client.ts';
import { routes } from '../../../shared/routes.ts';
import { createEndpointStore } from '../../../shared/store/webhook-endpoints.ts';
import { testDocumentClient } from '../../support/dynamo.ts';
import { newOrderNo, startStack, type HttpReply, type Stack } from '../../support/stack.ts';

let s: Stack;
let paid: string;
let waiting: string;
/** An endpoint of the API, to the stack's receiver. */
let endpoint: string;
const client = testDocumentClient();
/** The endpoints as the table holds them (their secrets too). */
const stored = () => createEndpointStore({ client, tableName: s.tableName }).list();
beforeAll(async () => {
  s = await startStack({}, { webhooks: true });
  endpoint = String((await s.merchantRequest('/webhook-endpoints', { method: 'POST', json: { url: s.webhooks?.url } })).json.id);
  paid = newOrderNo('uf');
  const c = await s.createPayment({ orderNo: paid, amount: 5_000, amountTaxFree: 0, productDesc: '필드' });
  await approve(s.sandbox.url, String(c.json.payToken), 'CARD');
  waiting = newOrderNo('uf');
  await s.createPayment({ orderNo: waiting, amount: 5_000, amountTaxFree: 0, productDesc: '필드' });
});
afterAll(async () => {
  client.destroy();
  await s.stop();
});

const issuesOf = (r: HttpReply) => (r.json.error as { code?: string; issues?: { path: string }[] } | undefined) ?? {};

/** Per POST route: a request whose body is valid but for the unknown field `surprise`, and what must not have changed. */
const CASES: Record<string, () => Promise<{ reply: HttpReply; unchanged: () => Promise<void> }>> = {
  'POST /payments': async () => {
    const orderNo = newOrderNo('uf');
    const reply = await s.merchantRequest('/payments', { method: 'POST', json: { orderNo, amount: 1_000, amountTaxFree: 0, productDesc: 'x', surprise: 1 } });
    return { reply, unchanged: async () => expect(await s.readOrder(orderNo)).toBeUndefined() };
  },
  'POST /payments/{orderNo}/refunds': async () => {
    const reply = await s.merchantRequest(`/payments/${paid}/refunds`, { method: 'POST', headers: { 'idempotency-key': 'uf-1' }, json: { amountTaxFree: 0, surprise: 1 } });
    return { reply, unchanged: async () => expect((await s.readOrder(paid))?.refunds ?? {}).toEqual({}) };
  },
  'POST /payments/{orderNo}/cancel': async () => {
    const reply = await s.merchantRequest(`/payments/${waiting}/cancel`, { method: 'POST', json: { reason: '재고 부족', surprise: 1 } });
    return { reply, unchanged: async () => expect((await s.readOrder(waiting))?.status).toBe('PAY_STANDBY') };
  },
  'POST /events/{id}/redeliver': async () => {
    const reply = await s.merchantRequest('/events/evt_nosuchevent0000/redeliver', { method: 'POST', json: { surprise: 1 } });
    return { reply, unchanged: async () => undefined };
  },
  'POST /events/redeliver': async () => {
    const reply = await s.merchantRequest('/events/redeliver', { method: 'POST', json: { failedSince: new Date(0).toISOString(), surprise: 1 } });
    return { reply, unchanged: async () => undefined };
  },
  'POST /webhook-endpoints': async () => {
    const before = await stored();
    const reply = await s.merchantRequest('/webhook-endpoints', { method: 'POST', json: { url: s.webhooks?.url, surprise: 1 } });
    return { reply, unchanged: async () => expect(await stored()).toEqual(before) };
  },
  'PATCH /webhook-endpoints/{id}': async () => {
    const before = await stored();
    const reply = await s.merchantRequest(`/webhook-endpoints/${endpoint}`, { method: 'PATCH', json: { description: 'x', surprise: 1 } });
    return { reply, unchanged: async () => expect(await stored()).toEqual(before) };
  },
  'POST /webhook-endpoints/{id}/rotate-secret': async () => {
    const before = await stored();
    const reply = await s.merchantRequest(`/webhook-endpoints/${endpoint}/rotate-secret`, { method: 'POST', json: { surprise: 1 } });
    return { reply, unchanged: async () => expect(await stored()).toEqual(before) };
  },
  'POST /webhook-endpoints/{id}/test': async () => {
    const sent = s.webhooks?.deliveries().length;
    const reply = await s.merchantRequest(`/webhook-endpoints/${endpoint}/test`, { method: 'POST', json: { surprise: 1 } });
    return { reply, unchanged: async () => expect(s.webhooks?.deliveries().length).toBe(sent) };
  },
};
/** Toss extends its callback without notice: unknown fields are ignored there (and the body is confirmed with Toss). */
const LOOSE = ['POST /payments/callback'];

describe('unknown fields', () => {
  it('every POST and PATCH route of the route table has a case (or is the callback)', () => {
    const posts = routes.filter((r) => r.method === 'POST' || r.method === 'PATCH').map((r) => `${r.method} ${r.path}`);
    expect(posts.filter((k) => !LOOSE.includes(k)).sort()).toEqual(Object.keys(CASES).sort());
  });

  for (const [route, run] of Object.entries(CASES)) {
    it(`${route}: 400 VALIDATION_FAILED naming the field, nothing written`, async () => {
      const { reply, unchanged } = await run();
      expect([reply.status, issuesOf(reply).code]).toEqual([400, 'VALIDATION_FAILED']);
      expect(issuesOf(reply).issues?.map((i) => i.path)).toEqual(['surprise']);
      await unchanged();
    });
  }

  it('rotate-secret and test take no body, or an empty one', async () => {
    for (const init of [{ method: 'POST' }, { method: 'POST', json: {} }, { method: 'POST', headers: { 'content-type': 'application/json' } }]) {
      expect((await s.merchantRequest(`/webhook-endpoints/${endpoint}/test`, init)).status).toBe(200);
      expect((await s.merchantRequest(`/webhook-endpoints/${endpoint}/rotate-secret`, init)).status).toBe(200);
    }
  });

  it('POST /events/{id}/redeliver still takes no body, or an empty one', async () => {
    for (const init of [{ method: 'POST' }, { method: 'POST', json: {} }]) {
      const r = await s.merchantRequest('/events/evt_nosuchevent0000/redeliver', init);
      expect((r.json.error as { code?: string }).code).toBe('EVENT_NOT_FOUND');
    }
  });
});
