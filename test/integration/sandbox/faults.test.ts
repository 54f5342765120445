/**
 * Contract: every fault kind of the control API - API latency, HTTP 5xx, code -1 errors, hangs,
 * lost replies; callback drop, fail, duplicate, delay - with targeting and `times`.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { advanceClock, approve, clearFaults, getPayment, listCallbacks, listFaults, setFault } from '../../../local/toss-sandbox/control-client.ts';
import type { Sandbox } from '../../../local/toss-sandbox/server.ts';
import type { Receiver } from './support.ts';
import { create, createBody, expectRefusal, KEY, start, startReceiver, toss, waitFor } from './support.ts';

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
afterEach(async () => {
  await clearFaults(sb.url);
});

async function approved(): Promise<{ payToken: string; orderNo: string }> {
  const p = await create(sb);
  await approve(sb.url, p.payToken, 'CARD');
  return p;
}

async function paid(): Promise<{ payToken: string; orderNo: string }> {
  const p = await approved();
  expect((await toss(sb, '/api/v2/execute', { apiKey: KEY, payToken: p.payToken })).body.code).toBe(0);
  return p;
}

/** A POST whose reply never comes or is cut: resolves to the error. */
async function failing(path: string, body: Record<string, unknown>, timeoutMs = 1_000): Promise<Error> {
  try {
    const r = await fetch(`${sb.url}${path}`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify(body),
      signal: AbortSignal.timeout(timeoutMs),
    });
    throw new Error(`expected no reply, got HTTP ${r.status}`);
  } catch (e) {
    if (e instanceof Error && e.message.startsWith('expected no reply')) throw e;
    return e as Error;
  }
}

