/**
 * The local stand-in for the EventBridge bus: an HTTP server that speaks EventBridge's PutEvents
 * (AWS JSON 1.1, `X-Amz-Target: AWSEvents.PutEvents`), so the functions' real AWS SDK client
 * (shared/events/event-bus.ts) talks to it through EVENTBRIDGE_ENDPOINT. It records every entry it
 * accepts, so what a rule on the bus would see can be read:
 *
 *   POST   /                 PutEvents -> {FailedEntryCount, Entries: [{EventId} | {ErrorCode, ErrorMessage}]}
 *   GET    /events           every entry put, oldest first, with its Detail parsed
 *                            (?detailType=payment.completed, ?source=toss-pay, ?bus=<name> narrow it)
 *   DELETE /events           forgets them
 *   GET    /health           {"status": "ok", "entries": <count>}
 *   POST   /faults           {"failNext": n, "errorCode"?: "InternalFailure"}: the next n PutEvents
 *                            calls fail every entry (the SDK does not retry those; the caller must)
 *   DELETE /faults           no more failures
 *
 * PutEvents is checked as EventBridge checks it: 1 to 10 entries, whose sizes as EventBridge counts
 * them (entrySize: 14 bytes for a Time, the UTF-8 bytes of Source, DetailType, Detail and each
 * Resource) add up to at most 256 KB (else the whole call is refused: 400 ValidationException,
 * which the SDK throws and does not retry); per entry Source, DetailType and Detail present (else
 * InvalidArgument) and Detail a JSON object (else MalformedDetail): a failed entry is reported in
 * Entries and FailedEntryCount, and not recorded. Any bus name is accepted.
 * Listens on 127.0.0.1 only.
 */
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { entrySize, MAX_PUT_EVENTS_BYTES, MAX_PUT_EVENTS_ENTRIES } from '../shared/events/event-bus.ts';
import { readBody, sendJson } from './http-io.ts';

/** An entry as the stand-in recorded it. */
export interface PutEntry {
  EventId: string;
  EventBusName: string;
  Source: string;
  DetailType: string;
  /** Detail, parsed. */
  Detail: Record<string, unknown>;
  /** The entry's Time (ISO), or when it was put. */
  Time: string;
  Resources: string[];
  /** When the stand-in received it (ISO). */
  ReceivedAt: string;
}

export interface EventBridgeStandIn {
  /** Its endpoint, e.g. http://127.0.0.1:4020 (EVENTBRIDGE_ENDPOINT). */
  url: string;
  port: number;
  /** Every entry put so far, oldest first (a copy). */
  entries(): PutEntry[];
  clear(): void;
  /** The next `calls` PutEvents calls fail every entry with `errorCode`. */
  failNext(calls: number, errorCode?: string): void;
  close(): Promise<void>;
}

const MAX_ENTRIES = MAX_PUT_EVENTS_ENTRIES;
const MAX_BODY_BYTES = 2 * 1024 * 1024;
const JSON_11 = 'application/x-amz-json-1.1';

type EntryResult = { EventId: string } | { ErrorCode: string; ErrorMessage: string };

const isObject = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);

/** The entry's Time: the SDK sends epoch seconds; an ISO string is accepted too. */
function timeOf(v: unknown, now: Date): string {
  if (typeof v === 'number' && Number.isFinite(v)) return new Date(v * 1000).toISOString();
  if (typeof v === 'string' && Number.isFinite(Date.parse(v))) return new Date(v).toISOString();
  return now.toISOString();
}

