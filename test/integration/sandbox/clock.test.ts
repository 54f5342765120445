/**
 * Contract: the sandbox clock drives expiry (default 15 minutes, or expiredTime), moves only
 * forward by the control API, and due work also runs on a real-time tick.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { advanceClock, approve, getClock, getPayment } from '../../../local/toss-sandbox/control-client.ts';
import type { Sandbox } from '../../../local/toss-sandbox/server.ts';
import { kst, parseKst, Clock } from '../../../local/toss-sandbox/clock.ts';
import { create, KEY, KST_RE, merchantKst, start, toss, waitFor } from './support.ts';

let sb: Sandbox;
beforeAll(async () => {
  sb = await start();
});
afterAll(async () => {
  await sb.close();
});

describe('expiry', () => {
  it('PAY_STANDBY and PAY_APPROVED become PAY_CANCEL 15 minutes after creation by default', async () => {
    const s = await create(sb);
    const a = await create(sb);
    await approve(sb.url, a.payToken, 'CARD');
    const rec = await getPayment(sb.url, s.payToken);
    expect(parseKst(rec.expiredTime)! - parseKst(rec.createdTs)!).toBe(15 * 60 * 1000);

    await advanceClock(sb.url, 14 * 60 + 50);
    expect((await getPayment(sb.url, s.payToken)).payStatus).toBe('PAY_STANDBY');
    expect((await getPayment(sb.url, a.payToken)).payStatus).toBe('PAY_APPROVED');

    await advanceClock(sb.url, 15);
    expect(await getPayment(sb.url, s.payToken)).toMatchObject({ payStatus: 'PAY_CANCEL', cancelledBy: 'expiry' });
    expect((await getPayment(sb.url, a.payToken)).payStatus).toBe('PAY_CANCEL');
    expect((await toss(sb, '/api/v2/status', { apiKey: KEY, payToken: s.payToken })).body.payStatus).toBe('PAY_CANCEL');
    await expect(approve(sb.url, s.payToken, 'CARD')).rejects.toMatchObject({ status: 409 });
    expect((await toss(sb, '/api/v2/execute', { apiKey: KEY, payToken: a.payToken })).body.code).toBe(-1);
  });

  it('a paid payment never expires', async () => {
    const p = await create(sb, { autoExecute: true, resultCallback: 'http://127.0.0.1:9/cb' });
    await approve(sb.url, p.payToken, 'CARD');
    await advanceClock(sb.url, 61 * 60);
    expect((await getPayment(sb.url, p.payToken)).payStatus).toBe('PAY_COMPLETE');
  });

  it('expiredTime given at create (in the merchant`s own time) is when the payment expires, on the moved clock too', async () => {
    const expiredTime = merchantKst(5 * 60);
    const p = await create(sb, { expiredTime });
    const { offsetSeconds } = await getClock(sb.url);
    expect((await getPayment(sb.url, p.payToken)).expiredTime).toBe(kst(parseKst(expiredTime)! + offsetSeconds * 1000));
    await advanceClock(sb.url, 4 * 60);
    expect((await getPayment(sb.url, p.payToken)).payStatus).toBe('PAY_STANDBY');
    await advanceClock(sb.url, 61);
    expect((await getPayment(sb.url, p.payToken)).payStatus).toBe('PAY_CANCEL');
  });

  it('a clock moved on does not break new payments (the merchant`s expiredTime is its own time)', async () => {
    await advanceClock(sb.url, 960);
    const p = await create(sb, { expiredTime: merchantKst(15 * 60) });
    expect((await getPayment(sb.url, p.payToken)).payStatus).toBe('PAY_STANDBY');
    await advanceClock(sb.url, 15 * 60 + 1);
    expect((await getPayment(sb.url, p.payToken)).payStatus).toBe('PAY_CANCEL');
  });

  it('due work also runs on the real-time tick, without advancing the clock', async () => {
    const own = await start();
    try {
      const p = await create(own, { expiredTime: merchantKst(2) });
      expect((await getClock(own.url)).pendingTasks).toBe(1);
      // GET /sandbox/clock reads no payment, so only the tick can run the expiry task.
      await waitFor(async () => (await getClock(own.url)).pendingTasks === 0, 6_000);
      expect(await getPayment(own.url, p.payToken)).toMatchObject({ payStatus: 'PAY_CANCEL', cancelledBy: 'expiry' });
    } finally {
      await own.close();
    }
  });
});

describe('clock API', () => {
  it('advance moves sandbox time forward and times in replies follow it (Korea local)', async () => {
    const before = await getClock(sb.url);
    const after = await advanceClock(sb.url, 3600);
    expect(after.nowMs - before.nowMs).toBeGreaterThanOrEqual(3600_000);
    expect(after.nowMs - before.nowMs).toBeLessThan(3600_000 + 5_000);
    expect(after.now).toMatch(KST_RE);
    const p = await create(sb);
    const created = parseKst((await getPayment(sb.url, p.payToken)).createdTs)!;
    expect(Math.abs(created - after.nowMs)).toBeLessThan(5_000);
  });

  it('rejects a negative or missing advance', async () => {
    for (const body of ['{"advanceSeconds":-1}', '{}', '{"advanceSeconds":"10"}']) {
      const res = await fetch(`${sb.url}/sandbox/clock`, { method: 'POST', body });
      expect(res.status).toBe(400);
    }
  });
});

describe('clock internals', () => {
  it('kst formats UTC+9 and parseKst inverts it, rejecting impossible dates', () => {
    expect(kst(Date.UTC(2023, 1, 9, 6, 44, 4))).toBe('2023-02-09 15:44:04');
    expect(parseKst('2023-02-09 15:44:04')).toBe(Date.UTC(2023, 1, 9, 6, 44, 4));
    expect(parseKst('2023-02-29 10:00:00')).toBeUndefined();
    expect(parseKst('2023-02-09 24:00:00')).toBeUndefined();
    expect(parseKst('2023-02-09T15:44:04')).toBeUndefined();
  });

  it('runs due tasks in due order, each once, and leaves later ones pending', () => {
    const c = new Clock();
    const ran: number[] = [];
    const t0 = c.now();
    for (const s of [50, 10, 30, 20, 40, 10_000]) c.schedule(t0 + s * 1000, () => ran.push(s));
    c.advance(45_000);
    expect(ran).toEqual([10, 20, 30, 40]);
    c.advance(10_000);
    expect(ran).toEqual([10, 20, 30, 40, 50]);
    expect(c.pending).toBe(1);
  });
});
