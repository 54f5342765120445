/**
 * Model-based test (fast-check): random interleavings of merchant creates (and retried creates),
 * buyer actions on the checkout page (pay with 카드/토스머니, quit), Toss's callbacks and forged
 * ones, the buyer's landings (Toss's redirect or a bare URL), reconciler passes, Toss faults on
 * every endpoint and callback faults, and the sandbox clock moving on. The model of the truth is
 * the sandbox's own record. After EVERY step, for every order:
 *   - states only move forward (history: each entry one canTransition step from the last; the
 *     status never goes back from what was seen before);
 *   - a paid order is paid at Toss with the same payToken, orderNo, amount and our key's mode;
 *     PAY_CANCEL only when Toss cancelled it; CREATE_FAILED only when Toss has no payment;
 *   - Toss's execute was called at most once (never for autoExecute orders);
 *   - no reply is ever a 500, and no reply is a 5xx unless a Toss fault was set.
 * At the end of each sequence faults are cleared, the reconciler runs, waiting payments expire
 * and the reconciler runs again: every order is then exactly in Toss's state.
 *
 * MODEL_SEED reproduces a run (fast-check prints the seed and path of a failure); MODEL_RUNS
 * changes the number of sequences.
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  advanceClock,
  approve,
  callbackBody,
  clearFaults,
  listFaults,
  quit,
  resetSandbox,
  setFault,
  SandboxControlError,
  type Fault,
  type PayMethod,
} from '../../local/toss-sandbox/control.ts';
import { modeOf } from '../../local/toss-sandbox/server.ts';
import type { Order } from '../../shared/domain/order.ts';
import { isAtOrBeyond, isPaid, type OrderStatus } from '../../shared/domain/states.ts';
import { historyProblems, startReconciler, truthOf, type Reconciler } from '../support/reliability.ts';
import { newOrderNo, startStack, type HttpReply, type Stack } from '../support/stack.ts';

const SEED = process.env.MODEL_SEED !== undefined ? Number(process.env.MODEL_SEED) : Math.floor(Math.random() * 2 ** 31);
const RUNS = Number(process.env.MODEL_RUNS ?? 40);
const ORDERS_PER_RUN = 2;

let s: Stack;
let rec: Reconciler;
beforeAll(async () => {
  s = await startStack({ TOSS_TIMEOUT_MS: '1000', POWERTOOLS_LOG_LEVEL: 'CRITICAL', POWERTOOLS_METRICS_DISABLED: 'true' });
  rec = startReconciler(s);
});
afterAll(async () => {
  rec?.close();
  await s?.stop();
});

// ------------------------------------------------------------------------------------ actions

type Action =
  | { type: 'create'; i: number; autoExecute: boolean; amount: number; expiresInMinutes: number }
  | { type: 'pay'; i: number; method: PayMethod }
  | { type: 'quit'; i: number }
  | { type: 'land'; i: number; viaToss: boolean; landing: 'return' | 'cancel' }
  | { type: 'callback'; i: number; forge: 'none' | 'amount' | 'orderNo' }
  | { type: 'reconcile' }
  | { type: 'fault'; i: number; fault: Omit<Fault, 'orderNo'> }
  | { type: 'clearFaults' }
  | { type: 'tick'; seconds: number };

const ix = fc.integer({ min: 0, max: ORDERS_PER_RUN - 1 });
const apiFault = fc.oneof(
  fc.record({
    target: fc.constantFrom('payments' as const, 'execute' as const, 'status' as const),
    kind: fc.constantFrom('http5xx' as const, 'error' as const),
    times: fc.integer({ min: 1, max: 3 }),
  }),
  fc.record({ target: fc.constantFrom('payments' as const, 'execute' as const), kind: fc.constant('lose-reply' as const), times: fc.constant(1) }),
  fc.record({ target: fc.constantFrom('payments' as const, 'execute' as const, 'status' as const), kind: fc.constant('hang' as const), times: fc.constant(1) }),
);
const callbackFault = fc.oneof(
  fc.record({ target: fc.constant('callback' as const), kind: fc.constantFrom('drop' as const, 'fail' as const, 'duplicate' as const), times: fc.integer({ min: 1, max: 2 }) }),
  fc.record({ target: fc.constant('callback' as const), kind: fc.constant('delay' as const), ms: fc.integer({ min: 10, max: 300 }), times: fc.constant(1) }),
);
const withErrorCode = (f: { target: Fault['target']; kind: Fault['kind']; times?: number; ms?: number }): Omit<Fault, 'orderNo'> =>
  f.kind === 'error' ? { ...f, errorCode: 'COMMON_SYSTEM_ERROR', msg: '일시적인 오류입니다.' } : f;

const action: fc.Arbitrary<Action> = fc.oneof(
  { weight: 4, arbitrary: fc.record({ type: fc.constant('create' as const), i: ix, autoExecute: fc.boolean(), amount: fc.integer({ min: 100, max: 500_000 }), expiresInMinutes: fc.constantFrom(1, 10) }) },
  { weight: 4, arbitrary: fc.record({ type: fc.constant('pay' as const), i: ix, method: fc.constantFrom('CARD' as const, 'TOSS_MONEY' as const) }) },
  { weight: 1, arbitrary: fc.record({ type: fc.constant('quit' as const), i: ix }) },
  { weight: 4, arbitrary: fc.record({ type: fc.constant('land' as const), i: ix, viaToss: fc.boolean(), landing: fc.constantFrom('return' as const, 'cancel' as const) }) },
  { weight: 3, arbitrary: fc.record({ type: fc.constant('callback' as const), i: ix, forge: fc.constantFrom('none' as const, 'none' as const, 'amount' as const, 'orderNo' as const) }) },
  { weight: 3, arbitrary: fc.constant({ type: 'reconcile' as const }) },
  { weight: 3, arbitrary: fc.record({ type: fc.constant('fault' as const), i: ix, fault: fc.oneof(apiFault, callbackFault).map(withErrorCode) }) },
  { weight: 1, arbitrary: fc.constant({ type: 'clearFaults' as const }) },
  { weight: 1, arbitrary: fc.record({ type: fc.constant('tick' as const), seconds: fc.integer({ min: 5, max: 90 }) }) },
);

// ------------------------------------------------------------------------------------ one run

interface Slot {
  orderNo: string;
  created: boolean;
  autoExecute: boolean;
  /** Where Toss sent the buyer (approve / quit), if anywhere yet. */
  redirect?: string;
  /** The furthest state seen so far. */
  seen?: OrderStatus;
}

