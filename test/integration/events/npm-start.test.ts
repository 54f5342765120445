/**
 * The events under `npm start` (a child process, as a user runs it): the EventBridge stand-in and
 * the stream consumer run, the webhook retrier runs every WEBHOOK_RETRY_INTERVAL_SECONDS, and the
 * demo shop gets its own webhooks (it registers its receiver through POST /webhook-endpoints at
 * start, and verifies with the secret the API hands it), so a paid order shows 배송 준비 중; with
 * MERCHANT_WEBHOOK_URL they go there instead. A bad webhook
 * variable stops the start, naming it; the secret never appears in the output.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { readPutEvents } from '../../../local/eventbridge.ts';
import { assertPortFree } from '../../../local/ports.ts';
import { approve } from '../../../local/toss-sandbox/control-client.ts';
import { killAll, ports, start, waitFor, type Run } from '../start/support.ts';
import { newWebhookSecret, startWebhookReceiver } from '../../support/webhook-receiver.ts';

afterAll(killAll);

const TOKEN = 'events-start-token';
const escape = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

async function until<T>(what: string, check: () => Promise<T | undefined>, ms = 10_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await check();
    if (v !== undefined) return v;
    if (Date.now() > end) throw new Error(`${what}: not within ${ms} ms`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** The shop's checkout and the buyer paying at the sandbox: the orderNo. */
async function payInShop(api: string, sandbox: string): Promise<string> {
  const c = await fetch(`${api}/demo/checkout`, { method: 'POST', redirect: 'manual' });
  expect(c.status).toBe(303);
  const payToken = new URL(c.headers.get('location') ?? '').searchParams.get('payToken') ?? '';
  const { redirect } = await approve(sandbox, payToken, 'CARD');
  return new URL(redirect).searchParams.get('orderNo') ?? '';
}

async function stop(run: Run): Promise<void> {
  run.child.kill('SIGTERM');
  expect(await run.exited).toBe(0);
}

