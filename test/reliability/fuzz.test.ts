/**
 * Fuzz: 10,000 malformed requests across every public route (the two landings and the callback;
 * plus wrong methods, near-miss paths and unauthenticated merchant routes), generated from a seed
 * with fast-check (FUZZ_SEED to explore other seeds; the seed is in every failure message), sent
 * over raw HTTP with bounded concurrency. Every reply must be a 4xx (never a 5xx, never a dropped
 * connection), the table must be exactly as it was (a Scan, in this test only, proves it), the
 * sandbox's payments must be untouched, and the gateway must still serve afterwards.
 */
import http from 'node:http';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { approve, getPayment, quit, type SandboxPayment } from '../../local/toss-sandbox/control-client.ts';
import { mapPool, tableSnapshot } from '../support/reliability.ts';
import { newOrderNo, startStack, type Stack } from '../support/stack.ts';

const SEED = Number(process.env.FUZZ_SEED ?? 20_241_121);
const REQUESTS = 10_000;
const CONCURRENCY = 32;

let s: Stack;
let agent: http.Agent;
/** Real orders the fuzz aims near: waiting, approved-not-executed, cancelled. */
let real: { orderNo: string; payToken: string; amount: number }[] = [];
beforeAll(async () => {
  s = await startStack({ POWERTOOLS_LOG_LEVEL: 'CRITICAL', POWERTOOLS_METRICS_DISABLED: 'true' });
  agent = new http.Agent({ keepAlive: true, maxSockets: CONCURRENCY });
  const make = async (autoExecute: boolean) => {
    const orderNo = newOrderNo('fz');
    const r = await s.createPayment({ orderNo, amount: 7_000, amountTaxFree: 0, productDesc: 'fuzz', autoExecute, expiresInMinutes: 60 });
    if (r.status !== 201) throw new Error(`setup create: ${r.status}`);
    return { orderNo, payToken: String(r.json.payToken), amount: 7_000 };
  };
  const standby = await make(true);
  const approved = await make(false);
  await approve(s.sandbox.url, approved.payToken, 'CARD'); // the buyer never comes back
  const cancelled = await make(true);
  await s.visit((await quit(s.sandbox.url, cancelled.payToken)).redirect);
  real = [standby, approved, cancelled];
  // The cancelled order's payment.cancelled is logged in the table (the events): before the snapshot.
  await s.streams.caughtUp();
});
afterAll(async () => {
  agent?.destroy();
  await s?.stop();
});

// ------------------------------------------------------------------------------------ generators

interface FuzzRequest {
  kind: string;
  method: string;
  path: string;
  headers: Record<string, string>;
  body?: Buffer;
}

/** Percent-encodes (as UTF-8) what Node's HTTP client refuses in a path (outside 0x21-0x7e); keeps stray `%`. */
const rawPath = (s: string): string =>
  s.replace(/[^\x21-\x7e]/gu, (c) => [...Buffer.from(c, 'utf8')].map((b) => `%${b.toString(16).toUpperCase().padStart(2, '0')}`).join(''));

// Real identifiers are drawn at generation time through indexes (the orders exist only after setup).
const realIx = fc.integer({ min: 0, max: 2 });
const realOrderNo = realIx.map((i) => () => real[i]?.orderNo ?? 'x');
const realPayToken = realIx.map((i) => () => real[i]?.payToken ?? 'x');
const lazy = (v: string) => () => v;

const ORDER_NO_CHARS = [...'0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz_-:.^@'];
const validLookingOrderNo = fc
  .array(fc.constantFrom(...ORDER_NO_CHARS), { minLength: 1, maxLength: 50 })
  .map((a) => a.join(''));
