/**
 * Toss sandbox: a faithful, controllable Toss Pay (pay.toss.im) server for local development,
 * tests and benchmarks. It behaves as docs/toss-pay.md describes the provider; state lives
 * in memory. Modules: validation.ts (request rules), store.ts (payments and state changes),
 * clock.ts (movable clock and scheduler), replies.ts (reply/callback bodies), callbacks.ts
 * (delivery and retries), faults.ts (fault injection), checkout.ts (buyer page), control.ts
 * (typed client of the /sandbox control API).
 *
 * Choices where the reference is silent (keep clients consistent with these):
 * - HTTP status: 400 + `COMMON_INVALID_PARAMETER` for a malformed request or a field breaking a rule
 *   (message names the field); 401 + `COMMON_INVALID_API_KEY` for a missing or unknown apiKey;
 *   404 + `TRANSACTION_NOT_FOUND` for a payToken/orderNo this apiKey does not own; business
 *   refusals are HTTP 200 with `code: -1` and a reference errorCode:
 *     execute in PAY_STANDBY → TRANSACTION_NOT_COMPLETE; in PAY_PROGRESS/REFUND_PROGRESS →
 *     TRANSACTION_PENDING_ERROR; cancelled or already paid → COMMON_PAY_ERROR;
 *     cancel after payment (or of a cancelled one) → PAY_CANCEL_ITS_NOT_CANCELABLE_STATUS;
 *     refund of an unpaid payment → TRANSACTION_NOT_COMPLETE; nothing left → REFUND_ALREADY_REFUNDED;
 *     over the balance or a tax part → COMMON_REFUND_ERROR; refundNo reused for a different
 *     request (or with idempotent false) → REFUND_REFUND_NO_DUPLICATE;
 *     create with an orderNo whose payment is PAY_APPROVED/PAY_PROGRESS → PAYMENT_EXISTING_PAYMENT,
 *     whose buyer ever authenticated otherwise → PAYMENT_DUPLICATION_ORDER_NO.
 * - orderNo reuse: allowed while no buyer ever authenticated; reusing the orderNo of a PAY_STANDBY
 *   payment cancels that payment (its checkout stops working) and creates a new payToken.
 * - Tax parts (Toss's create page): "explicit" (복합과세) when any of the four parts is non-zero; then
 *   all four must be given and add up to amount (400 COMMON_INVALID_PARAMETER otherwise, nothing
 *   created). None set: VAT = ceil(amount / 11), the rest taxable (0 VAT with cashReceipt false).
 *   Refunds of an explicit payment must name parts adding up to their amount (Toss's refund page),
 *   each within what is left of it (COMMON_REFUND_ERROR); other refunds derive VAT the same way and
 *   the last refund takes what is left.
 * - Settlement: money that moved is settled `settleAfterMs` later (default 2 days, sandbox clock):
 *   PAY_COMPLETE → SETTLEMENT_COMPLETE, REFUND_SUCCESS → SETTLEMENT_REFUND_COMPLETE. A settled
 *   payment takes refunds while refundableAmount > 0 (v1 availableActions lists REFUND).
 * - Cancel `reason`: at most 50 characters (Toss's limit); longer is 400 COMMON_INVALID_PARAMETER.
 * - Refund idempotency is per payment: "same request" means the same amount and tax parts.
 * - resultCallback is sent whenever a payment with one reaches PAY_COMPLETE, by autoExecute or by
 *   execute. retUrl gets `status`, `orderNo`, `payMethod` (and `bankCode` for 토스머니) appended to its
 *   own query; retCancelUrl is used as given.
 * - Status replies omit payMethod until the buyer picked one, and card/account fields and paidTs
 *   until paid; amounts are always integers (paidAmount/refundableAmount 0 before payment).
 *   v1 status = v2 fields + availableActions, hasOwner, metadata (when set).
 * - Requests may be JSON or form-encoded (the provider's Python/Ruby examples send forms).
 * - What the buyer picks at approve (methods.ts: discount and points, the card's company, type, user
 *   type and instalments, the Toss Money bank) shows in the status, the execute and refund replies
 *   and the callback as Toss's money fields; the discount from approve on; a refund gives back the
 *   payment method's part first, then the discount (assumed: Toss's pages do not say).
 */
