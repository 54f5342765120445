/**
 * d. The reconciler: orders resolved per second by one pass (shared/payments/reconcile/pass.ts, as
 * functions/reconciler runs it) over N due orders whose callbacks were lost, with Toss's v2/status
 * answering after 50 ms and 16 checks at a time, beside the ceiling concurrency ÷ latency; and
 * the items the due-work query reads with N unfinished among 10·N finished orders, beside a Scan of
 * the same table. DynamoDB requests go through the counting proxy (local/dynamodb-proxy.ts).
 */
import { BatchWriteCommand, GetCommand, PutCommand, ScanCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { handleCallback } from '../../shared/payments/callback.ts';
import { reconcilePass } from '../../shared/payments/reconcile/pass.ts';
import type { ReconcileSummary } from '../../shared/payments/reconcile/summary.ts';
import { CREATE_IN_FLIGHT_MS, reconcilerContainer } from '../../shared/deps.ts';
import { createDocumentClient } from '../../shared/store/client.ts';
import { createDueStore } from '../../shared/store/due.ts';
import { orderKey } from '../../shared/store/orders.ts';
import { remoteProxy, type OpCounts } from '../../local/dynamodb-proxy.ts';
import { chunks, mapPool, progress, since } from '../lib/pool.ts';
import type { ReconcilerSizes } from '../lib/sizes.ts';
import { makePaidOrders, orderNos, startBenchStack, type BenchStack } from '../lib/stack.ts';

export interface ReadFigures {
  requests: number;
  /** Items DynamoDB read to answer (ScannedCount). */
  itemsRead: number;
  /** Items it returned (Count). */
  itemsReturned: number;
  /** Read capacity units DynamoDB Local reported (ReturnConsumedCapacity TOTAL). */
  capacityUnits: number;
  ms: number;
}

export interface ReconcilerResult {
  sizes: ReconcilerSizes;
  seeding: { dueOrdersMs: number; finishedOrdersMs: number; finishedPerSecond: number };
  dueQuery: ReadFigures;
  scan: ReadFigures;
  pass: {
    summary: ReconcileSummary;
    resolved: number;
    resolvedPerSecond: number;
    /** concurrency ÷ status latency: every check waiting only on Toss. */
    ceilingPerSecond: number;
    /** DynamoDB requests of the pass, by operation, per resolved order. */
    dynamoPerOrder: Record<string, number>;
  };
}

/**
 * The pass runs as if this much later than the seeding: every seeded order is due (first check one
 * minute after its creation), and no order it resolves is due again within the same pass (the use
 * cases take their own clock: a paid order's first re-check is one hour after payment).
 */
const PASS_AHEAD_MS = 10 * 60_000;
/** Orders flagged for attention after this age (none here). */
const FLAG_AFTER_MS = 30 * 24 * 3_600_000;

/** BatchWriteItem of `items`, 25 per request, `concurrency` requests at once; unprocessed items retried. */
async function batchPut(client: DynamoDBDocumentClient, tableName: string, items: Record<string, unknown>[], concurrency: number): Promise<void> {
  await mapPool(chunks(items, 25), concurrency, async (batch) => {
    let pending = batch.map((Item) => ({ PutRequest: { Item } }));
    for (let attempt = 0; pending.length > 0; attempt++) {
      if (attempt >= 10) throw new Error(`BatchWriteItem left ${pending.length} items unprocessed after 10 attempts`);
      if (attempt > 0) await new Promise((r) => setTimeout(r, 50 * 2 ** attempt));
      const r = await client.send(new BatchWriteCommand({ RequestItems: { [tableName]: pending } }));
      pending = (r.UnprocessedItems?.[tableName] ?? []).flatMap((w) => (w.PutRequest?.Item !== undefined ? [{ PutRequest: { Item: w.PutRequest.Item } }] : []));
    }
  });
}

/**
 * A real finished (PAY_COMPLETE) order item as the store wrote it, paid through the callback
 * use case, as it is once its re-checks after payment are over: out of the due index (a paid
 * order stays in it for the re-checks at 1 hour, 1 day, 7 and 30 days, shared/domain/schedule.ts;
 * the last one removes `dueShard` and `dueAt`, as done here).
 */
async function finishedTemplate(stack: BenchStack, client: DynamoDBDocumentClient): Promise<Record<string, unknown>> {
  const [o] = await makePaidOrders(stack, 'rec-template', 1, 1);
  if (o === undefined) throw new Error('no template order');
  const body = o.callbackBody as { status: string; payToken: string; orderNo: string; amount: number };
  const r = await handleCallback(body, stack.deps);
  if (r.order.status !== 'PAY_COMPLETE') throw new Error(`template order is ${r.order.status}`);
  const item = (await client.send(new GetCommand({ TableName: stack.tableName, Key: { pk: orderKey(o.orderNo) }, ConsistentRead: true }))).Item;
  if (item === undefined) throw new Error('template order is missing');
  const { dueShard: _dueShard, dueAt: _dueAt, ...finished } = item;
  // The template is one of the finished orders: it leaves the due index too.
  await client.send(new PutCommand({ TableName: stack.tableName, Item: finished }));
  return finished;
}

const sumCounts = (c: OpCounts, table: string): ReadFigures => {
  const ops = c[table] ?? {};
  return Object.values(ops).reduce<ReadFigures>(
    (a, o) => ({ ...a, requests: a.requests + o.requests, itemsRead: a.itemsRead + o.itemsRead, itemsReturned: a.itemsReturned + o.itemsReturned }),
    { requests: 0, itemsRead: 0, itemsReturned: 0, capacityUnits: 0, ms: 0 },
  );
};

export async function runReconciler(
  args: { dynamoEndpoint: string; proxyEndpoint: string; sandboxUrl: string; tableName: string } & ReconcilerSizes,
): Promise<ReconcilerResult> {
  const proxy = remoteProxy(args.proxyEndpoint);
  const direct = createDocumentClient({ region: 'ap-northeast-2', endpoint: args.dynamoEndpoint });
  const counted = createDocumentClient({ region: 'ap-northeast-2', endpoint: proxy.endpoint });
  let stack: BenchStack | undefined;
  try {
    stack = await startBenchStack({
      functionsEndpoint: proxy.endpoint,
      adminEndpoint: args.dynamoEndpoint,
      sandboxUrl: args.sandboxUrl,
      tableName: args.tableName,
      powertools: false,
      // The pass reads no stream; with one, DynamoDB Local slows as 110,000 orders' records pile up.
      stream: false,
    });
    const s = stack;

    // ---- Seed: N due orders, paid at Toss with their callbacks dropped; 10·N finished ones.
    let t0 = performance.now();
    await makePaidOrders(s, 'rec', args.dueOrders, 32, { callbackBody: false });
    const dueOrdersMs = since(t0);
    progress(`reconciler: ${args.dueOrders} due orders created and paid in ${(dueOrdersMs / 1000).toFixed(1)} s`);
    const template = await finishedTemplate(s, direct);
    // The template is one of the finished orders.
    const clones = orderNos('rec-done', args.finishedOrders - 1).map((orderNo) => ({ ...template, pk: orderKey(orderNo), orderNo, payToken: `pt-${orderNo}` }));
    t0 = performance.now();
    await batchPut(direct, s.tableName, clones, 16);
    const finishedOrdersMs = since(t0);
    progress(`reconciler: ${args.finishedOrders} finished orders written in ${(finishedOrdersMs / 1000).toFixed(1)} s`);

    // ---- Items read: the due query (the store's, every shard, every page) vs a Scan.
    const now = Date.now() + PASS_AHEAD_MS;
    const due = createDueStore({ client: counted, tableName: s.tableName });
    await proxy.reset();
    t0 = performance.now();
    let capacity = 0;
    for (const shard of due.shards) {
      let startKey: Record<string, unknown> | undefined;
      do {
        const page = await due.queryDue(shard, now, { limit: 100, startKey });
        capacity += page.capacityUnits;
        startKey = page.nextKey;
      } while (startKey !== undefined);
    }
    const dueQuery = { ...sumCounts(await proxy.counts(), s.tableName), capacityUnits: capacity, ms: since(t0) };
    await proxy.reset();
    t0 = performance.now();
    capacity = 0;
    let startKey: Record<string, unknown> | undefined;
    do {
      const r = await counted.send(
        new ScanCommand({
          TableName: s.tableName,
          FilterExpression: 'attribute_exists(#s) AND #d <= :now',
          ExpressionAttributeNames: { '#s': 'dueShard', '#d': 'dueAt' },
          ExpressionAttributeValues: { ':now': now },
          ExclusiveStartKey: startKey,
          ReturnConsumedCapacity: 'TOTAL',
        }),
      );
      capacity += r.ConsumedCapacity?.CapacityUnits ?? 0;
      startKey = r.LastEvaluatedKey;
    } while (startKey !== undefined);
    const scan = { ...sumCounts(await proxy.counts(), s.tableName), capacityUnits: capacity, ms: since(t0) };
    progress(`reconciler: due query read ${dueQuery.itemsRead} items, Scan read ${scan.itemsRead}`);

    // ---- One pass, as functions/reconciler composes it, Toss status at 50 ms.
    await s.setFaults(args.statusLatencyMs);
    await proxy.reset();
    const summary = await reconcilePass(
      { ...s.deps, due: reconcilerContainer('reconciler').due, count: () => undefined },
      { now, concurrency: args.concurrency, deadline: Date.now() + 30 * 60_000, flagAfterMs: FLAG_AFTER_MS, createGraceMs: CREATE_IN_FLIGHT_MS },
    );
    const resolved = Object.values(summary.changed).reduce((a, n) => a + n, 0);
    const passCounts = (await proxy.counts())[s.tableName] ?? {};
    const dynamoPerOrder = Object.fromEntries(Object.entries(passCounts).map(([op, c]) => [op, resolved === 0 ? 0 : c.requests / resolved]));
    progress(`reconciler: pass resolved ${resolved} orders in ${(summary.durationMs / 1000).toFixed(1)} s`);
    return {
      sizes: { dueOrders: args.dueOrders, finishedOrders: args.finishedOrders, concurrency: args.concurrency, statusLatencyMs: args.statusLatencyMs },
      seeding: { dueOrdersMs, finishedOrdersMs, finishedPerSecond: args.finishedOrders / (finishedOrdersMs / 1000) },
      dueQuery,
      scan,
      pass: {
        summary,
        resolved,
        resolvedPerSecond: resolved / (summary.durationMs / 1000),
        ceilingPerSecond: args.concurrency / (args.statusLatencyMs / 1000),
        dynamoPerOrder,
      },
    };
  } finally {
    await stack?.close();
    direct.destroy();
    counted.destroy();
  }
}
