import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { approve, clearFaults, getPayment, quit, setFault } from '../../../local/toss-sandbox/control-client.ts';
import type { Order } from '../../../shared/domain/order.ts';
import { eventually, newOrderNo, PAYMENTS_ALONE, startStack, type Stack } from '../../support/stack.ts';

let s: Stack;
beforeAll(async () => {
  s = await startStack({}, PAYMENTS_ALONE);
});
afterAll(() => s.stop());

const body = (extra: Record<string, unknown> = {}) => ({
  orderNo: newOrderNo('j'),
  amount: 15_000,
  amountTaxFree: 0,
  productDesc: '토스 티셔츠',
  ...extra,
});

const statusOf = async (orderNo: string, want: string): Promise<Order> =>
  eventually(async () => {
    const o = await s.readOrder(orderNo);
    return o?.status === want ? o : undefined;
  });

describe('payment journey through the gateway', () => {
  for (const payMethod of ['CARD', 'TOSS_MONEY'] as const) {
    it(`autoExecute true, ${payMethod}: create, pay, callback, return page, lookup`, async () => {
      const b = body();
      const c = await s.createPayment(b);
      expect(c.status).toBe(201);
      expect(c.json).toMatchObject({ orderNo: b.orderNo, status: 'PAY_STANDBY' });
      expect(String(c.json.checkoutPage)).toContain(String(c.json.payToken));
      const payToken = String(c.json.payToken);
      const pay = await getPayment(s.sandbox.url, payToken);
      // The landing token names the order: Toss appends its own orderNo to retUrl, so ours is not there twice.
      expect(pay.retUrl).toBe(await s.landingUrl('return', b.orderNo));
      expect(pay.retCancelUrl).toBe(await s.landingUrl('cancel', b.orderNo));
      expect(pay.retUrl).toMatch(new RegExp(`^${s.api}/payments/return\\?t=[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]{22}$`));
      expect(pay.resultCallback).toBe(`${s.api}/payments/callback`);
      expect(pay.callbackVersion).toBe('V2');

      const { redirect } = await approve(s.sandbox.url, payToken, payMethod);
      await statusOf(b.orderNo, 'PAY_COMPLETE'); // the sandbox's callback did it
      const page = await s.visit(redirect);
      expect(page.status).toBe(200);
      expect(page.text).toContain('결제 완료');
      expect(page.headers.get('cache-control')).toBe('no-store');

      const g = await s.getPayment(b.orderNo);
      expect(g.status).toBe(200);
      expect(g.json).toMatchObject({ orderNo: b.orderNo, status: 'PAY_COMPLETE', payToken, payMethod, amount: 15_000, paid: true });
      const history = g.json.history as { from: string | null; to: string; source: string }[];
      expect(history.map((h) => [h.to, h.source])).toEqual([
        ['CREATING', 'create'],
        ['PAY_STANDBY', 'create'],
        ['PAY_COMPLETE', 'callback'],
      ]);
      expect((g.json.transactions as unknown[]).length).toBeGreaterThan(0);
      expect((await getPayment(s.sandbox.url, payToken)).calls.execute ?? 0).toBe(0);
    });

    it(`autoExecute false, ${payMethod}: the return landing executes once`, async () => {
      const b = body({ autoExecute: false });
      const c = await s.createPayment(b);
      expect(c.status).toBe(201);
      const payToken = String(c.json.payToken);
      const { redirect } = await approve(s.sandbox.url, payToken, payMethod);
      expect(redirect).toContain('status=PAY_APPROVED');
      const page = await s.visit(redirect);
      expect(page.text).toContain('결제 완료');
      const again = await s.visit(redirect);
      expect(again.text).toContain('결제 완료');
      expect((await getPayment(s.sandbox.url, payToken)).calls.execute).toBe(1);
      const o = await s.readOrder(b.orderNo);
      expect(o?.status).toBe('PAY_COMPLETE');
      expect(o?.payMethod).toBe(payMethod);
      expect(o?.history.map((h) => [h.from, h.to, h.source])).toEqual([
        [null, 'CREATING', 'create'],
        ['CREATING', 'PAY_STANDBY', 'create'],
        ['PAY_STANDBY', 'EXECUTING', 'return'],
        ['EXECUTING', 'PAY_COMPLETE', 'return'],
      ]);
    });
  }

  it('the buyer quits: the cancel landing records PAY_CANCEL only after Toss confirms', async () => {
    const b = body();
    const c = await s.createPayment(b);
    const payToken = String(c.json.payToken);
    // Forged cancel visit while Toss still has the payment waiting: nothing changes.
    const early = await s.request(`/payments/cancel?orderNo=${b.orderNo}`);
    expect(early.text).not.toContain('결제 취소');
    expect((await s.readOrder(b.orderNo))?.status).toBe('PAY_STANDBY');
    const { redirect } = await quit(s.sandbox.url, payToken);
    // Within a couple of seconds of the forged visit a landing answers from our record (pending,
    // and the page reloads itself): landings ask Toss at most once per order in that window.
    const page = await eventually(async () => {
      const p = await s.visit(redirect);
      return p.text.includes('결제 확인 중') ? undefined : p;
    });
    expect(page.text).toContain('결제 취소');
    const o = await s.readOrder(b.orderNo);
    expect(o?.status).toBe('PAY_CANCEL');
    expect(o?.history.at(-1)).toMatchObject({ from: 'PAY_STANDBY', to: 'PAY_CANCEL', source: 'cancel' });
  });

  it('the same orderNo and request again returns the payment (200); a different request is a 409', async () => {
    const b = body({ orderNo: newOrderNo('idem'), autoExecute: true, expiresInMinutes: 20 });
    const first = await s.createPayment(b);
    expect(first.status).toBe(201);
    const { orderNo: _o, ...reordered } = b;
    const second = await s.createPayment({ expiresInMinutes: 20, ...reordered, orderNo: b.orderNo });
    expect(second.status).toBe(200);
    expect(second.json.payToken).toBe(first.json.payToken);
    const third = await s.createPayment({ ...b, amount: 16_000 });
    expect(third.status).toBe(409);
    expect((third.json.error as { code: string }).code).toBe('ORDER_NO_CONFLICT');
  });

  it('generates an orderNo when none is given', async () => {
    const { orderNo: _none, ...b } = body();
    const r = await s.createPayment(b);
    expect(r.status).toBe(201);
    expect(String(r.json.orderNo)).toMatch(/^[0-9A-Za-z_\-:.^@]{1,50}$/);
    expect((await s.readOrder(String(r.json.orderNo)))?.status).toBe('PAY_STANDBY');
  });

  it('refuses invalid requests with 400 and writes nothing', async () => {
    const cases: Record<string, unknown>[] = [
      body({ amount: 0 }),
      body({ amount: 10_000_000 }),
      body({ amount: 1.5 }),
      body({ productDesc: 'say "hi"' }),
      body({ productDesc: '   ' }),
      body({ orderNo: 'has space' }),
      body({ orderNo: 'x'.repeat(51) }),
      body({ amountTaxable: 1000, amountVat: 100 }),
      // Toss's 복합과세 rule: a non-zero part makes all four required (here the service fee is left blank).
      body({ amountTaxFree: 5000, amountTaxable: 9091, amountVat: 909 }),
      body({ expiresInMinutes: 61 }),
      body({ unknownField: 1 }),
      body({ enablePayMethods: ['BITCOIN'] }),
    ];
    for (const c of cases) {
      const r = await s.createPayment(c);
      expect({ c, status: r.status }).toEqual({ c, status: 400 });
      expect((r.json.error as { code: string }).code).toBe('VALIDATION_FAILED');
      expect(await s.readOrder(String(c.orderNo))).toBeUndefined();
    }
    const notJson = await s.request('/payments', {
      method: 'POST',
      headers: { authorization: `Bearer ${s.token}`, 'content-type': 'application/json' },
      body: '{"amount": ',
    });
    // Not JSON at all: 422, as middy's JSON body parser answers (415 when the content type is not JSON).
    expect(notJson.status).toBe(422);
    expect((notJson.json.error as { code: string }).code).toBe('MALFORMED_JSON');
    const ok = body({ amountTaxFree: 5000, amountTaxable: 9091, amountVat: 909, amountServiceFee: 0, enablePayMethods: ['CARD'], cashReceipt: false });
    expect((await s.createPayment(ok)).status).toBe(201);
  });

  it('Toss refused → 422 with errorCode and msg, order CREATE_FAILED', async () => {
    const b = body();
    await setFault(s.sandbox.url, { target: 'payments', kind: 'error', errorCode: 'COMMON_INVALID_PARAMETER', msg: '잘못된 요청입니다.', orderNo: b.orderNo });
    const r = await s.createPayment(b);
    expect(r.status).toBe(422);
    expect(r.json.error).toMatchObject({ code: 'TOSS_REFUSED', errorCode: 'COMMON_INVALID_PARAMETER', msg: '잘못된 요청입니다.' });
    const o = await s.readOrder(b.orderNo);
    expect(o?.status).toBe('CREATE_FAILED');
    expect(o?.failure?.errorCode).toBe('COMMON_INVALID_PARAMETER');
  });

  it('Toss 5xx → 502 and Toss timeout → 504; both orders stay CREATING for the reconciler', async () => {
    const b1 = body();
    await setFault(s.sandbox.url, { target: 'payments', kind: 'http5xx', orderNo: b1.orderNo });
    const r1 = await s.createPayment(b1);
    expect(r1.status).toBe(502);
    expect((r1.json.error as { code: string }).code).toBe('TOSS_FAILED');
    expect((await s.readOrder(b1.orderNo))?.status).toBe('CREATING');
    const b2 = body();
    await setFault(s.sandbox.url, { target: 'payments', kind: 'hang', orderNo: b2.orderNo });
    const r2 = await s.createPayment(b2);
    expect(r2.status).toBe(504);
    expect((r2.json.error as { code: string }).code).toBe('TOSS_TIMEOUT');
    const o = await s.readOrder(b2.orderNo);
    expect(o?.status).toBe('CREATING');
    expect(o?.dueAt).toBeGreaterThan(Date.now());
    await clearFaults(s.sandbox.url);
  });

  it('unknown orders: 404 for the lookup and the landings; the lookup needs the merchant token', async () => {
    expect((await s.getPayment('no-such-order')).status).toBe(404);
    expect(((await s.getPayment('no-such-order')).json.error as { code: string }).code).toBe('ORDER_NOT_FOUND');
    expect((await s.request('/payments/return?orderNo=no-such-order')).status).toBe(404);
    expect((await s.request('/payments/cancel?orderNo=no-such-order')).status).toBe(404);
    expect((await s.request('/payments/return')).status).toBe(404);
    expect((await s.request('/payments/anything')).status).toBe(401);
  });
});