import http from 'node:http';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { z } from 'zod';
import { Callbacks, CALLBACK_TIMEOUT_MS } from './callbacks.ts';
import { checkoutHtml, messageHtml, won } from './checkout.ts';
import { Clock, kst } from './clock.ts';
import { clockSchema, consoleRefundSchema, CONTROL_ROUTES, matchControlRoute, type ControlRouteId } from './control-routes.ts';
import { FaultBook } from './faults.ts';
import type { Fault } from './faults.ts';
import { approveOptionsSchema, optionsFromForm } from './methods.ts';
import { callbackBody, errorBody, executeReply, paymentRecord, refundReply, statusV1, statusV2 } from './replies.ts';
import { DEFAULT_SETTLE_AFTER_MS, notFound, Store } from './store.ts';
import type { ApiName, Mode, Payment, Refusal, TaxParts } from './store.ts';
import {
  cancelSchema,
  coerceForm,
  createSchema,
  describeIssues,
  executeSchema,
  PAY_METHODS,
  refundSchema,
  statusSchema,
} from './validation.ts';

export const DEFAULT_API_KEY = 'sk_test_w5lNQylNqa5lNQe013Nq';
export const DEFAULT_PORT = 4010;
/** `Retry-After` (seconds) of an injected 429 (`error` fault with `status: 429`). */
export const RETRY_AFTER_SECONDS = 1;

export interface SandboxOptions {
  port?: number;
  host?: string;
  apiKeys?: string[];
  /** Base of checkoutPage URLs when buyers reach the sandbox through another address. */
  publicUrl?: string;
  quiet?: boolean;
  /** Real-time timeout of one callback attempt (default 10 s, as Toss). */
  callbackTimeoutMs?: number;
  /** How long after money moved Toss settles it, on the sandbox clock (default: TOSS_SANDBOX_SETTLE_AFTER_SECONDS, else 2 days). */
  settleAfterMs?: number;
}

export interface Sandbox {
  url: string;
  port: number;
  close(): Promise<void>;
}

/** The variables `npm run sandbox` reads (docs/reference/configuration.md is generated from this). */
export const SANDBOX_VARIABLES = {
  TOSS_SANDBOX_PORT: { default: String(DEFAULT_PORT), description: 'Port of the sandbox (`npm start` passes its own).' },
  TOSS_SANDBOX_API_KEYS: {
    default: DEFAULT_API_KEY,
    description: 'Comma-separated Toss keys the sandbox accepts; any other gets 401 `COMMON_INVALID_API_KEY`. `npm start` passes TOSS_API_KEY.',
  },
  TOSS_SANDBOX_PUBLIC_URL: { default: "the sandbox's own URL", description: 'Base URL of the `checkoutPage` links (e.g. behind a tunnel; `npm run sandbox` only).' },
  TOSS_SANDBOX_SETTLE_AFTER_SECONDS: {
    default: String(DEFAULT_SETTLE_AFTER_MS / 1000),
    description: 'How long after money moved (a payment, a refund) the sandbox settles it, on its clock. `POST /sandbox/payments/{payToken}/settle` settles at once.',
  },
} as const;

/** Accepted keys: the option, else TOSS_SANDBOX_API_KEYS (comma-separated), else the docs' test key. */
export function resolveApiKeys(opt: string[] | undefined, env = process.env.TOSS_SANDBOX_API_KEYS): string[] {
  if (opt !== undefined && opt.length > 0) return opt;
  const fromEnv = (env ?? '').split(',').map((k) => k.trim()).filter((k) => k !== '');
  return fromEnv.length > 0 ? fromEnv : [DEFAULT_API_KEY];
}

/** The settlement delay: the option, else TOSS_SANDBOX_SETTLE_AFTER_SECONDS, else 2 days. */
export function resolveSettleAfterMs(opt: number | undefined, env = process.env.TOSS_SANDBOX_SETTLE_AFTER_SECONDS): number {
  if (opt !== undefined) return opt;
  if (env === undefined || env.trim() === '') return DEFAULT_SETTLE_AFTER_MS;
  const seconds = Number(env);
  if (!Number.isFinite(seconds) || seconds < 0) throw new Error(`TOSS_SANDBOX_SETTLE_AFTER_SECONDS must be a number of seconds (0 or more), got "${env}"`);
  return Math.round(seconds * 1000);
}

export const modeOf = (apiKey: string): Mode => (apiKey.startsWith('sk_test_') ? 'TEST' : 'LIVE');

const MAX_BODY = 1024 * 1024;
const TICK_MS = 500;

interface Reply {
  http: number;
  body: Record<string, unknown>;
}

class BadRequest extends Error {}

