/**
 * A DynamoDB proxy with fault injection, in front of DynamoDB Local (any plain-HTTP DynamoDB
 * endpoint). Code under test talks to it as if it were DynamoDB (DYNAMODB_ENDPOINT). Listens on
 * 127.0.0.1 only.
 *
 * Counting: every request is forwarded unchanged and counted by table and operation
 * (`X-Amz-Target`); for Query and Scan the items DynamoDB read (`ScannedCount`) and returned
 * (`Count`) are added up from the replies. The benchmarks measure the code's DynamoDB work this way.
 *
 * Faults, for the failures a network and DynamoDB really produce:
 * - `drop-reply`: the request IS applied by DynamoDB, then the client's connection is cut before
 *   the reply. The AWS SDK sees a network error and sends the same request again, so a
 *   conditional write meets its own earlier success (ConditionalCheckFailedException).
 * - `error`: not forwarded; answered with DynamoDB's wire format for a throttle (400) or an
 *   internal error (500), which the SDK maps to its exception classes and retries.
 * - `delay`: waits before forwarding.
 * - `hold`: waits before forwarding until the fault is cleared (`clearFaults(id)`, or all): a
 *   write held in flight while a test does other things, then let go, with no clock involved.
 * A request takes at most one `delay`/`hold` fault and one `drop-reply`/`error` fault: the first
 * active one of each that matches, in the order they were added.
 *
 * Control: in-process through the returned object, or over HTTP on `/__proxy/...` (requests
 * DynamoDB never sees) with `remoteProxy(endpoint)`, so a proxy in another process can be driven:
 *   GET|DELETE  /__proxy/counts        read | reset the counts (and the per-function operations and indexes)
 *   GET         /__proxy/functions     the operations each function made (by its user agent)
 *   GET         /__proxy/indexes       the indexes each function's Query and Scan requests read
 *   GET         /__proxy/faults        list the faults with their hits
 *   POST        /__proxy/faults        add one (a FaultSpec as JSON) -> 201 the Fault, 400 if invalid
 *   DELETE      /__proxy/faults[/<id>] remove all | one
 */
import { buffer } from 'node:stream/consumers';
import { randomUUID } from 'node:crypto';
import { Agent, createServer, request, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { z } from 'zod';
import { USER_AGENT_APP } from '../shared/store/client.ts';
import { tableDefinition } from '../shared/store/table.ts';
import { readAll, sendJson } from './http-io.ts';

export interface OpCount {
  requests: number;
  /** Items read by DynamoDB (Query/Scan ScannedCount; GetItem: 1 when found; BatchGetItem: those found). */
  itemsRead: number;
  /** Items returned (Query/Scan Count). */
  itemsReturned: number;
  /** Replies with HTTP status >= 400 (e.g. ConditionalCheckFailedException, an injected throttle). */
  errors: number;
}

/** table -> operation (e.g. `UpdateItem`) -> counts. */
export type OpCounts = Record<string, Record<string, OpCount>>;

/**
 * function -> operation -> requests: who made each request, from the `toss-pay-fn/<name>` its
 * DynamoDB client puts in its user agent (shared/store/client.ts). Requests without one are not listed.
 */
export type FunctionOps = Record<string, Record<string, number>>;

/** What a Query or Scan without `IndexName` is listed under in FunctionIndexes: the table itself. */
export const BASE_TABLE = '(table)';

/**
 * function -> index -> requests: what each function's Query and Scan requests read, by their
 * `IndexName` (BASE_TABLE for the table itself), told apart as FunctionOps are.
 */
export type FunctionIndexes = Record<string, Record<string, number>>;

/** The error replies an `error` fault can give, with DynamoDB's HTTP status and message for each. */
export const DYNAMODB_ERRORS = {
  ThrottlingException: { status: 400, message: 'Rate of requests exceeds the allowed throughput.' },
  ProvisionedThroughputExceededException: {
    status: 400,
    message:
      'The level of configured provisioned throughput for the table was exceeded. Consider increasing your provisioning level with the UpdateTable API.',
  },
  InternalServerError: { status: 500, message: 'Internal server error' },
} as const;
export type DynamoDbErrorType = keyof typeof DYNAMODB_ERRORS;

/** Operations a fault can name; a typo would otherwise never match and the test would prove nothing. */
export const OPERATIONS = [
  'GetItem',
  'PutItem',
  'UpdateItem',
  'DeleteItem',
  'Query',
  'Scan',
  'BatchGetItem',
  'BatchWriteItem',
  'TransactGetItems',
  'TransactWriteItems',
  'ExecuteStatement',
  'BatchExecuteStatement',
  'ExecuteTransaction',
  'CreateTable',
  'DescribeTable',
  'DeleteTable',
  'UpdateTable',
  'ListTables',
  'UpdateTimeToLive',
  'DescribeTimeToLive',
] as const;

const matchFields = {
  operation: z.enum(OPERATIONS),
  /** `TableName` of the request. */
  table: z.string().min(1).optional(),
  /** The partition key's string value (`Key.pk.S` or `Item.pk.S`; any action's of a transaction), e.g. `ORDER#o-1`. */
  key: z.string().min(1).optional(),
  /** A substring the request's (or a transaction action's) UpdateExpression or ConditionExpression must contain. */
  expressionContains: z.string().min(1).optional(),
  /** How many matching requests the fault applies to; then it stays listed, inactive. */
  times: z.union([z.number().int().min(1), z.literal('always')]).default(1),
};

export const faultSpecSchema = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('drop-reply'), ...matchFields }),
  z.strictObject({
    kind: z.literal('error'),
    error: z.enum(Object.keys(DYNAMODB_ERRORS) as [DynamoDbErrorType, ...DynamoDbErrorType[]]),
    message: z.string().min(1).optional(),
    ...matchFields,
  }),
  z.strictObject({ kind: z.literal('delay'), ms: z.number().int().min(0).max(600_000), ...matchFields }),
  z.strictObject({ kind: z.literal('hold'), ...matchFields }),
]);

