import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { approve, clearFaults, getPayment, setFault } from '../../../local/toss-sandbox/control-client.ts';
import { DEFAULT_API_KEY, startSandbox, type Sandbox } from '../../../local/toss-sandbox/server.ts';
import { createTossClient } from '../../../shared/toss/client.ts';
import { TossRefusedError, TossServerError, TossUnknownOutcomeError } from '../../../shared/toss/errors.ts';
import type { TossClient } from '../../../shared/payments/ports.ts';
import { toKst } from '../../../shared/domain/toss-time.ts';
import type { TossCreateRequest } from '../../../shared/toss/schemas.ts';

let sandbox: Sandbox;
let toss: TossClient;
let n = 0;
const req = (extra: Partial<TossCreateRequest> = {}): TossCreateRequest => ({
  orderNo: `tc-${Date.now()}-${n++}`,
  amount: 1000,
  amountTaxFree: 0,
  productDesc: 'T-shirt',
  retUrl: 'http://127.0.0.1:1/return',
  retCancelUrl: 'http://127.0.0.1:1/cancel',
  autoExecute: false,
  resultCallback: 'http://127.0.0.1:1/callback',
  callbackVersion: 'V2',
  expiredTime: toKst(Date.now() + 10 * 60_000),
  ...extra,
});
const caught = async (p: Promise<unknown>): Promise<unknown> => p.then(() => undefined, (e: unknown) => e);

beforeAll(async () => {
  sandbox = await startSandbox({ port: 0, quiet: true });
  toss = createTossClient({ baseUrl: sandbox.url, apiKey: () => Promise.resolve(DEFAULT_API_KEY), timeoutMs: 2_000 });
});
afterAll(() => sandbox.close());

describe('Toss client against the sandbox', () => {
  it('creates, reads status (by payToken and orderNo) and executes', async () => {
    const r = req();
    const c = await toss.createPayment({ ...r, expiredTime: undefined as unknown as string });
    expect(c.checkoutPage).toContain(c.payToken);
    const s = await toss.status({ payToken: c.payToken });
    expect(s).toMatchObject({ payStatus: 'PAY_STANDBY', orderNo: r.orderNo, amount: 1000, mode: 'TEST' });
    expect((await toss.status({ orderNo: r.orderNo })).payToken).toBe(c.payToken);
    await approve(sandbox.url, c.payToken, 'CARD');
    const e = await toss.execute({ payToken: c.payToken, orderNo: r.orderNo });
    expect(e.code).toBe(0);
    expect((await toss.status({ payToken: c.payToken })).payStatus).toBe('PAY_COMPLETE');
    expect(await toss.mode()).toBe('TEST');
  });

  it('turns code -1 into TossRefusedError with errorCode and msg, never the apiKey', async () => {
    const e = await caught(toss.createPayment(req({ productDesc: 'bad "quote"' })));
    expect(e).toBeInstanceOf(TossRefusedError);
    expect((e as TossRefusedError).errorCode).toBe('COMMON_INVALID_PARAMETER');
    expect(JSON.stringify(e) + String(e)).not.toContain(DEFAULT_API_KEY);
    const bad = createTossClient({ baseUrl: sandbox.url, apiKey: () => Promise.resolve('sk_test_wrong_key'), timeoutMs: 2_000 });
    const e2 = await caught(bad.status({ orderNo: 'x' }));
    expect(e2).toBeInstanceOf(TossRefusedError);
    expect(String((e2 as Error).message)).not.toContain('sk_test_wrong_key');
  });

  it('retries status after a 5xx, never execute', async () => {
    const r = req();
    const c = await toss.createPayment(r);
    await setFault(sandbox.url, { target: 'status', kind: 'http5xx', payToken: c.payToken, times: 1 });
    expect((await toss.status({ payToken: c.payToken })).payStatus).toBe('PAY_STANDBY');
    expect((await getPayment(sandbox.url, c.payToken)).calls.status).toBe(2);
    await approve(sandbox.url, c.payToken, 'TOSS_MONEY');
    await setFault(sandbox.url, { target: 'execute', kind: 'http5xx', payToken: c.payToken, times: 1 });
    expect(await caught(toss.execute({ payToken: c.payToken }))).toBeInstanceOf(TossServerError);
    expect((await getPayment(sandbox.url, c.payToken)).calls.execute).toBe(1);
    await clearFaults(sandbox.url);
  });

  it('reports an unknown outcome on a hang (timeout) and on a lost reply, without retrying execute', async () => {
    const r = req();
    const c = await toss.createPayment(r);
    await approve(sandbox.url, c.payToken, 'CARD');
    await setFault(sandbox.url, { target: 'execute', kind: 'lose-reply', payToken: c.payToken, times: 1 });
    const e = await caught(toss.execute({ payToken: c.payToken }));
    expect(e).toBeInstanceOf(TossUnknownOutcomeError);
    expect((await getPayment(sandbox.url, c.payToken)).calls.execute).toBe(1);
    expect((await toss.status({ payToken: c.payToken })).payStatus).toBe('PAY_COMPLETE');

    await setFault(sandbox.url, { target: 'payments', kind: 'hang', times: 1 });
    const started = Date.now();
    const h = await caught(toss.createPayment(req(), { deadline: Date.now() + 400 }));
    expect(h).toBeInstanceOf(TossUnknownOutcomeError);
    expect((h as TossUnknownOutcomeError).reason).toBe('timeout');
    expect(Date.now() - started).toBeLessThan(1_500);
    await clearFaults(sandbox.url);
  });
});
