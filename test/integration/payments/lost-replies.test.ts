/**
 * A lost DynamoDB reply is never misread. The functions reach DynamoDB Local through the stack's
 * proxy, which applies one chosen write and then cuts the connection before its reply: the AWS SDK sends the
 * same request again, the retry fails its condition against our own first attempt, and the code
 * must take that for its own success (the write's id is on the item), not for someone else's.
 * One test per conditional write path, each through the real stack over HTTP.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { approve, callbackBody, getPayment, quit, setFault } from '../../../local/toss-sandbox/control-client.ts';
import type { DynamoDbProxy } from '../../../local/dynamodb-proxy.ts';
import { MetricName } from '../../../shared/metrics.ts';
import { createTossClient } from '../../../shared/toss/client.ts';
import { MINUTE, pass, reconcileDeps, type TestDeps } from '../reconciler/support.ts';
import { dropNextReply, newOrderNo, paidAtTossOnly, PAYMENTS_ALONE, startStack, type DropSpec, type Stack } from '../../support/stack.ts';
import { testDocumentClient } from '../../support/dynamo.ts';

let s: Stack;
let proxy: DynamoDbProxy;
beforeAll(async () => {
  s = await startStack({}, PAYMENTS_ALONE);
  proxy = s.proxy;
});
afterAll(() => s.stop());

const dropNext = (orderNo: string, spec: DropSpec) => dropNextReply(s, orderNo, spec);

const body = (orderNo: string, extra: Record<string, unknown> = {}) => ({ orderNo, amount: 8_000, amountTaxFree: 0, productDesc: '유실 응답', ...extra });
const post = (b: unknown) => s.request('/payments/callback', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(b) });

describe('a write applied whose reply was lost is recognised as our own', () => {
  it('create, the first write (PutItem): 201 with a checkoutPage, not a CREATING order forever', async () => {
    const orderNo = newOrderNo('lr');
    const dropped = await dropNext(orderNo, { operation: 'PutItem' });
    const r = await s.createPayment(body(orderNo));
    await dropped();
    expect(r.status).toBe(201);
    expect(typeof r.json.checkoutPage).toBe('string');
    expect((await s.readOrder(orderNo))?.status).toBe('PAY_STANDBY');
  });

  it('create, CREATING -> PAY_STANDBY: 201 with the checkoutPage stored', async () => {
    const orderNo = newOrderNo('lr');
    const dropped = await dropNext(orderNo, { operation: 'UpdateItem', expressionContains: '#f_checkoutPage' });
    const r = await s.createPayment(body(orderNo));
    await dropped();
    expect(r.status).toBe(201);
    expect((await s.readOrder(orderNo))?.checkoutPage).toBe(r.json.checkoutPage);
  });

  it('create refused, CREATING -> CREATE_FAILED: the same 422', async () => {
    const orderNo = newOrderNo('lr');
    await setFault(s.sandbox.url, { target: 'payments', kind: 'error', errorCode: 'COMMON_INVALID_PARAMETER', orderNo, times: 1 });
    const dropped = await dropNext(orderNo, { operation: 'UpdateItem', expressionContains: '#f_failure' });
    const r = await s.createPayment(body(orderNo));
    await dropped();
    expect(r.status).toBe(422);
    expect((await s.readOrder(orderNo))?.status).toBe('CREATE_FAILED');
  });

  it('a create retry taking the lease: 200 with a checkoutPage', async () => {
    const orderNo = newOrderNo('lr');
    await setFault(s.sandbox.url, { target: 'payments', kind: 'http5xx', orderNo, times: 1 });
    expect((await s.createPayment(body(orderNo))).status).toBe(502);
    const dropped = await dropNext(orderNo, { operation: 'UpdateItem', expressionContains: '#leaseId = :id' });
    const r = await s.createPayment(body(orderNo));
    await dropped();
    expect(r.status).toBe(201);
    expect(typeof r.json.checkoutPage).toBe('string');
  });

  it('the execute lock: Toss execute IS called, once, and the order is paid (not left EXECUTING until expiry)', async () => {
    const orderNo = newOrderNo('lr');
    await setFault(s.sandbox.url, { target: 'callback', kind: 'drop', orderNo });
    const c = await s.createPayment(body(orderNo, { autoExecute: false }));
    const payToken = String(c.json.payToken);
    const { redirect } = await approve(s.sandbox.url, payToken, 'CARD');
    const dropped = await dropNext(orderNo, { operation: 'UpdateItem', expressionContains: '#execAttempts' });
    const page = await s.visit(redirect);
    await dropped();
    expect(page.text).toContain('결제 완료');
    expect((await getPayment(s.sandbox.url, payToken)).calls.execute).toBe(1);
    expect((await s.readOrder(orderNo))?.status).toBe('PAY_COMPLETE');
  });

  it('EXECUTING -> PAY_COMPLETE after execute: the paid page', async () => {
    const orderNo = newOrderNo('lr');
    await setFault(s.sandbox.url, { target: 'callback', kind: 'drop', orderNo });
    const c = await s.createPayment(body(orderNo, { autoExecute: false }));
    const payToken = String(c.json.payToken);
    const { redirect } = await approve(s.sandbox.url, payToken, 'TOSS_MONEY');
    const dropped = await dropNext(orderNo, { operation: 'UpdateItem', expressionContains: '#f_transactions' });
    const page = await s.visit(redirect);
    await dropped();
    expect(page.text).toContain('결제 완료');
    expect((await getPayment(s.sandbox.url, payToken)).calls.execute).toBe(1);
  });

  it('the landing check claim: the landing still asks Toss and shows the result', async () => {
    const orderNo = newOrderNo('lr');
    const c = await s.createPayment(body(orderNo));
    const { redirect } = await quit(s.sandbox.url, String(c.json.payToken));
    const dropped = await dropNext(orderNo, { operation: 'UpdateItem', expressionContains: 'attribute_not_exists(#at)' });
    const page = await s.visit(redirect);
    await dropped();
    expect(page.text).toContain('결제 취소');
    expect((await s.readOrder(orderNo))?.status).toBe('PAY_CANCEL');
  });

  it('the callback`s transition: 200, paid once', async () => {
    const orderNo = newOrderNo('lr');
    await setFault(s.sandbox.url, { target: 'callback', kind: 'drop', orderNo });
    const c = await s.createPayment(body(orderNo));
    const payToken = String(c.json.payToken);
    await approve(s.sandbox.url, payToken, 'CARD');
    const dropped = await dropNext(orderNo, { operation: 'UpdateItem', expressionContains: ':to' });
    const r = await post(await callbackBody(s.sandbox.url, payToken));
    await dropped();
    expect(r.status).toBe(200);
    const o = await s.readOrder(orderNo);
    expect(o?.status).toBe('PAY_COMPLETE');
    expect(o?.history.filter((h) => h.to === 'PAY_COMPLETE')).toHaveLength(1);
  });

  it('a recovered order (PutItem): 200 and one record, flagged', async () => {
    const toss = createTossClient({ baseUrl: s.sandbox.url, apiKey: () => Promise.resolve(s.apiKey), timeoutMs: 3_000 });
    const paid = await paidAtTossOnly(s, toss, { prefix: 'lr', amount: 4_000, payMethod: 'CARD' });
    const dropped = await dropNext(paid.orderNo, { operation: 'PutItem' });
    const r = await post(await callbackBody(s.sandbox.url, paid.payToken));
    await dropped();
    expect(r.status).toBe(200);
    const o = await s.readOrder(paid.orderNo);
    expect(o?.status).toBe('PAY_COMPLETE');
    expect(o?.attention?.reason).toBe('RECOVERED');
  });

  describe('the reconciler', () => {
    let deps: TestDeps;
    beforeAll(() => {
      deps = reconcileDeps({
        client: testDocumentClient(proxy.endpoint),
        tableName: s.tableName,
        sandboxUrl: s.sandbox.url,
        offsetMs: 5 * MINUTE,
      });
    });
    afterAll(() => deps.client.destroy());

    it('a transition it makes: recorded once', async () => {
      const orderNo = newOrderNo('lr');
      await setFault(s.sandbox.url, { target: 'callback', kind: 'drop', orderNo });
      const c = await s.createPayment(body(orderNo));
      await approve(s.sandbox.url, String(c.json.payToken), 'CARD');
      const dropped = await dropNext(orderNo, { operation: 'UpdateItem', expressionContains: ':to' });
      const sum = await pass(deps);
      await dropped();
      expect(sum.errors).toBe(0);
      const o = await s.readOrder(orderNo);
      expect(o?.status).toBe('PAY_COMPLETE');
      expect(o?.history.filter((h) => h.source === 'reconciler')).toHaveLength(1);
    });

    it('a check that changes nothing (checks + 1, and the flag): counted as done, the flag counted once', async () => {
      const orderNo = newOrderNo('lr');
      const c = await s.createPayment(body(orderNo));
      expect(c.status).toBe(201);
      const before = (await s.readOrder(orderNo))?.checks ?? 0;
      const flagged = deps.counts.get(MetricName.OrdersFlagged) ?? 0;
      const dropped = await dropNext(orderNo, { operation: 'UpdateItem', expressionContains: '#checks' });
      const sum = await pass(deps, { flagAfterMs: 1 });
      await dropped();
      expect(sum.errors).toBe(0);
      const o = await s.readOrder(orderNo);
      expect(o?.checks).toBe(before + 1);
      expect(o?.attention?.reason).toBe('UNRESOLVED:PAY_STANDBY');
      expect((deps.counts.get(MetricName.OrdersFlagged) ?? 0) - flagged).toBeGreaterThanOrEqual(1);
    });
  });
});