const weird = fc.oneof(
  fc.string({ maxLength: 80 }),
  fc.string({ unit: 'grapheme', maxLength: 40 }),
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.constantFrom('', ' ', '%', '%ZZ', '%E0%A4%A', '%00', '%2F..%2F', '../../etc/passwd', '<script>alert(1)</script>', "' OR 1=1 --", '${jndi:ldap://x}', 'null', 'undefined', '0', '-1', '1e309', 'NaN', '\u0000', '\uFEFF', 'ORDER#x', 'a'.repeat(51)),
);
const badOrderNo = fc.oneof(
  weird.filter((v) => !/^[0-9A-Za-z_\-:.^@]{1,50}$/.test(v)).map(lazy),
  fc.tuple(realOrderNo, fc.constantFrom(' ', '/', '!', '#', '%', '"', '?', '\u00e9', 'x'.repeat(50))).map(([o, suf]) => () => `${o()}${suf}`),
  fc.tuple(fc.constantFrom(' ', '/', '*', '\t'), realOrderNo).map(([pre, o]) => () => `${pre}${o()}`),
);

/** A landing's query whose FIRST orderNo is never a real order's (those would be valid requests). */
const landingQuery = fc
  .oneof(
    fc.constant(lazy('')),
    badOrderNo.map((o) => () => `orderNo=${encodeURIComponent(o())}`),
    badOrderNo.map((o) => () => `orderNo=${o()}`), // raw: broken escapes and all
    validLookingOrderNo.map((o) => () => `orderNo=${encodeURIComponent(o)}`), // well-formed, unknown → 404
    fc.tuple(badOrderNo, realOrderNo).map(([b, r]) => () => `orderNo=${encodeURIComponent(b())}&orderNo=${r()}`),
    realOrderNo.map((r) => () => `ORDERNO=${r()}`),
    realOrderNo.map((r) => () => `orderNo[]=${r()}`),
    realOrderNo.map((r) => () => `orderNo=${r()}+`),
    realOrderNo.map((r) => () => `orderNo=%${r()}`),
    realOrderNo.map((r) => () => `order%4Eo=x&orderNo=&orderNo=${r()}`),
    fc.dictionary(fc.string({ maxLength: 12 }), fc.string({ maxLength: 30 }), { maxKeys: 6 }).map((d) => () => new URLSearchParams(d).toString()),
    fc.tuple(fc.integer({ min: 1_000, max: 12_000 }), realOrderNo).map(([n, r]) => () => `orderNo=${'A'.repeat(n)}&orderNo=${r()}`),
    fc.string({ unit: 'binary', maxLength: 200 }).map(lazy),
  )
  .map((q) => () => {
    const raw = q();
    const first = new URLSearchParams(raw).get('orderNo');
    return real.some((r) => r.orderNo === first) ? `${raw}!` : raw;
  });

const jsonish = fc.oneof(
  fc.jsonValue(),
  fc.string(),
  fc.integer(),
  fc.double(),
  fc.boolean(),
  fc.constant(null),
  fc.array(fc.string(), { maxLength: 5 }),
  fc.dictionary(fc.string({ maxLength: 8 }), fc.jsonValue({ maxDepth: 2 }), { maxKeys: 5 }),
);
const fieldValue = (realOne: fc.Arbitrary<() => string>) =>
  fc.oneof(
    { weight: 3, arbitrary: realOne.map((f) => ({ lazy: f })) },
    { weight: 2, arbitrary: jsonish.map((v) => ({ value: v as unknown })) },
    { weight: 1, arbitrary: fc.string({ minLength: 65, maxLength: 400 }).map((v) => ({ value: v as unknown })) },
    { weight: 1, arbitrary: fc.constant({ omit: true }) },
  );
type Field = { lazy: () => string } | { value: unknown } | { omit: true };

