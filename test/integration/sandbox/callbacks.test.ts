/**
 * Contract: resultCallback bodies (V2 JSON, V1 form) against the reference's field list, the
 * moment they are sent, the retry schedule on the sandbox clock, and attempt records/logs.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { advanceClock, approve, callbackBody, listCallbacks, type SandboxControlError } from '../../../local/toss-sandbox/control-client.ts';
import type { CallbackAttempt } from '../../../local/toss-sandbox/control-client.ts';
import { CALLBACK_TIMEOUT_MS, RETRY_OFFSETS_MS } from '../../../local/toss-sandbox/callbacks.ts';
import type { Sandbox } from '../../../local/toss-sandbox/server.ts';
import { CALLBACK_CARD, CALLBACK_COMMON, CALLBACK_TOSS_MONEY } from './fixtures.ts';
import type { Receiver } from './support.ts';
import { create, expectFieldTypes, KEY, KST_RE, start, startReceiver, toss, waitFor } from './support.ts';

let sb: Sandbox;
let rx: Receiver;
beforeAll(async () => {
  sb = await start();
  rx = await startReceiver();
});
afterAll(async () => {
  await sb.close();
  await rx.close();
});
afterEach(() => {
  rx.reply = 200;
  delete rx.onReceive;
});

const autoPay = (version: 'V1' | 'V2', over: Record<string, unknown> = {}) =>
  create(sb, { autoExecute: true, resultCallback: `${rx.url}/toss/callback?tenant=a`, callbackVersion: version, ...over });

const forToken = (payToken: string) => rx.received.filter((r) => r.body.includes(payToken));

async function attempts(payToken: string, n: number, ms = 5_000, on: Sandbox = sb): Promise<CallbackAttempt[]> {
  return waitFor(async () => {
    const a = await listCallbacks(on.url, { payToken });
    return a.length >= n ? a : undefined;
  }, ms);
}

describe('callback bodies', () => {
  it('V2 card: JSON with every reference field, masked card number, sent after the payment is PAY_COMPLETE', async () => {
    const seen: unknown[] = [];
    rx.onReceive = async (r) => {
      const body = JSON.parse(r.body) as { payToken: string };
      seen.push((await toss(sb, '/api/v2/status', { apiKey: KEY, payToken: body.payToken })).body.payStatus);
    };
    const p = await autoPay('V2', { metadata: 'm-1' });
    await approve(sb.url, p.payToken, 'CARD');
    const [got] = await waitFor(() => (forToken(p.payToken).length > 0 ? forToken(p.payToken) : undefined));
    expect(got!.path).toBe('/toss/callback?tenant=a');
    expect(got!.headers['content-type']).toBe('application/json;charset=UTF-8');
    const body = JSON.parse(got!.body) as Record<string, unknown>;
    expectFieldTypes(body, { ...CALLBACK_COMMON, ...CALLBACK_CARD });
    expect(body).toMatchObject({ status: 'PAY_COMPLETE', payToken: p.payToken, orderNo: p.orderNo, payMethod: 'CARD', amount: 1000, paidAmount: 1000, metadata: 'm-1' });
    expect(body.cardNumber).toMatch(/^\d{6}\*+\d*\*$/);
    expect(body.paidTs).toMatch(KST_RE);
    expect(body).not.toHaveProperty('accountNumber');
    expect(got!.body).not.toContain(KEY);
    expect(seen).toEqual(['PAY_COMPLETE']);
    const [a] = await attempts(p.payToken, 1);
    expect(a).toMatchObject({ payToken: p.payToken, orderNo: p.orderNo, attempt: 1, status: 200, ok: true, error: null, version: 'V2' });
    expect(a!.url).toBe(`${rx.url}/toss/callback?tenant=a`);
    expect(a!.at).toMatch(KST_RE);
  });

  it('the control API returns the exact V2 body it delivers, and refuses it for an unpaid payment', async () => {
    const p = await autoPay('V2');
    await expect(callbackBody(sb.url, p.payToken)).rejects.toMatchObject({ status: 409, code: 'NOT_PAID' } satisfies Partial<SandboxControlError>);
    await approve(sb.url, p.payToken, 'TOSS_MONEY');
    const [got] = await waitFor(() => (forToken(p.payToken).length > 0 ? forToken(p.payToken) : undefined));
    expect(await callbackBody(sb.url, p.payToken)).toEqual(JSON.parse(got!.body));
  });

  it('V2 토스머니: account fields (masked) instead of card fields', async () => {
    const p = await autoPay('V2');
    await approve(sb.url, p.payToken, 'TOSS_MONEY');
    const [got] = await waitFor(() => (forToken(p.payToken).length > 0 ? forToken(p.payToken) : undefined));
    const body = JSON.parse(got!.body) as Record<string, unknown>;
    expectFieldTypes(body, { ...CALLBACK_COMMON, ...CALLBACK_TOSS_MONEY });
    expect(body.payMethod).toBe('TOSS_MONEY');
    expect(body.accountNumber).toMatch(/\*/);
    expect(body).not.toHaveProperty('cardNumber');
  });

  it('V1 (the default): the same fields as form parameters', async () => {
    const p = await autoPay('V1', { callbackVersion: undefined });
    await approve(sb.url, p.payToken, 'CARD');
    const [got] = await waitFor(() => (forToken(p.payToken).length > 0 ? forToken(p.payToken) : undefined));
    expect(got!.headers['content-type']).toMatch(/^application\/x-www-form-urlencoded/);
    const form = new URLSearchParams(got!.body);
    expect(Object.keys({ ...CALLBACK_COMMON, ...CALLBACK_CARD }).filter((k) => !form.has(k))).toEqual([]);
    expect(form.get('status')).toBe('PAY_COMPLETE');
    expect(form.get('amount')).toBe('1000');
    expect(form.get('orderNo')).toBe(p.orderNo);
  });

  it('a payment completed by execute is called back too; none without resultCallback', async () => {
    const p = await create(sb, { autoExecute: false, resultCallback: `${rx.url}/cb`, callbackVersion: 'V2' });
    await approve(sb.url, p.payToken, 'CARD');
    await new Promise((r) => setTimeout(r, 100));
    expect(forToken(p.payToken)).toHaveLength(0); // PAY_APPROVED is not called back
    await toss(sb, '/api/v2/execute', { apiKey: KEY, payToken: p.payToken });
    await waitFor(() => forToken(p.payToken).length === 1);

    const q = await create(sb, { autoExecute: false });
    await approve(sb.url, q.payToken, 'CARD');
    await toss(sb, '/api/v2/execute', { apiKey: KEY, payToken: q.payToken });
    await new Promise((r) => setTimeout(r, 100));
    expect(await listCallbacks(sb.url, { payToken: q.payToken })).toHaveLength(0);
  });
});

