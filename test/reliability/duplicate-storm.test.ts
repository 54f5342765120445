/**
 * Duplicate storm: buyers pay 40 orders (ORDERS) while, for each, Toss's own callback, 10 concurrent
 * duplicate callback deliveries and the buyer's retUrl (twice) all arrive at once, with reconciler
 * passes running in the middle of it. Exactly 40 paid orders, exactly one paid transition each,
 * never a 5xx. A landing in the storm shows the paid page, or the pending page (at most one landing
 * per order asks Toss in each LANDING_CHECK_INTERVAL_MS, the stack's `timings`; the others answer from the stored order);
 * once that window has passed, a landing shows every order paid. A second storm does the same for
 * autoExecute=false orders, where the landings and the reconciler race to execute: Toss's execute
 * is called exactly once per order, and never while another execute of it is running.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { approve, callbackBody, getPayment, setFault, type PayMethod } from '../../local/toss-sandbox/control-client.ts';
import type { Order } from '../../shared/domain/order.ts';
import type { ReconcileSummary } from '../../shared/payments/reconcile/summary.ts';
import {
  callbacksDelivered,
  historyProblems,
  mapPool,
  tableSnapshot,
  startReconciler,
  type Reconciler,
} from '../support/reliability.ts';
import { eventually, newOrderNo, startStack, type HttpReply, type Stack } from '../support/stack.ts';

let s: Stack;
let rec: Reconciler;
beforeAll(async () => {
  // No Toss fault here: a call the storm's own load slows down is not a timeout (the production one, 15 s).
  // Deliveries whose first attempt did not fit the events function's budget are the retrier's, 1 s later.
  s = await startStack({ TOSS_TIMEOUT_MS: '15000', POWERTOOLS_LOG_LEVEL: 'ERROR', POWERTOOLS_METRICS_DISABLED: 'true' }, { webhooks: { retrySchedule: '1,1,1,1,1,1,1,1' } });
  rec = startReconciler(s);
});
afterAll(async () => {
  rec?.close();
  await s?.stop();
});

/**
 * Orders in the first storm: 40 here, where every order's race is the same (the same duplicates,
 * landings and reconciler passes at once; both the callbacks and the reconciler record payments in
 * it); `npm run bench` runs this file at 100 and 300 (BENCHMARKS.md, h). STORM_ORDERS sets it.
 */
const ORDERS = Number(process.env.STORM_ORDERS ?? 40);
if (!Number.isInteger(ORDERS) || ORDERS < 1) throw new Error(`STORM_ORDERS: a whole number of orders, not ${process.env.STORM_ORDERS}`);
const DUPLICATES = 10;

const postCallback = (body: Record<string, unknown>): Promise<HttpReply> =>
  s.request('/payments/callback', {
    method: 'POST',
    headers: { 'content-type': 'application/json;charset=UTF-8' },
    body: JSON.stringify(body),
  });

interface Created {
  orderNo: string;
  payToken: string;
  amount: number;
}

async function createOrders(n: number, prefix: string, autoExecute: boolean): Promise<Created[]> {
  return mapPool(Array.from({ length: n }, (_, i) => i), 16, async (i) => {
    const orderNo = newOrderNo(prefix);
    const amount = 1_000 + i * 10;
    const r = await s.createPayment({ orderNo, amount, amountTaxFree: 0, productDesc: `storm ${i}`, autoExecute, expiresInMinutes: 60 });
    expect({ status: r.status, body: r.json }).toMatchObject({ status: 201 });
    return { orderNo, payToken: String(r.json.payToken), amount };
  });
}

/** Reconciler passes back to back until `done()`, alongside the storm; their summaries. */
async function passesUntil(done: () => boolean): Promise<ReconcileSummary[]> {
  const out: ReconcileSummary[] = [];
  do out.push(await rec.pass());
  while (!done());
  return out;
}

/** Which writer recorded each order's PAY_COMPLETE (callback, return landing, reconciler). */
function winners(orders: (Order | undefined)[]): Record<string, number> {
  const w: Record<string, number> = {};
  for (const o of orders) {
    const src = o?.history.find((h) => h.to === 'PAY_COMPLETE')?.source ?? 'none';
    w[src] = (w[src] ?? 0) + 1;
  }
  return w;
}

const PAID_PAGE = '결제 완료';
const PENDING_PAGE = '결제 확인 중';
/** Which result page a landing showed (`other` for anything else). */
const pageOf = (r: HttpReply): 'paid' | 'pending' | 'other' =>
  r.text.includes(PAID_PAGE) ? 'paid' : r.text.includes(PENDING_PAGE) ? 'pending' : 'other';

/** Once the landing window has passed (every landing may ask Toss again), one landing per order. */
async function landingsAfterTheWindow(redirects: readonly string[]): Promise<HttpReply[]> {
  await new Promise((r) => setTimeout(r, s.timings.LANDING_CHECK_INTERVAL_MS + 100));
  return mapPool(redirects, 10, (url) => s.visit(url));
}

const statusCounts = (replies: HttpReply[]): Record<number, number> => {
  const c: Record<number, number> = {};
  for (const r of replies) c[r.status] = (c[r.status] ?? 0) + 1;
  return c;
};

