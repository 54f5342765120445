/** Workload sizes: the figures by default, smaller ones with --quick (development). */

export interface ThroughputSizes {
  /** Callbacks per measured run (one paid order each). */
  callbacks: number;
  /** Callbacks in flight at once. */
  concurrency: number;
  /** Measured runs per variant and status latency (median and spread over these). */
  repetitions: number;
  /** Conditional UpdateItems per ceiling run. */
  ceilingWrites: number;
  /** Sandbox v2/status latencies to measure at (ms). */
  statusLatenciesMs: number[];
}

export interface ReconcilerSizes {
  /** Due orders the pass resolves (paid at Toss, callback lost). */
  dueOrders: number;
  /** Finished orders beside them (the query-vs-Scan comparison). */
  finishedOrders: number;
  concurrency: number;
  statusLatencyMs: number;
}

export interface WarmSizes {
  /** Measured direct invocations of each handler (one fresh paid order each). */
  invocations: number;
  /** Invocations of each before measuring (not counted). */
  warmup: number;
}

export interface EventsSizes {
  /** Callbacks sent one at a time for the change-to-delivery latency. */
  latencyOrders: number;
  /** Callbacks per storm run (one paid order each). */
  stormCallbacks: number;
  /** Storm callbacks in flight at once. */
  concurrency: number;
  /** Storm runs. */
  repetitions: number;
  /** Callbacks sent one at a time while the webhook receiver hangs. */
  hangOrders: number;
  /** Callbacks per fan-out run (one paid order each, `concurrency` in flight), and the endpoints of each run. */
  fanOutCallbacks: number;
  fanOutEndpoints: number[];
}

export interface Sizes {
  /** Fresh-process cold starts per bundle. */
  coldStarts: number;
  /** Requests per DynamoDB-operations phase. */
  opsOrders: number;
  throughput: ThroughputSizes;
  reconciler: ReconcilerSizes;
  warm: WarmSizes;
  /** Refunds per refund phase (one fresh paid order each). */
  refundOrders: number;
  events: EventsSizes;
  /** The duplicate storm's first storm, in orders, one run of the file per size (`npm test` pays 40). */
  stormOrders: number[];
}

export const FULL: Sizes = {
  coldStarts: 15,
  opsOrders: 50,
  throughput: { callbacks: 500, concurrency: 32, repetitions: 5, ceilingWrites: 2_000, statusLatenciesMs: [0, 50] },
  reconciler: { dueOrders: 10_000, finishedOrders: 100_000, concurrency: 16, statusLatencyMs: 50 },
  warm: { invocations: 1_000, warmup: 100 },
  refundOrders: 50,
  events: { latencyOrders: 200, stormCallbacks: 500, concurrency: 32, repetitions: 3, hangOrders: 50, fanOutCallbacks: 200, fanOutEndpoints: [1, 5, 20] },
  stormOrders: [100, 300],
};

export const QUICK: Sizes = {
  coldStarts: 5,
  opsOrders: 10,
  throughput: { callbacks: 100, concurrency: 32, repetitions: 2, ceilingWrites: 500, statusLatenciesMs: [0, 50] },
  reconciler: { dueOrders: 1_000, finishedOrders: 10_000, concurrency: 16, statusLatencyMs: 50 },
  warm: { invocations: 200, warmup: 50 },
  refundOrders: 10,
  events: { latencyOrders: 40, stormCallbacks: 100, concurrency: 32, repetitions: 1, hangOrders: 10, fanOutCallbacks: 40, fanOutEndpoints: [1, 5, 20] },
  stormOrders: [40],
};

export type SectionName = 'ops' | 'throughput' | 'reconciler' | 'warm' | 'refunds' | 'events';

/** What bench/run.ts hands a section process (JSON in BENCH_SECTION_ARGS). */
export interface SectionArgs {
  /** DynamoDB Local itself. */
  dynamoEndpoint: string;
  /** The counting proxy in front of it (local/dynamodb-proxy.ts), in the parent process. */
  proxyEndpoint: string;
  /** The Toss sandbox, in the parent process (Toss is not on the function's CPU either). */
  sandboxUrl: string;
  sizes: Sizes;
}
