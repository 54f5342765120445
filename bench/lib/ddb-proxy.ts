/**
 * A counting HTTP proxy in front of DynamoDB Local: the code under test talks to the proxy as if
 * it were DynamoDB (DYNAMODB_ENDPOINT), the proxy forwards every request unchanged and counts it
 * by operation (`X-Amz-Target`) and table. For Query and Scan it also adds up the items DynamoDB
 * read (`ScannedCount`) and returned (`Count`) from the replies. Listens on 127.0.0.1 only.
 *
 * bench/run.ts runs it in its own process (beside the sandbox), away from the functions under
 * test; sections read and reset the counts over HTTP (`GET|DELETE /__bench/counts`, requests
 * DynamoDB never sees) with `remoteCounter`.
 */
import { Agent, createServer, request, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface OpCount {
  requests: number;
  /** Items read by DynamoDB (Query/Scan ScannedCount; GetItem: 1 when found). */
  itemsRead: number;
  /** Items returned (Query/Scan Count). */
  itemsReturned: number;
  /** Replies with HTTP status >= 400 (e.g. ConditionalCheckFailedException). */
  errors: number;
}

/** table -> operation (e.g. `UpdateItem`) -> counts. */
export type OpCounts = Record<string, Record<string, OpCount>>;

export interface OpCounter {
  endpoint: string;
  /** Counts since the last reset (a copy). */
  counts(): Promise<OpCounts>;
  reset(): Promise<void>;
}

export interface CountingProxy extends OpCounter {
  close(): Promise<void>;
}

const CONTROL_PATH = '/__bench/counts';

const readAll = (s: IncomingMessage): Promise<Buffer> =>
  new Promise((resolve, reject) => {
    const parts: Buffer[] = [];
    s.on('data', (b: Buffer) => parts.push(b));
    s.on('end', () => resolve(Buffer.concat(parts)));
    s.on('error', reject);
  });

function jsonField(bytes: Buffer, field: string): unknown {
  try {
    const v: unknown = JSON.parse(bytes.toString('utf8'));
    return v !== null && typeof v === 'object' ? (v as Record<string, unknown>)[field] : undefined;
  } catch {
    return undefined;
  }
}

export async function startCountingProxy(upstream: string): Promise<CountingProxy> {
  const target = new URL(upstream);
  const agent = new Agent({ keepAlive: true, maxSockets: 256 });
  let counts: OpCounts = {};

  const record = (table: string, op: string, status: number, reply: Buffer): void => {
    const byOp = (counts[table] ??= {});
    const c = (byOp[op] ??= { requests: 0, itemsRead: 0, itemsReturned: 0, errors: 0 });
    c.requests++;
    if (status >= 400) c.errors++;
    else if (op === 'Query' || op === 'Scan') {
      const scanned = jsonField(reply, 'ScannedCount');
      const count = jsonField(reply, 'Count');
      c.itemsRead += typeof scanned === 'number' ? scanned : 0;
      c.itemsReturned += typeof count === 'number' ? count : 0;
    } else if (op === 'GetItem' && jsonField(reply, 'Item') !== undefined) {
      c.itemsRead++;
      c.itemsReturned++;
    }
  };

  const server = createServer((req, res) => {
    if (req.url === CONTROL_PATH) {
      if (req.method === 'DELETE') counts = {};
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify(counts));
      return;
    }
    void (async () => {
      const body = await readAll(req);
      const op = String(req.headers['x-amz-target'] ?? 'unknown').replace(/^DynamoDB_\d+\./, '');
      const table = jsonField(body, 'TableName');
      const up = request(
        { host: target.hostname, port: target.port, path: req.url, method: req.method, headers: req.headers, agent },
        (upRes) => {
          void readAll(upRes).then((reply) => {
            record(typeof table === 'string' ? table : '-', op, upRes.statusCode ?? 0, reply);
            res.writeHead(upRes.statusCode ?? 502, upRes.headers);
            res.end(reply);
          });
        },
      );
      up.on('error', (e) => {
        res.writeHead(502, { 'content-type': 'text/plain' });
        res.end(`proxy: ${e.message}`);
      });
      up.end(body);
    })();
  });
  server.keepAliveTimeout = 60_000;
  await new Promise<void>((resolve) => server.listen({ port: 0, host: '127.0.0.1' }, resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    counts: () => Promise.resolve(structuredClone(counts)),
    reset: () => {
      counts = {};
      return Promise.resolve();
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
        agent.destroy();
      }),
  };
}

/** The counts of a proxy in another process, over its control path. */
export function remoteCounter(endpoint: string): OpCounter {
  const call = async (method: 'GET' | 'DELETE'): Promise<OpCounts> => {
    const res = await fetch(`${endpoint}${CONTROL_PATH}`, { method });
    if (!res.ok) throw new Error(`counting proxy: ${res.status}`);
    return (await res.json()) as OpCounts;
  };
  return {
    endpoint,
    counts: () => call('GET'),
    reset: async () => {
      await call('DELETE');
    },
  };
}