class Run {
  readonly slots: Slot[] = Array.from({ length: ORDERS_PER_RUN }, () => ({ orderNo: newOrderNo('m'), created: false, autoExecute: true }));
  readonly log: string[] = [];
  faultsSet = false;
  ticked = 0;

  /** Any reply: never a 500; no 5xx at all unless a Toss fault was set in this run. */
  reply(what: string, r: HttpReply): HttpReply {
    this.log.push(`  ${what} → ${r.status}`);
    if (r.status === 500 || (r.status >= 500 && !this.faultsSet)) throw new Error(`${what} answered ${r.status}: ${r.text.slice(0, 300)}`);
    return r;
  }

  async step(a: Action): Promise<void> {
    this.log.push(JSON.stringify(a));
    const slot = 'i' in a ? this.slots[a.i] : undefined;
    const order = slot?.created ? await s.readOrder(slot.orderNo) : undefined;
    switch (a.type) {
      case 'create': {
        if (slot === undefined) return;
        const wasCreated = slot.created;
        slot.created = true;
        if (!wasCreated) slot.autoExecute = a.autoExecute;
        // A merchant retry sends the very same request again (else it is a conflict, tested elsewhere).
        const body = { orderNo: slot.orderNo, amount: wasCreated ? (order?.amount ?? a.amount) : a.amount, amountTaxFree: 0, productDesc: 'model', autoExecute: slot.autoExecute, expiresInMinutes: wasCreated ? undefined : a.expiresInMinutes };
        if (wasCreated && order !== undefined) body.expiresInMinutes = Math.round((Date.parse(order.expiresAt) - Date.parse(order.createdAt)) / 60_000);
        const r = this.reply('create', await s.createPayment(body));
        if (![200, 201, 422, 502, 504].includes(r.status)) throw new Error(`create answered ${r.status}: ${r.text}`);
        return;
      }
      case 'pay':
      case 'quit': {
        if (slot === undefined || order?.payToken === undefined) return; // the buyer has no checkout page
        try {
          const { redirect } = a.type === 'pay' ? await approve(s.sandbox.url, order.payToken, a.method) : await quit(s.sandbox.url, order.payToken);
          slot.redirect = redirect;
          this.log.push(`  → ${redirect.replace(s.api, '')}`);
        } catch (e) {
          if (!(e instanceof SandboxControlError)) throw e; // not payable any more: the page says so
          this.log.push(`  checkout refused: ${e.code}`);
        }
        return;
      }
      case 'land': {
        if (slot === undefined || !slot.created) return;
        const url = a.viaToss && slot.redirect !== undefined ? slot.redirect : `${s.api}/payments/${a.landing}?orderNo=${encodeURIComponent(slot.orderNo)}`;
        const r = this.reply(`land ${url.replace(s.api, '')}`, await s.visit(url));
        if (r.status !== 200 && !(r.status === 404 && order === undefined)) throw new Error(`landing answered ${r.status}`);
        return;
      }
      case 'callback': {
        if (slot === undefined || order?.payToken === undefined) return;
        // Toss's own body for a paid payment; for an unpaid one (Toss sends none) a forged claim
        // that it was paid, with the real payToken, orderNo and amount: it must be refused.
        const paid = await callbackBody(s.sandbox.url, order.payToken).catch((e: unknown) => {
          if (e instanceof SandboxControlError && e.code === 'NOT_PAID') return undefined;
          throw e;
        });
        const body = paid ?? { status: 'PAY_COMPLETE', payToken: order.payToken, orderNo: slot.orderNo, amount: order.amount };
        if (a.forge === 'amount') body.amount = Number(body.amount) + 1;
        if (a.forge === 'orderNo') body.orderNo = this.slots[(a.i + 1) % ORDERS_PER_RUN]?.orderNo;
        const forged = a.forge !== 'none' || paid === undefined;
        const r = this.reply(`callback ${a.forge}${paid === undefined ? ' (unpaid at Toss)' : ''}`, await s.request('/payments/callback', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }));
        if (forged && r.status < 400) throw new Error(`forged callback (${a.forge}, paid at Toss: ${paid !== undefined}) accepted: ${r.status}`);
        return;
      }
      case 'reconcile': {
        const sum = await rec.pass();
        this.log.push(`  pass: examined ${sum.examined}, changed ${JSON.stringify(sum.changed)}, errors ${sum.errors}`);
        return;
      }
      case 'fault': {
        if (slot === undefined) return;
        this.faultsSet ||= a.fault.target !== 'callback';
        await setFault(s.sandbox.url, { ...a.fault, orderNo: slot.orderNo } as Fault);
        return;
      }
      case 'clearFaults':
        await clearFaults(s.sandbox.url);
        return;
      case 'tick': {
        // Keep the sandbox clock within a few minutes of ours, so creates stay valid.
        const seconds = Math.min(a.seconds, 300 - this.ticked);
        if (seconds <= 0) return;
        this.ticked += seconds;
        await advanceClock(s.sandbox.url, seconds);
        return;
      }
    }
  }

  /** The invariants, for every order of the run; `final`: also exactly Toss's state. */
  async check(final: boolean): Promise<void> {
    for (const slot of this.slots) {
      if (!slot.created) continue;
      const o = await s.readOrder(slot.orderNo);
      if (o === undefined) throw new Error(`${slot.orderNo}: created but not recorded`);
      const problems = historyProblems(o);
      if (problems.length > 0) throw new Error(problems.join('; '));
      if (slot.seen !== undefined && !isAtOrBeyond(o.status, slot.seen)) throw new Error(`${o.orderNo}: went back from ${slot.seen} to ${o.status}`);
      slot.seen = o.status;
      // Without a payToken the truth is looked up by orderNo through Toss's status API: not while
      // a status fault for this order is on (the final check always runs with faults cleared).
      if (o.payToken === undefined && (await listFaults(s.sandbox.url)).some((f) => f.target === 'status' && f.orderNo === o.orderNo)) continue;
      const t = await truthOf(s, o.orderNo, o.payToken);
      const d = disagreement(o, t, final);
      if (d !== undefined) throw new Error(`${o.orderNo}: ${d}`);
    }
  }
}

