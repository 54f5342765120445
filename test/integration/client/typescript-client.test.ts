/**
 * The typed client (clients/typescript) against the local stack over HTTP, as a shop's server
 * uses it: create a payment, read it, refund it with an Idempotency-Key (the same key again is
 * the same refund), and a 409 CREATE_IN_PROGRESS the client retries by itself after its
 * Retry-After, ending in the payment.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTossPayClient, errorCodeOf, refund, type TossPayClient } from '../../../clients/typescript/client.ts';
import { approve, setFault } from '../../../local/toss-sandbox/control.ts';
import { eventually, newOrderNo, startStack, type Stack } from '../../support/stack.ts';

let s: Stack;
let api: TossPayClient;
/** Every reply the client got, as `<status> <method> <path>`. */
const seen: string[] = [];
beforeAll(async () => {
  s = await startStack();
  api = createTossPayClient({
    baseUrl: s.api,
    token: s.token,
    fetch: async (request) => {
      const res = await fetch(request);
      seen.push(`${res.status} ${request.method} ${new URL(request.url).pathname}`);
      return res;
    },
  });
});
afterAll(() => s.stop());

describe('the TypeScript client against the local stack', () => {
  it('creates a payment, reads it paid, and refunds it once per Idempotency-Key', async () => {
    const orderNo = newOrderNo('client');
    const created = await api.POST('/payments', { body: { orderNo, amount: 35_000, amountTaxFree: 0, productDesc: '토스 티셔츠' } });
    expect(created.response.status).toBe(201);
    expect(created.data?.checkoutPage).toMatch(/^http/);
    await approve(s.sandbox.url, created.data?.payToken ?? '', 'CARD');

    const paid = await eventually(async () => {
      const r = await api.GET('/payments/{orderNo}', { params: { path: { orderNo } } });
      return r.data?.paid === true ? r.data : undefined;
    });
    expect(paid.status).toBe('PAY_COMPLETE');
    expect(paid.refundableAmount).toBe(35_000);

    const first = await refund(api, orderNo, { amount: 5_000, reason: '부분 환불' });
    expect(first.response.status).toBe(201);
    expect(first.data?.status).toBe('SUCCEEDED');
    const again = await refund(api, orderNo, { amount: 5_000, reason: '부분 환불' }, first.idempotencyKey);
    expect(again.response.status).toBe(200);
    expect(again.data?.refundNo).toBe(first.data?.refundNo);
    const read = await api.GET('/payments/{orderNo}', { params: { path: { orderNo } } });
    expect(read.data?.refundedAmount).toBe(5_000);
    expect(read.data?.refunds?.length).toBe(1);

    // An error reply is typed too.
    const missing = await api.GET('/payments/{orderNo}', { params: { path: { orderNo: 'no-such-order' } } });
    expect(missing.response.status).toBe(404);
    expect(errorCodeOf(missing.error)).toBe('ORDER_NOT_FOUND');
  });

  it('retries 409 CREATE_IN_PROGRESS after its Retry-After and ends with the payment the first attempt created', async () => {
    const orderNo = newOrderNo('client409');
    const body = { orderNo, amount: 12_000, amountTaxFree: 0, productDesc: '재시도 주문' };
    // Toss takes its time with the first create: the second one finds the create lease held.
    await setFault(s.sandbox.url, { target: 'payments', kind: 'latency', ms: 1_500, orderNo, times: 1 });
    const first = s.createPayment(body);
    await eventually(async () => ((await s.readOrder(orderNo))?.status === 'CREATING' ? true : undefined));
    seen.length = 0;
    const second = await api.POST('/payments', { body });
    expect(seen.filter((l) => l.endsWith(`POST /payments`)).map((l) => l.split(' ')[0])).toEqual(['409', '200']);
    const created = await first;
    expect(created.status).toBe(201);
    expect(second.response.status).toBe(200);
    expect(second.data?.payToken).toBe(created.json.payToken);
  });
});
