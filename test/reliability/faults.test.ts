/**
 * Fault injection on every Toss endpoint the product calls (v2/payments, v2/execute, v2/status;
 * v1/cancel is never called) × every fault (HTTP 5xx, `code: -1`, hang, lost reply): each journey
 * runs with its fault on, then faults are cleared, the reconciler settles what it can, Toss's
 * waiting payments expire on the sandbox clock, the reconciler runs again, and every order is in
 * its true state: the state Toss records for it, or CREATE_FAILED when Toss has no payment.
 * Every case runs at once, each with faults scoped to its own orderNo.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { advanceClock, approve, clearFaults, setFault, type Fault } from '../../local/toss-sandbox/control.ts';
import { modeOf } from '../../local/toss-sandbox/server.ts';
import type { Order } from '../../shared/domain/order.ts';
import { isPaid } from '../../shared/domain/states.ts';
import { historyProblems, startReconciler, truthOf, type Reconciler } from '../support/reliability.ts';
import { newOrderNo, startStack, type HttpReply, type Stack } from '../support/stack.ts';

let s: Stack;
let rec: Reconciler;
beforeAll(async () => {
  // Hangs make the client wait its timeout: keep it short.
  s = await startStack({ TOSS_TIMEOUT_MS: '1000', POWERTOOLS_LOG_LEVEL: 'ERROR', POWERTOOLS_METRICS_DISABLED: 'true' });
  rec = startReconciler(s);
});
afterAll(async () => {
  rec?.close();
  await s?.stop();
});

type Kind = 'http5xx' | 'error' | 'hang' | 'lose-reply';
type Endpoint = 'payments' | 'execute' | 'status';

const faultOf = (target: Endpoint, kind: Kind, orderNo: string): Fault =>
  kind === 'error'
    ? { target, kind, errorCode: 'COMMON_SYSTEM_ERROR', msg: '일시적인 오류입니다.', orderNo }
    : kind === 'http5xx'
      ? { target, kind, status: 503, orderNo }
      : { target, kind, orderNo };

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
}

const cases: Case[] = [
  // v2/payments: Toss did nothing (5xx, -1, hang) or created the payment but the reply was lost.
  { name: 'create 5xx', during: ['CREATING'], endpoint: 'payments', kind: 'http5xx', autoExecute: true, createStatus: 502, final: 'CREATE_FAILED' },
  { name: 'create code -1', during: ['CREATE_FAILED'], endpoint: 'payments', kind: 'error', autoExecute: true, createStatus: 422, final: 'CREATE_FAILED' },
  { name: 'create hang', during: ['CREATING'], endpoint: 'payments', kind: 'hang', autoExecute: true, createStatus: 504, final: 'CREATE_FAILED' },
  // Toss holds a payment nobody can pay (the merchant never got the checkout page): it expires.
  { name: 'create reply lost', during: ['CREATING'], endpoint: 'payments', kind: 'lose-reply', autoExecute: true, createStatus: 504, final: 'PAY_CANCEL' },
  // v2/execute (autoExecute=false, from the return landing): never retried, so a payment whose
  // execute did not happen at Toss stays approved there until it expires.
  { name: 'execute 5xx', during: ['EXECUTING'], endpoint: 'execute', kind: 'http5xx', autoExecute: false, createStatus: 201, page: '결제 확인 중', final: 'PAY_CANCEL' },
  { name: 'execute code -1', during: ['EXECUTE_FAILED'], endpoint: 'execute', kind: 'error', autoExecute: false, createStatus: 201, page: '결제 실패', final: 'PAY_CANCEL' },
  { name: 'execute hang', during: ['EXECUTING'], endpoint: 'execute', kind: 'hang', autoExecute: false, createStatus: 201, page: '결제 확인 중', final: 'PAY_CANCEL' },
  { name: 'execute reply lost', during: ['EXECUTING', 'PAY_COMPLETE'], endpoint: 'execute', kind: 'lose-reply', autoExecute: false, createStatus: 201, page: '결제 확인 중', final: 'PAY_COMPLETE' },
  // v2/status (read-only: a lost reply is a hang to the client; the sandbox refuses lose-reply on it).
  // Both the callback and the landing cannot confirm; the reconciler does once Toss answers again.
  ...(['http5xx', 'error', 'hang'] as const).flatMap((kind): Case[] => [
    { name: `status ${kind}, autoExecute`, endpoint: 'status', kind, autoExecute: true, createStatus: 201, page: '결제 확인 중', during: ['PAY_STANDBY'], final: 'PAY_COMPLETE' },
    { name: `status ${kind}, execute later`, endpoint: 'status', kind, autoExecute: false, createStatus: 201, page: '결제 확인 중', during: ['PAY_STANDBY'], final: 'PAY_COMPLETE' },
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
  if (t !== undefined && (t.calls.execute ?? 0) > 1) return `${orderNo}: executed ${t.calls.execute} times`;
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
    await rec.pass();
    const phase1 = await Promise.all(ran.map((r) => disagreement(r.orderNo, false)));
    expect(phase1.filter((d) => d !== undefined)).toEqual([]);

    // Toss expires what is still waiting (and retries callbacks); the reconciler follows.
    await advanceClock(s.sandbox.url, 11 * 60);
    await rec.pass();
    const phase2 = await Promise.all(ran.map((r) => disagreement(r.orderNo, true)));
    expect(phase2.filter((d) => d !== undefined)).toEqual([]);

    const finals = await Promise.all(
      ran.map(async (r) => {
        const t = await truthOf(s, r.orderNo);
        return { case: r.c.name, status: (await s.readOrder(r.orderNo))?.status, tossHasIt: t !== undefined, executes: t?.calls.execute ?? 0 };
      }),
    );
    // Toss executes an autoExecute=false order once (the landing's call, whatever became of it), others never.
    const executesOf = (c: Case): number => (c.autoExecute || c.endpoint === 'payments' ? 0 : 1);
    expect(finals).toEqual(
      cases.map((c) => ({ case: c.name, status: c.final, tossHasIt: c.final !== 'CREATE_FAILED', executes: executesOf(c) })),
    );
  }, 120_000);
});
