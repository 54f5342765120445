/**
 * resultCallback delivery, Toss → merchant, for payments that reach PAY_COMPLETE.
 *
 * Retry schedule (sandbox clock): attempt 1 right after the payment completes, then - only while
 * attempts fail - attempt 2 at +30 s, 3 at +2 min, 4 at +5 min and 5 at +10 min after the first:
 * 4 retries spanning 10 minutes, then delivery stops (the merchant must poll the status API).
 * Each attempt is a POST with a 10 s real-time timeout; a non-2xx reply, a network error or the
 * timeout is a failure. V2 sends JSON (`application/json;charset=UTF-8`), V1 the same fields as
 * `application/x-www-form-urlencoded`. Every attempt is recorded (`GET /sandbox/callbacks`) and
 * logged as one JSON line (URL without its query, never the apiKey) unless quiet.
 */
import http from 'node:http';
import https from 'node:https';
import { kst } from './clock.ts';
import type { Clock } from './clock.ts';
import type { FaultBook } from './faults.ts';
import { callbackBody } from './replies.ts';
import type { Payment } from './store.ts';

/** When retries 2..5 are due, measured from the first attempt. */
export const RETRY_OFFSETS_MS = [30_000, 120_000, 300_000, 600_000] as const;
export const MAX_ATTEMPTS = RETRY_OFFSETS_MS.length + 1;
export const CALLBACK_TIMEOUT_MS = 10_000;

export interface CallbackAttempt {
  payToken: string;
  orderNo: string;
  url: string;
  version: 'V1' | 'V2';
  attempt: number;
  /** The merchant's HTTP status, or null when there was none (error, timeout, fault). */
  status: number | null;
  error: string | null;
  ok: boolean;
  /** Sandbox time the attempt started, Korea local, and as epoch ms. */
  at: string;
  atMs: number;
  durationMs: number;
  /** The callback fault that shaped this attempt, if any. */
  fault: string | null;
}

interface Delivery {
  payment: Payment;
  url: string;
  version: 'V1' | 'V2';
  body: Record<string, unknown>;
  firstMs: number;
}

export class Callbacks {
  readonly attempts: CallbackAttempt[] = [];
  private readonly inflight = new Set<http.ClientRequest>();
  private readonly timers = new Set<NodeJS.Timeout>();
  private readonly httpAgent = new http.Agent({ keepAlive: true });
  private readonly httpsAgent = new https.Agent({ keepAlive: true });
  private closed = false;

  private readonly clock: Clock;
  private readonly faults: FaultBook;
  private readonly opts: { quiet: boolean; timeoutMs: number };

  constructor(clock: Clock, faults: FaultBook, opts: { quiet: boolean; timeoutMs: number }) {
    this.clock = clock;
    this.faults = faults;
    this.opts = opts;
  }

  /** Starts delivery for a payment that just became PAY_COMPLETE (no-op without resultCallback). */
  start(p: Payment): void {
    if (p.resultCallback === undefined) return;
    const d: Delivery = {
      payment: p,
      url: p.resultCallback,
      version: p.callbackVersion,
      body: callbackBody(p),
      firstMs: this.clock.now(),
    };
    // Asynchronous: the approve/execute reply never waits for the merchant.
    setImmediate(() => this.attempt(d, 1));
  }

  list(filter: { payToken?: string | undefined; orderNo?: string | undefined } = {}): CallbackAttempt[] {
    return this.attempts.filter(
      (a) =>
        (filter.payToken === undefined || a.payToken === filter.payToken) &&
        (filter.orderNo === undefined || a.orderNo === filter.orderNo),
    );
  }

  reset(): void {
    this.attempts.length = 0;
  }

  close(): void {
    this.closed = true;
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
    for (const r of this.inflight) r.destroy();
    this.inflight.clear();
    this.httpAgent.destroy();
    this.httpsAgent.destroy();
  }