/** What a test asks for (`times` defaults to 1). */
export type FaultSpec = z.input<typeof faultSpecSchema>;
/** A fault as the proxy holds it: its id, and how many requests it has hit so far. */
export type Fault = z.output<typeof faultSpecSchema> & { id: string; hits: number; active: boolean };

/** Control of a proxy, in this process or in another one (`remoteProxy`). */
export interface ProxyControl {
  endpoint: string;
  /** Counts since the last reset (a copy). */
  counts(): Promise<OpCounts>;
  /** The operations each function made since the last reset (a copy). */
  functions(): Promise<FunctionOps>;
  /** The indexes each function's Query and Scan requests read since the last reset (a copy). */
  indexes(): Promise<FunctionIndexes>;
  reset(): Promise<void>;
  /** Adds a fault; throws on an invalid spec (the message names the field). */
  addFault(spec: FaultSpec): Promise<Fault>;
  /** Every fault added since the last clear, spent ones included, with its hits. */
  faults(): Promise<Fault[]>;
  /** Removes one fault by id, or all of them. */
  clearFaults(id?: string): Promise<void>;
}

export interface DynamoDbProxy extends ProxyControl {
  close(): Promise<void>;
}

const CONTROL = '/__proxy';

/**
 * The operations whose replies the counts read, and what each reply says was read and returned;
 * the others' replies are passed on unread (a write's can hold a whole item).
 */
interface ItemsFound {
  read: number;
  returned: number;
}
type ItemsInReply = (reply: Record<string, unknown>) => ItemsFound;
const scanned: ItemsInReply = (r) => ({ read: typeof r.ScannedCount === 'number' ? r.ScannedCount : 0, returned: typeof r.Count === 'number' ? r.Count : 0 });
const ITEMS_IN_REPLY = new Map<string, ItemsInReply>([
  ['Query', scanned],
  ['Scan', scanned],
  ['GetItem', (r) => (r.Item === undefined ? { read: 0, returned: 0 } : { read: 1, returned: 1 })],
  [
    'BatchGetItem',
    (r) => {
      const found = Object.values((r.Responses ?? {}) as Record<string, unknown[]>).reduce((n, items) => n + items.length, 0);
      return { read: found, returned: found };
    },
  ],
]);

