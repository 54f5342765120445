/**
 * Toss sandbox: a faithful, controllable Toss Pay (pay.toss.im) server for local development,
 * tests and benchmarks. It behaves as docs/toss-pay.md describes the provider; state lives
 * in memory. This module starts it: its state, the server and the routes to toss-api.ts (the Toss
 * API), checkout-pages.ts (the buyer's pages, checkout.ts their HTML) and control-api.ts (the
 * /sandbox control API; control-client.ts its typed client). The rest: validation.ts (request
 * rules), store.ts (payments and state changes), clock.ts (movable clock and scheduler), replies.ts
 * (reply/callback bodies), callbacks.ts (delivery and retries), faults.ts (fault injection),
 * http.ts (reading requests, writing replies).
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
import { Callbacks, CALLBACK_TIMEOUT_MS } from './callbacks.ts';
import { checkoutPages } from './checkout-pages.ts';
import { Clock } from './clock.ts';
import { controlApi } from './control-api.ts';
import { FaultBook } from './faults.ts';
import { BadRequest, sendJson } from './http.ts';
import { errorBody } from './replies.ts';
import { DEFAULT_SETTLE_AFTER_MS, Store } from './store.ts';
import type { ApiName } from './store.ts';
import { tossApi } from './toss-api.ts';

// Named here too: the API's own (./toss-api.ts).
export { modeOf, RETRY_AFTER_SECONDS } from './toss-api.ts';

export const DEFAULT_API_KEY = 'sk_test_w5lNQylNqa5lNQe013Nq';
export const DEFAULT_PORT = 4010;

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

const TICK_MS = 500;

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

  const api = tossApi({ store, faults, apiKeys, publicUrl, sleep, held });
  const page = checkoutPages(store);
  const control = controlApi({ store, callbacks, clock, faults });

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