describe('retries', () => {
  it('a failing merchant gets 4 retries at +30 s, +2 min, +5 min, +10 min on the sandbox clock, then no more', async () => {
    const own = await start();
    try {
      rx.reply = 500;
      const p = await create(own, { autoExecute: true, resultCallback: `${rx.url}/cb`, callbackVersion: 'V2' });
      await approve(own.url, p.payToken, 'CARD');
      const list = () => listCallbacks(own.url, { payToken: p.payToken });
      await waitFor(async () => (await list()).length === 1);

      await advanceClock(own.url, 29);
      await new Promise((r) => setTimeout(r, 150));
      expect(await list()).toHaveLength(1);

      const expected = [30, 120, 300, 600];
      let elapsed = 29;
      for (const [i, at] of expected.entries()) {
        await advanceClock(own.url, at - elapsed);
        elapsed = at;
        await waitFor(async () => (await list()).length === i + 2);
      }
      await advanceClock(own.url, 3600);
      await new Promise((r) => setTimeout(r, 150));
      const all = await list();
      expect(all.map((a) => a.attempt)).toEqual([1, 2, 3, 4, 5]);
      expect(all.every((a) => a.status === 500 && !a.ok && a.error === 'HTTP 500')).toBe(true);
      const first = all[0]!.atMs;
      const offsets = all.map((a) => Math.round((a.atMs - first) / 1000));
      for (const [i, want] of [0, ...expected].entries()) expect(Math.abs(offsets[i]! - want)).toBeLessThanOrEqual(1);
      expect(RETRY_OFFSETS_MS).toEqual([30_000, 120_000, 300_000, 600_000]);
    } finally {
      await own.close();
    }
  });

  it('retries stop at the first 2xx', async () => {
    rx.reply = 503;
    const p = await autoPay('V2');
    await approve(sb.url, p.payToken, 'CARD');
    await attempts(p.payToken, 1);
    rx.reply = 200;
    await advanceClock(sb.url, 30);
    const a = await attempts(p.payToken, 2);
    expect(a.map((x) => [x.attempt, x.status, x.ok])).toEqual([
      [1, 503, false],
      [2, 200, true],
    ]);
    await advanceClock(sb.url, 700);
    await new Promise((r) => setTimeout(r, 150));
    expect(await listCallbacks(sb.url, { payToken: p.payToken })).toHaveLength(2);
  });

  it('an unreachable merchant is a failure with the network error recorded', async () => {
    const p = await create(sb, { autoExecute: true, resultCallback: 'http://127.0.0.1:9/cb' });
    await approve(sb.url, p.payToken, 'CARD');
    const [a] = await attempts(p.payToken, 1);
    expect(a).toMatchObject({ status: null, ok: false });
    expect(a!.error).toMatch(/ECONNREFUSED|connect/);
  });

  it('no reply within the callback timeout (real time: 10 s by default, as Toss) is a failure, then retried', async () => {
    expect(CALLBACK_TIMEOUT_MS).toBe(10_000);
    // The sandbox's setting (SandboxOptions.callbackTimeoutMs), shortened: the test waits it out.
    const timeoutMs = 1_000;
    const own = await start({ callbackTimeoutMs: timeoutMs });
    try {
      rx.reply = 0;
      const p = await create(own, { autoExecute: true, resultCallback: `${rx.url}/toss/callback?tenant=a`, callbackVersion: 'V2' });
      const t0 = Date.now();
      await approve(own.url, p.payToken, 'CARD');
      const [a] = await attempts(p.payToken, 1, timeoutMs + 4_000, own);
      expect(Date.now() - t0).toBeGreaterThanOrEqual(timeoutMs);
      expect(a).toMatchObject({ attempt: 1, status: null, ok: false, error: `no reply within ${timeoutMs} ms` });
      expect(a!.durationMs).toBeGreaterThanOrEqual(timeoutMs - 100);
      rx.reply = 200;
      await advanceClock(own.url, 30);
      const all = await attempts(p.payToken, 2, 5_000, own);
      expect(all[1]).toMatchObject({ attempt: 2, status: 200, ok: true });
    } finally {
      await own.close();
    }
  });
});

