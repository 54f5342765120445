/**
 * The sandbox's control API (`/sandbox/*`), for tests, benchmarks and people: a payment's record,
 * approving, quitting, settling or refunding it as Toss's buyer, console or schedule would, its
 * callback's body, the callbacks sent, the clock, the faults, and a reset. Its typed client:
 * control-client.ts.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { z } from 'zod';
import type { Callbacks } from './callbacks.ts';
import { kst, type Clock } from './clock.ts';
import { faultSchema, type FaultBook } from './faults.ts';
import { readJson, sendJson } from './http.ts';
import { approveOptionsSchema } from './methods.ts';
import { callbackBody, paymentRecord, refundReply } from './replies.ts';
import type { Payment, Store, TaxParts } from './store.ts';
import { describeIssues } from './validation.ts';

const clockSchema = z.object({ advanceSeconds: z.number().min(0).max(10 * 365 * 24 * 3600) });
const consoleRefundSchema = z.object({
  amount: z.int().min(1).optional(),
  amountTaxFree: z.int().min(0).optional(),
  amountTaxable: z.int().min(0).optional(),
  amountVat: z.int().min(0).optional(),
  amountServiceFee: z.int().min(0).optional(),
});

/** What the control API works on: the sandbox's state. */
export interface ControlApiParts {
  store: Store;
  callbacks: Callbacks;
  clock: Clock;
  faults: FaultBook;
}

/** The handler of the control API. */
export function controlApi({ store, callbacks, clock, faults }: ControlApiParts): (req: IncomingMessage, res: ServerResponse, path: string, query: URLSearchParams) => Promise<void> {
  return async function control(req: IncomingMessage, res: ServerResponse, path: string, query: URLSearchParams): Promise<void> {
    const m = req.method ?? 'GET';
    const ctlError = (status: number, code: string, message: string): void => sendJson(res, status, { error: message, code });
    const parts = path.split('/').filter((x) => x !== ''); // ['sandbox', ...]
    const [, section, id, action] = parts;

    if (section === 'health' && m === 'GET') return sendJson(res, 200, { ok: true, payments: store.size, settleAfterSeconds: store.settleAfterMs / 1000 });
    if (section === 'payments' && id === undefined && m === 'GET') {
      // Every payToken and card or account number handed out since start (also after a reset):
      // what a leak check of the merchant's logs looks for.
      return sendJson(res, 200, { payments: store.issued() });
    }
    if (section === 'payments' && id !== undefined) {
      const p = store.get(decodeURIComponent(id));
      if (p === undefined) return ctlError(404, 'TRANSACTION_NOT_FOUND', `unknown payToken ${id}`);
      if (action === undefined && m === 'GET') return sendJson(res, 200, paymentRecord(p));
      if (action === 'approve' && m === 'POST') {
        const v = approveOptionsSchema.safeParse(await readJson(req));
        if (!v.success) return ctlError(400, 'INVALID_REQUEST', describeIssues(v.error));
        const r = store.approve(p, v.data);
        return r.ok ? sendJson(res, 200, { redirect: r.redirect }) : ctlError(r.http, r.errorCode, r.msg);
      }
      if (action === 'callback-body' && m === 'GET') {
        // The exact V2 body Toss sends for this payment: for tests and benchmarks that deliver
        // callbacks themselves (duplicates, storms) instead of waiting for the sandbox's own.
        if (p.paidMs === undefined) return ctlError(409, 'NOT_PAID', `payment ${id} is not paid: Toss sends no callback`);
        return sendJson(res, 200, callbackBody(p));
      }
      if (action === 'settle' && m === 'POST') {
        // Toss pays the money out now (the sandbox also does on its own, settleAfterMs after it moved).
        const r = store.settle(p);
        return r.ok ? sendJson(res, 200, paymentRecord(p)) : ctlError(r.http, r.errorCode, r.msg);
      }
      if (action === 'quit' && m === 'POST') {
        const r = store.quit(p);
        return r.ok ? sendJson(res, 200, { redirect: r.redirect }) : ctlError(r.http, r.errorCode, r.msg);
      }
      if (action === 'refund' && m === 'POST') {
        // A refund made at Toss without the merchant's API (as in Toss's merchant console): Toss
        // numbers it itself and tells nobody; only the status API's transactions[] show it.
        const v = consoleRefundSchema.safeParse(await readJson(req));
        if (!v.success) return ctlError(400, 'INVALID_REQUEST', describeIssues(v.error));
        const amount = v.data.amount ?? p.refundableAmount;
        const r = store.beginRefund(p, { payToken: p.payToken, idempotent: true, amount, ...consoleParts(p, amount, v.data) });
        // Toss's refusals are HTTP 200 with code -1 on its API; here a refusal is a 409 with its errorCode.
        if (!r.ok) return ctlError(r.http >= 400 ? r.http : 409, r.errorCode, r.msg);
        if (r.replay !== undefined) return sendJson(res, 200, r.replay);
        return sendJson(res, 200, store.completeRefund(p, r.plan, refundReply));
      }
    }
    if (section === 'callbacks' && m === 'GET') {
      const filter = { payToken: query.get('payToken') ?? undefined, orderNo: query.get('orderNo') ?? undefined };
      return sendJson(res, 200, { callbacks: callbacks.list(filter) });
    }
    if (section === 'clock') {
      if (m === 'POST') {
        const v = clockSchema.safeParse(await readJson(req));
        if (!v.success) return ctlError(400, 'INVALID_REQUEST', describeIssues(v.error));
        clock.advance(Math.round(v.data.advanceSeconds * 1000));
      }
      if (m === 'POST' || m === 'GET') {
        const now = clock.now();
        return sendJson(res, 200, { now: kst(now), nowMs: now, offsetSeconds: clock.offset / 1000, pendingTasks: clock.pending });
      }
    }
    if (section === 'faults') {
      if (m === 'GET' && id === undefined) return sendJson(res, 200, { faults: faults.list() });
      if (m === 'POST' && id === undefined) {
        const raw = await readJson(req);
        const v = z.union([faultSchema, z.array(faultSchema)]).safeParse(raw);
        if (!v.success) return ctlError(400, 'INVALID_REQUEST', describeIssues(v.error));
        const added = (Array.isArray(v.data) ? v.data : [v.data]).map((f) => faults.add(f));
        return sendJson(res, 200, { faults: added });
      }
      if (m === 'DELETE') {
        if (id === undefined) {
          faults.clear();
          return sendJson(res, 200, { cleared: true });
        }
        return faults.remove(Number(id)) ? sendJson(res, 200, { cleared: true }) : ctlError(404, 'NOT_FOUND', `no fault ${id}`);
      }
    }
    if (section === 'reset' && m === 'POST') {
      store.reset();
      callbacks.reset();
      faults.clear();
      clock.reset();
      return sendJson(res, 200, { reset: true });
    }
    ctlError(404, 'NOT_FOUND', `no control route ${m} ${path}`);
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