function parseObject(bytes: Buffer): Record<string, unknown> {
  try {
    const v: unknown = JSON.parse(bytes.toString('utf8'));
    return v !== null && typeof v === 'object' ? (v as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}

const stringAt = (o: unknown, ...path: string[]): string | undefined => {
  let v = o;
  for (const p of path) v = v !== null && typeof v === 'object' ? (v as Record<string, unknown>)[p] : undefined;
  return typeof v === 'string' ? v : undefined;
};

const firstKey = (v: unknown): string | undefined => (v !== null && typeof v === 'object' ? Object.keys(v)[0] : undefined);

interface RequestFacts {
  /** The function that made the request, from its user agent. */
  fn: string | undefined;
  operation: string;
  table: string | undefined;
  /** Query and Scan: the `IndexName` read, or BASE_TABLE. */
  index: string | undefined;
  /** The partition keys it names: one, or each action's of a TransactWriteItems. */
  keys: string[];
  expressions: string;
}

/** A write's table, key and expressions: the request itself, or one action of a transaction. */
function writeFacts(o: unknown): { table: string | undefined; key: string | undefined; expressions: string[] } {
  const pk = tableDefinition.partitionKey.name;
  return {
    table: stringAt(o, 'TableName'),
    key: stringAt(o, 'Key', pk, 'S') ?? stringAt(o, 'Item', pk, 'S'),
    expressions: [stringAt(o, 'UpdateExpression'), stringAt(o, 'ConditionExpression')].filter((e) => e !== undefined),
  };
}

function factsOf(req: IncomingMessage, body: Record<string, unknown>): RequestFacts {
  const agent = `${String(req.headers['x-amz-user-agent'] ?? '')} ${String(req.headers['user-agent'] ?? '')}`;
  const operation = String(req.headers['x-amz-target'] ?? 'unknown').replace(/^DynamoDB_\d+\./, '');
  // A transaction: each of its actions (Put, Update, Delete, ConditionCheck) counts.
  const actions = Array.isArray(body.TransactItems)
    ? body.TransactItems.flatMap((a: unknown) => (a !== null && typeof a === 'object' ? Object.values(a).map(writeFacts) : []))
    : [writeFacts(body)];
  return {
    fn: new RegExp(`${USER_AGENT_APP}/([a-z0-9-]+)`).exec(agent)?.[1],
    operation,
    // BatchGetItem names its table(s) in RequestItems (ours: one).
    table: actions.find((a) => a.table !== undefined)?.table ?? firstKey(body.RequestItems),
    index: operation === 'Query' || operation === 'Scan' ? (stringAt(body, 'IndexName') ?? BASE_TABLE) : undefined,
    keys: actions.flatMap((a) => (a.key !== undefined ? [a.key] : [])),
    expressions: actions.flatMap((a) => a.expressions).join('\n'),
  };
}

const matches = (f: Fault, r: RequestFacts): boolean =>
  f.active &&
  f.operation === r.operation &&
  (f.table === undefined || f.table === r.table) &&
  (f.key === undefined || r.keys.includes(f.key)) &&
  (f.expressionContains === undefined || r.expressions.includes(f.expressionContains));

function parseSpec(spec: unknown): z.output<typeof faultSpecSchema> {
  const r = faultSpecSchema.safeParse(spec);
  if (r.success) return r.data;
  throw new Error(`invalid fault: ${r.error.issues.map((i) => `${i.path.join('.') || '(fault)'}: ${i.message}`).join('; ')}`);
}

/** DynamoDB's own error reply: the SDK reads the exception name from `__type`, after the `#`. */
function sendError(res: ServerResponse, f: Extract<Fault, { kind: 'error' }>): number {
  const { status, message } = DYNAMODB_ERRORS[f.error];
  const body = JSON.stringify({ __type: `com.amazonaws.dynamodb.v20120810#${f.error}`, message: f.message ?? message });
  res.writeHead(status, {
    'content-type': 'application/x-amz-json-1.0',
    'content-length': Buffer.byteLength(body),
    'x-amzn-requestid': randomUUID(),
  });
  res.end(body);
  return status;
}

/** Starts a proxy to `upstream` (http only) on 127.0.0.1, on `port` or a free one. */
export interface DynamoDbProxyOptions {
  port?: number;
  /** Called once DynamoDB answered a forwarded request (e.g. to read the table's stream at once after a write). */
  onAnswered?: (answered: { operation: string; table: string | undefined; status: number }) => void;
}

export async function startDynamoDbProxy(upstream: string, opts: DynamoDbProxyOptions = {}): Promise<DynamoDbProxy> {
  const target = new URL(upstream);
  if (target.protocol !== 'http:') throw new Error(`DynamoDB proxy: upstream must be an http:// URL, got ${upstream}`);
  const agent = new Agent({ keepAlive: true, maxSockets: 256 });
  let counts: OpCounts = {};
  let functions: FunctionOps = {};
  let indexes: FunctionIndexes = {};
  let faults: Fault[] = [];
  let nextId = 1;

  /** Counts a request, its outcome and, for a success, the items its reply says were read and returned (`items`). */
  const record = (r: RequestFacts, status: number, items?: ItemsFound): void => {
    if (r.fn !== undefined) {
      const ops = (functions[r.fn] ??= {});
      ops[r.operation] = (ops[r.operation] ?? 0) + 1;
      if (r.index !== undefined) {
        const byIndex = (indexes[r.fn] ??= {});
        byIndex[r.index] = (byIndex[r.index] ?? 0) + 1;
      }
    }
    const byOp = (counts[r.table ?? '-'] ??= {});
    const c = (byOp[r.operation] ??= { requests: 0, itemsRead: 0, itemsReturned: 0, errors: 0 });
    c.requests++;
    if (status >= 400) c.errors++;
    else {
      c.itemsRead += items?.read ?? 0;
      c.itemsReturned += items?.returned ?? 0;
    }
  };

  /** Takes the faults for this request now, so `times` holds under concurrent requests. */
  type Wait = Extract<Fault, { kind: 'delay' | 'hold' }>;
  const isWait = (f: Fault): f is Wait => f.kind === 'delay' || f.kind === 'hold';
  /** Requests held by a `hold` fault, by its id: let go when it is cleared (or the proxy closes). */
  const held = new Map<string, Array<() => void>>();
  const release = (ids: Iterable<string>): void => {
    for (const id of ids) {
      for (const go of held.get(id) ?? []) go();
      held.delete(id);
    }
  };
  const take = (r: RequestFacts): { delay?: Wait; outcome?: Exclude<Fault, { kind: 'delay' | 'hold' }> } => {
    const hit = <F extends Fault>(f: F | undefined): F | undefined => {
      if (f === undefined) return undefined;
      f.hits++;
      f.active = f.times === 'always' || f.hits < f.times;
      return f;
    };
    const delay = faults.find((f): f is Wait => isWait(f) && matches(f, r));
    const outcome = faults.find((f): f is Exclude<Fault, { kind: 'delay' | 'hold' }> => !isWait(f) && matches(f, r));
    return { delay: hit(delay), outcome: hit(outcome) };
  };

  const control: Omit<ProxyControl, 'endpoint'> = {
    counts: () => Promise.resolve(structuredClone(counts)),
    functions: () => Promise.resolve(structuredClone(functions)),
    indexes: () => Promise.resolve(structuredClone(indexes)),
    reset: () => {
      counts = {};
      functions = {};
      indexes = {};
      return Promise.resolve();
    },
    addFault: (spec) => {
      try {
        const f = { ...parseSpec(spec), id: `f${nextId++}`, hits: 0, active: true };
        faults.push(f);
        return Promise.resolve(structuredClone(f));
      } catch (e) {
        return Promise.reject(e as Error);
      }
    },
    faults: () => Promise.resolve(structuredClone(faults)),
    clearFaults: (id) => {
      release(id === undefined ? [...held.keys()] : [id]);
      faults = id === undefined ? [] : faults.filter((f) => f.id !== id);
      return Promise.resolve();
    },
  };

  const handleControl = async (req: IncomingMessage, res: ServerResponse, path: string): Promise<void> => {
    const m = req.method ?? 'GET';
    if (path === `${CONTROL}/counts` && (m === 'GET' || m === 'DELETE')) {
      if (m === 'DELETE') await control.reset();
      return sendJson(res, 200, await control.counts());
    }
    if (path === `${CONTROL}/functions` && m === 'GET') return sendJson(res, 200, await control.functions());
    if (path === `${CONTROL}/indexes` && m === 'GET') return sendJson(res, 200, await control.indexes());
    if (path === `${CONTROL}/faults` && m === 'GET') return sendJson(res, 200, await control.faults());
    if (path === `${CONTROL}/faults` && m === 'POST') {
      const body = await readAll(req);
      try {
        return sendJson(res, 201, await control.addFault(JSON.parse(body.toString('utf8')) as FaultSpec));
      } catch (e) {
        return sendJson(res, 400, { message: e instanceof Error ? e.message : String(e) });
      }
    }
    if ((path === `${CONTROL}/faults` || path.startsWith(`${CONTROL}/faults/`)) && m === 'DELETE') {
      const id = path.slice(`${CONTROL}/faults/`.length);
      await control.clearFaults(id === '' ? undefined : decodeURIComponent(id));
      return sendJson(res, 200, await control.faults());
    }
    return sendJson(res, 404, { message: `no ${m} ${path} on the DynamoDB proxy` });
  };

  const forward = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const body = await readAll(req);
    const facts = factsOf(req, parseObject(body));
    const { delay, outcome } = take(facts);
    if (delay?.kind === 'delay') await new Promise((r) => setTimeout(r, delay.ms));
    if (delay?.kind === 'hold') await new Promise<void>((go) => held.set(delay.id, [...(held.get(delay.id) ?? []), go]));
    if (outcome?.kind === 'error') {
      record(facts, sendError(res, outcome));
      return;
    }
    const up = request(
      { host: target.hostname, port: target.port, path: req.url, method: req.method, headers: req.headers, agent },
      (upRes) => {
        void buffer(upRes).then((reply) => {
          const status = upRes.statusCode ?? 0;
          const itemsIn = status < 400 ? ITEMS_IN_REPLY.get(facts.operation) : undefined;
          record(facts, status, itemsIn?.(parseObject(reply)));
          opts.onAnswered?.({ operation: facts.operation, table: facts.table, status });
          // DynamoDB has applied the request; the client never learns it.
          if (outcome?.kind === 'drop-reply') {
            res.socket?.destroy();
            return;
          }
          res.writeHead(upRes.statusCode ?? 502, upRes.headers);
          res.end(reply);
        }, () => res.destroy());
      },
    );
    up.on('error', (e) => {
      res.writeHead(502, { 'content-type': 'text/plain' });
      res.end(`DynamoDB proxy: ${e.message}`);
    });
    up.end(body);
  };

  const server = createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0] ?? '/';
    const work = path === CONTROL || path.startsWith(`${CONTROL}/`) ? handleControl(req, res, path) : forward(req, res);
    work.catch((e: unknown) => {
      if (!res.headersSent) sendJson(res, 500, { message: `DynamoDB proxy: ${e instanceof Error ? e.message : String(e)}` });
      else res.destroy();
    });
  });
  server.keepAliveTimeout = 60_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen({ port: opts.port ?? 0, host: '127.0.0.1' }, resolve);
  });
  const port = (server.address() as AddressInfo).port;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    ...control,
    close: () =>
      new Promise<void>((resolve) => {
        release([...held.keys()]);
        server.close(() => resolve());
        server.closeAllConnections();
        agent.destroy();
      }),
  };
}