describe('API faults', () => {
  it('latency delays one endpoint, only for the targeted payToken', async () => {
    const a = await create(sb);
    const b = await create(sb);
    await setFault(sb.url, { target: 'status', kind: 'latency', ms: 400, payToken: a.payToken });
    let t = Date.now();
    expect((await toss(sb, '/api/v2/status', { apiKey: KEY, payToken: a.payToken })).body.code).toBe(0);
    expect(Date.now() - t).toBeGreaterThanOrEqual(390);
    t = Date.now();
    await toss(sb, '/api/v2/status', { apiKey: KEY, payToken: b.payToken });
    expect(Date.now() - t).toBeLessThan(300);
  });

  it('execute latency is the bank leg: PAY_PROGRESS meanwhile, other executes refused, then PAY_COMPLETE', async () => {
    const p = await approved();
    await setFault(sb.url, { target: 'execute', kind: 'latency', ms: 500, orderNo: p.orderNo, times: 1 });
    const slow = toss(sb, '/api/v2/execute', { apiKey: KEY, payToken: p.payToken });
    await waitFor(async () => (await getPayment(sb.url, p.payToken)).payStatus === 'PAY_PROGRESS');
    const st = await toss(sb, '/api/v2/status', { apiKey: KEY, payToken: p.payToken });
    expect(st.body.payStatus).toBe('PAY_PROGRESS');
    await expectRefusal(toss(sb, '/api/v2/execute', { apiKey: KEY, payToken: p.payToken }), 200, 'TRANSACTION_PENDING_ERROR');
    expect((await slow).body.code).toBe(0);
    expect((await getPayment(sb.url, p.payToken)).payStatus).toBe('PAY_COMPLETE');
  });

  it('refund latency shows REFUND_PROGRESS meanwhile', async () => {
    const p = await paid();
    await setFault(sb.url, { target: 'refunds', kind: 'latency', ms: 400 });
    const slow = toss(sb, '/api/v2/refunds', { apiKey: KEY, payToken: p.payToken, amount: 100, amountTaxFree: 0 });
    await waitFor(async () => (await getPayment(sb.url, p.payToken)).payStatus === 'REFUND_PROGRESS');
    expect((await slow).body).toMatchObject({ code: 0, refundableAmount: 900 });
    expect((await getPayment(sb.url, p.payToken)).payStatus).toBe('REFUND_SUCCESS');
  });

  it.each([502, 503])('http5xx %i: that status, a code -1 body, nothing changed', async (status) => {
    const p = await approved();
    await setFault(sb.url, { target: 'execute', kind: 'http5xx', status, payToken: p.payToken });
    await expectRefusal(toss(sb, '/api/v2/execute', { apiKey: KEY, payToken: p.payToken }), status, 'COMMON_SYSTEM_ERROR');
    expect((await getPayment(sb.url, p.payToken)).payStatus).toBe('PAY_APPROVED');
  });

  it('http5xx defaults to 500 and can hit create', async () => {
    await setFault(sb.url, { target: 'payments', kind: 'http5xx', times: 1 });
    const body = createBody();
    await expectRefusal(toss(sb, '/api/v2/payments', body), 500, 'COMMON_SYSTEM_ERROR');
    await expectRefusal(toss(sb, '/api/v2/status', { apiKey: KEY, orderNo: body.orderNo }), 404, 'TRANSACTION_NOT_FOUND');
  });

  it('error: code -1 with the chosen errorCode and msg (HTTP 200 unless told), nothing changed', async () => {
    const p = await approved();
    await setFault(sb.url, { target: 'execute', kind: 'error', errorCode: 'COMMON_NOT_ENOUGH_CASH', msg: '잔액 부족', times: 1 });
    const r = await expectRefusal(toss(sb, '/api/v2/execute', { apiKey: KEY, payToken: p.payToken }), 200, 'COMMON_NOT_ENOUGH_CASH');
    expect(r.body.msg).toBe('잔액 부족');
    expect((await getPayment(sb.url, p.payToken)).payStatus).toBe('PAY_APPROVED');
    await setFault(sb.url, { target: 'cancel', kind: 'error', errorCode: 'COMMON_BREAK_TIME_OF_BANK', status: 400 });
    await expectRefusal(toss(sb, '/api/v1/cancel', { apiKey: KEY, payToken: p.payToken }), 400, 'COMMON_BREAK_TIME_OF_BANK');
    // `times: 1` is used up: the next execute succeeds.
    expect((await toss(sb, '/api/v2/execute', { apiKey: KEY, payToken: p.payToken })).body.code).toBe(0);
  });

  it('error with status 429 is Toss throttling: HTTP 429, a code -1 body and Retry-After, for `times` calls', async () => {
    const p = await approved();
    await setFault(sb.url, { target: 'status', kind: 'error', errorCode: 'TOO_MANY_REQUESTS', status: 429, times: 3 });
    const status = () =>
      fetch(`${sb.url}/api/v2/status`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ apiKey: KEY, payToken: p.payToken }),
      });
    for (let i = 0; i < 3; i++) {
      const r = await status();
      expect(r.status).toBe(429);
      expect(r.headers.get('retry-after')).toBe('1');
      expect(r.headers.get('content-type')).toBe('application/json;charset=UTF-8');
      expect(await r.json()).toEqual({ code: -1, errorCode: 'TOO_MANY_REQUESTS', msg: expect.any(String) });
    }
    // Used up: the next call is answered, and nothing changed meanwhile.
    const r = await status();
    expect(r.status).toBe(200);
    expect(r.headers.get('retry-after')).toBeNull();
    expect(await r.json()).toMatchObject({ code: 0, payStatus: 'PAY_APPROVED' });
    expect(await listFaults(sb.url)).toEqual([]);
    // Other statuses carry no Retry-After.
    await setFault(sb.url, { target: 'status', kind: 'error', errorCode: 'COMMON_SYSTEM_ERROR', status: 400, times: 1 });
    expect((await status()).headers.get('retry-after')).toBeNull();
  });

  it('hang: no reply ever, the socket stays open until the client gives up; nothing changed', async () => {
    const p = await approved();
    await setFault(sb.url, { target: 'execute', kind: 'hang', payToken: p.payToken });
    const t = Date.now();
    const e = await failing('/api/v2/execute', { apiKey: KEY, payToken: p.payToken }, 700);
    expect(e.name).toBe('TimeoutError');
    expect(Date.now() - t).toBeGreaterThanOrEqual(650);
    const rec = await getPayment(sb.url, p.payToken);
    expect(rec.payStatus).toBe('PAY_APPROVED');
    expect(rec.calls.execute).toBe(1);
  });

  it('lose-reply on execute: paid, but the client gets no reply', async () => {
    const p = await approved();
    await setFault(sb.url, { target: 'execute', kind: 'lose-reply', payToken: p.payToken, times: 1 });
    const e = await failing('/api/v2/execute', { apiKey: KEY, payToken: p.payToken });
    expect(e.name).not.toBe('TimeoutError');
    const st = await toss(sb, '/api/v2/status', { apiKey: KEY, payToken: p.payToken });
    expect(st.body.payStatus).toBe('PAY_COMPLETE');
  });

  it('lose-reply on cancel: cancelled, no reply', async () => {
    const p = await create(sb);
    await setFault(sb.url, { target: 'cancel', kind: 'lose-reply' });
    await failing('/api/v1/cancel', { apiKey: KEY, payToken: p.payToken });
    expect((await getPayment(sb.url, p.payToken)).payStatus).toBe('PAY_CANCEL');
  });

  it('lose-reply on refunds: refunded, no reply; the retry with the same refundNo gets the success', async () => {
    const p = await paid();
    await setFault(sb.url, { target: 'refunds', kind: 'lose-reply', times: 1 });
    const req = { apiKey: KEY, payToken: p.payToken, refundNo: 'lost-1', amount: 300, amountTaxFree: 0 };
    await failing('/api/v2/refunds', req);
    expect((await getPayment(sb.url, p.payToken)).refundableAmount).toBe(700);
    const again = await toss(sb, '/api/v2/refunds', req);
    expect(again.body).toMatchObject({ code: 0, refundNo: 'lost-1', refundableAmount: 700 });
    expect((await getPayment(sb.url, p.payToken)).refundableAmount).toBe(700);
  });

  it('lose-reply on payments: created, no reply', async () => {
    await setFault(sb.url, { target: 'payments', kind: 'lose-reply', times: 1 });
    const body = createBody();
    await failing('/api/v2/payments', body);
    expect((await toss(sb, '/api/v2/status', { apiKey: KEY, orderNo: body.orderNo })).body.payStatus).toBe('PAY_STANDBY');
  });

  it('times limits a fault to the next n matching calls; several faults can be active; DELETE clears', async () => {
    const p = await create(sb);
    const q = await create(sb);
    await setFault(sb.url, [
      { target: 'status', kind: 'http5xx', times: 2, payToken: p.payToken },
      { target: 'status', kind: 'error', errorCode: 'COMMON_SYSTEM_ERROR', orderNo: q.orderNo },
    ]);
    expect(await listFaults(sb.url)).toHaveLength(2);
    const st = (t: string) => toss(sb, '/api/v2/status', { apiKey: KEY, payToken: t });
    expect((await st(p.payToken)).status).toBe(500);
    expect((await st(p.payToken)).status).toBe(500);
    expect((await st(p.payToken)).body.code).toBe(0);
    expect((await st(q.payToken)).body.code).toBe(-1);
    expect(await listFaults(sb.url)).toHaveLength(1);
    await clearFaults(sb.url);
    expect((await st(q.payToken)).body.code).toBe(0);
  });

  it('rejects malformed faults', async () => {
    for (const f of [
      { target: 'status', kind: 'drop' },
      { target: 'callback', kind: 'hang' },
      { target: 'status', kind: 'latency' },
      { target: 'execute', kind: 'error' },
      { target: 'execute', kind: 'http5xx', status: 404 },
      { target: 'nowhere', kind: 'hang' },
    ]) {
      await expect(setFault(sb.url, f as never)).rejects.toMatchObject({ status: 400 });
    }
  });
});

