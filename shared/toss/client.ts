/**
 * The typed Toss Pay client (global fetch + AbortSignal). Every call takes an optional absolute
 * deadline (epoch ms); the effective timeout is min(timeoutMs, time left). Only status (read-only,
 * idempotent) is retried here, after a 5xx, a 429, a transient errorCode or no reply. Create,
 * execute, cancel and refunds are never retried here: a timed-out call has an unknown outcome
 * that only the status API (or, for a refund, the same refundNo again) can resolve.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import * as z from '../zod.ts';
import type { CallOptions, TossClient } from '../payments/ports.ts';
import { modeOfKey } from './mode.ts';
import {
  DEFAULT_RETRY_AFTER_SECONDS,
  TossBusyError,
  TossRefusedError,
  TossServerError,
  TossUnknownOutcomeError,
  TRANSIENT_ERROR_CODES,
} from './errors.ts';
import { cancelReplySchema, createReplySchema, errorReplySchema, executeReplySchema, refundReplySchema, statusReplySchema } from './schemas.ts';

export interface TossClientOptions {
  baseUrl: string;
  apiKey: () => Promise<string>;
  timeoutMs: number;
  /** Told of every call: the API (`payments`, `status`, ...), its latency and its outcome (`ok` or the error's name). */
  observe?: (call: { api: string; ms: number; outcome: string }) => void;
  /** Runs every call (the API's name, the call): the composition root traces each one as a subsegment. */
  trace?: <T>(api: string, call: () => Promise<T>) => Promise<T>;
  /** Retries of status after a 5xx or no reply (default 2). */
  statusRetries?: number;
  clock?: () => number;
}

const MIN_CALL_MS = 50;
/** Longest wait a Retry-After header may ask for that we pass on (seconds). */
const MAX_RETRY_AFTER_SECONDS = 300;

/** Seconds from a Retry-After header (delta-seconds or an HTTP date); our default otherwise. */
export function retryAfterOf(header: string | null, now: number = Date.now()): number {
  if (header === null || header.trim() === '') return DEFAULT_RETRY_AFTER_SECONDS;
  const v = header.trim();
  const seconds = /^\d+$/.test(v) ? Number(v) : Math.ceil((Date.parse(v) - now) / 1000);
  if (!Number.isFinite(seconds)) return DEFAULT_RETRY_AFTER_SECONDS;
  return Math.min(MAX_RETRY_AFTER_SECONDS, Math.max(1, seconds));
}