/** Callback-shaped objects with at least one field wrong or pointing at an unpaid payment. */
const callbackObject = fc
  .record({
    status: fc.oneof(fc.constantFrom('PAY_COMPLETE', 'PAY_CANCEL', 'REFUND_SUCCESS', '', 'pay_complete').map((v) => ({ value: v as unknown })), jsonish.map((v) => ({ value: v as unknown }))),
    payToken: fieldValue(fc.oneof(realPayToken, fc.string({ minLength: 1, maxLength: 64 }).map(lazy))),
    orderNo: fieldValue(fc.oneof(realOrderNo, validLookingOrderNo.map(lazy))),
    amount: fc.oneof(
      fc.constantFrom(7_000, '7000', '7000.0', '7e3', ' 7000', '07000', 7_000.5, -7_000, 0, 99_999_999_999, '', '１２３').map((v) => ({ value: v as unknown })),
      jsonish.map((v) => ({ value: v as unknown })),
    ),
    extra: fc.dictionary(fc.string({ maxLength: 10 }), fc.jsonValue({ maxDepth: 2 }), { maxKeys: 4 }),
    proto: fc.boolean(),
  })
  .map((r) => () => {
    const out: Record<string, unknown> = { ...r.extra };
    for (const k of ['status', 'payToken', 'orderNo', 'amount'] as const) {
      const f: Field = r[k];
      if ('omit' in f) continue;
      out[k] = 'lazy' in f ? f.lazy() : f.value;
    }
    if (r.proto) out.__proto__ = { status: 'PAY_COMPLETE', amount: 7_000 };
    return out;
  });

const CONTENT_TYPES = [
  'application/json',
  'application/json;charset=UTF-8',
  'application/json; charset=euc-kr',
  'application/x-www-form-urlencoded',
  'application/x-www-form-urlencoded;charset=UTF-8',
  'text/plain',
  'text/html',
  'multipart/form-data; boundary=----x',
  'application/octet-stream',
  'application/xml',
  'image/png',
  'a/b/c;;;=',
  '',
];

const toForm = (o: Record<string, unknown>): string =>
  Object.entries(o)
    .map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(typeof v === 'string' ? v : JSON.stringify(v) ?? '')}`)
    .join('&');

const callbackBody = fc.oneof(
  { weight: 6, arbitrary: callbackObject.map((o) => () => Buffer.from(JSON.stringify(o()))) },
  { weight: 3, arbitrary: callbackObject.map((o) => () => Buffer.from(toForm(o()))) },
  { weight: 1, arbitrary: callbackObject.map((o) => () => Buffer.from(Buffer.from(JSON.stringify(o())).toString('base64'))) },
  { weight: 2, arbitrary: jsonish.map((v) => lazy(JSON.stringify(v) ?? '')).map((f) => () => Buffer.from(f())) },
  { weight: 2, arbitrary: fc.uint8Array({ maxLength: 3_000 }).map((b) => () => Buffer.from(b)) },
  { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 500 }).map((t) => () => Buffer.from(t)) },
  // Invalid UTF-8 inside an otherwise plausible JSON body.
  { weight: 1, arbitrary: realPayToken.map((t) => () => Buffer.concat([Buffer.from(`{"status":"PAY_COMPLETE","payToken":"${t()}","orderNo":"`), Buffer.from([0xc3, 0x28, 0xff]), Buffer.from('","amount":7000}')])) },
  { weight: 1, arbitrary: fc.integer({ min: 1, max: 20_000 }).map((n) => lazy('['.repeat(n) + ']'.repeat(n))).map((f) => () => Buffer.from(f())) },
  { weight: 1, arbitrary: fc.integer({ min: 1, max: 5_000 }).map((n) => lazy('{"a":'.repeat(n) + '1' + '}'.repeat(n))).map((f) => () => Buffer.from(f())) },
  { weight: 1, arbitrary: fc.constantFrom('', ' ', '\n\n', '{}', '[]', 'null', '{"status":', '{"a":1}{"b":2}', '=&=&', '%%%').map((t) => () => Buffer.from(t)) },
  // Oversize: past the callback's 16 KB limit, and (rarely) past API Gateway's 1 MB.
  { weight: 1, arbitrary: fc.integer({ min: 16 * 1024 + 1, max: 200_000 }).map((n) => () => Buffer.from(`{"status":"PAY_COMPLETE","pad":"${'x'.repeat(n)}"}`)) },
  { weight: 1, arbitrary: fc.integer({ min: 0, max: 99 }).map((n) => () => (n === 0 ? Buffer.alloc(1_048_577 + n, 0x61) : Buffer.alloc(20_000 + n, 0x20))) },
);

