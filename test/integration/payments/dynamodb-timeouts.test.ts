/**
 * No DynamoDB call waits without bound: the functions' client has a connection and a request
 * timeout (DYNAMODB_CONNECT_TIMEOUT_MS, DYNAMODB_REQUEST_TIMEOUT_MS; here the request timeout is
 * 400 ms). A read the DynamoDB proxy holds and never answers ends: the SDK's attempts time out,
 * and GET /payments/{orderNo} answers 503 TEMPORARILY_UNAVAILABLE with Retry-After, as for any
 * DynamoDB outage, instead of hanging until the function's own timeout. Once the proxy lets
 * reads through, the same request answers 200.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { appConfigSchema, DEFAULT_DYNAMODB_CONNECT_TIMEOUT_MS, DEFAULT_DYNAMODB_REQUEST_TIMEOUT_MS, parseEnv } from '../../../shared/config.ts';
import { orderKey } from '../../../shared/store/orders.ts';
import { newOrderNo, PAYMENTS_ALONE, startStack, type Stack } from '../../support/stack.ts';

let s: Stack;
beforeAll(async () => {
  s = await startStack({ DYNAMODB_REQUEST_TIMEOUT_MS: '400' }, PAYMENTS_ALONE);
});
afterAll(() => s.stop());

describe('DynamoDB timeouts', () => {
  it('a read DynamoDB never answers ends: 503 with Retry-After, not a hang; then 200', async () => {
    const orderNo = newOrderNo('hang');
    expect((await s.createPayment({ orderNo, amount: 1_000, amountTaxFree: 0, productDesc: 'x' })).status).toBe(201);
    const hang = await s.proxy.addFault({ kind: 'hold', operation: 'GetItem', key: orderKey(orderNo), times: 'always' });
    const r = await s.getPayment(orderNo);
    expect([r.status, (r.json.error as { code?: string }).code, r.headers.get('retry-after')]).toEqual([503, 'TEMPORARILY_UNAVAILABLE', '1']);
    // Every attempt the SDK made was held, and each ended at its timeout.
    expect((await s.proxy.faults()).find((f) => f.id === hang.id)?.hits).toBe(3);
    await s.proxy.clearFaults(hang.id);
    expect((await s.getPayment(orderNo)).status).toBe(200);
  });

  it('has defaults when unset, and refuses nonsense', () => {
    const base = { TABLE_NAME: 't', TOSS_API_KEY: 'k', PUBLIC_BASE_URL: 'http://x' };
    expect(parseEnv(appConfigSchema, base)).toMatchObject({
      DYNAMODB_CONNECT_TIMEOUT_MS: DEFAULT_DYNAMODB_CONNECT_TIMEOUT_MS,
      DYNAMODB_REQUEST_TIMEOUT_MS: DEFAULT_DYNAMODB_REQUEST_TIMEOUT_MS,
    });
    expect(() => parseEnv(appConfigSchema, { ...base, DYNAMODB_REQUEST_TIMEOUT_MS: '0' })).toThrow(/DYNAMODB_REQUEST_TIMEOUT_MS/);
  });
});
