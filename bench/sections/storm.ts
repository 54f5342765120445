/**
 * h. The duplicate storm at scale: test/reliability/duplicate-storm.test.ts, every assertion of
 * it, at the bench's sizes. `npm test` pays 40 orders in its first storm; here it pays each of
 * `orders` (STORM_ORDERS), each order with Toss's callback, 10 concurrent duplicate deliveries
 * and the buyer's retUrl twice, reconciler passes running through it, and then its
 * autoExecute=false storm. The file runs in a vitest of its own (its own DynamoDB Local and
 * stack, as in the suite); the figures are its verdict, its times and the storm's own report
 * (which writer recorded each payment, the pages the landings showed, the webhook deliveries).
 */
import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stripVTControlCharacters } from 'node:util';
import { PROJECT_ROOT } from '../../infra/paths.ts';
import { progress } from '../lib/pool.ts';

export const STORM_TEST = 'test/reliability/duplicate-storm.test.ts';

export interface StormRun {
  /** Orders of the first storm (STORM_ORDERS). */
  orders: number;
  /** Every test of the file passed. */
  passed: boolean;
  /** Each test: its name, verdict and time. */
  tests: { name: string; status: string; seconds: number; failure?: string }[];
  /** The storm's own report, its `duplicate storm: …` lines. */
  report: string[];
  /** The whole vitest run (its start, the stack's, both storms). */
  wallSeconds: number;
}

export interface StormResult {
  runs: StormRun[];
}

interface JsonReport {
  testResults: { assertionResults: { title: string; status: string; duration?: number; failureMessages?: string[] }[] }[];
}

/**
 * The tests of vitest's JSON report at `path`: none when it wrote no report (vitest itself failed,
 * e.g. on a bad STORM_ORDERS), which makes the run a failed one. Any other failure to read it is
 * the bench's own, and thrown.
 */
export async function testsOf(path: string): Promise<StormRun['tests']> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw e;
  }
  return (JSON.parse(text) as JsonReport).testResults.flatMap((f) =>
    f.assertionResults.map((a) => ({
      name: a.title,
      status: a.status,
      seconds: (a.duration ?? 0) / 1000,
      ...(a.failureMessages?.length ? { failure: a.failureMessages[0]!.split('\n')[0]! } : {}),
    })),
  );
}

/** The storm file once, with `orders` in its first storm. */
async function runOnce(orders: number): Promise<StormRun> {
  const dir = await mkdtemp(join(tmpdir(), 'toss-pay-bench-storm-'));
  const json = join(dir, 'report.json');
  const started = performance.now();
  try {
    const stdout = await new Promise<string>((resolve, reject) => {
      const child = spawn(process.execPath, [join(PROJECT_ROOT, 'node_modules', 'vitest', 'vitest.mjs'), 'run', STORM_TEST, '--maxWorkers=1', '--reporter=verbose', '--reporter=json', `--outputFile.json=${json}`], {
        cwd: PROJECT_ROOT,
        env: { ...process.env, STORM_ORDERS: String(orders) },
        stdio: ['ignore', 'pipe', 'inherit'],
      });
      let out = '';
      child.stdout.on('data', (b: Buffer) => (out += b.toString()));
      child.on('error', reject);
      child.on('close', () => resolve(out));
    });
    const wallSeconds = (performance.now() - started) / 1000;
    const tests = await testsOf(json);
    return {
      orders,
      passed: tests.length > 0 && tests.every((t) => t.status === 'passed'),
      tests,
      report: stripVTControlCharacters(stdout)
        .split('\n')
        .filter((l) => l.startsWith('duplicate storm: ')),
      wallSeconds,
    };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** The storm file at each size, one after the other. */
export async function runStorm(o: { orders: readonly number[] }): Promise<StormResult> {
  const runs: StormRun[] = [];
  for (const orders of o.orders) {
    progress(`storm: ${orders} orders`);
    runs.push(await runOnce(orders));
  }
  return { runs };
}