const extraHeaders = fc.dictionary(
  fc.constantFrom('x-forwarded-for', 'content-encoding', 'x-amz-date', 'cookie', 'user-agent', 'x-request-id', 'accept', 'origin', 'authorization'),
  fc.oneof(fc.constantFrom('gzip', 'br', '127.0.0.1, 10.0.0.1', 'Bearer x', '*/*', 'a=b; c=d', ''), fc.stringMatching(/^[\x20-\x7e]{0,60}$/)),
  { maxKeys: 3 },
);

const WRONG = ['PUT', 'DELETE', 'PATCH', 'OPTIONS', 'HEAD', 'TRACE'];

const fuzzRequest: fc.Arbitrary<() => FuzzRequest> = fc.oneof(
  // The landings (GET), malformed queries, sometimes with a body.
  {
    weight: 30,
    arbitrary: fc
      .tuple(fc.constantFrom('/payments/return', '/payments/cancel'), landingQuery, extraHeaders, fc.option(callbackBody, { freq: 5 }))
      .map(([p, q, h, b]) => () => {
        const query = q();
        return { kind: `landing ${p}`, method: 'GET', path: rawPath(query === '' ? p : `${p}?${query}`), headers: h, ...(b !== null ? { body: b() } : {}) };
      }),
  },
  // The callback (POST), malformed bodies, any content type.
  {
    weight: 50,
    arbitrary: fc
      .tuple(callbackBody, fc.constantFrom(...CONTENT_TYPES), extraHeaders, fc.option(landingQuery, { freq: 4 }))
      .map(([b, ct, h, q]) => () => {
        const query = q?.() ?? '';
        return {
          kind: 'callback',
          method: 'POST',
          path: rawPath(query === '' ? '/payments/callback' : `/payments/callback?${query}`),
          headers: { ...h, ...(ct !== '' ? { 'content-type': ct } : {}) },
          body: b(),
        };
      }),
  },
  // Wrong methods on the public routes, and near-miss paths.
  {
    weight: 10,
    arbitrary: fc
      .tuple(
        fc.constantFrom('/payments/return', '/payments/cancel', '/payments/callback', '/payments/callback/', '/payments//return', '/Payments/return', '/payments/return%00', '/payments/cancel/..', '/payments/callback.json', '/payments/', '/payment/callback'),
        fc.constantFrom(...WRONG, 'GET', 'POST'),
        fc.option(callbackBody, { freq: 3 }),
      )
      .filter(([p, m]) => !((m === 'GET' && (p === '/payments/return' || p === '/payments/cancel')) || (m === 'POST' && p === '/payments/callback')))
      .map(([p, m, b]) => () => ({ kind: `wrong ${m} ${p}`, method: m, path: rawPath(p), headers: {}, ...(b !== null && m !== 'HEAD' ? { body: b() } : {}) })),
  },
  // The merchant routes without a valid token: never past the authorizer.
  {
    weight: 10,
    arbitrary: fc
      .tuple(
        fc.constantFrom('', 'Bearer', 'Bearer ', 'bearer merchant-token', 'Basic dXNlcjpwYXNz', 'Bearer merchant-token-for-tests-012345678', 'Bearer merchant-token-for-tests-0123456789x', `Bearer ${'a'.repeat(5_000)}`),
        fc.constantFrom('POST /payments', 'GET /payments/x', 'GET /payments/return-but-not', 'GET /payments/%2e%2e'),
        callbackBody,
      )
      .map(([auth, route, b]) => () => {
        const [method = 'GET', path = '/'] = route.split(' ');
        return {
          kind: `merchant ${route}`,
          method,
          path,
          headers: { 'content-type': 'application/json', ...(auth !== '' ? { authorization: auth } : {}) },
          ...(method === 'POST' ? { body: b() } : {}),
        };
      }),
  },
);