/** What is wrong with an order given Toss's record (undefined: nothing). */
function disagreement(o: Order, t: Awaited<ReturnType<typeof truthOf>>, final: boolean): string | undefined {
  const executes = t?.calls.execute ?? 0;
  if (executes > (o.autoExecute ? 0 : 1)) return `Toss execute called ${executes} times (autoExecute ${o.autoExecute})`;
  if (isPaid(o.status)) {
    if (t === undefined) return `${o.status} but Toss has no payment`;
    if (!isPaid(t.payStatus as OrderStatus)) return `${o.status} but Toss says ${t.payStatus}`;
    if (t.amount !== o.amount || t.mode !== modeOf(s.apiKey) || t.mode !== o.mode) return `paid with amount ${t.amount}/${o.amount}, mode ${t.mode}/${o.mode}`;
    if (t.payToken !== o.payToken || t.orderNo !== o.orderNo) return 'paid under another payToken or orderNo';
  }
  if (o.status === 'PAY_CANCEL' && t?.payStatus !== 'PAY_CANCEL') return `PAY_CANCEL but Toss says ${t?.payStatus ?? 'no payment'}`;
  if (o.status === 'CREATE_FAILED' && t !== undefined) return `CREATE_FAILED but Toss has a ${t.payStatus} payment`;
  if (o.payToken !== undefined && t !== undefined && o.payToken !== t.payToken) return `payToken ${o.payToken} but Toss's is ${t.payToken}`;
  if (!final) return undefined;
  if (t === undefined) return o.status === 'CREATE_FAILED' ? undefined : `${o.status} but Toss has no payment`;
  return o.status === t.payStatus ? undefined : `${o.status} but Toss says ${t.payStatus} after reconciliation`;
}