describe('attempt log', () => {
  it('logs each attempt as one JSON line without the apiKey or the URL query, unless quiet', async () => {
    const logged: string[] = [];
    const spy = vi.spyOn(console, 'log').mockImplementation((line: unknown) => void logged.push(String(line)));
    const loud = await start({ quiet: false });
    try {
      const p = await create(loud, { autoExecute: true, resultCallback: `${rx.url}/cb?secret=shh`, callbackVersion: 'V2' });
      await approve(loud.url, p.payToken, 'CARD');
      const line = await waitFor(() => logged.find((l) => l.includes(p.payToken)));
      const entry = JSON.parse(line) as Record<string, unknown>;
      expect(entry).toMatchObject({ event: 'sandbox.callback', payToken: p.payToken, attempt: 1, status: 200, url: `${rx.url}/cb` });
      expect(line).not.toContain(KEY);
      expect(line).not.toContain('shh');
    } finally {
      spy.mockRestore();
      await loud.close();
    }
  });

  it('GET /sandbox/callbacks filters by payToken and orderNo', async () => {
    const a = await autoPay('V2');
    const b = await autoPay('V2');
    await approve(sb.url, a.payToken, 'CARD');
    await approve(sb.url, b.payToken, 'CARD');
    await attempts(a.payToken, 1);
    await attempts(b.payToken, 1);
    const byOrder = await listCallbacks(sb.url, { orderNo: b.orderNo });
    expect(byOrder.map((x) => x.payToken)).toEqual([b.payToken]);
    const all = await listCallbacks(sb.url);
    expect(all.map((x) => x.payToken)).toEqual(expect.arrayContaining([a.payToken, b.payToken]));
  });
});
