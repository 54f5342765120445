/**
 * Fault injection on every Toss endpoint the product calls (v2/payments, v2/execute, v2/status;
 * v1/cancel is never called) × every fault (HTTP 5xx, HTTP 429, a final `code: -1` refusal, a
 * transient `code: -1` errorCode, hang, lost reply): each journey runs with its fault on, then
 * faults are cleared, create leases lapse, the reconciler settles what it can, Toss's waiting
 * payments expire on the sandbox clock, the reconciler runs again, and every order is in its true
 * state: the state Toss records for it, or CREATE_FAILED when Toss has no payment. Toss's execute
 * is never called more often than the order counts (`execAttempts`), nor twice at once.
 * Every case runs at once, each with faults scoped to its own orderNo.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { advanceClock, approve, clearFaults, setFault, type Fault } from '../../local/toss-sandbox/control-client.ts';
import { modeOf } from '../../local/toss-sandbox/server.ts';
import type { Order } from '../../shared/domain/order.ts';
import { isPaid } from '../../shared/domain/states.ts';
import { historyProblems, locksLapsed, startReconciler, truthOf, type Reconciler } from '../support/reliability.ts';
import { newOrderNo, PAYMENTS_ALONE, startStack, type HttpReply, type Stack } from '../support/stack.ts';

let s: Stack;
let rec: Reconciler;
/** The passes once the faults are cleared: a slow reply then is the machine's load, not a fault (the production timeout). */
let cleared: Reconciler;
beforeAll(async () => {
  // Hangs make the client wait its timeout: keep it short. The execute lock of production
  // (shared/config.ts) outlives the test: a hung execute is never executed again, and Toss expires it.
  s = await startStack({ TOSS_TIMEOUT_MS: '1000', EXECUTE_LOCK_GRACE_MS: '15000', POWERTOOLS_LOG_LEVEL: 'ERROR', POWERTOOLS_METRICS_DISABLED: 'true' }, PAYMENTS_ALONE);
  rec = startReconciler(s);
  cleared = startReconciler(s, 15_000);
});
afterAll(async () => {
  rec?.close();
  cleared?.close();
  await s?.stop();
});

/** `refusal`: a final code -1; `transient`: a code -1 Toss documents as "try later"; `http429`: throttled. */
type Kind = 'http5xx' | 'http429' | 'refusal' | 'transient' | 'hang' | 'lose-reply';
type Endpoint = 'payments' | 'execute' | 'status';

/** Final refusals Toss gives for a create and an execute. */
const REFUSAL: Record<Endpoint, string> = { payments: 'COMMON_INVALID_PARAMETER', execute: 'CARD_NOT_ENOUGH_BALANCE', status: 'COMMON_INVALID_PARAMETER' };

function faultOf(target: Endpoint, kind: Kind, orderNo: string): Fault {
  switch (kind) {
    case 'refusal':
      return { target, kind: 'error', errorCode: REFUSAL[target], msg: '거절되었습니다.', orderNo };
    case 'transient':
      return { target, kind: 'error', errorCode: 'COMMON_SYSTEM_ERROR', msg: '일시적인 오류입니다.', orderNo };
    case 'http429':
      return { target, kind: 'error', errorCode: 'TOO_MANY_REQUESTS', msg: '요청이 너무 많습니다.', status: 429, orderNo };
    case 'http5xx':
      return { target, kind, status: 503, orderNo };
    default:
      return { target, kind, orderNo };
  }
}

interface Case {
  name: string;
  endpoint: Endpoint;
  kind: Kind;
  autoExecute: boolean;
  /** What the merchant's create call answers. */
  createStatus: number;
  /** What the buyer's return page says (undefined: the buyer never gets to pay). */
  page?: '결제 완료' | '결제 실패' | '결제 확인 중';
  /** The order's possible states right after the journey, before any reconciliation. */
  during: Order['status'][];
  /** The order's state after the final reconciliation (= Toss's). */
  final: Order['status'];
  /** Toss's execute calls for the order in the end. */
  executes: number;
}

// An execute that failed for sure (5xx, 429, a transient errorCode) is over and Toss did nothing:
// the next reconciler pass that sees Toss still PAY_APPROVED executes again, under a new lock. The
// pass while the fault is still on does (and fails again); the pass after it is cleared succeeds.
const executeFailedForSure = (kind: 'http5xx' | 'http429' | 'transient'): Case => ({
  name: `execute ${kind}`,
  endpoint: 'execute',
  kind,
  autoExecute: false,
  createStatus: 201,
  page: '결제 확인 중',
  during: ['EXECUTING'],
  final: 'PAY_COMPLETE',
  executes: 3,
});

