/**
 * Faults tests and benchmarks switch on through `POST /sandbox/faults`.
 *
 * API endpoints (`target` payments | execute | cancel | refunds | status):
 * - `latency` (`ms`): the reply comes `ms` later. For execute and refunds the delay is the bank leg:
 *   the payment shows PAY_PROGRESS / REFUND_PROGRESS meanwhile and the change completes afterwards.
 * - `http5xx` (`status`, default 500): nothing changes; HTTP 5xx with a COMMON_SYSTEM_ERROR body.
 * - `error` (`errorCode`, `msg`?, `status`?, default HTTP 200): nothing changes; `code: -1` reply.
 *   With `status: 429` (throttling, e.g. errorCode TOO_MANY_REQUESTS) the reply also carries
 *   `Retry-After: 1`.
 * - `hang`: nothing changes and no reply is ever sent; the socket stays open until the client gives up.
 * - `lose-reply` (payments, execute, cancel, refunds): the change is applied, then the socket is
 *   destroyed without a reply.
 * Callbacks (`target` callback):
 * - `drop`: the attempt is not sent and the sandbox treats it as delivered (no retries): the merchant
 *   never hears of the payment.
 * - `fail`: the attempt is not sent and counts as a failure, so the retry schedule goes on.
 * - `duplicate`: the attempt is sent twice at once.
 * - `delay` (`ms`): the attempt is sent `ms` (real time) later.
 * Every fault may name a `payToken` or an `orderNo` (else it matches every call) and `times`
 * (else it stays until cleared). Several faults can be active; see `FaultBook.match`.
 */
import { z } from 'zod';

export const API_TARGETS = ['payments', 'execute', 'cancel', 'refunds', 'status'] as const;
export type ApiTarget = (typeof API_TARGETS)[number];
export const FAULT_TARGETS = [...API_TARGETS, 'callback'] as const;
export type FaultTarget = (typeof FAULT_TARGETS)[number];
export const API_FAULT_KINDS = ['latency', 'http5xx', 'error', 'hang', 'lose-reply'] as const;
export const CALLBACK_FAULT_KINDS = ['drop', 'fail', 'duplicate', 'delay'] as const;

export const faultSchema = z
  .object({
    target: z.enum(FAULT_TARGETS),
    kind: z.enum([...API_FAULT_KINDS, ...CALLBACK_FAULT_KINDS]),
    ms: z.int().min(0).max(600_000).optional(),
    status: z.int().min(200).max(599).optional(),
    errorCode: z.string().min(1).max(100).optional(),
    msg: z.string().max(500).optional(),
    payToken: z.string().min(1).optional(),
    orderNo: z.string().min(1).optional(),
    times: z.int().min(1).optional(),
  })
  .superRefine((f, ctx) => {
    const isCallback = f.target === 'callback';
    const callbackKind = (CALLBACK_FAULT_KINDS as readonly string[]).includes(f.kind);
    if (isCallback !== callbackKind) {
      ctx.addIssue({
        code: 'custom',
        path: ['kind'],
        message: isCallback
          ? `callback faults are ${CALLBACK_FAULT_KINDS.join(', ')}`
          : `API faults are ${API_FAULT_KINDS.join(', ')}`,
      });
    }
    if ((f.kind === 'latency' || f.kind === 'delay') && f.ms === undefined) {
      ctx.addIssue({ code: 'custom', path: ['ms'], message: `required for ${f.kind}` });
    }
    if (f.kind === 'http5xx' && f.status !== undefined && f.status < 500) {
      ctx.addIssue({ code: 'custom', path: ['status'], message: 'must be 500-599 for http5xx' });
    }
    if (f.kind === 'error' && f.errorCode === undefined) {
      ctx.addIssue({ code: 'custom', path: ['errorCode'], message: 'required for error' });
    }
    if (f.kind === 'lose-reply' && (f.target === 'status')) {
      ctx.addIssue({ code: 'custom', path: ['kind'], message: 'lose-reply applies to payments, execute, cancel, refunds' });
    }
  });

/** What callers send to `POST /sandbox/faults` (one fault or an array). */
export type FaultSpec = z.input<typeof faultSchema>;
export type Fault = z.output<typeof faultSchema> & { id: number; hits: number };

export interface FaultSubject {
  payToken?: string | undefined;
  orderNo?: string | undefined;
}

export class FaultBook {
  private faults: Fault[] = [];
  private nextId = 1;

  add(spec: z.output<typeof faultSchema>): Fault {
    const f: Fault = { ...spec, id: this.nextId++, hits: 0 };
    this.faults.push(f);
    return f;
  }

  list(): Fault[] {
    return this.faults.map((f) => ({ ...f }));
  }

  remove(id: number): boolean {
    const before = this.faults.length;
    this.faults = this.faults.filter((f) => f.id !== id);
    return this.faults.length !== before;
  }

  clear(): void {
    this.faults = [];
  }

  /**
   * Every active fault for `target` that matches the subject, in the order they were set. Each
   * returned fault is consumed once (`times` counts down; at zero it is removed).
   */
  match(target: FaultTarget, s: FaultSubject): Fault[] {
    if (this.faults.length === 0) return [];
    const hits: Fault[] = [];
    for (const f of this.faults) {
      if (f.target !== target) continue;
      if (f.payToken !== undefined && f.payToken !== s.payToken) continue;
      if (f.orderNo !== undefined && f.orderNo !== s.orderNo) continue;
      f.hits++;
      if (f.times !== undefined) f.times--;
      hits.push({ ...f });
    }
    if (hits.length > 0) this.faults = this.faults.filter((f) => f.times === undefined || f.times > 0);
    return hits;
  }
}