/** Checks one PutEvents entry as EventBridge does; the recorded entry or the entry's error. */
export function checkEntry(e: unknown, now: Date): { ok: true; entry: PutEntry } | { ok: false; error: { ErrorCode: string; ErrorMessage: string } } {
  const invalid = (field: string) => ({
    ok: false as const,
    error: { ErrorCode: 'InvalidArgument', ErrorMessage: `Parameter ${field} is not valid. Reason: ${field} is a required argument.` },
  });
  if (!isObject(e)) return invalid('Entry');
  for (const f of ['Source', 'DetailType', 'Detail'] as const) {
    if (typeof e[f] !== 'string' || e[f] === '') return invalid(f);
  }
  let detail: unknown;
  try {
    detail = JSON.parse(e.Detail as string);
  } catch {
    detail = undefined;
  }
  if (!isObject(detail)) return { ok: false, error: { ErrorCode: 'MalformedDetail', ErrorMessage: 'Detail is malformed.' } };
  return {
    ok: true,
    entry: {
      EventId: randomUUID(),
      EventBusName: typeof e.EventBusName === 'string' && e.EventBusName !== '' ? e.EventBusName : 'default',
      Source: e.Source as string,
      DetailType: e.DetailType as string,
      Detail: detail,
      Time: timeOf(e.Time, now),
      Resources: Array.isArray(e.Resources) ? e.Resources.filter((r): r is string => typeof r === 'string') : [],
      ReceivedAt: now.toISOString(),
    },
  };
}

/** The fields entrySize counts, as far as they are of the right type (a wrong one fails the entry on its own). */
const sizable = (e: Record<string, unknown>) => {
  const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);
  return {
    Time: e.Time === undefined ? undefined : new Date(0),
    Source: str(e.Source),
    DetailType: str(e.DetailType),
    Detail: str(e.Detail),
    Resources: Array.isArray(e.Resources) ? e.Resources.filter((r): r is string => typeof r === 'string') : undefined,
  };
};

/** A JSON reply as AWS gives one (a request id). */
const send = (res: ServerResponse, status: number, value: unknown, contentType = 'application/json'): void =>
  sendJson(res, status, value, { 'content-type': contentType, 'x-amzn-requestid': randomUUID() });

/** An AWS JSON 1.1 error reply, as the SDK parses it (`__type`). */
const awsError = (res: ServerResponse, status: number, type: string, message: string): void =>
  send(res, status, { __type: type, message }, JSON_11);

