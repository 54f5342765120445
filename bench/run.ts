/**
 * `npm run bench`: every benchmark of BENCHMARKS.md, at the issue's sizes (`--quick` for smaller
 * ones while developing; `--only=bundles,ops,throughput,reconciler,warm,refunds,events,storm` to run some). Starts its own
 * DynamoDB Local (in memory), Toss sandbox and DynamoDB counting proxy (all on free ports of
 * 127.0.0.1), runs the sections one after another, each service-backed section in a fresh Node
 * process (the functions under test and the load driver; the sandbox and the proxy stay here),
 * writes bench/results.json and prints the figures as Markdown tables. Every loop is bounded by
 * its input; the run stops by itself.
 */
import { spawn, spawnSync } from 'node:child_process';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { startDynamoDbLocal } from '../local/dynamodb.ts';
import { freePort } from '../local/ports.ts';
import { DEFAULT_API_KEY, startSandbox } from '../local/toss-sandbox/server.ts';
import { startDynamoDbProxy, type DynamoDbProxy } from '../local/dynamodb-proxy.ts';
import { machine } from './lib/machine.ts';
import { progress } from './lib/pool.ts';
import { report } from './lib/report.ts';
import type { Results } from './lib/results.ts';
import { FULL, QUICK, type SectionArgs, type SectionName } from './lib/sizes.ts';
import { runBundles } from './sections/bundles.ts';
import { runStorm } from './sections/storm.ts';
import type { EventsResult } from './sections/events.ts';
import type { OpsResult } from './sections/ops.ts';
import type { ReconcilerResult } from './sections/reconciler.ts';
import type { RefundsResult } from './sections/refunds.ts';
import type { ThroughputResult } from './sections/throughput.ts';
import type { WarmResult } from './sections/warm.ts';


const SECTIONS = ['bundles', 'ops', 'throughput', 'reconciler', 'warm', 'refunds', 'events', 'storm'] as const;
type Section = (typeof SECTIONS)[number];

/** A section in its own Node process; resolves with what it sends back over IPC. */
function runSection<T>(name: SectionName, args: SectionArgs, timeoutMs: number): Promise<T> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [join(import.meta.dirname, 'section.ts'), name], {
      env: { ...process.env, BENCH_SECTION_ARGS: JSON.stringify(args) },
      // stdout: the functions' JSON logs, not wanted here; stderr: progress and errors.
      stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
    });
    let reply: { ok: true; result: T } | { ok: false; error: string } | undefined;
    const timer = setTimeout(() => {
      progress(`${name}: no result after ${timeoutMs / 60_000} minutes; stopping it`);
      child.kill('SIGKILL');
    }, timeoutMs);
    child.on('message', (m) => (reply = m as typeof reply));
    child.on('error', reject);
    child.on('exit', (code, signal) => {
      clearTimeout(timer);
      if (reply?.ok === true) resolve(reply.result);
      else reject(new Error(`section ${name} failed (${signal ?? `exit ${code}`}): ${reply?.ok === false ? reply.error : 'no result'}`));
    });
  });
}

function javaVersion(): string {
  const r = spawnSync('java', ['-version'], { encoding: 'utf8' });
  return (r.stderr || r.stdout || '').split('\n')[0]?.trim() ?? 'unknown';
}