describe('callback faults', () => {
  const autoPay = () => create(sb, { autoExecute: true, resultCallback: `${rx.url}/cb`, callbackVersion: 'V2' });
  const received = (t: string) => rx.received.filter((r) => r.body.includes(t));

  it('drop: nothing is sent and nothing is retried', async () => {
    const p = await autoPay();
    await setFault(sb.url, { target: 'callback', kind: 'drop', payToken: p.payToken });
    await approve(sb.url, p.payToken, 'CARD');
    const [a] = await waitFor(async () => {
      const l = await listCallbacks(sb.url, { payToken: p.payToken });
      return l.length > 0 ? l : undefined;
    });
    expect(a).toMatchObject({ attempt: 1, ok: false, status: null, fault: 'drop' });
    await advanceClock(sb.url, 11 * 60);
    await new Promise((r) => setTimeout(r, 150));
    expect(received(p.payToken)).toHaveLength(0);
    expect(await listCallbacks(sb.url, { payToken: p.payToken })).toHaveLength(1);
  });

  it('fail n times: the first n attempts fail, the schedule goes on and a later one is delivered', async () => {
    const p = await autoPay();
    await setFault(sb.url, { target: 'callback', kind: 'fail', orderNo: p.orderNo, times: 2 });
    await approve(sb.url, p.payToken, 'CARD');
    const list = () => listCallbacks(sb.url, { payToken: p.payToken });
    await waitFor(async () => (await list()).length === 1);
    await advanceClock(sb.url, 30);
    await waitFor(async () => (await list()).length === 2);
    expect(received(p.payToken)).toHaveLength(0);
    await advanceClock(sb.url, 90);
    await waitFor(async () => (await list()).length === 3);
    const all = await list();
    expect(all.map((a) => [a.attempt, a.ok, a.fault])).toEqual([
      [1, false, 'fail'],
      [2, false, 'fail'],
      [3, true, null],
    ]);
    expect(received(p.payToken)).toHaveLength(1);
  });

  it('duplicate: the same callback arrives twice', async () => {
    const p = await autoPay();
    await setFault(sb.url, { target: 'callback', kind: 'duplicate', payToken: p.payToken });
    await approve(sb.url, p.payToken, 'CARD');
    const got = await waitFor(() => (received(p.payToken).length === 2 ? received(p.payToken) : undefined));
    expect(got[0]!.body).toBe(got[1]!.body);
    const attempts = await waitFor(async () => {
      const l = await listCallbacks(sb.url, { payToken: p.payToken });
      return l.length === 2 ? l : undefined;
    });
    expect(attempts.every((a) => a.attempt === 1 && a.ok && a.fault === 'duplicate')).toBe(true);
  });

  it('delay: the callback arrives later than the redirect', async () => {
    const p = await autoPay();
    await setFault(sb.url, { target: 'callback', kind: 'delay', ms: 600, payToken: p.payToken });
    const t = Date.now();
    await approve(sb.url, p.payToken, 'CARD');
    expect(received(p.payToken)).toHaveLength(0);
    await waitFor(() => received(p.payToken).length === 1);
    expect(Date.now() - t).toBeGreaterThanOrEqual(590);
  });
});