export function createTossClient(opts: TossClientOptions): TossClient {
  const base = opts.baseUrl.replace(/\/+$/, '');
  const clock = opts.clock ?? Date.now;
  const retries = opts.statusRetries ?? 2;

  /** One Toss call, traced and observed: its latency and outcome go to `opts.observe` (metrics). */
  async function call<S extends z.core.$ZodType>(path: string, body: Record<string, unknown>, schema: S, o?: CallOptions): Promise<z.infer<S>> {
    const api = path.slice(path.lastIndexOf('/') + 1);
    return opts.trace === undefined ? observed(api, path, body, schema, o) : opts.trace(api, () => observed(api, path, body, schema, o));
  }

  async function observed<S extends z.core.$ZodType>(api: string, path: string, body: Record<string, unknown>, schema: S, o?: CallOptions): Promise<z.infer<S>> {
    if (opts.observe === undefined) return send(path, body, schema, o);
    const started = clock();
    try {
      const r = await send(path, body, schema, o);
      opts.observe({ api, ms: clock() - started, outcome: 'ok' });
      return r;
    } catch (e) {
      opts.observe({ api, ms: clock() - started, outcome: e instanceof Error ? e.name : 'Error' });
      throw e;
    }
  }

  async function send<S extends z.core.$ZodType>(path: string, body: Record<string, unknown>, schema: S, o?: CallOptions): Promise<z.infer<S>> {
    const left = o?.deadline === undefined ? opts.timeoutMs : o.deadline - clock();
    const timeout = Math.min(opts.timeoutMs, left);
    if (timeout < MIN_CALL_MS) throw new TossUnknownOutcomeError('timeout', `no time left to call Toss ${path}`);
    const apiKey = await opts.apiKey();
    let res: Response;
    try {
      res = await fetch(`${base}${path}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json; charset=UTF-8', accept: 'application/json' },
        body: JSON.stringify({ ...body, apiKey }),
        signal: AbortSignal.timeout(timeout),
      });
    } catch (e) {
      const name = (e as { name?: string }).name;
      if (name === 'TimeoutError' || name === 'AbortError')
        throw new TossUnknownOutcomeError('timeout', `Toss ${path} did not answer within ${timeout} ms`);
      const code = (e as { cause?: { code?: string } }).cause?.code;
      if (code === 'ECONNREFUSED' || code === 'ENOTFOUND' || code === 'EAI_AGAIN')
        throw new TossServerError(`Toss ${path} unreachable (${code})`);
      throw new TossUnknownOutcomeError('connection', `Toss ${path}: connection failed without a reply (${code ?? name ?? 'error'})`);
    }
    let text: string;
    try {
      text = await res.text();
    } catch (e) {
      const name = (e as { name?: string }).name;
      throw new TossUnknownOutcomeError(
        name === 'TimeoutError' || name === 'AbortError' ? 'timeout' : 'connection',
        `Toss ${path}: reply cut off (${name ?? 'error'})`,
      );
    }
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      json = undefined;
    }
    const refused = errorReplySchema.safeParse(json);
    if (res.status === 429) {
      const code = refused.success ? (refused.data.errorCode ?? 'TOO_MANY_REQUESTS') : 'TOO_MANY_REQUESTS';
      throw new TossBusyError(code, 429, retryAfterOf(res.headers.get('retry-after')));
    }
    if (refused.success && res.status < 500) {
      const code = refused.data.errorCode ?? 'UNKNOWN';
      if (TRANSIENT_ERROR_CODES.has(code)) throw new TossBusyError(code, res.status, retryAfterOf(res.headers.get('retry-after')));
      throw new TossRefusedError(code, refused.data.msg ?? '', res.status);
    }
    if (res.status >= 500) throw new TossServerError(`Toss ${path} answered HTTP ${res.status}`, res.status);
    if (res.status >= 400) throw new TossRefusedError(`HTTP_${res.status}`, `Toss answered HTTP ${res.status}`, res.status);
    const ok = z.safeParse(schema, json);
    if (!ok.success) throw new TossUnknownOutcomeError('malformed', `Toss ${path}: malformed reply (HTTP ${res.status})`);
    return ok.data;
  }

  return {
    createPayment: (req, o) => call('/api/v2/payments', { ...req }, createReplySchema, o),
    async status(ref, o) {
      for (let attempt = 0; ; attempt++) {
        try {
          return await call('/api/v2/status', { ...ref }, statusReplySchema, o);
        } catch (e) {
          const retriable = e instanceof TossServerError || e instanceof TossUnknownOutcomeError || e instanceof TossBusyError;
          const pause = 150 * 2 ** attempt;
          const timeLeft = o?.deadline === undefined ? Infinity : o.deadline - clock() - pause;
          if (!retriable || attempt >= retries || timeLeft < MIN_CALL_MS * 4) throw e;
          await sleep(pause);
        }
      }
    },
    execute: (req, o) => call('/api/v2/execute', { ...req }, executeReplySchema, o),
    cancel: (req, o) => call('/api/v1/cancel', { ...req }, cancelReplySchema, o),
    refund: (req, o) => call('/api/v2/refunds', { ...req }, refundReplySchema, o),
    mode: async () => modeOfKey(await opts.apiKey()),
    callTimeoutMs: (o) => Math.max(0, Math.min(opts.timeoutMs, (o?.deadline ?? Number.POSITIVE_INFINITY) - clock())),
  };
}
