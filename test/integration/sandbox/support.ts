/**
 * Helpers for the sandbox contract tests: real HTTP against startSandbox({ port: 0, quiet: true })
 * and a tiny node:http receiver for callbacks.
 */
import http from 'node:http';
import type { IncomingHttpHeaders } from 'node:http';
import { expect } from 'vitest';
import { startSandbox } from '../../../local/toss-sandbox/server.ts';
import type { Sandbox, SandboxOptions } from '../../../local/toss-sandbox/server.ts';

export const KEY = 'sk_test_w5lNQylNqa5lNQe013Nq';
export const LIVE_KEY = 'live_sk_sandbox_merchant_0001';

export const start = (opts: SandboxOptions = {}): Promise<Sandbox> =>
  startSandbox({ port: 0, quiet: true, apiKeys: [KEY, LIVE_KEY], ...opts });

export interface Reply {
  status: number;
  body: Record<string, unknown>;
}

/** POST a Toss API call as JSON. */
export async function toss(sb: Sandbox, path: string, body: Record<string, unknown>): Promise<Reply> {
  const r = await fetch(`${sb.url}${path}`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify(body),
  });
  return { status: r.status, body: (await r.json()) as Record<string, unknown> };
}

let seq = 0;
export const orderNo = (prefix = 'ORD'): string => `${prefix}-${process.pid}-${Date.now()}-${++seq}`;

/** A valid create request (autoExecute false: no callback needed); fields may be overridden. */
export function createBody(over: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    apiKey: KEY,
    orderNo: orderNo(),
    amount: 1000,
    amountTaxFree: 0,
    productDesc: '토스티셔츠',
    retUrl: 'http://shop.test/ORDER-CHECK?orderno=1',
    retCancelUrl: 'http://shop.test/close',
    autoExecute: false,
    ...over,
  };
}

/** Creates a payment; fails the test unless it succeeds. */
export async function create(sb: Sandbox, over: Record<string, unknown> = {}): Promise<{ payToken: string; orderNo: string; checkoutPage: string }> {
  const body = createBody(over);
  const r = await toss(sb, '/api/v2/payments', body);
  expect(r).toMatchObject({ status: 200, body: { code: 0 } });
  return { payToken: r.body.payToken as string, orderNo: body.orderNo as string, checkoutPage: r.body.checkoutPage as string };
}

export async function expectRefusal(r: Promise<Reply> | Reply, http: number, errorCode: string): Promise<Reply> {
  const reply = await r;
  expect(reply).toMatchObject({ status: http, body: { code: -1, errorCode } });
  expect(typeof reply.body.msg).toBe('string');
  return reply;
}

export interface Received {
  path: string;
  headers: IncomingHttpHeaders;
  body: string;
}

export interface Receiver {
  url: string;
  received: Received[];
  /** The status the next requests get (default 200); 0 = never reply. */
  reply: number;
  /** Runs on each request before the reply is sent (e.g. to read the sandbox's state then). */
  onReceive?: (r: Received) => Promise<void>;
  close(): Promise<void>;
}

export async function startReceiver(): Promise<Receiver> {
  const received: Received[] = [];
  const rx: Receiver = { url: '', received, reply: 200, close: async () => {} };
  const server = http.createServer((req, res) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (c: string) => (body += c));
    req.on('end', () => {
      const r = { path: req.url ?? '', headers: req.headers, body };
      received.push(r);
      const status = rx.reply;
      if (status === 0) return; // hang: the sandbox's timeout must end it
      void (rx.onReceive?.(r) ?? Promise.resolve()).finally(() => res.writeHead(status).end('ok'));
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const addr = server.address();
  rx.url = `http://127.0.0.1:${typeof addr === 'object' && addr !== null ? addr.port : 0}`;
  rx.close = () =>
    new Promise<void>((r) => {
      server.close(() => r());
      server.closeAllConnections();
    });
  return rx;
}

/** Polls `fn` until it returns a value that is not undefined/false, or fails after `ms`. */
export async function waitFor<T>(fn: () => Promise<T | undefined | false> | T | undefined | false, ms = 5_000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const v = await fn();
    if (v !== undefined && v !== false) return v;
    if (Date.now() > deadline) throw new Error(`condition not met within ${ms} ms`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

/** Asserts `obj` has every key of `example` with the same JSON type (recursing into objects/arrays). */
export function expectSameShape(obj: unknown, example: unknown, path = '$'): void {
  const t = (v: unknown): string => (Array.isArray(v) ? 'array' : v === null ? 'null' : typeof v);
  expect(t(obj), `${path} type`).toBe(t(example));
  if (Array.isArray(example) && Array.isArray(obj)) {
    const first = example[0];
    if (first !== undefined) {
      expect(obj.length, `${path} length`).toBeGreaterThan(0);
      for (const [i, item] of obj.entries()) expectSameShape(item, first, `${path}[${i}]`);
    }
    return;
  }
  if (t(example) === 'object') {
    for (const [k, v] of Object.entries(example as Record<string, unknown>)) {
      expect(obj as Record<string, unknown>, `${path} has ${k}`).toHaveProperty([k]);
      expectSameShape((obj as Record<string, unknown>)[k], v, `${path}.${k}`);
    }
  }
}

/** Asserts `obj` has each field with the given typeof. */
export function expectFieldTypes(obj: Record<string, unknown>, fields: Record<string, string>): void {
  for (const [k, type] of Object.entries(fields)) {
    expect(typeof obj[k], `${k}`).toBe(type);
  }
}

/** `YYYY-MM-DD HH:mm:ss`. */
export const KST_RE = /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/;

/** The sandbox's current time as a Korea local string, `plusSeconds` ahead. */
/**
 * A time `plusSeconds` from now as a merchant sends it (its own clock, Korea time): the sandbox
 * shifts it by how far its clock was moved on.
 */
export function merchantKst(plusSeconds: number): string {
  return new Date(Date.now() + plusSeconds * 1000 + 9 * 3600_000).toISOString().slice(0, 19).replace('T', ' ');
}