describe('npm start: events', () => {
  it('runs the bus stand-in, the stream and the retrier; the demo shop gets its webhooks and shows 배송 준비 중; the secret is never printed', async () => {
    const p = await ports();
    const secret = newWebhookSecret();
    const run = start({
      ...p,
      MERCHANT_TOKENS: TOKEN,
      MERCHANT_WEBHOOK_SECRET: secret,
      WEBHOOK_RETRY_INTERVAL_SECONDS: '1',
      RECONCILE_INTERVAL_SECONDS: '0',
      // The retrier's idle runs log at debug level; this test counts them.
      POWERTOOLS_LOG_LEVEL: 'DEBUG',
    });
    await waitFor(run, 'Press Ctrl-C to stop.', 25_000);
    const api = `http://127.0.0.1:${p.API_PORT}`;
    const bus = `http://127.0.0.1:${p.EVENTBRIDGE_PORT}`;
    const sandbox = `http://127.0.0.1:${p.TOSS_SANDBOX_PORT}`;
    const banner = run.output();
    expect(banner).toMatch(new RegExp(`EventBridge\\s+${escape(bus)}\\s+\\(stand-in for the event bus`));
    const demo = new RegExp(`Webhooks\\s+${escape(api)}/demo/webhooks\\s+\\(the demo shop's receiver: endpoint (we_[A-Za-z0-9]+), registered through POST /webhook-endpoints\\)`).exec(banner);
    expect(demo).not.toBeNull();
    // Registered through the API as a merchant's endpoint would be, and listed so.
    const listed = (await (await fetch(`${api}/webhook-endpoints`, { headers: { authorization: `Bearer ${TOKEN}` } })).json()) as { endpoints: { id: string; url: string; managedBy: string }[] };
    expect(listed.endpoints).toEqual([expect.objectContaining({ id: demo?.[1], url: `${api}/demo/webhooks`, managedBy: 'api' })]);
    expect(banner).toContain(`curl -s ${api}/webhook-endpoints -H 'Authorization: Bearer ${TOKEN}'`);
    expect(banner).toContain(`curl -s ${bus}/events`);
    expect(banner).toContain(`curl -s ${api}/events -H 'Authorization: Bearer ${TOKEN}'`);
    // The commands carry the ports this run was started with.
    expect(banner).toContain(`one pass now: DYNAMODB_PORT=${p.DYNAMODB_PORT} TOSS_SANDBOX_PORT=${p.TOSS_SANDBOX_PORT} API_PORT=${p.API_PORT} EVENTBRIDGE_PORT=${p.EVENTBRIDGE_PORT} npm run reconcile`);
    expect(banner).toContain(`${sandbox}/sandbox/clock`);
    expect(banner).toContain(`${sandbox}/sandbox/faults`);
    expect(banner).toMatch(/Webhook retries: every 1 s/);
    expect((await fetch(`${bus}/health`)).status).toBe(200);

    const orderNo = await payInShop(api, sandbox);
    // The shop learnt of the payment from its webhook.
    const page = await until('배송 준비 중', async () => {
      const text = await (await fetch(`${api}/demo/orders/${orderNo}`)).text();
      return text.includes('배송 준비 중') ? text : undefined;
    });
    expect(page).toContain('data-state="paid"');
    expect(await (await fetch(`${api}/`)).text()).toContain(`data-order-no="${orderNo}" data-state="paid"`);
    // On the bus, and in the log with its delivery.
    const [entry, ...more] = (await readPutEvents(bus)).filter((e) => (e.Detail.data as { orderNo?: string }).orderNo === orderNo);
    expect(more).toEqual([]);
    expect(entry).toMatchObject({ EventBusName: 'toss-pay-local', Source: 'toss-pay', DetailType: 'payment.completed' });
    const logged = await until('GET /events', async () => {
      const r = await fetch(`${api}/events`, { headers: { authorization: `Bearer ${TOKEN}` } });
      const { events } = (await r.json()) as { events: { id: string; delivery: { status: string; attempts: { status?: number }[] } }[] };
      return events.length > 0 ? events : undefined;
    });
    expect(logged.map((e) => [e.id, e.delivery.status, e.delivery.attempts.map((a) => a.status)])).toEqual([[entry?.Detail.id, 'delivered', [200]]]);
    expect(logged.map((e) => (e as unknown as { deliveries: { endpointId: string }[] }).deliveries.map((d) => d.endpointId))).toEqual([[demo?.[1]]]);

    // The retrier runs every second.
    const runs = () => run.output().split('\n').filter((l) => l.includes('"function_name":"webhook-retrier"') && l.includes('"message":"webhook retries"')).length;
    await until('two retrier runs', () => Promise.resolve(runs() >= 2 ? true : undefined), 8_000);

    await stop(run);
    const out = run.output();
    expect(out).toContain('stopping the gateway, the stream consumer, the user pool, the EventBridge stand-in, the Toss sandbox and DynamoDB Local…');
    expect(out).not.toContain(secret);
    expect(out).not.toContain(secret.slice('whsec_'.length));
    // Nor the endpoint's secret, nor any other.
    expect(out).not.toContain('whsec_');
    for (const port of Object.values(p)) await expect(assertPortFree(Number(port), 'a service')).resolves.toBeUndefined();
  }, 60_000);

  it('with MERCHANT_WEBHOOK_URL the events go there, signed with MERCHANT_WEBHOOK_SECRET and retried on WEBHOOK_RETRY_SCHEDULE', async () => {
    const receiver = await startWebhookReceiver();
    try {
      const p = await ports();
      receiver.failNext(1, 503);
      const run = start({
        ...p,
        MERCHANT_TOKENS: TOKEN,
        MERCHANT_WEBHOOK_URL: receiver.url,
        MERCHANT_WEBHOOK_SECRET: receiver.secret,
        WEBHOOK_RETRY_SCHEDULE: '1',
        WEBHOOK_RETRY_INTERVAL_SECONDS: '1',
        RECONCILE_INTERVAL_SECONDS: '0',
      });
      await waitFor(run, 'Press Ctrl-C to stop.', 25_000);
      expect(run.output()).toMatch(new RegExp(`Webhooks\\s+${escape(receiver.url)}\\s+\\(MERCHANT_WEBHOOK_URL, signed with MERCHANT_WEBHOOK_SECRET\\)`));
      const orderNo = await payInShop(`http://127.0.0.1:${p.API_PORT}`, `http://127.0.0.1:${p.TOSS_SANDBOX_PORT}`);
      // The first attempt fails; npm start's retrier sends it again a second later.
      const deliveries = await until('the retried delivery', () => {
        const ds = receiver.deliveries().filter((d) => d.body.includes(orderNo));
        return Promise.resolve(ds.length >= 2 ? ds : undefined);
      });
      expect(deliveries.map((d) => [d.status, d.verified])).toEqual([
        [503, true],
        [200, true],
      ]);
      expect(deliveries[1]?.body).toBe(deliveries[0]?.body);
      await stop(run);
      expect(run.output()).not.toContain(receiver.secret);
    } finally {
      await receiver.close();
    }
  }, 60_000);

  it.each([
    ['MERCHANT_WEBHOOK_URL', 'not a url', 'MERCHANT_WEBHOOK_URL: must be an http:// or https:// URL'],
    ['MERCHANT_WEBHOOK_URL', 'ftp://127.0.0.1/hooks', 'MERCHANT_WEBHOOK_URL: must be an http:// or https:// URL'],
    ['MERCHANT_WEBHOOK_SECRET', 'topsecret-do-not-print', 'MERCHANT_WEBHOOK_SECRET: the webhook secret must be whsec_ followed by base64'],
    ['MERCHANT_WEBHOOK_SECRET', '{"current":"topsecret-do-not-print"}', 'MERCHANT_WEBHOOK_SECRET: the webhook secret JSON needs "current"'],
    ['WEBHOOK_RETRY_SCHEDULE', '5,soon', 'WEBHOOK_RETRY_SCHEDULE: comma-separated whole seconds'],
    ['WEBHOOK_RETRY_INTERVAL_SECONDS', '-1', 'WEBHOOK_RETRY_INTERVAL_SECONDS'],
    ['EVENTBRIDGE_PORT', '70000', 'EVENTBRIDGE_PORT'],
  ])('exits non-zero naming an invalid %s (case %#), before starting anything, never printing the value', async (name, value, message) => {
    const p = await ports();
    const run = start({ ...p, [name]: value });
    expect(await run.exited).toBe(1);
    const out = run.output();
    expect(out).toContain('npm start failed: invalid configuration');
    expect(out).toContain(message);
    expect(out).not.toContain('Starting DynamoDB Local');
    expect(out).not.toContain('topsecret-do-not-print');
  });

  it('refuses MERCHANT_WEBHOOK_URL without a secret to sign with, naming MERCHANT_WEBHOOK_SECRET', async () => {
    const p = await ports();
    const run = start({ ...p, MERCHANT_WEBHOOK_URL: 'https://shop.example.com/webhooks' });
    expect(await run.exited).toBe(1);
    expect(run.output()).toContain('MERCHANT_WEBHOOK_SECRET: MERCHANT_WEBHOOK_URL needs MERCHANT_WEBHOOK_SECRET');
  });
});
