/**
 * The same create request again ends in a payable order or a clear error, whatever the earlier
 * attempt ran into: Toss failed (502), refused (422), did not answer (504), asked to try later
 * (503), or the reconciler found the payment before the merchant retried. "Payable" is checked
 * on the sandbox's checkout page itself: the checkoutPage of every 2xx opens with a pay button.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { clearFaults, getPayment, setFault } from '../../../local/toss-sandbox/control-client.ts';
import { reservedOrderNos } from '../../../shared/routes.ts';
import { MINUTE, pass, reconcileDeps, type TestDeps } from '../reconciler/support.ts';
import { eventually, newOrderNo, payable, PAYMENTS_ALONE, startStack, type HttpReply, type Stack } from '../../support/stack.ts';
import { testDocumentClient } from '../../support/dynamo.ts';

const TOSS_TIMEOUT_MS = 1_000;
let s: Stack;
let deps: TestDeps;
beforeAll(async () => {
  s = await startStack({ TOSS_TIMEOUT_MS: String(TOSS_TIMEOUT_MS) }, PAYMENTS_ALONE);
  const client = testDocumentClient();
  deps = reconcileDeps({ client, tableName: s.tableName, sandboxUrl: s.sandbox.url, offsetMs: 30 * MINUTE });
});
afterAll(async () => {
  deps.client.destroy();
  await s.stop();
});

const body = (extra: Record<string, unknown> = {}) => ({ orderNo: newOrderNo('cr'), amount: 12_000, amountTaxFree: 0, productDesc: '재시도 주문', ...extra });
const errorCode = (r: HttpReply) => (r.json.error as { code?: string } | undefined)?.code;


/** Retries `b` until it is no longer answered 409 CREATE_IN_PROGRESS (an earlier attempt's lease lapsing). */
const retryUntilLeaseLapses = (b: Record<string, unknown>) =>
  eventually(async () => {
    const r = await s.createPayment(b);
    return errorCode(r) === 'CREATE_IN_PROGRESS' ? undefined : r;
  }, TOSS_TIMEOUT_MS + s.timings.CREATE_LEASE_GRACE_MS + 5_000);