/** Final states reached over all sequences (printed: shows what the sequences explored). */
const finals: Record<string, number> = {};

async function runSequence(actions: Action[]): Promise<void> {
  const run = new Run();
  try {
    for (const a of actions) {
      await run.step(a);
      await run.check(false);
    }
    // Settle: Toss answers again, the reconciler runs, waiting payments expire, it runs again.
    await clearFaults(s.sandbox.url);
    await rec.pass();
    await run.check(false);
    await advanceClock(s.sandbox.url, 61 * 60);
    await rec.pass();
    await run.check(true);
    for (const slot of run.slots) if (slot.seen !== undefined) finals[slot.seen] = (finals[slot.seen] ?? 0) + 1;
  } catch (e) {
    throw new Error(`${(e as Error).message}\n  steps:\n${run.log.join('\n')}`, { cause: e });
  } finally {
    // Every order of the run is finished now (or the property failed): start the next from a clean Toss.
    await resetSandbox(s.sandbox.url);
  }
}

describe('model-based: random interleavings never break the invariants', () => {
  it(`${RUNS} random sequences (seed ${SEED})`, async () => {
    console.log(`model-based test: seed ${SEED} (MODEL_SEED=${SEED} reproduces it)`);
    await fc.assert(
      fc.asyncProperty(fc.array(action, { minLength: 3, maxLength: 20 }), runSequence),
      { numRuns: RUNS, seed: SEED, endOnFailure: true },
    );
    console.log(`model-based test: final states ${JSON.stringify(finals)}`);
    // The reconciler never failed on its own (Toss errors are warnings, not errors).
    expect(rec.logs.filter((l) => l.level === 'error')).toEqual([]);
  }, 240_000);
});
