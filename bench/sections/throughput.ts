/**
 * c. Callback throughput and latency through the local gateway (real HTTP, the unmodified
 * callback function), at sandbox v2/status latencies of 0 and 50 ms, beside (1) the raw
 * conditional-write rate of DynamoDB Local at the same concurrency (the local ceiling: the one
 * write every first callback makes) and (2) the same handler wrapped in Powertools' idempotency
 * utility, served by a second gateway in the same process. Variants alternate within each
 * repetition so that drift on the machine hits both alike.
 */
import { PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { ensureTable } from '../../local/dynamodb.ts';
import { createDocumentClient } from '../../shared/store/client.ts';
import { mapPool, progress, since } from '../lib/pool.ts';
import type { ThroughputSizes } from '../lib/sizes.ts';
import { makePaidOrders, postCallback, startBenchStack, type BenchStack } from '../lib/stack.ts';
import { latencies, summarize, type LatencySummary, type Summary } from '../lib/stats.ts';

export interface RunFigures {
  requests: number;
  /** Replies other than 200 (should be 0). */
  errors: number;
  wallMs: number;
  perSecond: number;
  latencyMs: LatencySummary;
}

export interface VariantFigures {
  variant: 'ours' | 'powertools' | 'ceiling';
  statusLatencyMs: number | null;
  /** Requests (or writes) per second over the repetitions. */
  perSecond: Summary;
  /** Per-repetition p50 and p99 latency (ms). */
  p50Ms: Summary;
  p99Ms: Summary;
  /** Every request of every repetition together. */
  pooledLatencyMs: LatencySummary;
  errors: number;
  runs: RunFigures[];
}

export interface ThroughputResult {
  sizes: ThroughputSizes;
  variants: VariantFigures[];
}

type Timed = { ms: number; ok: boolean };

/** One measured run with its per-request samples (ms). */
interface Run {
  figures: RunFigures;
  samples: number[];
}

/** Runs `task` on every item at `concurrency`, timing each; the wall time spans the whole batch. */
async function drive<T>(items: readonly T[], concurrency: number, task: (item: T) => Promise<boolean>): Promise<Run> {
  const t0 = performance.now();
  const timed = await mapPool(items, concurrency, async (item): Promise<Timed> => {
    const s = performance.now();
    const ok = await task(item);
    return { ms: since(s), ok };
  });
  const wallMs = since(t0);
  const samples = timed.map((t) => t.ms);
  return {
    figures: {
      requests: items.length,
      errors: timed.filter((t) => !t.ok).length,
      wallMs,
      perSecond: items.length / (wallMs / 1000),
      latencyMs: latencies(samples),
    },
    samples,
  };
}

function figures(variant: VariantFigures['variant'], statusLatencyMs: number | null, runs: Run[]): VariantFigures {
  const f = runs.map((r) => r.figures);
  return {
    variant,
    statusLatencyMs,
    perSecond: summarize(f.map((r) => r.perSecond)),
    p50Ms: summarize(f.map((r) => r.latencyMs.p50)),
    p99Ms: summarize(f.map((r) => r.latencyMs.p99)),
    pooledLatencyMs: latencies(runs.flatMap((r) => r.samples)),
    errors: f.reduce((a, r) => a + r.errors, 0),
    runs: f,
  };
}

/**
 * The local ceiling: `writes` conditional UpdateItems (condition on existence and the current
 * state, as the callback's), each on its own pre-written item, `concurrency` at a time, straight
 * to DynamoDB Local with the store's client settings.
 */
async function ceilingRun(endpoint: string, tableName: string, writes: number, concurrency: number, round: number): Promise<Run> {
  const client = createDocumentClient({ region: 'ap-northeast-2', endpoint });
  try {
    const keys = Array.from({ length: writes }, (_, i) => `ORDER#ceiling-${round}-${i}`);
    await mapPool(keys, concurrency, (pk) =>
      client.send(new PutCommand({ TableName: tableName, Item: { pk, status: 'PAY_STANDBY', amount: 15_000, payToken: pk } })),
    );
    return await drive(keys, concurrency, async (pk) => {
      await client.send(
        new UpdateCommand({
          TableName: tableName,
          Key: { pk },
          UpdateExpression: 'SET #s = :to, #u = :now',
          ConditionExpression: 'attribute_exists(pk) AND #s IN (:from) AND #a = :amt',
          ExpressionAttributeNames: { '#s': 'status', '#u': 'updatedAt', '#a': 'amount' },
          ExpressionAttributeValues: { ':to': 'PAY_COMPLETE', ':from': 'PAY_STANDBY', ':now': new Date().toISOString(), ':amt': 15_000 },
          ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
        }),
      );
      return true;
    });
  } finally {
    client.destroy();
  }
}

export async function runThroughput(
  args: { dynamoEndpoint: string; sandboxUrl: string; tableName: string } & ThroughputSizes,
): Promise<ThroughputResult> {
  const stack: BenchStack = await startBenchStack({
    functionsEndpoint: args.dynamoEndpoint,
    adminEndpoint: args.dynamoEndpoint,
    sandboxUrl: args.sandboxUrl,
    tableName: args.tableName,
    powertools: true,
  });
  const ceilingTable = `${args.tableName}-ceiling`;
  await ensureTable(args.dynamoEndpoint, ceilingTable);
  try {
    const bases = { ours: stack.api, powertools: stack.powertoolsApi ?? '' } as const;
    const callbacks = async (variant: 'ours' | 'powertools', n: number): Promise<Run> => {
      const orders = await makePaidOrders(stack, `tp-${variant}`, n, args.concurrency);
      return drive(orders, args.concurrency, async (o) => (await postCallback(bases[variant], o.callbackBody)) === 200);
    };

    // Warm both variants (module load, JIT, connection pools) before anything is measured.
    for (const v of ['ours', 'powertools'] as const) await callbacks(v, Math.min(100, args.callbacks));
    await ceilingRun(args.dynamoEndpoint, ceilingTable, Math.min(500, args.ceilingWrites), args.concurrency, -1);

    const variants: VariantFigures[] = [];
    const ceiling: Run[] = [];
    for (const latency of args.statusLatenciesMs) {
      await stack.setFaults(latency);
      const runs: Record<'ours' | 'powertools', Run[]> = { ours: [], powertools: [] };
      for (let rep = 0; rep < args.repetitions; rep++) {
        // Alternate which variant goes first, so neither always runs on a fuller table.
        const order = rep % 2 === 0 ? (['ours', 'powertools'] as const) : (['powertools', 'ours'] as const);
        for (const v of order) runs[v].push(await callbacks(v, args.callbacks));
        ceiling.push(await ceilingRun(args.dynamoEndpoint, ceilingTable, args.ceilingWrites, args.concurrency, ceiling.length));
        progress(`throughput: status latency ${latency} ms, repetition ${rep + 1}/${args.repetitions} done`);
      }
      variants.push(figures('ours', latency, runs.ours), figures('powertools', latency, runs.powertools));
    }
    variants.push(figures('ceiling', null, ceiling));
    const { callbacks: n, concurrency, repetitions, ceilingWrites, statusLatenciesMs } = args;
    return { sizes: { callbacks: n, concurrency, repetitions, ceilingWrites, statusLatenciesMs }, variants };
  } finally {
    await stack.close();
  }
}