/** Starts the stand-in on 127.0.0.1:`port` (0 or unset: a free port). */
export async function startEventBridge(opts: { port?: number; host?: string } = {}): Promise<EventBridgeStandIn> {
  let recorded: PutEntry[] = [];
  let failing = { calls: 0, errorCode: 'InternalFailure' };

  function putEvents(body: Buffer, res: ServerResponse): void {
    let input: unknown;
    try {
      input = JSON.parse(body.toString('utf8'));
    } catch {
      return awsError(res, 400, 'SerializationException', 'The request body is not valid JSON.');
    }
    const entries = isObject(input) ? input.Entries : undefined;
    if (!Array.isArray(entries) || entries.length < 1 || entries.length > MAX_ENTRIES) {
      const n = Array.isArray(entries) ? entries.length : 0;
      return awsError(res, 400, 'ValidationException', `1 validation error detected: Value at 'entries' failed to satisfy constraint: Member must have length between 1 and ${MAX_ENTRIES} (got ${n})`);
    }
    // EventBridge's sum; an entry it cannot size (not an object) counts nothing and fails on its own below.
    const total = entries.reduce<number>((n, e) => n + (isObject(e) ? entrySize(sizable(e)) : 0), 0);
    if (total > MAX_PUT_EVENTS_BYTES) return awsError(res, 400, 'ValidationException', 'Total size of the entries in the request is over the limit.');
    const now = new Date();
    const fail = failing.calls > 0;
    if (fail) failing = { ...failing, calls: failing.calls - 1 };
    const results: EntryResult[] = entries.map((e) => {
      if (fail) return { ErrorCode: failing.errorCode, ErrorMessage: 'Injected failure (the stand-in was told to fail this call).' };
      const r = checkEntry(e, now);
      if (!r.ok) return r.error;
      recorded.push(r.entry);
      return { EventId: r.entry.EventId };
    });
    send(res, 200, { FailedEntryCount: results.filter((r) => 'ErrorCode' in r).length, Entries: results }, JSON_11);
  }

  async function onRequest(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://stand-in');
    const method = req.method ?? 'GET';
    const body = await readBody(req, MAX_BODY_BYTES, Number.POSITIVE_INFINITY);
    if (body === undefined) return awsError(res, 413, 'ValidationException', 'The request is too large.');
    const target = req.headers['x-amz-target'];
    if (method === 'POST' && url.pathname === '/' && target !== undefined) {
      if (target === 'AWSEvents.PutEvents') return putEvents(body, res);
      return awsError(res, 400, 'UnknownOperationException', `The stand-in implements AWSEvents.PutEvents only, not ${String(target)}.`);
    }
    if (url.pathname === '/events' && method === 'GET') {
      const q = url.searchParams;
      const pick = (e: PutEntry): boolean =>
        (q.get('detailType') ?? e.DetailType) === e.DetailType && (q.get('source') ?? e.Source) === e.Source && (q.get('bus') ?? e.EventBusName) === e.EventBusName;
      return send(res, 200, recorded.filter(pick));
    }
    if (url.pathname === '/events' && method === 'DELETE') {
      const cleared = recorded.length;
      recorded = [];
      return send(res, 200, { cleared });
    }
    if (url.pathname === '/health' && method === 'GET') return send(res, 200, { status: 'ok', entries: recorded.length });
    if (url.pathname === '/faults' && method === 'POST') {
      let spec: unknown;
      try {
        spec = JSON.parse(body.toString('utf8'));
      } catch {
        spec = undefined;
      }
      const calls = isObject(spec) ? spec.failNext : undefined;
      const code = isObject(spec) ? (spec.errorCode ?? 'InternalFailure') : undefined;
      if (typeof calls !== 'number' || !Number.isInteger(calls) || calls < 0 || typeof code !== 'string' || code === '') {
        return send(res, 400, { message: 'expected {"failNext": <whole number>, "errorCode"?: "<code>"}' });
      }
      failing = { calls, errorCode: code };
      return send(res, 200, failing);
    }
    if (url.pathname === '/faults' && method === 'DELETE') {
      failing = { calls: 0, errorCode: 'InternalFailure' };
      return send(res, 200, failing);
    }
    return send(res, 404, { message: `no ${method} ${url.pathname} on the EventBridge stand-in` });
  }

  const server = createServer((req, res) => {
    onRequest(req, res).catch((e: unknown) => {
      console.error('[eventbridge] request failed:', e);
      if (!res.headersSent) awsError(res, 500, 'InternalException', 'The stand-in failed.');
      else res.destroy();
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen({ port: opts.port ?? 0, host: opts.host ?? '127.0.0.1' }, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    entries: () => structuredClone(recorded),
    clear: () => {
      recorded = [];
    },
    failNext: (calls, errorCode = 'InternalFailure') => {
      failing = { calls, errorCode };
    },
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((e) => (e ? reject(e) : resolve()));
        server.closeAllConnections();
      }),
  };
}

/** Reads the entries of a stand-in in another process (e.g. npm start's), optionally of one detail-type. */
export async function readPutEvents(url: string, detailType?: string): Promise<PutEntry[]> {
  const res = await fetch(`${url.replace(/\/+$/, '')}/events${detailType === undefined ? '' : `?detailType=${encodeURIComponent(detailType)}`}`);
  if (!res.ok) throw new Error(`EventBridge stand-in at ${url}: GET /events answered ${res.status}`);
  return (await res.json()) as PutEntry[];
}

/** Clears the entries of a stand-in in another process. */
export async function clearPutEvents(url: string): Promise<void> {
  const res = await fetch(`${url.replace(/\/+$/, '')}/events`, { method: 'DELETE' });
  await res.arrayBuffer();
  if (!res.ok) throw new Error(`EventBridge stand-in at ${url}: DELETE /events answered ${res.status}`);
}
