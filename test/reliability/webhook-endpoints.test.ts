/**
 * Model-based test (fast-check) of webhook endpoints and their deliveries: random interleavings of
 * the merchant's endpoint actions (create with or without event types, change the types, disable,
 * enable, delete, rotate the secret, test), receivers that fail (500) or answer too late for the
 * first-attempt budget, orders paid (payment.completed), redeliveries (of one event, to every
 * endpoint or to one; of every failure since a time), retrier runs, and DynamoDB faults on the
 * functions' delivery writes (a lost reply of a lease, of a recorded attempt, of a create; throttling).
 * WEBHOOK_DISABLE_AFTER_DAYS=0: an endpoint whose attempt fails is disabled at once, so disabling,
 * endpoint.disabled and the catch-up on enabling run all the time.
 *
 * The model is what the merchant was told: the endpoints it created (their secrets, every one the
 * API handed out) and the ones it deleted. After EVERY step:
 *   - at most 20 endpoints; no reply of GET /webhook-endpoints ever holds a secret;
 *   - every delivery a receiver got verifies (standardwebhooks) with a secret its endpoint had, and
 *     its webhook-id is its body's id;
 *   - each payment.completed was given exactly to the endpoints that wanted it and took events
 *     (enabled, or disabled for failing) when it was logged; an endpoint.disabled never to the
 *     endpoint it is about, nor to one that does not want it; no event to an endpoint created after it
 *     (unless redelivered to it by name).
 * At the end of each sequence the faults are cleared, every receiver answers, every endpoint is
 * enabled and the retrier runs until nothing is due: then every delivery to an endpoint still
 * there is delivered, its receiver got the event (verified), and every delivery to one deleted is
 * cancelled or was delivered before.
 *
 * MODEL_SEED reproduces a run; WEBHOOK_MODEL_RUNS changes the number of sequences.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { buffer } from 'node:stream/consumers';
import fc from 'fast-check';
import { Webhook } from 'standardwebhooks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FaultSpec } from '../../local/dynamodb-proxy.ts';
import { approve } from '../../local/toss-sandbox/control-client.ts';
import { eventually, newOrderNo, startStack, type HttpReply, type Stack } from '../support/stack.ts';

const SEED = process.env.MODEL_SEED !== undefined ? Number(process.env.MODEL_SEED) : Math.floor(Math.random() * 2 ** 31);
const RUNS = Number(process.env.WEBHOOK_MODEL_RUNS ?? 10);
/** Past the first-attempt budget (1 s): such an attempt is cut (a failure) in the events function, and made by the retrier. */
const SLOW_MS = 1_300;

// ----------------------------------------------------------------------------------- receivers

type Mode = 'ok' | 'fail' | 'slow';
interface Received {
  slot: number;
  id: string;
  status: number;
  headers: Record<string, string>;
  body: string;
}
/** One server; each endpoint has a path of its own (`/r/<slot>`), so every delivery is known to be its. */
const modes = new Map<number, Mode>();
let received: Received[] = [];
async function onRequest(req: IncomingMessage, res: ServerResponse): Promise<void> {
  const slot = Number(/^\/r\/(\d+)$/.exec(req.url ?? '')?.[1] ?? -1);
  const body = (await buffer(req)).toString('utf8');
  const headers = Object.fromEntries(Object.entries(req.headers).map(([k, v]) => [k, Array.isArray(v) ? v.join(',') : String(v)]));
  const mode = modes.get(slot) ?? 'ok';
  if (mode === 'slow') await new Promise((r) => setTimeout(r, SLOW_MS));
  const status = mode === 'fail' ? 500 : 200;
  received.push({ slot, id: headers['webhook-id'] ?? '', status, headers, body });
  if (!res.destroyed) res.writeHead(status).end();
}
const server = createServer((req, res) => void onRequest(req, res).catch(() => res.destroy()));