// ------------------------------------------------------------------------------------ sending

type Outcome = { status: number } | { error: string };

function send(r: FuzzRequest): Promise<Outcome> {
  const u = new URL(s.api);
  return new Promise((resolve) => {
    const req = http.request(
      {
        host: u.hostname,
        port: u.port,
        method: r.method,
        path: r.path,
        agent,
        headers: { ...r.headers, ...(r.body !== undefined ? { 'content-length': String(r.body.length) } : {}) },
        timeout: 30_000,
      },
      (res) => {
        res.resume();
        res.on('end', () => resolve({ status: res.statusCode ?? 0 }));
        res.on('error', (e) => resolve({ error: `response: ${e.message}` }));
      },
    );
    req.on('timeout', () => req.destroy(new Error('no reply within 30 s')));
    req.on('error', (e) => resolve({ error: e.message }));
    req.end(r.body);
  });
}

describe('fuzz: malformed requests on every public route', () => {
  it(`${REQUESTS} requests (seed ${SEED}): only 4xx, no crash, no write`, async () => {
    const known = real.map((r) => r.orderNo);
    const before = await tableSnapshot(s.tableName, known);
    // The orders, and the event log's items for its one event (payment.cancelled): the log's counter,
    // the event's position and the event.
    expect(before.itemCount).toBe(real.length + 3);
    expect(before.items.every((it) => it !== undefined)).toBe(true);
    const tossBefore = await Promise.all(real.map((r) => getPayment(s.sandbox.url, r.payToken)));

    const makers = fc.sample(fuzzRequest, { seed: SEED, numRuns: REQUESTS });
    const bad: string[] = [];
    const byStatus: Record<string, number> = {};
    await mapPool(makers, CONCURRENCY, async (make, i) => {
      const r = make();
      const out = await send(r);
      const key = 'status' in out ? String(out.status) : 'error';
      byStatus[key] = (byStatus[key] ?? 0) + 1;
      if (!('status' in out) || out.status < 400 || out.status >= 500) {
        bad.push(`#${i} ${r.kind} ${r.method} ${r.path.slice(0, 120)} ct=${r.headers['content-type'] ?? '-'} body=${r.body?.length ?? 0}B → ${'status' in out ? out.status : out.error}`);
      }
    });
    expect({ seed: SEED, sent: Object.values(byStatus).reduce((a, n) => a + n, 0), notFourXx: bad.slice(0, 10), count: bad.length }).toEqual({
      seed: SEED,
      sent: REQUESTS,
      notFourXx: [],
      count: 0,
    });
    // Every route was exercised and refused in its own way.
    expect(Object.keys(byStatus).sort()).toEqual(expect.arrayContaining(['400', '401', '403', '404', '409', '413', '422']));

    // No write: the table is exactly as before; Toss's payments untouched.
    expect(await tableSnapshot(s.tableName, known)).toEqual(before);
    const tossAfter = await Promise.all(real.map((r) => getPayment(s.sandbox.url, r.payToken)));
    expect(tossAfter.map((p: SandboxPayment) => [p.payStatus, p.calls.execute ?? 0, p.calls.cancel ?? 0])).toEqual(
      tossBefore.map((p) => [p.payStatus, 0, 0]),
    );

    // And the gateway still serves.
    const orderNo = newOrderNo('after-fuzz');
    const c = await s.createPayment({ orderNo, amount: 1_000, amountTaxFree: 0, productDesc: 'after fuzz' });
    expect(c.status).toBe(201);
    expect((await s.getPayment(orderNo)).json).toMatchObject({ orderNo, status: 'PAY_STANDBY' });
  }, 240_000);
});