export async function startSandbox(opts: SandboxOptions = {}): Promise<Sandbox> {
  const host = opts.host ?? '127.0.0.1';
  const apiKeys = new Set(resolveApiKeys(opts.apiKeys));
  const quiet = opts.quiet ?? false;
  let baseUrl = '';
  const publicUrl = (): string => (opts.publicUrl ?? baseUrl).replace(/\/+$/, '');

  const clock = new Clock();
  const faults = new FaultBook();
  const store = new Store(clock, publicUrl, resolveSettleAfterMs(opts.settleAfterMs));
  const callbacks = new Callbacks(clock, faults, { quiet, timeoutMs: opts.callbackTimeoutMs ?? CALLBACK_TIMEOUT_MS });
  store.onPaid = (p) => callbacks.start(p);

  const held = new Set<ServerResponse>();
  const timers = new Set<NodeJS.Timeout>();
  const sleep = (ms: number): Promise<void> =>
    new Promise((resolve) => {
      const t = setTimeout(() => {
        timers.delete(t);
        resolve();
      }, ms);
      timers.add(t);
    });

  // ---------------------------------------------------------------- Toss API
  async function api(req: IncomingMessage, res: ServerResponse, name: ApiName, version: 1 | 2): Promise<void> {
    const body = await readParams(req);
    const apiKey = body.apiKey;
    if (typeof apiKey !== 'string' || !apiKeys.has(apiKey)) {
      return sendJson(res, 401, errorBody('COMMON_INVALID_API_KEY', '유효하지 않은 API Key입니다.'));
    }
    const payToken = typeof body.payToken === 'string' ? body.payToken : undefined;
    const orderNo = typeof body.orderNo === 'string' ? body.orderNo : undefined;
    const p =
      name === 'payments'
        ? undefined
        : store.find(apiKey, { payToken, orderNo: name === 'status' && payToken === undefined ? orderNo : undefined });
    if (p !== undefined) store.countCall(p, name);
    // In flight (maxConcurrent) until the sandbox is done with the call: its reply sent or its
    // socket cut, the bank leg of a slow execute or refund over even when the client gave up;
    // a hung call, until the client gives up and the connection closes.
    const done = p === undefined ? () => {} : store.beginCall(p, name);
    let doneOnClose = false;
    try {
      const hits = faults.match(name, { payToken: p?.payToken ?? payToken, orderNo: p?.orderNo ?? orderNo });
      const latencyMs = hits.filter((f) => f.kind === 'latency').reduce((s, f) => s + (f.ms ?? 0), 0);
      const wait = (): Promise<void> => (latencyMs > 0 ? sleep(latencyMs) : Promise.resolve());
      const terminal = hits.find((f) => f.kind === 'hang' || f.kind === 'http5xx' || f.kind === 'error');
      if (terminal !== undefined) {
        await wait();
        if (terminal.kind === 'hang' && !res.closed) {
          doneOnClose = true;
          res.on('close', done);
        }
        return terminalFault(res, terminal);
      }

      let reply: Reply;
      if (name === 'execute' || name === 'refunds') {
        // Latency here is the bank leg: the payment is *_PROGRESS meanwhile.
        reply = name === 'execute' ? await execute(body, p, wait) : await refund(body, p, wait);
      } else {
        await wait();
        reply = name === 'payments' ? create(apiKey, body) : name === 'cancel' ? cancel(body, p) : status(body, p, version);
      }
      if (hits.some((f) => f.kind === 'lose-reply')) {
        req.socket.destroy();
        return;
      }
      sendJson(res, reply.http, reply.body);
    } finally {
      if (!doneOnClose) done();
    }
  }

  function terminalFault(res: ServerResponse, f: Fault): void {
    if (f.kind === 'hang') {
      held.add(res);
      res.on('close', () => held.delete(res));
      return;
    }
    if (f.kind === 'http5xx') {
      return sendJson(res, f.status ?? 500, errorBody('COMMON_SYSTEM_ERROR', f.msg ?? '일시적인 오류가 발생했습니다.'));
    }
    const status = f.status ?? 200;
    // A throttling refusal tells the client when to come back, as a rate limiter does.
    const headers: Record<string, string> = status === 429 ? { 'Retry-After': String(RETRY_AFTER_SECONDS) } : {};
    sendJson(res, status, errorBody(f.errorCode ?? 'COMMON_SYSTEM_ERROR', f.msg ?? '샌드박스가 주입한 오류입니다.'), headers);
  }

  const refusal = (r: Refusal): Reply => ({ http: r.http, body: errorBody(r.errorCode, r.msg) });
  const invalid = (e: z.ZodError): Reply => ({ http: 400, body: errorBody('COMMON_INVALID_PARAMETER', describeIssues(e)) });

  function create(apiKey: string, body: Record<string, unknown>): Reply {
    const v = createSchema.safeParse(body);
    if (!v.success) return invalid(v.error);
    const r = store.create(apiKey, modeOf(apiKey), v.data);
    if (!r.ok) return refusal(r);
    store.countCall(r.payment, 'payments');
    return {
      http: 200,
      body: {
        code: 0,
        checkoutPage: `${publicUrl()}/payfront/auth?payToken=${r.payment.payToken}`,
        payToken: r.payment.payToken,
      },
    };
  }

  async function execute(body: Record<string, unknown>, p: Payment | undefined, wait: () => Promise<void>): Promise<Reply> {
    const v = executeSchema.safeParse(body);
    if (!v.success) return invalid(v.error);
    if (p === undefined) return refusal(notFound());
    const r = store.beginExecute(p, v.data.orderNo);
    await wait();
    if (!r.ok) return refusal(r);
    store.completeExecute(p);
    return { http: 200, body: executeReply(p) };
  }

  async function refund(body: Record<string, unknown>, p: Payment | undefined, wait: () => Promise<void>): Promise<Reply> {
    const v = refundSchema.safeParse(body);
    if (!v.success) return invalid(v.error);
    if (p === undefined) return refusal(notFound());
    const r = store.beginRefund(p, v.data);
    await wait();
    if (!r.ok) return refusal(r);
    if (r.replay !== undefined) return { http: 200, body: r.replay };
    return { http: 200, body: store.completeRefund(p, r.plan, refundReply) };
  }

  function cancel(body: Record<string, unknown>, p: Payment | undefined): Reply {
    const v = cancelSchema.safeParse(body);
    if (!v.success) return invalid(v.error);
    if (p === undefined) return refusal(notFound());
    const r = store.cancel(p, v.data.reason);
    return r.ok ? { http: 200, body: { code: 0 } } : refusal(r);
  }

  function status(body: Record<string, unknown>, p: Payment | undefined, version: 1 | 2): Reply {
    const v = statusSchema.safeParse(body);
    if (!v.success) return invalid(v.error);
    if (p === undefined) return refusal(notFound());
    return { http: 200, body: version === 1 ? statusV1(p) : statusV2(p) };
  }

  // ---------------------------------------------------------------- buyer pages
  async function page(req: IncomingMessage, res: ServerResponse, path: string, query: URLSearchParams): Promise<void> {
    if (req.method === 'GET' && path === '/payfront/auth') {
      const p = store.get(query.get('payToken') ?? '');
      if (p === undefined) return sendHtml(res, 404, messageHtml('토스페이', '존재하지 않는 결제입니다.'));
      return sendHtml(res, 200, checkoutHtml(p, p.mode === 'TEST' ? '테스트 결제' : '실거래'));
    }
    if (req.method === 'POST' && (path === '/payfront/auth/approve' || path === '/payfront/auth/quit')) {
      const form = await readParams(req);
      const p = store.get(typeof form.payToken === 'string' ? form.payToken : '');
      if (p === undefined) return sendHtml(res, 404, messageHtml('토스페이', '존재하지 않는 결제입니다.'));
      const method = PAY_METHODS.find((m) => m === form.payMethod);
      if (path.endsWith('/approve') && method === undefined) {
        return sendHtml(res, 400, messageHtml('토스페이', '결제수단을 선택해 주세요.'));
      }
      let r;
      if (method !== undefined && path.endsWith('/approve')) {
        const options = approveOptionsSchema.safeParse(optionsFromForm(form));
        if (!options.success) return sendHtml(res, 400, messageHtml('토스페이', describeIssues(options.error)));
        r = store.approve(p, options.data);
      } else r = store.quit(p);
      if (!r.ok) return sendHtml(res, r.http, messageHtml('토스페이', r.msg));
      res.writeHead(303, { Location: r.redirect, 'Cache-Control': 'no-store' }).end();
      return;
    }
    if (req.method === 'GET' && path === '/payfront/web/external/sales-check') {
      const p = store.get(query.get('payToken') ?? '');
      if (p === undefined || p.card === undefined) return sendHtml(res, 404, messageHtml('매출전표', '존재하지 않는 거래입니다.'));
      return sendHtml(
        res,
        200,
        messageHtml('매출전표', `${p.productDesc} ${won(p.amount)} ${p.card.cardCompanyName} ${p.card.cardNumber} 승인번호 ${p.card.cardAuthorizationNo}`),
      );
    }
    sendHtml(res, 404, messageHtml('토스페이', '페이지를 찾을 수 없습니다.'));
  }

  // ---------------------------------------------------------------- control API
  // Dispatched through THE table of control routes (control-routes.ts): one handler per entry.
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

  async function control(req: IncomingMessage, res: ServerResponse, path: string, query: URLSearchParams): Promise<void> {
    const m = req.method ?? 'GET';
    const route = matchControlRoute(m, path);
    if (route === undefined) return ctlError(res, 404, 'NOT_FOUND', `no control route ${m} ${path}`);
    await controlHandlers[route.id](req, res, route.params, query);
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

  // ---------------------------------------------------------------- routing
  const API_ROUTE = /^\/api\/v([12])\/(payments|execute|cancel|refunds|status)$/;

  async function route(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const u = new URL(req.url ?? '/', 'http://sandbox');
    const path = u.pathname.replace(/\/+$/, '') || '/';
    const m = API_ROUTE.exec(path);
    if (m !== null) {
      const version = m[1] === '1' ? 1 : 2;
      const name = m[2] as ApiName;
      if (name === 'cancel' && version === 2) return sendJson(res, 404, errorBody('COMMON_NOT_FOUND', `no API ${path}`));
      if (req.method !== 'POST') return sendJson(res, 405, errorBody('COMMON_INVALID_PARAMETER', 'POST only'));
      return api(req, res, name, version);
    }
    if (path === '/sandbox' || path.startsWith('/sandbox/')) return control(req, res, path, u.searchParams);
    if (path.startsWith('/payfront/')) return page(req, res, path, u.searchParams);
    sendJson(res, 404, errorBody('COMMON_NOT_FOUND', `no route ${req.method} ${path}`));
  }

  const server = http.createServer((req, res) => {
    route(req, res).catch((e: unknown) => {
      if (e instanceof BadRequest) {
        if (!res.headersSent) sendJson(res, 400, errorBody('COMMON_INVALID_PARAMETER', e.message));
        return;
      }
      console.error(JSON.stringify({ event: 'sandbox.error', error: String(e) }));
      if (!res.headersSent) sendJson(res, 500, errorBody('COMMON_SYSTEM_ERROR', '샌드박스 내부 오류입니다.'));
    });
  });
  server.keepAliveTimeout = 5_000;

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const addr = server.address();
  const port = typeof addr === 'object' && addr !== null ? addr.port : 0;
  baseUrl = `http://${host.includes(':') ? `[${host}]` : host}:${port}`;

  const tick = setInterval(() => clock.runDue(), TICK_MS);
  tick.unref();

  let closing: Promise<void> | undefined;
  return {
    url: baseUrl,
    port,
    close: () =>
      (closing ??= new Promise<void>((resolve) => {
        clearInterval(tick);
        for (const t of timers) clearTimeout(t);
        timers.clear();
        callbacks.close();
        for (const r of held) r.socket?.destroy();
        held.clear();
        server.close(() => resolve());
        server.closeAllConnections();
      })),
  };
}

// -------------------------------------------------------------------- HTTP helpers
function readRaw(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > MAX_BODY) {
        reject(new BadRequest('요청 본문이 너무 큽니다.'));
        req.destroy();
        return;
      }
      chunks.push(c);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

/** A Toss API or page request's parameters: JSON object or form-encoded. */
async function readParams(req: IncomingMessage): Promise<Record<string, unknown>> {
  const raw = await readRaw(req);
  const type = (req.headers['content-type'] ?? '').toLowerCase();
  if (type.startsWith('application/x-www-form-urlencoded')) return coerceForm(new URLSearchParams(raw));
  return parseObject(raw);
}

/** A control API request body (JSON; empty means `{}`). */
async function readJson(req: IncomingMessage): Promise<Record<string, unknown>> {
  return parseObject(await readRaw(req));
}

function parseObject(raw: string): Record<string, unknown> {
  if (raw.trim() === '') return {};
  let v: unknown;
  try {
    v = JSON.parse(raw);
  } catch {
    throw new BadRequest('요청 본문이 올바른 JSON이 아닙니다.');
  }
  if (typeof v !== 'object' || v === null) throw new BadRequest('요청 본문은 JSON 객체여야 합니다.');
  return v as Record<string, unknown>;
}

function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const s = JSON.stringify(body);
  res.writeHead(status, { ...headers, 'Content-Type': 'application/json;charset=UTF-8', 'Content-Length': Buffer.byteLength(s) });
  res.end(s);
}

function sendHtml(res: ServerResponse, status: number, html: string): void {
  res.writeHead(status, { 'Content-Type': 'text/html; charset=utf-8', 'Content-Length': Buffer.byteLength(html) });
  res.end(html);
}