let s: Stack;
let base = '';
beforeAll(async () => {
  await new Promise<void>((r) => server.listen({ port: 0, host: '127.0.0.1' }, r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  s = await startStack({
    WEBHOOK_DISABLE_AFTER_DAYS: '0',
    WEBHOOK_FIRST_ATTEMPT_MS: '1000',
    WEBHOOK_RETRY_SCHEDULE: '1,1,1,1,1,1,1,1,1,1',
    POWERTOOLS_LOG_LEVEL: 'ERROR',
    POWERTOOLS_METRICS_DISABLED: 'true',
  });
});
afterAll(async () => {
  await s?.stop();
  server.closeAllConnections();
  await new Promise((r) => server.close(r));
});

// -------------------------------------------------------------------------------------- model

interface ModelEndpoint {
  id: string;
  slot: number;
  /** Every secret the API handed out for it. */
  secrets: string[];
  createdAfter: number;
  deleted: boolean;
  /** Events redelivered to it (by name, or as one that wants it now): it may get them whatever it wanted when they were logged. */
  named: Set<string>;
}
interface Observed {
  id: string;
  enabled: boolean;
  disabledReason?: string;
  eventTypes?: string[];
}
interface Logged {
  id: string;
  type: string;
  data: Record<string, unknown>;
  deliveries: { endpointId: string; status: string; attemptCount: number; nextAt?: string }[];
}

type Action =
  | { type: 'create'; types: string[] | null; enabled: boolean }
  | { type: 'retype'; e: number; types: string[] | null }
  | { type: 'disable'; e: number }
  | { type: 'enable'; e: number }
  | { type: 'delete'; e: number }
  | { type: 'rotate'; e: number }
  | { type: 'test'; e: number }
  | { type: 'mode'; e: number; mode: Mode }
  | { type: 'pay' }
  | { type: 'retrier' }
  | { type: 'redeliver'; k: number; e: number | null }
  | { type: 'redeliverFailed' }
  | { type: 'dbFault'; fault: DbFault };
/** A DynamoDB fault on the functions' table (the proxy's FaultSpec, less its table). */
type DbFault =
  | { kind: 'drop-reply'; operation: 'UpdateItem' | 'TransactWriteItems'; expressionContains: string }
  | { kind: 'error'; error: 'ThrottlingException' | 'ProvisionedThroughputExceededException'; operation: 'UpdateItem' | 'TransactWriteItems'; times?: number };

const someTypes = fc.option(fc.subarray(['payment.completed', 'payment.refunded', 'endpoint.disabled'], { minLength: 1 }), { nil: null });
const ep = fc.nat(30);
const actionArb: fc.Arbitrary<Action> = fc.oneof(
  { weight: 3, arbitrary: fc.record({ type: fc.constant('create' as const), types: someTypes, enabled: fc.constantFrom(true, true, true, true, false) }) },
  { weight: 1, arbitrary: fc.record({ type: fc.constant('retype' as const), e: ep, types: someTypes }) },
  { weight: 1, arbitrary: fc.record({ type: fc.constant('disable' as const), e: ep }) },
  { weight: 2, arbitrary: fc.record({ type: fc.constant('enable' as const), e: ep }) },
  { weight: 1, arbitrary: fc.record({ type: fc.constant('delete' as const), e: ep }) },
  { weight: 1, arbitrary: fc.record({ type: fc.constant('rotate' as const), e: ep }) },
  { weight: 1, arbitrary: fc.record({ type: fc.constant('test' as const), e: ep }) },
  { weight: 2, arbitrary: fc.record({ type: fc.constant('mode' as const), e: ep, mode: fc.constantFrom<Mode>('ok', 'fail', 'slow') }) },
  { weight: 4, arbitrary: fc.constant({ type: 'pay' as const }) },
  { weight: 2, arbitrary: fc.constant({ type: 'retrier' as const }) },
  { weight: 1, arbitrary: fc.record({ type: fc.constant('redeliver' as const), k: fc.nat(20), e: fc.option(ep, { nil: null }) }) },
  { weight: 1, arbitrary: fc.constant({ type: 'redeliverFailed' as const }) },
  {
    weight: 1,
    arbitrary: fc
      .constantFrom<DbFault>(
      // A lost reply: the lease of a delivery, an attempt recorded, an endpoint created.
      { kind: 'drop-reply', operation: 'UpdateItem', expressionContains: 'SET #leaseUntil = :until, #leaseId = :lid' },
      { kind: 'drop-reply', operation: 'UpdateItem', expressionContains: '#leaseId = :lid' },
      { kind: 'drop-reply', operation: 'TransactWriteItems', expressionContains: '#leaseId = :lid' },
      { kind: 'drop-reply', operation: 'UpdateItem', expressionContains: 'size(#endpoints) < :max' },
      // Throttled once or twice: the SDK retries.
      { kind: 'error', error: 'ThrottlingException', operation: 'UpdateItem', times: 2 },
      { kind: 'error', error: 'ProvisionedThroughputExceededException', operation: 'TransactWriteItems' },
      )
      .map((fault) => ({ type: 'dbFault' as const, fault })),
  },
);

const verifiesWith = (secrets: readonly string[], r: Received): boolean =>
  secrets.some((secret) => {
    try {
      new Webhook(secret).verify(r.body, r.headers);
      return true;
    } catch {
      return false;
    }
  });

/** What the sequences did, by action (printed), and how many ended settled. */
const explored: Record<string, number> = {};
let settledSequences = 0;

async function run(actions: Action[]): Promise<void> {
  const model: ModelEndpoint[] = [];
  const events: string[] = [];
  /** For each payment.completed: the endpoints that wanted it and took events when it was logged. */
  const expectedFanOut = new Map<string, string[]>();
  let nextSlot = 0;
  let step = 0;
  const pick = (e: number): ModelEndpoint | undefined => (model.length === 0 ? undefined : model[e % model.length]);
  const api = (path: string, init?: RequestInit & { json?: unknown }): Promise<HttpReply> => s.merchantRequest(path, init);
  const observed = async (): Promise<Observed[]> => {
    const r = await api('/webhook-endpoints');
    expect(r.status).toBe(200);
    // Never a secret in a listing.
    expect(r.text).not.toContain('whsec_');
    return (r.json as unknown as { endpoints: Observed[] }).endpoints;
  };
  const getEvent = async (id: string): Promise<Logged> => (await api(`/events/${id}`)).json as unknown as Logged;
  const ofRun = (): Received[] => received.filter((r) => model.some((m) => m.slot === r.slot));

  const check = async (): Promise<void> => {
    const list = await observed();
    expect(list.length).toBeLessThanOrEqual(20);
    for (const r of ofRun()) {
      const m = model.find((x) => x.slot === r.slot)!;
      expect({ slot: r.slot, id: r.id, verified: verifiesWith(m.secrets, r) }).toEqual({ slot: r.slot, id: r.id, verified: true });
      expect(JSON.parse(r.body).id).toBe(r.id);
    }
    for (const id of events) {
      const e = await getEvent(id);
      const given = e.deliveries.map((d) => d.endpointId);
      const want = expectedFanOut.get(id);
      // Redeliveries by name add endpoints; the rest is the fan-out when it was logged.
      if (want !== undefined)
        expect({ id, given: given.filter((x) => want.includes(x) || model.find((m) => m.id === x)?.named.has(id) !== true).sort() }).toEqual({ id, given: [...want].sort() });
      for (const x of given) {
        const m = model.find((y) => y.id === x);
        if (m === undefined) continue;
        expect({ id, endpoint: x, before: m.createdAfter < events.indexOf(id) || m.named.has(id) || want === undefined }).toEqual({ id, endpoint: x, before: true });
      }
    }
    // endpoint.disabled: to the others that want it.
    const disabledEvents = ((await api('/events?type=endpoint.disabled&limit=100')).json as unknown as { events: Logged[] }).events;
    for (const e of disabledEvents) expect(e.deliveries.map((d) => d.endpointId)).not.toContain(e.data.endpointId);
  };

  for (const a of actions) {
    step++;
    explored[a.type] = (explored[a.type] ?? 0) + 1;
    const m = 'e' in a && a.e !== null ? pick(a.e) : undefined;
    switch (a.type) {
      case 'create': {
        const slot = nextSlot++;
        const r = await api('/webhook-endpoints', { method: 'POST', json: { url: `${base}/r/${slot}`, ...(a.types !== null ? { eventTypes: a.types } : {}), enabled: a.enabled } });
        const live = model.filter((x) => !x.deleted).length;
        if (live >= 20) expect([r.status, (r.json.error as { code?: string }).code]).toEqual([422, 'WEBHOOK_ENDPOINT_LIMIT_REACHED']);
        else {
          expect(r.status).toBe(201);
          model.push({ id: String(r.json.id), slot, secrets: [String(r.json.secret)], createdAfter: events.length - 1, deleted: false, named: new Set() });
        }
        break;
      }
      case 'retype':
        if (m !== undefined && !m.deleted) expect((await api(`/webhook-endpoints/${m.id}`, { method: 'PATCH', json: { eventTypes: a.types } })).status).toBe(200);
        break;
      case 'disable':
      case 'enable':
        if (m !== undefined && !m.deleted) expect((await api(`/webhook-endpoints/${m.id}`, { method: 'PATCH', json: { enabled: a.type === 'enable' } })).status).toBe(200);
        break;
      case 'delete':
        if (m !== undefined && !m.deleted) {
          expect((await api(`/webhook-endpoints/${m.id}`, { method: 'DELETE' })).status).toBe(200);
          m.deleted = true;
        }
        break;
      case 'rotate':
        if (m !== undefined && !m.deleted) {
          const r = await api(`/webhook-endpoints/${m.id}/rotate-secret`, { method: 'POST' });
          expect(r.status).toBe(200);
          m.secrets.push(String(r.json.secret));
        }
        break;
      case 'test':
        if (m !== undefined && !m.deleted) {
          const r = await api(`/webhook-endpoints/${m.id}/test`, { method: 'POST' });
          expect(r.status).toBe(200);
          expect(r.json.ok).toBe(r.json.status === 200);
        }
        break;
      case 'mode':
        if (m !== undefined) modes.set(m.slot, a.mode);
        break;
      case 'pay': {
        // Who takes it: the endpoints as they are just before its order is paid.
        const now = await observed();
        const orderNo = newOrderNo('wm');
        const c = await s.createPayment({ orderNo, amount: 1_000, amountTaxFree: 0, productDesc: 'model' });
        expect(c.status).toBe(201);
        await approve(s.sandbox.url, String(c.json.payToken), 'CARD');
        await eventually(async () => ((await s.readOrder(orderNo))?.status === 'PAY_COMPLETE' ? true : undefined), 10_000);
        await s.streams.caughtUp();
        const page = ((await api('/events?type=payment.completed&limit=100')).json as unknown as { events: Logged[]; next?: string }).events;
        let e = page.find((x) => x.data.orderNo === orderNo);
        // Past the first page: the log's end.
        for (let after = (await api('/events?type=payment.completed&limit=100')).json.next as string | undefined; e === undefined && after !== undefined; ) {
          const r = (await api(`/events?type=payment.completed&limit=100&after=${encodeURIComponent(after)}`)).json as unknown as { events: Logged[]; next?: string };
          e = r.events.find((x) => x.data.orderNo === orderNo);
          after = r.next;
        }
        expect(e).toBeDefined();
        if (e === undefined) break;
        events.push(e.id);
        expectedFanOut.set(
          e.id,
          now.filter((x) => (x.enabled || x.disabledReason === 'failing') && (x.eventTypes === undefined || x.eventTypes.includes('payment.completed'))).map((x) => x.id),
        );
        break;
      }
      case 'retrier':
        await s.runWebhookRetrier();
        break;
      case 'redeliver': {
        const id = events.length === 0 ? undefined : events[a.k % events.length];
        if (id === undefined) break;
        const r = await api(`/events/${id}/redeliver`, { method: 'POST', ...(m !== undefined ? { json: { endpointId: m.id } } : {}) });
        const code = (r.json.error as { code?: string } | undefined)?.code;
        // To an endpoint deleted: 404; disabled: 409; none that takes it: 409.
        expect([200, 404, 409]).toContain(r.status);
        if (r.status === 404) expect(code).toBe('WEBHOOK_ENDPOINT_NOT_FOUND');
        if (r.status === 409) expect(['WEBHOOK_ENDPOINT_DISABLED', 'WEBHOOK_NOT_CONFIGURED']).toContain(code);
        // Redelivered by the merchant: to the endpoint named, or (none of its own left) to those that want it now.
        if (r.status === 200) for (const d of (r.json as unknown as Logged).deliveries) model.find((x) => x.id === d.endpointId)?.named.add(id);
        break;
      }
      case 'redeliverFailed': {
        const r = await api('/events/redeliver', { method: 'POST', json: { failedSince: new Date(Date.now() - 3_600_000).toISOString() } });
        expect([202, 409]).toContain(r.status);
        break;
      }
      case 'dbFault':
        await s.proxy.addFault({ ...a.fault, table: s.tableName } satisfies FaultSpec);
        break;
    }
    // What the action started (an endpoint disabled, its endpoint.disabled) is published.
    await s.streams.caughtUp();
    try {
      await check();
    } catch (e) {
      throw new Error(`after step ${step} (${JSON.stringify(a)}): ${(e as Error).message}`, { cause: e });
    }
  }

  // ---- The end: every receiver answers, every endpoint is enabled, the retrier runs until nothing is due.
  await s.proxy.clearFaults();
  for (const x of model) modes.set(x.slot, 'ok');
  for (const x of model.filter((y) => !y.deleted)) expect((await api(`/webhook-endpoints/${x.id}`, { method: 'PATCH', json: { enabled: true } })).status).toBe(200);
  // A delivery whose retries ran out meanwhile is sent again as a merchant would: redelivered.
  await api('/events/redeliver', { method: 'POST', json: { failedSince: new Date(Date.now() - 3_600_000).toISOString() } });
  const settled = async (): Promise<boolean> => {
    for (const id of events) {
      const e = await getEvent(id);
      if (e.deliveries.some((d) => d.status === 'pending' || d.status === 'waiting')) return false;
    }
    return true;
  };
  const until = Date.now() + 60_000;
  while (!(await settled())) {
    if (Date.now() > until) throw new Error('deliveries still pending or waiting 60 s after the end');
    await s.runWebhookRetrier();
    await s.streams.caughtUp();
    await new Promise((r) => setTimeout(r, 300));
  }
  for (const id of events) {
    for (const d of (await getEvent(id)).deliveries) {
      const x = model.find((y) => y.id === d.endpointId);
      if (x === undefined) continue;
      if (x.deleted) expect(['delivered', 'cancelled', 'failed']).toContain(d.status);
      else {
        expect({ id, endpoint: x.id, status: d.status }).toEqual({ id, endpoint: x.id, status: 'delivered' });
        const got = received.filter((r) => r.slot === x.slot && r.id === id && r.status === 200);
        expect({ id, endpoint: x.id, got: got.length > 0 && got.every((r) => verifiesWith(x.secrets, r)) }).toEqual({ id, endpoint: x.id, got: true });
      }
    }
  }
  // Cleanup for the next sequence: its endpoints gone.
  for (const x of model.filter((y) => !y.deleted)) await api(`/webhook-endpoints/${x.id}`, { method: 'DELETE' });
  received = [];
  settledSequences++;
}

describe('webhook endpoints and deliveries, a model', () => {
  it('keeps every promise under random endpoint actions, receiver and DynamoDB faults', async () => {
    console.log(`webhook endpoints model: MODEL_SEED=${SEED}, ${RUNS} sequences`);
    await fc.assert(
      fc.asyncProperty(fc.array(actionArb, { minLength: 4, maxLength: 18 }), (actions) => run([{ type: 'create', types: null, enabled: true }, ...actions])),
      { seed: SEED, numRuns: RUNS, endOnFailure: true, verbose: true },
    );
    console.log(`webhook endpoints model: explored ${JSON.stringify(Object.fromEntries(Object.entries(explored).sort()))}`);
    expect(settledSequences).toBe(RUNS);
  }, 900_000);
});