describe('maxConcurrent: the most calls per API the sandbox ever worked on at once for a payment', () => {
  const call = (path: string, payToken: string, timeoutMs?: number) =>
    fetch(`${sb.url}${path}`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ apiKey: KEY, payToken }),
      ...(timeoutMs !== undefined ? { signal: AbortSignal.timeout(timeoutMs) } : {}),
    }).then(
      (r) => r.status,
      () => 'no reply' as const,
    );

  it('calls one after another: 1 per API; the record has none for an API never called', async () => {
    const p = await approved();
    for (let i = 0; i < 3; i++) await call('/api/v2/status', p.payToken);
    await call('/api/v2/execute', p.payToken);
    const rec = await getPayment(sb.url, p.payToken);
    expect(rec.maxConcurrent).toEqual({ status: 1, execute: 1 });
    expect(rec.calls).toMatchObject({ status: 3, execute: 1 });
  });

  it('calls that overlap (slow replies) count together, per payment', async () => {
    const p = await approved();
    const other = await approved();
    await setFault(sb.url, { target: 'status', kind: 'latency', ms: 300, payToken: p.payToken });
    await Promise.all([...Array.from({ length: 3 }, () => call('/api/v2/status', p.payToken)), call('/api/v2/status', other.payToken)]);
    expect((await getPayment(sb.url, p.payToken)).maxConcurrent).toEqual({ status: 3 });
    expect((await getPayment(sb.url, other.payToken)).maxConcurrent).toEqual({ status: 1 });
  });

  it('a slow execute the client gave up on is in flight until its bank leg is over', async () => {
    const p = await approved();
    await setFault(sb.url, { target: 'execute', kind: 'latency', ms: 600, payToken: p.payToken, times: 1 });
    const first = call('/api/v2/execute', p.payToken, 150);
    expect(await first).toBe('no reply');
    // The client gave up; Toss is still withdrawing: a second execute now overlaps the first.
    expect(await call('/api/v2/execute', p.payToken)).toBe(200);
    await waitFor(async () => (await getPayment(sb.url, p.payToken)).payStatus === 'PAY_COMPLETE');
    const rec = await getPayment(sb.url, p.payToken);
    expect(rec.maxConcurrent).toEqual({ execute: 2 });
    expect(rec.calls.execute).toBe(2);
  });

  it('a hung call is in flight until the client gives up; a call after that does not overlap it', async () => {
    const p = await approved();
    await setFault(sb.url, { target: 'execute', kind: 'hang', payToken: p.payToken, times: 1 });
    expect(await call('/api/v2/execute', p.payToken, 200)).toBe('no reply');
    // The client's connection is closed: the sandbox is done with the hung call.
    await new Promise((r) => setTimeout(r, 100));
    expect(await call('/api/v2/execute', p.payToken)).toBe(200);
    expect((await getPayment(sb.url, p.payToken)).maxConcurrent).toEqual({ execute: 1 });

    const q = await approved();
    await setFault(sb.url, { target: 'execute', kind: 'hang', payToken: q.payToken, times: 1 });
    const hung = call('/api/v2/execute', q.payToken, 400);
    await waitFor(async () => (await getPayment(sb.url, q.payToken)).calls.execute === 1);
    expect(await call('/api/v2/execute', q.payToken)).toBe(200);
    expect(await hung).toBe('no reply');
    expect((await getPayment(sb.url, q.payToken)).maxConcurrent).toEqual({ execute: 2 });
  });
});
