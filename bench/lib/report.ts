/** results.json as Markdown tables (printed by `npm run bench`, pasted into BENCHMARKS.md). */
import type { Results } from './results.ts';
import { GOALS, importKiBGoal } from '../sections/bundles.ts';
import { WARM_GOAL } from '../sections/warm.ts';
import { round, type LatencySummary, type Summary } from './stats.ts';

const f = (x: number): string => String(round(x));
/** `median (min–max)` */
const spread = (s: Summary): string => `${f(s.median)} (${f(s.min)}–${f(s.max)})`;
const kib = (bytes: number): string => `${(bytes / 1024).toFixed(1)} KiB`;
/** `GetItem 1, UpdateItem 2`: a count (or a count per request) by operation. */
const perOperation = (counts: Record<string, number>): string =>
  Object.entries(counts)
    .map(([k, v]) => `${k} ${f(v)}`)
    .join(', ');
/** `50× 200`: how many replies of each kind. */
const replies = (counts: Record<string, number>): string =>
  Object.entries(counts)
    .map(([k, n]) => `${n}× ${k}`)
    .join(', ');
const table = (head: string[], rows: string[][]): string =>
  [`| ${head.join(' | ')} |`, `|${head.map(() => '---').join('|')}|`, ...rows.map((r) => `| ${r.join(' | ')} |`)].join('\n');

