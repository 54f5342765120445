/**
 * A LIVE deployment whose DynamoDB is unreachable: TEST payments are never accepted, and a
 * transient DynamoDB failure answers 503 (the callback: so that Toss retries).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_API_KEY } from '../../../local/toss-sandbox/server.ts';
import { freePort } from '../../../local/ports.ts';
import { createTossClient } from '../../../shared/toss/client.ts';
import type { TossClient } from '../../../shared/payments/ports.ts';
import { newOrderNo, paidAtTossOnly, PAYMENTS_ALONE, startStack, type Stack } from '../../support/stack.ts';

const LIVE_KEY = 'sk_live_merchant_key_for_tests';
let s: Stack;
let live: TossClient;
let test: TossClient;

beforeAll(async () => {
  const deadPort = await freePort();
  s = await startStack({ TOSS_API_KEY: LIVE_KEY, SANDBOX_EXTRA_KEYS: DEFAULT_API_KEY, DYNAMODB_ENDPOINT: `http://127.0.0.1:${deadPort}` }, PAYMENTS_ALONE);
  live = createTossClient({ baseUrl: s.sandbox.url, apiKey: () => Promise.resolve(LIVE_KEY), timeoutMs: 3_000 });
  test = createTossClient({ baseUrl: s.sandbox.url, apiKey: () => Promise.resolve(DEFAULT_API_KEY), timeoutMs: 3_000 });
});
afterAll(() => s.stop());

const paidAt = async (toss: TossClient) => ({
  ...(await paidAtTossOnly(s, toss, { prefix: 'md', amount: 1_100, payMethod: 'CARD' })),
  status: 'PAY_COMPLETE',
});

const post = (b: unknown) =>
  s.request('/payments/callback', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(b) });

describe('a live deployment', () => {
  it('never accepts a TEST payment`s callback', async () => {
    const r = await post(await paidAt(test));
    expect([409, 422]).toContain(r.status);
  });

  it('answers 503 to a confirmed callback when DynamoDB is unreachable, and 503 to a create', async () => {
    const r = await post(await paidAt(live));
    expect(r.status).toBe(503);
    expect((r.json.error as { code: string }).code).toBe('TEMPORARILY_UNAVAILABLE');
    const c = await s.createPayment({ orderNo: newOrderNo('md'), amount: 1_000, amountTaxFree: 0, productDesc: 'x' });
    expect(c.status).toBe(503);
  });
});
