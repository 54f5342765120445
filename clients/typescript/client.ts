/**
 * A typed client of the Toss Pay for AWS API for your shop's server: openapi-fetch over the types
 * generated from the API's OpenAPI document (./schema.ts), with the merchant token on every
 * request, an `Idempotency-Key` made for each refund (and kept, so a retry is the same refund),
 * and retries where the API says a retry will do: 409 with `Retry-After` (CREATE_IN_PROGRESS,
 * REFUND_IN_PROGRESS) and 503 (TOSS_BUSY, TEMPORARILY_UNAVAILABLE, or API Gateway's own), after
 * the `Retry-After` the reply gives. Every route of the API is safe to send again: a create is
 * keyed by its orderNo, a refund by its Idempotency-Key.
 *
 *   const api = createTossPayClient({ baseUrl: 'https://pay.example.com', token: process.env.TOSS_PAY_TOKEN });
 *   const { data, error } = await api.POST('/payments', { body: { orderNo, amount: 35000, amountTaxFree: 0, productDesc: '토스 티셔츠' } });
 *
 * Node 20+ or any runtime with fetch; its one dependency is openapi-fetch. Copy this folder into
 * your project, or import it from a checkout of this repository.
 */
import { randomUUID } from 'node:crypto';
import createClient, { type Client } from 'openapi-fetch';
import type { components, paths } from './schema.ts';

export type { components, paths };
export type Schemas = components['schemas'];
export type ErrorCode = Schemas['ErrorReply']['error']['code'];

export interface RetryOptions {
  /** Retries after the first attempt (default 3). */
  attempts?: number;
  /** A wait the API asks for above this ends the retries: the reply is returned (default 30 s). */
  maxDelayMs?: number;
  /** The wait when a 503 gives no Retry-After (API Gateway's own), doubled each time (default 1 s). */
  baseDelayMs?: number;
}

export interface TossPayClientOptions {
  /** The stack's ApiUrl (`http://127.0.0.1:3000` under `npm start`), without a trailing slash. */
  baseUrl: string;
  /** A merchant token (the merchant tokens secret; `MERCHANT_TOKENS` locally). */
  token: string;
  retry?: RetryOptions | false;
  /** The fetch to use (default: the global one). */
  fetch?: (request: Request) => Promise<Response>;
  /** How to wait between attempts (default: a timer). */
  sleep?: (ms: number) => Promise<void>;
}

export type TossPayClient = Client<paths>;

/** Seconds of `Retry-After` (a number, or an HTTP date), in milliseconds; undefined when absent or unreadable. */
export function retryAfterMs(res: Response, now: number = Date.now()): number | undefined {
  const v = res.headers.get('retry-after');
  if (v === null || v.trim() === '') return undefined;
  if (/^\d+$/.test(v.trim())) return Number(v.trim()) * 1000;
  const at = Date.parse(v);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}

/**
 * The wait before retrying `res`, or undefined when it is not to be retried: a 409 only with
 * Retry-After (a 409 without it, such as ORDER_NO_CONFLICT, will not change), a 503 always.
 */
export function retryDelayMs(res: Response, retry: number, o: Required<RetryOptions>): number | undefined {
  const after = retryAfterMs(res);
  if (res.status === 409 && after === undefined) return undefined;
  if (res.status !== 409 && res.status !== 503) return undefined;
  return after ?? o.baseDelayMs * 2 ** retry;
}

/** A fetch that sends a request again while the API says a retry will do (see the header). */
export function retryingFetch(
  send: (request: Request) => Promise<Response>,
  options: RetryOptions = {},
  sleep: (ms: number) => Promise<void> = (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
): (request: Request) => Promise<Response> {
  const o: Required<RetryOptions> = { attempts: 3, maxDelayMs: 30_000, baseDelayMs: 1_000, ...options };
  return async (request) => {
    for (let retry = 0; ; retry++) {
      const res = await send(request.clone());
      const wait = retry < o.attempts ? retryDelayMs(res, retry, o) : undefined;
      if (wait === undefined || wait > o.maxDelayMs) return res;
      await res.body?.cancel();
      await sleep(wait);
    }
  };
}

export function createTossPayClient(o: TossPayClientOptions): TossPayClient {
  const send = o.fetch ?? ((request: Request) => fetch(request));
  return createClient<paths>({
    baseUrl: o.baseUrl.replace(/\/+$/, ''),
    headers: { Authorization: `Bearer ${o.token}` },
    fetch: o.retry === false ? send : retryingFetch(send, o.retry, o.sleep),
  });
}

/**
 * The error code of an error reply (`{"error": {"code"}}`), or undefined for one API Gateway
 * answered itself (`{"message"}`: 401, 403, 429, a function that failed). Act on the code; the
 * reference lists each with what to do (docs/reference/errors.md).
 */
export function errorCodeOf(error: unknown): ErrorCode | undefined {
  if (typeof error !== 'object' || error === null || !('error' in error)) return undefined;
  const inner = (error as { error?: { code?: unknown } }).error;
  return typeof inner?.code === 'string' ? (inner.code as ErrorCode) : undefined;
}

/** A new Idempotency-Key: 1–64 of `A-Z a-z 0-9 _ - : .`. Keep it with the refund you mean, and send it again with it. */
export const newIdempotencyKey = (): string => randomUUID();

export type RefundRequest = Schemas['RefundRequest'];

/**
 * Refunds `orderNo` (all that is left without `amount`) under `idempotencyKey`: the key decides
 * which refund this is, so a retry, yours or the client's, never refunds twice. Returns the key
 * with the reply: store it before you rely on the reply, and send it again after a timeout.
 */
export async function refund(api: TossPayClient, orderNo: string, body: RefundRequest = {}, idempotencyKey: string = newIdempotencyKey()) {
  const reply = await api.POST('/payments/{orderNo}/refunds', {
    params: { path: { orderNo }, header: { 'Idempotency-Key': idempotencyKey } },
    body,
  });
  return { idempotencyKey, ...reply };
}