const cases: Case[] = [
  // v2/payments: Toss did nothing (5xx, 429, a refusal, a transient code, a hang) or created the
  // payment but the reply was lost. Toss created nothing: the order is CREATING until the
  // reconciler finds no payment for it (CREATE_FAILED), except a final refusal, at once.
  { name: 'create 5xx', during: ['CREATING'], endpoint: 'payments', kind: 'http5xx', autoExecute: true, createStatus: 502, final: 'CREATE_FAILED', executes: 0 },
  { name: 'create 429', during: ['CREATING'], endpoint: 'payments', kind: 'http429', autoExecute: true, createStatus: 503, final: 'CREATE_FAILED', executes: 0 },
  { name: 'create code -1, refused', during: ['CREATE_FAILED'], endpoint: 'payments', kind: 'refusal', autoExecute: true, createStatus: 422, final: 'CREATE_FAILED', executes: 0 },
  { name: 'create code -1, transient', during: ['CREATING'], endpoint: 'payments', kind: 'transient', autoExecute: true, createStatus: 503, final: 'CREATE_FAILED', executes: 0 },
  { name: 'create hang', during: ['CREATING'], endpoint: 'payments', kind: 'hang', autoExecute: true, createStatus: 504, final: 'CREATE_FAILED', executes: 0 },
  // Toss holds a payment nobody can pay (the merchant never got the checkout page): it expires.
  { name: 'create reply lost', during: ['CREATING'], endpoint: 'payments', kind: 'lose-reply', autoExecute: true, createStatus: 504, final: 'PAY_CANCEL', executes: 0 },
  // v2/execute (autoExecute=false, from the return landing).
  executeFailedForSure('http5xx'),
  executeFailedForSure('http429'),
  executeFailedForSure('transient'),
  // A final refusal: Toss keeps the payment approved, unexecuted, until it expires.
  { name: 'execute code -1, refused', during: ['EXECUTE_FAILED'], endpoint: 'execute', kind: 'refusal', autoExecute: false, createStatus: 201, page: '결제 실패', final: 'PAY_CANCEL', executes: 1 },
  // No reply: the lock stays until the call is surely over (longer than this test runs), so no
  // one executes again; Toss never executed it and expires it.
  { name: 'execute hang', during: ['EXECUTING'], endpoint: 'execute', kind: 'hang', autoExecute: false, createStatus: 201, page: '결제 확인 중', final: 'PAY_CANCEL', executes: 1 },
  { name: 'execute reply lost', during: ['EXECUTING', 'PAY_COMPLETE'], endpoint: 'execute', kind: 'lose-reply', autoExecute: false, createStatus: 201, page: '결제 확인 중', final: 'PAY_COMPLETE', executes: 1 },
  // v2/status (read-only: a lost reply is a hang to the client; the sandbox refuses lose-reply on it).
  // Both the callback and the landing cannot confirm; the reconciler does once Toss answers again.
  ...(['http5xx', 'http429', 'transient', 'hang'] as const).flatMap((kind): Case[] => [
    { name: `status ${kind}, autoExecute`, endpoint: 'status', kind, autoExecute: true, createStatus: 201, page: '결제 확인 중', during: ['PAY_STANDBY'], final: 'PAY_COMPLETE', executes: 0 },
    { name: `status ${kind}, execute later`, endpoint: 'status', kind, autoExecute: false, createStatus: 201, page: '결제 확인 중', during: ['PAY_STANDBY'], final: 'PAY_COMPLETE', executes: 1 },
  ]),
];

interface Ran {
  c: Case;
  orderNo: string;
  create: HttpReply;
  page?: HttpReply;
}

async function runJourney(c: Case): Promise<Ran> {
  const orderNo = newOrderNo(c.endpoint);
  const amount = 24_000;
  if (c.endpoint !== 'execute') await setFault(s.sandbox.url, faultOf(c.endpoint, c.kind, orderNo));
  const create = await s.createPayment({ orderNo, amount, amountTaxFree: 0, productDesc: c.name, autoExecute: c.autoExecute, expiresInMinutes: 5 });
  if (create.status !== 201) return { c, orderNo, create };
  const { redirect } = await approve(s.sandbox.url, String(create.json.payToken), 'CARD');
  if (c.endpoint === 'execute') await setFault(s.sandbox.url, faultOf(c.endpoint, c.kind, orderNo));
  const page = await s.visit(redirect);
  return { c, orderNo, create, page };
}