export function report(r: Results): string {
  const out: string[] = [];
  const m = r.machine;
  out.push(
    `## Run ${r.startedAt} (${r.mode}, ${r.durationSeconds} s)`,
    `${m.cpuModel}, ${m.cores} cores, ${m.memoryGiB} GiB, ${m.os}, Node ${m.node}, ${m.java}; load average ${m.loadAverage.join(' / ')} at start, ${r.loadAverageAtEnd.join(' / ')} at end.`,
  );
  if (r.bundles !== undefined) {
    const b = r.bundles;
    const dash = '—';
    const size = (v: { bytes: number; gzipBytes: number } | undefined): string => (v === undefined ? dash : `${kib(v.bytes)} (${kib(v.gzipBytes)})`);
    out.push(
      `\n### a. Bundles and cold init (${b.runs} fresh processes per variant, alternating; median (min–max))`,
      `before: ${b.beforeCommit}, one file, full zod, NODE_OPTIONS=--enable-source-maps${b.beforeMissing !== undefined ? ` (not measured: ${b.beforeMissing})` : ''}; after: the \`npx cdk synth\` assets, index.mjs + the chunks it imports statically, with each function's deployed NODE_OPTIONS (${[...new Set(b.functions.map((x) => x.after.nodeOptions || 'none'))].join(', ')}).`,
      '',
      table(
        ['function', 'before: loaded at import (gzip)', 'after: loaded at import (gzip)', 'after: files at import / all files (KiB)', 'before import ms', 'after import ms', 'after ÷ before', 'before: process start → imported, ms', 'after: process start → imported, ms', `goal: KiB ≤ ${GOALS.importKiB} (authorizer ${GOALS.authorizerImportKiB}), ratio ≤ ${GOALS.importRatio}`],
        b.functions.map((x) => [
          x.name,
          size(x.before),
          size(x.after),
          `${x.after.files.length} / ${(x.after.totalBytes / 1024).toFixed(1)}`,
          x.before === undefined ? dash : spread(x.before.importMs),
          spread(x.after.importMs),
          x.importRatio === undefined ? dash : x.importRatio.toFixed(2),
          x.before === undefined ? dash : spread(x.before.processMs),
          spread(x.after.processMs),
          `KiB ${x.after.bytes / 1024 <= importKiBGoal(x.name) ? 'pass' : 'FAIL'}, ratio ${x.importRatio === undefined ? dash : x.importRatio <= GOALS.importRatio ? 'pass' : 'FAIL'}`,
        ]),
      ),
      '',
      table(
        ['comparison (built as the functions are now, no NODE_OPTIONS)', 'loaded at import (gzip)', 'import ms', 'process start → imported, ms'],
        b.comparisons.map((c) => [`*${c.name}*`, size(c.figures), spread(c.figures.importMs), spread(c.figures.processMs)]),
      ),
    );
  }
  if (r.ops !== undefined) {
    out.push(
      `\n### b. DynamoDB requests per request (${r.ops.ordersPerPhase} requests per row)`,
      table(
        ['path', 'variant', 'reads', 'writes (condition failed)', 'by table and operation', 'minimum reads / writes', 'Toss status calls', 'replies'],
        r.ops.phases.map((p) => [
          p.label,
          p.variant,
          f(p.reads),
          `${f(p.writes)} (${f(p.failedConditions)})`,
          perOperation(p.byOperation),
          `${p.minimum.reads} / ${p.minimum.writes}`,
          f(p.tossStatusCalls),
          replies(p.replies),
        ]),
      ),
    );
  }
  if (r.throughput !== undefined) {
    const t = r.throughput;
    out.push(
      `\n### c. Callback throughput (${t.sizes.callbacks} callbacks per run, concurrency ${t.sizes.concurrency}, ${t.sizes.repetitions} runs; median (min–max))`,
      table(
        ['status latency', 'variant', 'per second', 'p50 ms', 'p99 ms', 'pooled p50 / p99 ms', 'non-200'],
        t.variants.map((v) => [
          v.statusLatencyMs === null ? '—' : `${v.statusLatencyMs} ms`,
          v.variant === 'ceiling' ? `ceiling: ${t.sizes.ceilingWrites} conditional UpdateItems` : v.variant,
          spread(v.perSecond),
          spread(v.p50Ms),
          spread(v.p99Ms),
          `${f(v.pooledLatencyMs.p50)} / ${f(v.pooledLatencyMs.p99)}`,
          String(v.errors),
        ]),
      ),
    );
  }
  if (r.reconciler !== undefined) {
    const x = r.reconciler;
    const p = x.pass;
    out.push(
      `\n### d. Reconciler (${x.sizes.dueOrders} due orders, ${x.sizes.finishedOrders} finished, concurrency ${x.sizes.concurrency}, status latency ${x.sizes.statusLatencyMs} ms)`,
      table(
        ['resolved', 'pass s', 'resolved / s', 'ceiling / s', 'of ceiling', 'unchanged', 'errors', 'DynamoDB per resolved order'],
        [
          [
            String(p.resolved),
            f(p.summary.durationMs / 1000),
            f(p.resolvedPerSecond),
            f(p.ceilingPerSecond),
            `${Math.round((100 * p.resolvedPerSecond) / p.ceilingPerSecond)} %`,
            String(p.summary.unchanged),
            String(p.summary.errors),
            perOperation(p.dynamoPerOrder),
          ],
        ],
      ),
      '',
      table(
        ['read', 'requests', 'items read (ScannedCount)', 'items returned', 'RCU (DynamoDB Local)', 'ms'],
        [
          ['due query (all shards, pages of 100)', x.dueQuery],
          ['Scan with a filter (the comparison)', x.scan],
        ].map(([label, q]) => {
          const v = q as typeof x.scan;
          return [label as string, String(v.requests), String(v.itemsRead), String(v.itemsReturned), f(v.capacityUnits), f(v.ms)];
        }),
      ),
      '',
      `Seeding: ${x.sizes.dueOrders} due orders (create use case + sandbox approve) in ${f(x.seeding.dueOrdersMs / 1000)} s; ${x.sizes.finishedOrders} finished orders (BatchWriteItem, 16 in flight) in ${f(x.seeding.finishedOrdersMs / 1000)} s (${f(x.seeding.finishedPerSecond)} items/s).`,
    );
  }
  if (r.warm !== undefined) {
    const w = r.warm;
    out.push(
      `\n### e. Warm cost: CPU time per warm callback invocation (${w.sizes.invocations} direct invocations of each after ${w.sizes.warmup} unmeasured, alternating; process.cpuUsage)`,
      table(
        ['handler', 'CPU µs per invocation: median (p10–p90)', 'mean (user + system)', 'wall ms: median (p10–p90)', 'replies'],
        w.variants.map((v) => [
          v.variant === 'ours' ? `ours (${v.entry})` : `floor: minimal hand-written (${v.entry})`,
          `${f(v.cpuUs.median)} (${f(v.cpuUs.p10)}–${f(v.cpuUs.p90)})`,
          `${f(v.cpuMeanUs)} (${f(v.userMeanUs)} + ${f(v.systemMeanUs)})`,
          `${f(v.wallMs.median)} (${f(v.wallMs.p10)}–${f(v.wallMs.p90)})`,
          replies(v.replies),
        ]),
      ),
      '',
      `ours ÷ floor: ${w.ratio.median.toFixed(2)} (medians), ${w.ratio.mean.toFixed(2)} (means); goal ≤ ${WARM_GOAL}: ${w.ratio.median <= WARM_GOAL ? 'pass' : 'FAIL'} (medians), ${w.ratio.mean <= WARM_GOAL ? 'pass' : 'FAIL'} (means).`,
    );
  }
  if (r.refunds !== undefined) {
    const x = r.refunds;
    const toss = (t: Partial<Record<string, number>>): string =>
      Object.keys(t).length === 0
        ? '0'
        : Object.entries(t)
            .map(([k, v]) => `${k} ${f(v ?? 0)}`)
            .join(', ');
    out.push(
      `\n### f. DynamoDB requests and Toss calls per refund (${x.ordersPerPhase} refunds per row, POST /payments/{orderNo}/refunds through the gateway)`,
      table(
        ['refund', 'reads', 'writes (condition failed)', 'by operation', 'Toss calls', 'minimum reads / writes / Toss', 'replies'],
        x.phases.map((p) => [
          p.label,
          f(p.reads),
          `${f(p.writes)} (${f(p.failedConditions)})`,
          perOperation(p.byOperation),
          toss(p.toss),
          `${p.minimum.reads} / ${p.minimum.writes} / ${toss(p.minimum.toss)}`,
          replies(p.replies),
        ]),
      ),
    );
  }
  if (r.events !== undefined) {
    const e = r.events;
    const pq = (s: LatencySummary | undefined): string => (s === undefined ? '–' : `${f(s.p50)} / ${f(s.p99)}`);
    out.push(
      `\n### g. Events: change → delivery through the local stack (stream polled every ${e.consumer.pollIntervalMs} ms when idle, batches ≤ ${e.consumer.batchSize})`,
      table(
        ['load', 'orders', 'change → log p50 / p99 ms', 'change → bus p50 / p99 ms', 'change → webhook p50 / p99 ms', 'callback reply → bus p50 / p99 ms', 'callback reply → webhook p50 / p99 ms'],
        [
          ['one callback at a time', String(e.latency.orders), pq(e.latency.changeToLog), pq(e.latency.changeToBus), pq(e.latency.changeToWebhook), pq(e.latency.replyToBus), pq(e.latency.replyToWebhook)],
          ...(e.hang !== undefined
            ? [[`one callback at a time, the receiver hanging`, String(e.hang.orders), pq(e.hang.changeToLog), pq(e.hang.changeToBus), 'never answered', '', '']]
            : []),
          ...e.storm.map((s, i) => [
            `storm ${i + 1}: ${s.callbacks} callbacks, ${e.sizes.concurrency} in flight`,
            String(s.callbacks),
            pq(s.latency.changeToLog),
            pq(s.latency.changeToBus),
            pq(s.latency.changeToWebhook),
            pq(s.latency.replyToBus),
            pq(s.latency.replyToWebhook),
          ]),
        ],
      ),
      '',
      table(
        ['storm run', 'callbacks / s', 'events / s at the bus', 'events / s at the webhook', 'first callback → last webhook, s', 'last callback reply → last webhook (backlog drained), s', 'non-200'],
        e.storm.map((s, i) => [String(i + 1), f(s.callbacksPerSecond), f(s.busEventsPerSecond), f(s.webhookEventsPerSecond), f(s.webhookSeconds), f(s.drainSeconds), String(s.non200)]),
      ),
      '',
      ...(e.hang !== undefined
        ? [
            `The receiver hanging: it held ${e.hang.receiverHeld} requests unanswered; of the ${e.hang.orders} deliveries, ${e.hang.cutAttempts} had their first attempt cut at the events function's ${e.hang.budgetMs} ms budget and ${e.hang.leftDue} were left to the retrier without one; ${e.hang.pending} due at the end.`,
            '',
          ]
        : []),
      `Stream consumer: ${e.stream.invocations} invocations of the events function for ${e.stream.recordsPassed} records passed by the filter, ${e.stream.shards} shard(s); events seen twice: ${e.duplicates.bus} at the bus, ${e.duplicates.webhook} at the webhook.`,
      ...(e.fanOut !== undefined
        ? [
            '',
            table(
              ['endpoints', 'callbacks', 'deliveries', 'callbacks / s', 'deliveries / s', 'first callback → last delivery, s', 'change → webhook p50 / p99 ms (every delivery)', "change → the event's last endpoint p50 / p99 ms", 'non-200'],
              e.fanOut.map((x) => [String(x.endpoints), String(x.callbacks), String(x.deliveries), f(x.callbacksPerSecond), f(x.deliveriesPerSecond), f(x.webhookSeconds), pq(x.changeToWebhook), pq(x.changeToLastEndpoint), String(x.non200)]),
            ),
          ]
        : []),
    );
  }
  if (r.storm !== undefined) {
    const seconds = (run: { tests: { name: string; seconds: number }[] }, i: number): string => {
      const t = run.tests[i];
      return t === undefined ? '–' : f(t.seconds);
    };
    out.push(
      `\n### h. The duplicate storm at scale (test/reliability/duplicate-storm.test.ts, every assertion, at STORM_ORDERS orders; \`npm test\` runs 40)`,
      table(
        ['orders', 'verdict', 'first storm, s', 'autoExecute=false storm, s', 'the whole run, s', "the storm's report"],
        r.storm.runs.map((x) => [
          String(x.orders),
          x.passed
            ? 'passed'
            : x.tests.length === 0
              ? 'failed: no test ran'
              : `failed: ${x.tests.filter((t) => t.status !== 'passed').map((t) => `${t.name}: ${t.failure ?? t.status}`).join('; ')}`,
          seconds(x, 0),
          seconds(x, 1),
          f(x.wallSeconds),
          x.report.map((l) => l.replace(/^duplicate storm: /, '')).join('; '),
        ]),
      ),
    );
  }
  if (r.loadAverageBySection !== undefined) {
    out.push(
      '\nLoad average (1/5/15 min) when each section started (and when it ran): ' +
        Object.entries(r.loadAverageBySection)
          .map(([k, v]) => `${k} ${v.join(' / ')}${r.sectionRanAt?.[k] === undefined ? '' : ` (${r.sectionRanAt[k]})`}`)
          .join('; ') +
        '.',
    );
  }
  return `${out.join('\n')}\n`;
}
