/**
 * Contract: settlement (정산) as Toss's pages describe it. Money that moved is paid out to the
 * merchant some time later (the sandbox's setting, default 2 days on its clock) or at once through
 * `POST /sandbox/payments/{payToken}/settle`: PAY_COMPLETE → SETTLEMENT_COMPLETE, a payment with
 * refunds → SETTLEMENT_REFUND_COMPLETE. A settled payment is refunded while a balance remains (a
 * refunded amount comes out of the next settlement), v1 status lists REFUND while it can, and a
 * refund's own settlement moves the payment on.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { advanceClock, approve, getPayment, refundAtToss, SandboxControlError, settleAtToss } from '../../../local/toss-sandbox/control-client.ts';
import { resolveSettleAfterMs, type Sandbox } from '../../../local/toss-sandbox/server.ts';
import { create, expectRefusal, KEY, start, toss } from './support.ts';

const DAY_S = 24 * 3600;

let sb: Sandbox;
beforeAll(async () => {
  sb = await start();
});
afterAll(async () => {
  await sb.close();
});

async function paid(on: Sandbox, over: Record<string, unknown> = {}): Promise<string> {
  const p = await create(on, { amount: 10_000, ...over });
  await approve(on.url, p.payToken, 'CARD');
  expect((await toss(on, '/api/v2/execute', { apiKey: KEY, payToken: p.payToken })).body.code).toBe(0);
  return p.payToken;
}
const statusV1 = async (on: Sandbox, payToken: string) => (await toss(on, '/api/v1/status', { apiKey: KEY, payToken })).body;
const refund = (on: Sandbox, payToken: string, body: Record<string, unknown>) => toss(on, '/api/v2/refunds', { apiKey: KEY, payToken, amountTaxFree: 0, ...body });
const refusal = async (p: Promise<unknown>): Promise<[number, string] | undefined> => {
  try {
    await p;
    return undefined;
  } catch (e) {
    if (e instanceof SandboxControlError) return [e.status, e.code];
    throw e;
  }
};

describe('settlement', () => {
  it('on the sandbox clock: 2 days after payment, then refunds go on and their settlement moves the payment on', async () => {
    // Its own sandbox: moving the clock 2 days settles every payment on it.
    const own = await start();
    try {
      const t = await paid(own);
      await advanceClock(own.url, 2 * DAY_S - 60);
      expect(await statusV1(own, t)).toMatchObject({ payStatus: 'PAY_COMPLETE', availableActions: ['REFUND'] });
      await advanceClock(own.url, 61);
      expect(await statusV1(own, t)).toMatchObject({ payStatus: 'SETTLEMENT_COMPLETE', refundableAmount: 10_000, availableActions: ['REFUND'] });

      const r = await refund(own, t, { amount: 4_000, refundNo: 'after-settlement' });
      expect(r.body).toMatchObject({ code: 0, refundableAmount: 6_000 });
      expect(await statusV1(own, t)).toMatchObject({ payStatus: 'REFUND_SUCCESS', refundableAmount: 6_000, availableActions: ['REFUND'] });
      // The refund is settled (taken from the next settlement) 2 days after it.
      await advanceClock(own.url, 2 * DAY_S + 1);
      expect(await statusV1(own, t)).toMatchObject({ payStatus: 'SETTLEMENT_REFUND_COMPLETE', refundableAmount: 6_000, availableActions: ['REFUND'] });
      // The rest, refunded after that settlement too: then nothing is left to refund.
      expect((await refund(own, t, {})).body).toMatchObject({ code: 0, refundableAmount: 0 });
      expect(await statusV1(own, t)).toMatchObject({ payStatus: 'REFUND_SUCCESS', refundableAmount: 0, availableActions: [] });
      await expectRefusal(refund(own, t, { amount: 1 }), 200, 'REFUND_ALREADY_REFUNDED');
      const tx = (await getPayment(own.url, t)).transactions.map((x) => [x.stepType, x.transactionAmount]);
      expect(tx).toEqual([
        ['PAY', 10_000],
        ['REFUND', -4_000],
        ['REFUND', -6_000],
      ]);
    } finally {
      await own.close();
    }
  });

  it('on demand: SETTLEMENT_COMPLETE, or SETTLEMENT_REFUND_COMPLETE for a payment with refunds; refused when nothing waits', async () => {
    const t = await paid(sb);
    const rec = await settleAtToss(sb.url, t);
    expect(rec).toMatchObject({ payStatus: 'SETTLEMENT_COMPLETE', settleDueTs: null });
    expect(rec.settledTs).toMatch(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/);
    expect(await refusal(settleAtToss(sb.url, t))).toEqual([409, 'ALREADY_SETTLED']);

    const refunded = await paid(sb);
    await refundAtToss(sb.url, refunded, { amount: 1_000 });
    expect(await settleAtToss(sb.url, refunded)).toMatchObject({ payStatus: 'SETTLEMENT_REFUND_COMPLETE', refundableAmount: 9_000 });

    const unpaid = await create(sb);
    expect(await refusal(settleAtToss(sb.url, unpaid.payToken))).toEqual([409, 'NOT_PAID']);
    expect((await getPayment(sb.url, unpaid.payToken)).payStatus).toBe('PAY_STANDBY');
    expect(await refusal(settleAtToss(sb.url, 'no-such-token'))).toEqual([404, 'TRANSACTION_NOT_FOUND']);
  });

  it('the delay is a setting: the option, or TOSS_SANDBOX_SETTLE_AFTER_SECONDS', async () => {
    expect(resolveSettleAfterMs(undefined, undefined)).toBe(2 * DAY_S * 1000);
    expect(resolveSettleAfterMs(undefined, '90')).toBe(90_000);
    expect(resolveSettleAfterMs(5_000, '90')).toBe(5_000);
    expect(() => resolveSettleAfterMs(undefined, 'soon')).toThrow(/TOSS_SANDBOX_SETTLE_AFTER_SECONDS/);
    const fast = await start({ settleAfterMs: 60_000 });
    try {
      expect(await (await fetch(`${fast.url}/sandbox/health`)).json()).toMatchObject({ settleAfterSeconds: 60 });
      const t = await paid(fast);
      await advanceClock(fast.url, 59);
      expect((await getPayment(fast.url, t)).payStatus).toBe('PAY_COMPLETE');
      await advanceClock(fast.url, 2);
      expect((await getPayment(fast.url, t)).payStatus).toBe('SETTLEMENT_COMPLETE');
    } finally {
      await fast.close();
    }
  });

  it('a settled payment with tax parts is refunded naming its parts, never more than is left of one', async () => {
    const t = await paid(sb, { amount: 11_000, amountTaxFree: 1_000, amountTaxable: 9_091, amountVat: 909, amountServiceFee: 0 });
    await settleAtToss(sb.url, t);
    await expectRefusal(refund(sb, t, { amount: 2_000, amountTaxFree: 2_000, amountTaxable: 0, amountVat: 0, amountServiceFee: 0 }), 200, 'COMMON_REFUND_ERROR');
    await expectRefusal(refund(sb, t, { amount: 2_000 }), 400, 'COMMON_INVALID_PARAMETER');
    expect((await refund(sb, t, { amount: 1_000, amountTaxFree: 1_000 })).body).toMatchObject({ code: 0, amountTaxFree: 1_000, amountTaxable: 0, amountVat: 0 });
    expect((await getPayment(sb.url, t)).remainingParts).toEqual({ amountTaxFree: 0, amountTaxable: 9_091, amountVat: 909, amountServiceFee: 0 });
  });
});