/** Order vs truth. `final`: exact; otherwise an order may wait for Toss to expire a payment it will not execute again. */
async function disagreement(orderNo: string, final: boolean): Promise<string | undefined> {
  const o = await s.readOrder(orderNo);
  const t = await truthOf(s, orderNo);
  if (o === undefined) return `${orderNo}: no order`;
  const problems = historyProblems(o);
  if (problems.length > 0) return problems.join('; ');
  if (isPaid(o.status) && (t === undefined || !isPaid(t.payStatus as Order['status']) || t.amount !== o.amount || t.mode !== modeOf(s.apiKey)))
    return `${orderNo}: ${o.status} but Toss says ${t?.payStatus ?? 'no payment'}`;
  if (t !== undefined && (t.calls.execute ?? 0) > (o.execAttempts ?? 0)) return `${orderNo}: executed ${t.calls.execute} times, ${o.execAttempts ?? 0} attempts recorded`;
  if (t !== undefined && (t.maxConcurrent.execute ?? 0) > 1) return `${orderNo}: ${t.maxConcurrent.execute} executes at once`;
  if (t === undefined) return o.status === 'CREATE_FAILED' ? undefined : `${orderNo}: ${o.status} but Toss has no payment`;
  if (o.status === t.payStatus) return undefined;
  if (!final && t.payStatus === 'PAY_APPROVED' && (o.status === 'EXECUTING' || o.status === 'EXECUTE_FAILED')) return undefined;
  return `${orderNo}: ${o.status} but Toss says ${t.payStatus}`;
}

describe('fault injection on every Toss endpoint', () => {
  it(`${cases.length} journeys with faults, then reconciliation: every order in its true state`, async () => {
    const ran = await Promise.all(cases.map(runJourney));

    // What the merchant and the buyer saw while Toss misbehaved: never a page error, never a 500.
    const seen = ran.map((r) => ({ case: r.c.name, create: r.create.status, page: r.page?.status, says: r.c.page !== undefined && r.page?.text.includes(r.c.page) }));
    expect(seen).toEqual(ran.map((r) => ({ case: r.c.name, create: r.c.createStatus, page: r.c.page === undefined ? undefined : 200, says: r.c.page !== undefined })));
    // The faults bit: the orders are left where the product leaves an unknown or refused outcome.
    const during = await Promise.all(ran.map(async (r) => ({ case: r.c.name, status: (await s.readOrder(r.orderNo))?.status })));
    expect(during.filter((d, i) => d.status === undefined || !cases[i]?.during.includes(d.status))).toEqual([]);

    // A pass while the faults are still on changes nothing it cannot confirm and never throws.
    await rec.pass();
    await clearFaults(s.sandbox.url);
    // The reconciler leaves a CREATING order alone while an attempt's create lease is live.
    await locksLapsed(s, ran.map((r) => r.orderNo), ['create lease']);
    // A day after the pass with the faults on, as one reconciler's passes follow each other.
    await cleared.pass({ atLeast: rec.now() + 24 * 3_600_000 });
    const phase1 = await Promise.all(ran.map((r) => disagreement(r.orderNo, false)));
    expect(phase1.filter((d) => d !== undefined)).toEqual([]);

    // Toss expires what is still waiting (and retries callbacks); the reconciler follows.
    await advanceClock(s.sandbox.url, 11 * 60);
    await cleared.pass();
    const phase2 = await Promise.all(ran.map((r) => disagreement(r.orderNo, true)));
    expect(phase2.filter((d) => d !== undefined)).toEqual([]);

    const finals = await Promise.all(
      ran.map(async (r) => {
        const t = await truthOf(s, r.orderNo);
        const o = await s.readOrder(r.orderNo);
        return { case: r.c.name, status: o?.status, tossHasIt: t !== undefined, executes: t?.calls.execute ?? 0, attempts: o?.execAttempts ?? 0 };
      }),
    );
    // Toss executes an autoExecute=false order once, or again after an execute that surely failed;
    // every call is one the order counts.
    expect(finals).toEqual(
      cases.map((c) => ({ case: c.name, status: c.final, tossHasIt: c.final !== 'CREATE_FAILED', executes: c.executes, attempts: c.executes })),
    );
  }, 120_000);
});
