/**
 * THE control API of the sandbox (`/sandbox/…`): every route, its body and what it does. The
 * sandbox dispatches its control requests through this table (server.ts: one handler per entry,
 * which its type requires), the typed client is control.ts, and docs/reference/sandbox.md is
 * generated from it (`npm run docs`).
 */
import { z } from 'zod';
import { faultSchema } from './faults.ts';
import { approveOptionsSchema } from './methods.ts';

/** `POST /sandbox/clock`. */
export const clockSchema = z.object({ advanceSeconds: z.number().min(0).max(10 * 365 * 24 * 3600).describe('Seconds to move the clock forward.') });

/** `POST /sandbox/payments/{payToken}/refund`: a refund made in Toss's console. */
export const consoleRefundSchema = z.object({
  amount: z.int().min(1).optional().describe('Absent: everything left.'),
  amountTaxFree: z.int().min(0).optional(),
  amountTaxable: z.int().min(0).optional(),
  amountVat: z.int().min(0).optional(),
  amountServiceFee: z.int().min(0).optional(),
});

export interface ControlRoute {
  readonly method: 'GET' | 'POST' | 'DELETE';
  /** `{payToken}` and `{id}` are path parameters. */
  readonly path: string;
  /** The JSON body it reads, if any (an empty body is `{}`). */
  readonly body?: z.ZodType;
  /** What it does and answers. */
  readonly does: string;
}

export const CONTROL_ROUTES = {
  health: { method: 'GET', path: '/sandbox/health', does: 'Liveness: `{ok, payments, settleAfterSeconds}`.' },
  listPayments: {
    method: 'GET',
    path: '/sandbox/payments',
    does:
      '`{payments: [{payToken, orderNo, mode, payStatus, cardNumber, accountNumber, cardBinNumber, forgotten}]}`: every payment created since start, in creation order, with the card number and BIN or the account number Toss reported (null until paid). A reset keeps them here with `forgotten: true`, so a leak check sees every payToken of a run.',
  },
  getPayment: { method: 'GET', path: '/sandbox/payments/{payToken}', does: "The payment's whole record, with `calls` and `maxConcurrent` per Toss API and its state `history`." },
  approve: {
    method: 'POST',
    path: '/sandbox/payments/{payToken}/approve',
    body: approveOptionsSchema,
    does: "The checkout page's pay button, with what the buyer picked: `{redirect}` (where the browser goes). A choice Toss would not take: 400 `INVALID_APPROVE_OPTIONS`.",
  },
  quit: { method: 'POST', path: '/sandbox/payments/{payToken}/quit', does: "The checkout page's quit button (the payment becomes PAY_CANCEL): `{redirect}` (retCancelUrl)." },
  refund: {
    method: 'POST',
    path: '/sandbox/payments/{payToken}/refund',
    body: consoleRefundSchema,
    does:
      "A refund made at Toss without the merchant's API, as in Toss's console: Toss's refund reply. Nobody is told; only the status API's `transactions[]` shows it. Refused (nothing or less left, a refund running): 409 with Toss's code.",
  },
  settle: {
    method: 'POST',
    path: '/sandbox/payments/{payToken}/settle',
    does:
      'Toss settles the payment now (정산): SETTLEMENT_COMPLETE, or SETTLEMENT_REFUND_COMPLETE with refunds; answers the record. 409 `NOT_PAID`, `ALREADY_SETTLED` or `TRANSACTION_PENDING_ERROR`. The sandbox also settles by itself, TOSS_SANDBOX_SETTLE_AFTER_SECONDS after money moved.',
  },
  callbackBody: {
    method: 'GET',
    path: '/sandbox/payments/{payToken}/callback-body',
    does: 'The exact V2 callback body Toss sends for this paid payment, to deliver duplicates yourself; 409 `NOT_PAID` before payment.',
  },
  callbacks: { method: 'GET', path: '/sandbox/callbacks', does: 'Every callback attempt, `{callbacks}`; `?payToken=` or `?orderNo=` narrows them.' },
  getClock: { method: 'GET', path: '/sandbox/clock', does: 'The sandbox clock: `{now, nowMs, offsetSeconds, pendingTasks}`.' },
  advanceClock: {
    method: 'POST',
    path: '/sandbox/clock',
    body: clockSchema,
    does: 'Moves the clock forward; expiries, callback retries and settlements that came due run before it answers (as GET).',
  },
  listFaults: { method: 'GET', path: '/sandbox/faults', does: 'The faults in force, `{faults}`, each with its `id` and `hits`.' },
  addFaults: { method: 'POST', path: '/sandbox/faults', body: z.union([faultSchema, z.array(faultSchema)]), does: 'Adds one fault or a list (below): `{faults}` with their ids.' },
  clearFaults: { method: 'DELETE', path: '/sandbox/faults', does: 'Clears every fault.' },
  removeFault: { method: 'DELETE', path: '/sandbox/faults/{id}', does: 'Clears one fault; 404 `NOT_FOUND` for an unknown id.' },
  reset: { method: 'POST', path: '/sandbox/reset', does: 'Forgets every payment, callback attempt and fault and resets the clock (only `GET /sandbox/payments` still lists the forgotten payments).' },
} as const satisfies Record<string, ControlRoute>;

export type ControlRouteId = keyof typeof CONTROL_ROUTES;

/** The route a request is for, with its path parameters; undefined when none matches. */
export function matchControlRoute(method: string, path: string): { id: ControlRouteId; params: Record<string, string> } | undefined {
  const parts = path.split('/').filter((x) => x !== '');
  for (const [id, r] of Object.entries(CONTROL_ROUTES) as [ControlRouteId, ControlRoute][]) {
    if (r.method !== method) continue;
    const want = r.path.split('/').filter((x) => x !== '');
    if (want.length !== parts.length) continue;
    const params: Record<string, string> = {};
    const ok = want.every((w, i) => {
      const got = parts[i] ?? '';
      if (w.startsWith('{') && w.endsWith('}')) {
        params[w.slice(1, -1)] = decodeURIComponent(got);
        return true;
      }
      return w === got;
    });
    if (ok) return { id, params };
  }
  return undefined;
}
