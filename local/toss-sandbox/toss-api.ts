/**
 * The Toss API the sandbox serves (`/api/v1/*`, `/api/v2/*`): the apiKey, the payment the call is
 * about, the faults that match it, then the call itself (create, execute, refund, cancel, status)
 * against the store. See server.ts for the choices made where Toss's pages are silent.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { z } from 'zod';
import type { FaultBook } from './faults.ts';
import type { Fault } from './faults.ts';
import { sendJson, readParams } from './http.ts';
import { errorBody, executeReply, refundReply, statusV1, statusV2 } from './replies.ts';
import { notFound, type ApiName, type Mode, type Payment, type Refusal, type Store } from './store.ts';
import { cancelSchema, createSchema, describeIssues, executeSchema, refundSchema, statusSchema } from './validation.ts';

/** `Retry-After` (seconds) of an injected 429 (`error` fault with `status: 429`). */
export const RETRY_AFTER_SECONDS = 1;

export const modeOf = (apiKey: string): Mode => (apiKey.startsWith('sk_test_') ? 'TEST' : 'LIVE');

interface Reply {
  http: number;
  body: Record<string, unknown>;
}

/** What the Toss API works on: the sandbox's state, its accepted keys, its public address, its timers and its held (hung) replies. */
export interface TossApiParts {
  store: Store;
  faults: FaultBook;
  apiKeys: ReadonlySet<string>;
  publicUrl: () => string;
  sleep: (ms: number) => Promise<void>;
  held: Set<ServerResponse>;
}

/** The handler of one Toss API call (`name`, API `version`). */
export function tossApi({ store, faults, apiKeys, publicUrl, sleep, held }: TossApiParts): (req: IncomingMessage, res: ServerResponse, name: ApiName, version: 1 | 2) => Promise<void> {
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

  return api;
}
