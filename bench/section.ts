/**
 * Runs ONE bench section in this (fresh) process and sends its result to the parent over IPC.
 * bench/run.ts starts one per section, so each section's functions start cold with their own
 * configuration and clients, as a new Lambda container would. Stdout carries the functions' own
 * logs (the parent discards it); progress goes to stderr.
 */
import { runEvents } from './sections/events.ts';
import { runOps } from './sections/ops.ts';
import { runReconciler } from './sections/reconciler.ts';
import { runRefunds } from './sections/refunds.ts';
import { runThroughput } from './sections/throughput.ts';
import { runWarm } from './sections/warm.ts';
import type { SectionArgs, SectionName } from './lib/sizes.ts';

async function main(): Promise<unknown> {
  const name = process.argv[2] as SectionName | undefined;
  const raw = process.env.BENCH_SECTION_ARGS;
  if (raw === undefined) throw new Error('BENCH_SECTION_ARGS is not set (start sections through bench/run.ts)');
  const a = JSON.parse(raw) as SectionArgs;
  const endpoints = { dynamoEndpoint: a.dynamoEndpoint, proxyEndpoint: a.proxyEndpoint, sandboxUrl: a.sandboxUrl };
  switch (name) {
    case 'ops':
      return runOps({ ...endpoints, orders: a.sizes.opsOrders, tableName: 'bench-ops' });
    case 'throughput':
      return runThroughput({ ...endpoints, tableName: 'bench-throughput', ...a.sizes.throughput });
    case 'reconciler':
      return runReconciler({ ...endpoints, tableName: 'bench-reconciler', ...a.sizes.reconciler });
    case 'warm':
      return runWarm({ dynamoEndpoint: a.dynamoEndpoint, sandboxUrl: a.sandboxUrl, tableName: 'bench-warm', ...a.sizes.warm });
    case 'refunds':
      return runRefunds({ ...endpoints, orders: a.sizes.refundOrders, tableName: 'bench-refunds' });
    case 'events':
      return runEvents({ dynamoEndpoint: a.dynamoEndpoint, sandboxUrl: a.sandboxUrl, tableName: 'bench-events', ...a.sizes.events });
    default:
      throw new Error(`unknown section ${String(name)}`);
  }
}

main().then(
  (result) => process.send?.({ ok: true, result }, () => process.exit(0)),
  (e: unknown) => {
    console.error(e);
    process.send?.({ ok: false, error: e instanceof Error ? e.message : String(e) }, () => process.exit(1));
  },
);