/** Control of a proxy in another process, over its `/__proxy` paths. */
export function remoteProxy(endpoint: string): ProxyControl {
  const call = async <T>(method: 'GET' | 'POST' | 'DELETE', path: string, body?: unknown): Promise<T> => {
    const res = await fetch(`${endpoint}${CONTROL}${path}`, {
      method,
      ...(body === undefined ? {} : { headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }),
    });
    const reply: unknown = await res.json();
    if (!res.ok) {
      const message = stringAt(reply, 'message') ?? `HTTP ${res.status}`;
      throw new Error(message.startsWith('invalid fault') ? message : `DynamoDB proxy at ${endpoint}: ${message}`);
    }
    return reply as T;
  };
  return {
    endpoint,
    counts: () => call<OpCounts>('GET', '/counts'),
    functions: () => call<FunctionOps>('GET', '/functions'),
    indexes: () => call<FunctionIndexes>('GET', '/indexes'),
    reset: async () => {
      await call('DELETE', '/counts');
    },
    addFault: (spec) => call<Fault>('POST', '/faults', spec),
    faults: () => call<Fault[]>('GET', '/faults'),
    clearFaults: async (id) => {
      await call('DELETE', id === undefined ? '/faults' : `/faults/${encodeURIComponent(id)}`);
    },
  };
}