  private attempt(d: Delivery, n: number): void {
    if (this.closed) return;
    const p = d.payment;
    const atMs = this.clock.now();
    const faults = this.faults.match('callback', { payToken: p.payToken, orderNo: p.orderNo });
    const drop = faults.find((f) => f.kind === 'drop');
    const fail = faults.find((f) => f.kind === 'fail');
    if (drop !== undefined || fail !== undefined) {
      this.record(d, n, atMs, 0, { status: null, error: drop ? 'dropped by sandbox fault' : 'failed by sandbox fault' }, drop ? 'drop' : 'fail');
      // A dropped callback is one Toss believes it delivered: no retry. A failed one is retried.
      if (drop === undefined) this.scheduleRetry(d, n);
      return;
    }
    const delayMs = faults.filter((f) => f.kind === 'delay').reduce((s, f) => s + (f.ms ?? 0), 0);
    const copies = faults.some((f) => f.kind === 'duplicate') ? 2 : 1;
    const faultName = [delayMs > 0 ? 'delay' : '', copies > 1 ? 'duplicate' : ''].filter((x) => x !== '').join('+') || null;
    const send = (): void => {
      const started = Date.now();
      const sends = Array.from({ length: copies }, () =>
        this.post(d).then((r) => {
          this.record(d, n, atMs, Date.now() - started, r, faultName);
          return r.status !== null && r.status >= 200 && r.status < 300;
        }),
      );
      void Promise.all(sends).then((oks) => {
        if (!oks.some((x) => x)) this.scheduleRetry(d, n);
      });
    };
    if (delayMs > 0) {
      const t = setTimeout(() => {
        this.timers.delete(t);
        send();
      }, delayMs);
      this.timers.add(t);
    } else {
      send();
    }
  }

  private scheduleRetry(d: Delivery, n: number): void {
    if (this.closed || n >= MAX_ATTEMPTS) return;
    const offset = RETRY_OFFSETS_MS[n - 1] ?? 0;
    this.clock.schedule(d.firstMs + offset, () => this.attempt(d, n + 1));
  }

  private post(d: Delivery): Promise<{ status: number | null; error: string | null }> {
    const isV2 = d.version === 'V2';
    const payload = isV2
      ? JSON.stringify(d.body)
      : new URLSearchParams(Object.entries(d.body).map(([k, v]): [string, string] => [k, String(v)])).toString();
    const url = new URL(d.url);
    const secure = url.protocol === 'https:';
    return new Promise((resolve) => {
      let settled = false;
      const done = (r: { status: number | null; error: string | null }): void => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        this.inflight.delete(req);
        resolve(r);
      };
      const req = (secure ? https : http).request(
        url,
        {
          method: 'POST',
          agent: secure ? this.httpsAgent : this.httpAgent,
          headers: {
            'Content-Type': isV2 ? 'application/json;charset=UTF-8' : 'application/x-www-form-urlencoded;charset=UTF-8',
            'Content-Length': Buffer.byteLength(payload),
          },
        },
        (res) => {
          res.resume();
          res.on('end', () => done({ status: res.statusCode ?? null, error: null }));
          res.on('error', (e) => done({ status: res.statusCode ?? null, error: e.message }));
        },
      );
      const timer = setTimeout(
        () => req.destroy(new Error(`no reply within ${this.opts.timeoutMs} ms`)),
        this.opts.timeoutMs,
      );
      this.inflight.add(req);
      req.on('error', (e) => done({ status: null, error: e.message }));
      req.end(payload);
    });
  }

  private record(
    d: Delivery,
    n: number,
    atMs: number,
    durationMs: number,
    r: { status: number | null; error: string | null },
    fault: string | null,
  ): void {
    if (this.closed) return; // a request cut short by close() is not an attempt
    const ok = r.status !== null && r.status >= 200 && r.status < 300;
    const a: CallbackAttempt = {
      payToken: d.payment.payToken,
      orderNo: d.payment.orderNo,
      url: d.url,
      version: d.version,
      attempt: n,
      status: r.status,
      error: r.error ?? (ok ? null : `HTTP ${r.status}`),
      ok,
      at: kst(atMs),
      atMs,
      durationMs,
      fault,
    };
    this.attempts.push(a);
    if (!this.opts.quiet) {
      const u = new URL(d.url);
      console.log(JSON.stringify({ event: 'sandbox.callback', ...a, url: `${u.origin}${u.pathname}` }));
    }
  }
}
