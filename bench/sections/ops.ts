/**
 * b. DynamoDB operations per callback and per return landing, counted by a proxy in front of
 * DynamoDB Local that the unmodified functions talk to (local/dynamodb-proxy.ts). Beside each: the
 * minimum (one write per state change, no read on the callback path) and the same callback
 * handler wrapped in Powertools' idempotency utility, measured in the same process and run.
 */
import { getPayment } from '../../local/toss-sandbox/control-client.ts';
import { remoteProxy, type OpCounts } from '../../local/dynamodb-proxy.ts';
import { mapPool, progress } from '../lib/pool.ts';
import { makePaidOrders, postCallback, startBenchStack, visit, type BenchStack, type PaidOrder } from '../lib/stack.ts';

export interface OpsPhase {
  label: string;
  variant: 'ours' | 'powertools';
  /** Requests in the phase (callbacks or landings). */
  n: number;
  /** HTTP status of the replies → how many. */
  replies: Record<string, number>;
  /** Per request: DynamoDB reads (GetItem, Query, Scan, BatchGetItem). */
  reads: number;
  /** Per request: DynamoDB writes, incl. conditional writes whose condition failed. */
  writes: number;
  /** Per request, of the writes: those whose condition failed (DynamoDB still charges them). */
  failedConditions: number;
  /** Per request, by table and operation. */
  byOperation: Record<string, number>;
  /** Per request: Toss v2/status calls (the sandbox's own count). */
  tossStatusCalls: number;
  minimum: { reads: number; writes: number; why: string };
}

export interface OpsResult {
  ordersPerPhase: number;
  phases: OpsPhase[];
}

const READS = new Set(['GetItem', 'Query', 'Scan', 'BatchGetItem', 'TransactGetItems']);
const WRITES = new Set(['PutItem', 'UpdateItem', 'DeleteItem', 'BatchWriteItem', 'TransactWriteItems']);

function perRequest(counts: OpCounts, n: number, names: Record<string, string>): Pick<OpsPhase, 'reads' | 'writes' | 'failedConditions' | 'byOperation'> {
  let reads = 0;
  let writes = 0;
  let failed = 0;
  const byOperation: Record<string, number> = {};
  for (const [table, ops] of Object.entries(counts)) {
    for (const [op, c] of Object.entries(ops)) {
      if (READS.has(op)) reads += c.requests;
      if (WRITES.has(op)) {
        writes += c.requests;
        failed += c.errors;
      }
      byOperation[`${names[table] ?? table} ${op}`] = c.requests / n;
    }
  }
  return { reads: reads / n, writes: writes / n, failedConditions: failed / n, byOperation };
}

export async function runOps(args: {
  dynamoEndpoint: string;
  proxyEndpoint: string;
  sandboxUrl: string;
  orders: number;
  tableName: string;
}): Promise<OpsResult> {
  const proxy = remoteProxy(args.proxyEndpoint);
  let stack: BenchStack | undefined;
  try {
    stack = await startBenchStack({
      functionsEndpoint: proxy.endpoint,
      adminEndpoint: args.dynamoEndpoint,
      sandboxUrl: args.sandboxUrl,
      tableName: args.tableName,
      powertools: true,
    });
    const s = stack;
    const names = { [s.tableName]: 'orders', [s.idempotencyTable]: 'idempotency' };
    const n = args.orders;
    const phases: OpsPhase[] = [];

    /** Runs `send` for each order one at a time (counts do not depend on concurrency). */
    const phase = async (
      label: string,
      variant: OpsPhase['variant'],
      orders: PaidOrder[],
      send: (o: PaidOrder) => Promise<number>,
      minimum: OpsPhase['minimum'],
    ): Promise<void> => {
      const statusCalls = async (): Promise<number> =>
        (await mapPool(orders, 8, async (o) => (await getPayment(s.sandboxUrl, o.payToken)).calls.status ?? 0)).reduce((x, y) => x + y, 0);
      const before = await statusCalls();
      await proxy.reset();
      const statuses = await mapPool(orders, 1, send);
      const counts = await proxy.counts();
      const tossStatusCalls = ((await statusCalls()) - before) / orders.length;
      const replies: Record<string, number> = {};
      for (const st of statuses) replies[st] = (replies[st] ?? 0) + 1;
      phases.push({ label, variant, n: orders.length, replies, ...perRequest(counts, orders.length, names), tossStatusCalls, minimum });
      progress(`ops: ${label} (${variant}) done`);
    };

    const ours = (o: PaidOrder) => postCallback(s.api, o.callbackBody);
    const pt = (o: PaidOrder) => postCallback(s.powertoolsApi ?? '', o.callbackBody);
    const land = (o: PaidOrder) => visit(o.returnUrl);
    const one = { reads: 0, writes: 1, why: 'one state change (PAY_STANDBY → PAY_COMPLETE), no read' };
    const dup = {
      reads: 0,
      writes: 1,
      why: 'no state change; one request (a conditional write that fails, or a read) is the least that tells a duplicate apart',
    };

    const a = await makePaidOrders(s, 'ops-cb', n, 8);
    await phase('callback, first delivery', 'ours', a, ours, one);
    await phase('callback, duplicate delivery', 'ours', a, ours, dup);

    const b = await makePaidOrders(s, 'ops-pt', n, 8);
    await phase('callback, first delivery', 'powertools', b, pt, one);
    await phase('callback, duplicate delivery', 'powertools', b, pt, dup);

    const c = await makePaidOrders(s, 'ops-ret', n, 8, { callbackBody: false });
    await phase('return landing, callback lost (autoExecute)', 'ours', c, land, {
      reads: 1,
      writes: 1,
      why: 'one state change; the landing loads the order its query names (the query proves nothing)',
    });
    await phase('return landing, order already paid (reload)', 'ours', a, land, {
      reads: 1,
      writes: 0,
      why: 'no state change; the stored order is evidence enough',
    });
    const d = await makePaidOrders(s, 'ops-exe', n, 8, { autoExecute: false, callbackBody: false });
    await phase('return landing, executes (autoExecute false)', 'ours', d, land, {
      reads: 1,
      writes: 2,
      why: 'two state changes: the execute lock (→ EXECUTING), then PAY_COMPLETE',
    });
    return { ordersPerPhase: n, phases };
  } finally {
    await stack?.close();
  }
}