/** Copies into `results` the sections of the results.json at `path` that this run did not run. */
async function keepOtherSections(path: string, results: Results, ran: readonly string[]): Promise<void> {
  let earlier: Results;
  try {
    earlier = JSON.parse(await readFile(path, 'utf8')) as Results;
  } catch {
    return;
  }
  if (earlier.mode !== results.mode) {
    progress(`${path} holds a ${earlier.mode} run: not mixed into this ${results.mode} one`);
    return;
  }
  for (const s of SECTIONS) {
    if (ran.includes(s) || earlier[s] === undefined) continue;
    Object.assign(results, { [s]: earlier[s] });
    const load = earlier.loadAverageBySection?.[s];
    if (load !== undefined) (results.loadAverageBySection ??= {})[s] = load;
    // A run from before per-section times has none: none is made up.
    const ranAt = earlier.sectionRanAt?.[s];
    if (ranAt !== undefined) (results.sectionRanAt ??= {})[s] = ranAt;
  }
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { quick: { type: 'boolean', default: false }, only: { type: 'string' } } });
  const only = values.only?.split(',').map((s) => s.trim()) ?? [...SECTIONS];
  for (const s of only) if (!(SECTIONS as readonly string[]).includes(s)) throw new Error(`--only: unknown section ${s} (${SECTIONS.join(', ')})`);
  const want = (s: Section): boolean => only.includes(s);
  const sizes = values.quick ? QUICK : FULL;
  const started = new Date();
  const results: Results = {
    mode: values.quick ? 'quick' : 'full',
    startedAt: started.toISOString(),
    finishedAt: '',
    durationSeconds: 0,
    machine: machine(javaVersion()),
    loadAverageAtEnd: [],
    sizes,
  };
  progress(`${results.mode} run: ${only.join(', ')}`);

  const loads: Record<string, number[]> = {};
  results.loadAverageBySection = loads;
  const ranAt: Record<string, string> = {};
  results.sectionRanAt = ranAt;
  const starting = (s: Section): boolean => {
    if (want(s)) {
      loads[s] = machine('').loadAverage;
      ranAt[s] = new Date().toISOString();
    }
    return want(s);
  };
  if (starting('bundles')) results.bundles = await runBundles({ runs: sizes.coldStarts });

  if (SECTIONS.some((x) => x !== 'bundles' && x !== 'storm' && want(x))) {
    // In this process, shared by the sections: the Toss sandbox (each section resets it). Each
    // section gets its own DynamoDB Local (Java) and counting proxy, started fresh: DynamoDB Local
    // keeps every stream record of every table in its one database and slows as they pile up, so
    // a section run after others would measure their leftovers.
    const sandbox = await startSandbox({ port: 0, quiet: true, apiKeys: [DEFAULT_API_KEY] });
    const section = async <T>(name: SectionName, timeoutMs: number): Promise<T> => {
      const ddb = await startDynamoDbLocal({ port: await freePort() });
      let proxy: DynamoDbProxy | undefined;
      try {
        proxy = await startDynamoDbProxy(ddb.endpoint);
        progress(`${name}: DynamoDB Local on ${ddb.endpoint}, counting proxy on ${proxy.endpoint}, sandbox on ${sandbox.url}`);
        return await runSection<T>(name, { dynamoEndpoint: ddb.endpoint, proxyEndpoint: proxy.endpoint, sandboxUrl: sandbox.url, sizes }, timeoutMs);
      } finally {
        await proxy?.close();
        await ddb.stop();
      }
    };
    try {
      if (starting('ops')) results.ops = await section<OpsResult>('ops', 10 * 60_000);
      if (starting('throughput')) results.throughput = await section<ThroughputResult>('throughput', 30 * 60_000);
      if (starting('reconciler')) results.reconciler = await section<ReconcilerResult>('reconciler', 45 * 60_000);
      if (starting('warm')) results.warm = await section<WarmResult>('warm', 20 * 60_000);
      if (starting('refunds')) results.refunds = await section<RefundsResult>('refunds', 10 * 60_000);
      if (starting('events')) results.events = await section<EventsResult>('events', 20 * 60_000);
    } finally {
      await sandbox.close();
    }
  }

  // A vitest run of its own (its own DynamoDB Local and stack, as in the suite).
  if (starting('storm')) results.storm = await runStorm({ orders: sizes.stormOrders });

  const finished = new Date();
  results.finishedAt = finished.toISOString();
  results.durationSeconds = Math.round((finished.getTime() - started.getTime()) / 1000);
  results.loadAverageAtEnd = machine('').loadAverage;
  const out = join(import.meta.dirname, 'results.json');
  if (values.only !== undefined) await keepOtherSections(out, results, only);
  await writeFile(out, `${JSON.stringify(results, null, 2)}\n`);
  process.stdout.write(report(results));
  progress(`wrote ${out} (${results.durationSeconds} s)`);
  if (results.storm?.runs.some((x) => !x.passed) === true) {
    progress('the duplicate storm failed at a size (above)');
    process.exitCode = 1;
  }
}

main().catch((e: unknown) => {
  console.error(e);
  process.exitCode = 1;
});