describe('duplicate storm', () => {
  it(`${ORDERS} orders × ${DUPLICATES} concurrent callbacks + Toss's callback + retUrl twice + reconciler passes: ${ORDERS} paid, ${ORDERS} paid transitions, no 5xx`, async () => {
    const orders = await createOrders(ORDERS, 'storm', true);
    // Toss's own first callback lands a little later for some orders: inside the storm.
    await setFault(
      s.sandbox.url,
      orders.filter((_, i) => i % 3 === 0).map((o, i) => ({ target: 'callback' as const, kind: 'delay' as const, ms: 50 + (i % 5) * 60, orderNo: o.orderNo })),
    );

    let stormed = 0;
    const passes = passesUntil(() => stormed === ORDERS);
    const callbacks: HttpReply[] = [];
    const landings: HttpReply[] = [];
    const redirects: string[] = [];
    await mapPool(orders, 10, async (o, i) => {
      const payMethod: PayMethod = i % 2 === 0 ? 'CARD' : 'TOSS_MONEY';
      const { redirect } = await approve(s.sandbox.url, o.payToken, payMethod);
      redirects.push(redirect);
      const body = await callbackBody(s.sandbox.url, o.payToken);
      const [cb, land] = await Promise.all([
        Promise.all(Array.from({ length: DUPLICATES }, () => postCallback(body))),
        Promise.all([s.visit(redirect), s.visit(redirect)]),
      ]);
      callbacks.push(...cb);
      landings.push(...land);
      stormed++;
    });
    const summaries = await passes;
    summaries.push(await rec.pass());

    // Every delivery and landing was answered, never with a 5xx.
    expect(statusCounts(callbacks)).toEqual({ 200: ORDERS * DUPLICATES });
    expect(statusCounts(landings)).toEqual({ 200: ORDERS * 2 });
    const pages = landings.map(pageOf);
    console.log(`duplicate storm: landing pages ${JSON.stringify({ paid: pages.filter((p) => p === 'paid').length, pending: pages.filter((p) => p === 'pending').length })}`);
    expect(pages.filter((p) => p === 'other')).toEqual([]);
    // Once the landing window has passed, the buyer's retUrl shows every order paid.
    const after = await landingsAfterTheWindow(redirects);
    expect(statusCounts(after)).toEqual({ 200: ORDERS });
    expect(after.map(pageOf).filter((p) => p !== 'paid')).toEqual([]);
    // Toss's own deliveries: never a 5xx; each delivered (a retry when an attempt timed out under load).
    const tossCallbacks = await callbacksDelivered(
      s.sandbox.url,
      orders.map((o) => o.payToken),
    );
    expect(tossCallbacks.filter((a) => a.status !== null && a.status >= 500)).toEqual([]);
    expect(tossCallbacks.filter((a) => a.status !== null && a.status !== 200)).toEqual([]);
    for (const sum of summaries) expect(sum.errors).toBe(0);
    expect(rec.logs.filter((l) => l.level === 'error')).toEqual([]);

    // Exactly ORDERS paid orders in the table, each with exactly one paid transition.
    const { items } = await tableSnapshot(
      s.tableName,
      orders.map((o) => o.orderNo),
    );
    expect(items.filter((it) => it?.status === 'PAY_COMPLETE')).toHaveLength(ORDERS);
    let paidTransitions = 0;
    const stored = await Promise.all(orders.map((o) => s.readOrder(o.orderNo)));
    // The writers really raced: more than one kind of writer recorded payments.
    const won = winners(stored);
    console.log(`duplicate storm: ${summaries.length} reconciler passes; PAY_COMPLETE recorded by ${JSON.stringify(won)}`);
    expect(Object.keys(won).filter((k) => k !== 'none').length).toBeGreaterThan(1);
    for (const [i, o] of orders.entries()) {
      const order = stored[i];
      expect(order?.status).toBe('PAY_COMPLETE');
      if (order === undefined) continue;
      expect(historyProblems(order)).toEqual([]);
      const paid = order.history.filter((h) => h.to === 'PAY_COMPLETE');
      expect({ orderNo: o.orderNo, paid: paid.length }).toEqual({ orderNo: o.orderNo, paid: 1 });
      paidTransitions += paid.length;
      expect(order.attention).toBeUndefined();
      expect(order.paidAmount).toBe(o.amount);
      const toss = await getPayment(s.sandbox.url, o.payToken);
      expect(toss.payStatus).toBe('PAY_COMPLETE');
      expect(toss.calls.execute ?? 0).toBe(0);
    }
    expect(paidTransitions).toBe(ORDERS);

    // The merchant is told exactly once: one payment.completed per order, with distinct ids, in the
    // event log, on the bus and at the webhook (all the duplicate writers' attempts collapsed into
    // the one conditional write, so the stream carried one paid change per order).
    await s.streams.caughtUp(30_000);
    const ours = new Set(orders.map((o) => o.orderNo));
    const onBus = s.eventBridge.entries().filter((e) => e.DetailType === 'payment.completed' && ours.has(String((e.Detail.data as { orderNo?: string }).orderNo)));
    expect(onBus).toHaveLength(ORDERS);
    expect(new Set(onBus.map((e) => e.Detail.id)).size).toBe(ORDERS);
    expect(new Set(onBus.map((e) => (e.Detail.data as { orderNo: string }).orderNo)).size).toBe(ORDERS);
    const hooks = await eventually(async () => {
      // As its schedule does: the deliveries whose first attempt was cut, or never made, under the storm.
      await s.runWebhookRetrier();
      const got = (s.webhooks?.accepted() ?? []).filter((e) => ours.has(String(e.data.orderNo)));
      return new Set(got.map((e) => e.id)).size >= ORDERS ? got : undefined;
    }, 30_000);
    expect(hooks.map((e) => e.type).filter((t) => t !== 'payment.completed')).toEqual([]);
    expect(new Set(hooks.map((e) => e.id))).toEqual(new Set(onBus.map((e) => e.Detail.id)));
    // At least once: an attempt cut at the events function's budget may have reached the receiver
    // before its retry did (receivers dedupe by id). Every other event arrived exactly once.
    const twice = [...new Set(hooks.filter((e, i) => hooks.findIndex((x) => x.id === e.id) !== i).map((e) => e.id))];
    console.log(`duplicate storm: ${hooks.length} webhook deliveries of ${ORDERS} events (${twice.length} repeated after a cut attempt)`);
    for (const id of twice) {
      const r = await s.merchantRequest(`/events/${id}`);
      const attempts = (r.json as { delivery: { attempts: { error?: string }[] } }).delivery.attempts;
      expect({ id, cut: attempts.some((a) => a.error === 'deadline') }).toEqual({ id, cut: true });
    }
    // Nothing else in the table: the orders, their one logged event each with its position in the log
    // and its one delivery (to MERCHANT_WEBHOOK_URL), their one ledger row each (the payment's
    // transaction, however many writers recorded the payment), the log's counter and the endpoint's health.
    expect((await tableSnapshot(s.tableName, [])).itemCount).toBe(5 * ORDERS + 2);
  }, 180_000);

  it('autoExecute=false storm: landings, duplicate callbacks and reconciler passes race to execute; Toss executes each order once', async () => {
    const n = 30;
    const orders = await createOrders(n, 'xstorm', false);
    let stormed = 0;
    const passes = passesUntil(() => stormed === n);
    const replies: HttpReply[] = [];
    const landings: HttpReply[] = [];
    const redirects: string[] = [];
    await mapPool(orders, 6, async (o) => {
      const { redirect } = await approve(s.sandbox.url, o.payToken, 'CARD');
      redirects.push(redirect);
      // The buyer reloads the return page three times at once while a pass may also hold the order.
      const land = await Promise.all([s.visit(redirect), s.visit(redirect), s.visit(redirect)]);
      replies.push(...land);
      landings.push(...land);
      // After the execute (the landings', or a pass's that took the lock first and may still be
      // running when the landings answer), Toss's callback and ten duplicates of it.
      await eventually(async () => ((await getPayment(s.sandbox.url, o.payToken)).payStatus === 'PAY_COMPLETE' ? true : undefined), 20_000);
      const body = await callbackBody(s.sandbox.url, o.payToken);
      replies.push(...(await Promise.all(Array.from({ length: DUPLICATES }, () => postCallback(body)))));
      stormed++;
    });
    const summaries = await passes;
    summaries.push(await rec.pass());
    expect(replies.filter((r) => r.status >= 500)).toEqual([]);
    expect(statusCounts(replies)).toEqual({ 200: n * (3 + DUPLICATES) });
    for (const sum of summaries) expect(sum.errors).toBe(0);
    // The reloads show the paid page or the pending one; after the window, the paid one.
    expect(landings.map(pageOf).filter((p) => p === 'other')).toEqual([]);
    const after = await landingsAfterTheWindow(redirects);
    expect(after.map((r) => ({ status: r.status, page: pageOf(r) })).filter((p) => p.status !== 200 || p.page !== 'paid')).toEqual([]);
    for (const o of orders) {
      const toss = await getPayment(s.sandbox.url, o.payToken);
      expect(toss.payStatus).toBe('PAY_COMPLETE');
      expect({ orderNo: o.orderNo, executes: toss.calls.execute }).toEqual({ orderNo: o.orderNo, executes: 1 });
      // Never two executes of one payment at Toss at the same time.
      expect({ orderNo: o.orderNo, concurrent: toss.maxConcurrent.execute }).toEqual({ orderNo: o.orderNo, concurrent: 1 });
      const order = await s.readOrder(o.orderNo);
      expect(order?.status).toBe('PAY_COMPLETE');
      if (order === undefined) continue;
      expect(historyProblems(order)).toEqual([]);
      expect(order.history.filter((h) => h.to === 'EXECUTING')).toHaveLength(1);
      expect(order.execAttempts).toBe(1);
      expect(order.history.filter((h) => h.to === 'PAY_COMPLETE')).toHaveLength(1);
    }
  }, 120_000);
});