describe('create retries', () => {
  it('after 502 (Toss failed, nothing created): the same request creates it and answers 201 with a checkoutPage', async () => {
    const b = body();
    await setFault(s.sandbox.url, { target: 'payments', kind: 'http5xx', orderNo: b.orderNo, times: 1 });
    expect((await s.createPayment(b)).status).toBe(502);
    const again = await s.createPayment(b);
    expect(again.status).toBe(201);
    expect(await payable(again)).toBe(true);
    expect((await s.readOrder(b.orderNo))?.status).toBe('PAY_STANDBY');
  });

  it('after 422 (Toss refused): the same request answers the same 422', async () => {
    const b = body();
    await setFault(s.sandbox.url, { target: 'payments', kind: 'error', errorCode: 'COMMON_INVALID_PARAMETER', msg: '거절', orderNo: b.orderNo, times: 1 });
    const first = await s.createPayment(b);
    expect(first.status).toBe(422);
    const again = await s.createPayment(b);
    expect(again.status).toBe(422);
    expect(again.json.error).toEqual(first.json.error);
  });

  it('Toss asks to try later (429 or a transient errorCode): 503 TOSS_BUSY with Retry-After, then the same request creates it', async () => {
    const b = body();
    await setFault(s.sandbox.url, { target: 'payments', kind: 'error', errorCode: 'TOO_MANY_REQUESTS', status: 429, orderNo: b.orderNo, times: 1 });
    const busy = await s.createPayment(b);
    expect(busy.status).toBe(503);
    expect(errorCode(busy)).toBe('TOSS_BUSY');
    expect(Number(busy.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    const b2 = body();
    await setFault(s.sandbox.url, { target: 'payments', kind: 'error', errorCode: 'COMMON_BREAK_TIME_OF_BANK', orderNo: b2.orderNo, times: 1 });
    expect(errorCode(await s.createPayment(b2))).toBe('TOSS_BUSY');
    for (const x of [b, b2]) {
      const again = await s.createPayment(x);
      expect(again.status).toBe(201);
      expect(await payable(again)).toBe(true);
    }
  });

  it('after 504 with nothing created (Toss hung): CREATE_IN_PROGRESS while the call may still run, then Toss is asked and it is created (201)', async () => {
    const b = body();
    await setFault(s.sandbox.url, { target: 'payments', kind: 'hang', orderNo: b.orderNo, times: 1 });
    expect((await s.createPayment(b)).status).toBe(504);
    const early = await s.createPayment(b);
    expect(early.status).toBe(409);
    expect(errorCode(early)).toBe('CREATE_IN_PROGRESS');
    expect(Number(early.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    const again = await retryUntilLeaseLapses(b);
    expect(again.status).toBe(201);
    expect(await payable(again)).toBe(true);
  });

  it('after 504 with the payment created but its reply lost: 200 with a new checkoutPage that opens; the lost one is superseded', async () => {
    const b = body();
    await setFault(s.sandbox.url, { target: 'payments', kind: 'lose-reply', orderNo: b.orderNo, times: 1 });
    expect((await s.createPayment(b)).status).toBe(504);
    const again = await retryUntilLeaseLapses(b);
    expect(again.status).toBe(200);
    expect(await payable(again)).toBe(true);
    const o = await s.readOrder(b.orderNo);
    expect(o?.status).toBe('PAY_STANDBY');
    expect(o?.payToken).toBe(again.json.payToken);
    expect(o?.supersededPayTokens).toHaveLength(1);
    // Toss cancelled the payment whose checkout nobody ever had.
    expect((await getPayment(s.sandbox.url, o?.supersededPayTokens?.[0] ?? '')).payStatus).toBe('PAY_CANCEL');
    // The same request once more: the same payment.
    const third = await s.createPayment(b);
    expect(third.status).toBe(200);
    expect(third.json.checkoutPage).toBe(again.json.checkoutPage);
  });

  it('the reconciler found the payment by orderNo before the merchant retried: the retry still gets a checkoutPage that opens, and the pass never flags the superseded payment', async () => {
    const b = body();
    await setFault(s.sandbox.url, { target: 'payments', kind: 'lose-reply', orderNo: b.orderNo, times: 1 });
    expect((await s.createPayment(b)).status).toBe(504);
    // The pass waits for the create lease, like a retry does.
    await eventually(async () => {
      await pass(deps);
      return (await s.readOrder(b.orderNo))?.status === 'PAY_STANDBY' ? true : undefined;
    }, TOSS_TIMEOUT_MS + s.timings.CREATE_LEASE_GRACE_MS + 5_000);
    const found = await s.readOrder(b.orderNo);
    expect(found?.checkoutPage).toBeUndefined();
    const again = await retryUntilLeaseLapses(b);
    expect(again.status).toBe(200);
    expect(await payable(again)).toBe(true);
    expect(again.json.payToken).not.toBe(found?.payToken);
    const flagged = deps.counts.get('OrdersFlagged') ?? 0;
    await pass(deps, { now: deps.clock() + 60 * MINUTE });
    const o = await s.readOrder(b.orderNo);
    expect(o?.status).toBe('PAY_STANDBY');
    expect(o?.attention).toBeUndefined();
    expect(deps.counts.get('OrdersFlagged') ?? 0).toBe(flagged);
  });

  it('a retry whose new payment Toss refuses: the waiting one is recorded (never CREATE_FAILED while Toss holds it), and the next retry replaces it', async () => {
    const b = body();
    await setFault(s.sandbox.url, { target: 'payments', kind: 'lose-reply', orderNo: b.orderNo, times: 1 });
    expect((await s.createPayment(b)).status).toBe(504);
    // The next create call (the replacement) is refused.
    await eventually(async () => ((await s.readOrder(b.orderNo))?.leaseUntil ?? 0) <= Date.now() || undefined, TOSS_TIMEOUT_MS + s.timings.CREATE_LEASE_GRACE_MS + 5_000);
    await setFault(s.sandbox.url, { target: 'payments', kind: 'error', errorCode: 'COMMON_INVALID_PARAMETER', orderNo: b.orderNo, times: 1 });
    const refused = await s.createPayment(b);
    expect(refused.status).toBe(422);
    const o = await s.readOrder(b.orderNo);
    expect(o?.status).toBe('PAY_STANDBY');
    expect((await getPayment(s.sandbox.url, o?.payToken ?? '')).payStatus).toBe('PAY_STANDBY');
    expect(o?.dueAt).toBeGreaterThan(Date.now());
    const again = await retryUntilLeaseLapses(b);
    expect(again.status).toBe(200);
    expect(await payable(again)).toBe(true);
  });

  it('refuses the orderNos that are paths of the API (they could not be read back) with a 400 naming the rule', async () => {
    expect(reservedOrderNos()).toEqual(expect.arrayContaining(['return', 'cancel', 'callback', 'by-pay-token']));
    for (const orderNo of reservedOrderNos()) {
      const r = await s.createPayment(body({ orderNo }));
      expect(r.status).toBe(400);
      expect(JSON.stringify(r.json)).toContain('paths of this API');
      expect(await s.readOrder(orderNo)).toBeUndefined();
    }
    await clearFaults(s.sandbox.url);
  });
});
