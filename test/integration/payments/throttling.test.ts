/**
 * Throttling, both ways. Toss answering 429 (or an errorCode meaning "try later") is transient
 * everywhere: nothing is refused, nothing is flagged, no security event. And anonymous landings
 * cannot be used to flood Toss: per order, at most one status call every couple of seconds.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { approve, callbackBody, clearFaults, getPayment, setFault } from '../../../local/toss-sandbox/control-client.ts';
import { newOrderNo, PAYMENTS_ALONE, startStack, type Stack } from '../../support/stack.ts';

let s: Stack;
beforeAll(async () => {
  // The landing window of production (shared/config.ts): the flood bound below (200 hits, at most
  // 20 status calls) counts windows of that length while the hits are answered.
  s = await startStack({ LANDING_CHECK_INTERVAL_MS: '2000' }, PAYMENTS_ALONE);
});
afterAll(() => s.stop());

const throttle = (payToken: string, target: 'status' | 'execute', times = 3) =>
  setFault(s.sandbox.url, { target, kind: 'error', errorCode: 'TOO_MANY_REQUESTS', status: 429, payToken, times });

/** The function log lines written while `fn` runs. */
async function logsOf<T>(fn: () => Promise<T>): Promise<{ value: T; lines: Record<string, unknown>[] }> {
  const lines: string[] = [];
  const original = process.stdout.write.bind(process.stdout);
  process.stdout.write = ((chunk: unknown, ...rest: unknown[]) => {
    lines.push(String(chunk));
    return (original as (...a: unknown[]) => boolean)(chunk, ...rest);
  }) as typeof process.stdout.write;
  try {
    const value = await fn();
    return { value, lines: lines.join('').split('\n').filter((l) => l.startsWith('{"level"')).map((l) => JSON.parse(l) as Record<string, unknown>) };
  } finally {
    process.stdout.write = original;
  }
}

async function created(extra: Record<string, unknown> = {}): Promise<{ orderNo: string; payToken: string }> {
  const orderNo = newOrderNo('th');
  await setFault(s.sandbox.url, { target: 'callback', kind: 'drop', orderNo });
  const c = await s.createPayment({ orderNo, amount: 6_000, amountTaxFree: 0, productDesc: '스로틀', ...extra });
  expect(c.status).toBe(201);
  return { orderNo, payToken: String(c.json.payToken) };
}

describe('Toss answers 429', () => {
  it('the callback answers 503 (so that Toss retries), with no security event; the retry is accepted', async () => {
    const a = await created();
    await approve(s.sandbox.url, a.payToken, 'CARD');
    const cb = await callbackBody(s.sandbox.url, a.payToken);
    await throttle(a.payToken, 'status');
    const { value: r, lines } = await logsOf(() =>
      s.request('/payments/callback', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(cb) }),
    );
    expect(r.status).toBe(503);
    expect(lines.filter((l) => l.securityEvent !== undefined)).toEqual([]);
    expect((await s.readOrder(a.orderNo))?.attention).toBeUndefined();
    await clearFaults(s.sandbox.url);
    const again = await s.request('/payments/callback', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(cb) });
    expect(again.status).toBe(200);
  });

  it('a landing shows the pending page (which reloads itself), with no security event', async () => {
    const a = await created();
    const { redirect } = await approve(s.sandbox.url, a.payToken, 'CARD');
    await throttle(a.payToken, 'status');
    const { value: page, lines } = await logsOf(() => s.visit(redirect));
    expect(page.text).toContain('결제 확인 중');
    expect(page.text).toContain('http-equiv="refresh"');
    expect(lines.filter((l) => l.securityEvent !== undefined)).toEqual([]);
    await clearFaults(s.sandbox.url);
  });

  it('an execute answered 429 is not a failure: the order stays EXECUTING and a later reload executes it', async () => {
    const a = await created({ autoExecute: false });
    const { redirect } = await approve(s.sandbox.url, a.payToken, 'TOSS_MONEY');
    await throttle(a.payToken, 'execute', 1);
    const first = await s.visit(redirect);
    expect(first.text).toContain('결제 확인 중');
    const o = await s.readOrder(a.orderNo);
    expect(o?.status).toBe('EXECUTING');
    expect(o?.failure).toBeUndefined();
    // The pending page reloads itself; once the landing window has passed, Toss is asked again.
    await new Promise((r) => setTimeout(r, s.timings.LANDING_CHECK_INTERVAL_MS));
    const reload = await s.visit(redirect);
    expect(reload.text).toContain('결제 완료');
    expect((await getPayment(s.sandbox.url, a.payToken)).calls.execute).toBe(2);
  });
});

describe('landings cannot flood Toss', () => {
  it('200 concurrent hits on one unfinished order make at most 20 Toss status calls; every hit gets a page', async () => {
    const a = await created();
    const before = (await getPayment(s.sandbox.url, a.payToken)).calls.status ?? 0;
    const hits = await Promise.all(
      Array.from({ length: 200 }, (_, i) => s.request(`/payments/${i % 2 === 0 ? 'return' : 'cancel'}?orderNo=${a.orderNo}`)),
    );
    expect(hits.every((h) => h.status === 200 && h.text.includes('결제 확인 중'))).toBe(true);
    const calls = ((await getPayment(s.sandbox.url, a.payToken)).calls.status ?? 0) - before;
    expect(calls).toBeGreaterThanOrEqual(1);
    expect(calls).toBeLessThanOrEqual(20);
  });
});
