/**
 * The sandbox's control API (`/sandbox/*`), for tests, benchmarks and people: a payment's record,
 * approving, quitting, settling or refunding it as Toss's buyer, console or schedule would, its
 * callback's body, the callbacks sent, the clock, the faults, and a reset. Its routes are one
 * table (control-routes.ts: docs/reference/sandbox.md is generated from it); its typed client:
 * control-client.ts.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Callbacks } from './callbacks.ts';
import { kst, type Clock } from './clock.ts';
import { clockSchema, consoleRefundSchema, CONTROL_ROUTES, matchControlRoute, type ControlRouteId } from './control-routes.ts';
import type { FaultBook } from './faults.ts';
import { readJson, sendJson } from './http.ts';
import { approveOptionsSchema } from './methods.ts';
import { callbackBody, paymentRecord, refundReply } from './replies.ts';
import type { Payment, Store, TaxParts } from './store.ts';
import { describeIssues } from './validation.ts';

/** What the control API works on: the sandbox's state. */
export interface ControlApiParts {
  store: Store;
  callbacks: Callbacks;
  clock: Clock;
  faults: FaultBook;
}

/** The handler of the control API: each request dispatched through THE table of control routes (control-routes.ts). */
export function controlApi({ store, callbacks, clock, faults }: ControlApiParts): (req: IncomingMessage, res: ServerResponse, path: string, query: URLSearchParams) => Promise<void> {
  // One handler per entry of the table.
  type ControlHandler = (req: IncomingMessage, res: ServerResponse, params: Record<string, string>, query: URLSearchParams) => Promise<void> | void;
  const ctlError = (res: ServerResponse, status: number, code: string, message: string): void => sendJson(res, status, { error: message, code });
  /** The payment a `{payToken}` route names; undefined (answered 404) when the sandbox has none. */
  const paymentOf = (res: ServerResponse, payToken: string | undefined): Payment | undefined => {
    const p = store.get(payToken ?? '');
    if (p === undefined) ctlError(res, 404, 'TRANSACTION_NOT_FOUND', `unknown payToken ${payToken ?? ''}`);
    return p;
  };
  const clockReply = (res: ServerResponse): void => {
    const now = clock.now();
    sendJson(res, 200, { now: kst(now), nowMs: now, offsetSeconds: clock.offset / 1000, pendingTasks: clock.pending });
  };
  const controlHandlers: Record<ControlRouteId, ControlHandler> = {
    health: (_req, res) => sendJson(res, 200, { ok: true, payments: store.size, settleAfterSeconds: store.settleAfterMs / 1000 }),
    // Every payToken and card or account number handed out since start (also after a reset):
    // what a leak check of the merchant's logs looks for.
    listPayments: (_req, res) => sendJson(res, 200, { payments: store.issued() }),
    getPayment: (_req, res, { payToken }) => {
      const p = paymentOf(res, payToken);
      if (p !== undefined) sendJson(res, 200, paymentRecord(p));
    },
    approve: async (req, res, { payToken }) => {
      const p = paymentOf(res, payToken);
      if (p === undefined) return;
      const v = approveOptionsSchema.safeParse(await readJson(req));
      if (!v.success) return ctlError(res, 400, 'INVALID_REQUEST', describeIssues(v.error));
      const r = store.approve(p, v.data);
      return r.ok ? sendJson(res, 200, { redirect: r.redirect }) : ctlError(res, r.http, r.errorCode, r.msg);
    },
    // The exact V2 body Toss sends for this payment: for tests and benchmarks that deliver
    // callbacks themselves (duplicates, storms) instead of waiting for the sandbox's own.
    callbackBody: (_req, res, { payToken }) => {
      const p = paymentOf(res, payToken);
      if (p === undefined) return;
      if (p.paidMs === undefined) return ctlError(res, 409, 'NOT_PAID', `payment ${payToken ?? ''} is not paid: Toss sends no callback`);
      sendJson(res, 200, callbackBody(p));
    },
    // Toss pays the money out now (the sandbox also does on its own, settleAfterMs after it moved).
    settle: (_req, res, { payToken }) => {
      const p = paymentOf(res, payToken);
      if (p === undefined) return;
      const r = store.settle(p);
      return r.ok ? sendJson(res, 200, paymentRecord(p)) : ctlError(res, r.http, r.errorCode, r.msg);
    },
    quit: (_req, res, { payToken }) => {
      const p = paymentOf(res, payToken);
      if (p === undefined) return;
      const r = store.quit(p);
      return r.ok ? sendJson(res, 200, { redirect: r.redirect }) : ctlError(res, r.http, r.errorCode, r.msg);
    },
    // A refund made at Toss without the merchant's API (as in Toss's merchant console): Toss
    // numbers it itself and tells nobody; only the status API's transactions[] show it.
    refund: async (req, res, { payToken }) => {
      const p = paymentOf(res, payToken);
      if (p === undefined) return;
      const v = consoleRefundSchema.safeParse(await readJson(req));
      if (!v.success) return ctlError(res, 400, 'INVALID_REQUEST', describeIssues(v.error));
      const amount = v.data.amount ?? p.refundableAmount;
      const r = store.beginRefund(p, { payToken: p.payToken, idempotent: true, amount, ...consoleParts(p, amount, v.data) });
      // Toss's refusals are HTTP 200 with code -1 on its API; here a refusal is a 409 with its errorCode.
      if (!r.ok) return ctlError(res, r.http >= 400 ? r.http : 409, r.errorCode, r.msg);
      if (r.replay !== undefined) return sendJson(res, 200, r.replay);
      return sendJson(res, 200, store.completeRefund(p, r.plan, refundReply));
    },
    callbacks: (_req, res, _params, query) =>
      sendJson(res, 200, { callbacks: callbacks.list({ payToken: query.get('payToken') ?? undefined, orderNo: query.get('orderNo') ?? undefined }) }),
    getClock: (_req, res) => clockReply(res),
    advanceClock: async (req, res) => {
      const v = clockSchema.safeParse(await readJson(req));
      if (!v.success) return ctlError(res, 400, 'INVALID_REQUEST', describeIssues(v.error));
      clock.advance(Math.round(v.data.advanceSeconds * 1000));
      clockReply(res);
    },
    listFaults: (_req, res) => sendJson(res, 200, { faults: faults.list() }),
    addFaults: async (req, res) => {
      const v = CONTROL_ROUTES.addFaults.body.safeParse(await readJson(req));
      if (!v.success) return ctlError(res, 400, 'INVALID_REQUEST', describeIssues(v.error));
      sendJson(res, 200, { faults: (Array.isArray(v.data) ? v.data : [v.data]).map((f) => faults.add(f)) });
    },
    clearFaults: (_req, res) => {
      faults.clear();
      sendJson(res, 200, { cleared: true });
    },
    removeFault: (_req, res, { id }) =>
      faults.remove(Number(id)) ? sendJson(res, 200, { cleared: true }) : ctlError(res, 404, 'NOT_FOUND', `no fault ${id ?? ''}`),
    reset: (_req, res) => {
      store.reset();
      callbacks.reset();
      faults.clear();
      clock.reset();
      sendJson(res, 200, { reset: true });
    },
  };

  return async function control(req: IncomingMessage, res: ServerResponse, path: string, query: URLSearchParams): Promise<void> {
    const m = req.method ?? 'GET';
    const route = matchControlRoute(m, path);
    if (route === undefined) return ctlError(res, 404, 'NOT_FOUND', `no control route ${m} ${path}`);
    await controlHandlers[route.id](req, res, route.params, query);
  };
}

/**
 * The parts of a refund made in Toss's console: as given; else everything left of each part (the
 * whole balance), the one part anything is left in, or (no explicit parts) all taxable.
 */
function consoleParts(p: Payment, amount: number, given: Partial<TaxParts>): TaxParts | { amountTaxFree: number } {
  if (Object.values(given).some((x) => x !== undefined)) return { amountTaxFree: 0, ...given };
  if (amount === p.refundableAmount) return { ...p.remaining };
  if (!p.composite) return { amountTaxFree: 0 };
  const holders = (Object.keys(p.remaining) as (keyof TaxParts)[]).filter((k) => p.remaining[k] > 0);
  const only = holders.length === 1 ? holders[0] : undefined;
  return only === undefined ? { amountTaxFree: 0 } : { amountTaxFree: 0, amountTaxable: 0, amountVat: 0, amountServiceFee: 0, [only]: amount };
}
