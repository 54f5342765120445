/**
 * a. Per function: the deployed bundle's size (esbuild with infra/constructs/payment-function.ts's
 * options: minified ESM for node24, AWS SDK bundled, the createRequire banner, linked source map) and its cold
 * module-init time in a fresh Node process, with NODE_OPTIONS as deployed
 * (--enable-source-maps). Comparisons in the same run: an empty ES module (Node's own import
 * floor) and the callback wrapped in Powertools' idempotency utility.
 */
import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { gzipSync } from 'node:zlib';
import { build } from 'esbuild';
import { ESM_REQUIRE_BANNER } from '../../infra/constructs/payment-function.ts';
import { allFunctions } from '../../shared/routes.ts';
import { progress } from '../lib/pool.ts';
import { summarize, type Summary } from '../lib/stats.ts';

export interface BundleFigures {
  name: string;
  entry: string;
  bytes: number;
  gzipBytes: number;
  /** `await import(bundle)` in a fresh process, ms. */
  importMs: Summary;
  /** From process start to the import's end (Node bootstrap included), ms. */
  processMs: Summary;
}

export interface BundlesResult {
  runs: number;
  nodeOptions: string;
  functions: BundleFigures[];
  comparisons: BundleFigures[];
}

const ROOT = resolve(import.meta.dirname, '../..');

/** Environment the functions' config parsing at import accepts (no I/O happens at import). */
const INIT_ENV: Record<string, string> = {
  AWS_REGION: 'ap-northeast-2',
  TABLE_NAME: 'payments-bench',
  TOSS_API_KEY: 'sk_test_w5lNQylNqa5lNQe013Nq',
  PUBLIC_BASE_URL: 'https://pay.example.com',
  MERCHANT_TOKENS: 'bench-token-0123456789',
  IDEMPOTENCY_TABLE_NAME: 'idempotency-bench',
  AWS_LAMBDA_FUNCTION_NAME: 'bench',
  NODE_OPTIONS: '--enable-source-maps',
};

/** infra/constructs/payment-function.ts's NodejsFunction bundling, through esbuild's JS API. */
async function bundle(entry: string, outfile: string): Promise<void> {
  await build({
    entryPoints: [join(ROOT, entry)],
    outfile,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node24',
    minify: true,
    sourcemap: true,
    mainFields: ['module', 'main'],
    external: [],
    banner: { js: ESM_REQUIRE_BANNER },
    logLevel: 'error',
  });
}

const PROBE = [
  'const t0 = performance.now();',
  'await import(process.env.BENCH_IMPORT_URL);',
  'const t1 = performance.now();',
  'process.stdout.write(JSON.stringify({ importMs: t1 - t0, processMs: t1 }));',
  'process.exit(0);',
].join('\n');

/** One cold start: a fresh `node` that imports the module and reports its timings. */
function coldInit(file: string): Promise<{ importMs: number; processMs: number }> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(process.execPath, ['--input-type=module', '-e', PROBE], {
      env: { PATH: process.env.PATH ?? '', ...INIT_ENV, BENCH_IMPORT_URL: pathToFileURL(file).href },
      stdio: ['ignore', 'pipe', 'pipe'],
      timeout: 60_000,
    });
    let out = '';
    let err = '';
    child.stdout.on('data', (b: Buffer) => (out += b.toString()));
    child.stderr.on('data', (b: Buffer) => (err += b.toString()));
    child.on('error', reject);
    child.on('close', (code) => {
      if (code !== 0) return reject(new Error(`cold init of ${file} failed (exit ${code}):\n${err}`));
      try {
        resolvePromise(JSON.parse(out) as { importMs: number; processMs: number });
      } catch {
        reject(new Error(`cold init of ${file}: unexpected output ${out}`));
      }
    });
  });
}

async function measure(name: string, entry: string, file: string, runs: number): Promise<BundleFigures> {
  const bytes = await readFile(file);
  const samples: { importMs: number; processMs: number }[] = [];
  // One discarded run warms the OS file cache, as a Lambda host's disk would be.
  await coldInit(file);
  for (let i = 0; i < runs; i++) samples.push(await coldInit(file));
  return {
    name,
    entry,
    bytes: (await stat(file)).size,
    gzipBytes: gzipSync(bytes, { level: 9 }).length,
    importMs: summarize(samples.map((s) => s.importMs)),
    processMs: summarize(samples.map((s) => s.processMs)),
  };
}

export async function runBundles(opts: { runs: number }): Promise<BundlesResult> {
  const dir = await mkdtemp(join(tmpdir(), 'bench-bundles-'));
  try {
    const functions: BundleFigures[] = [];
    for (const fn of allFunctions()) {
      const entry = `functions/${fn}/handler.ts`;
      const out = join(dir, fn, 'index.mjs');
      try {
        await stat(join(ROOT, entry));
      } catch {
        progress(`bundles: ${entry} does not exist yet; skipped`);
        continue;
      }
      await bundle(entry, out);
      functions.push(await measure(fn, entry, out, opts.runs));
      progress(`bundles: ${fn} done`);
    }
    const comparisons: BundleFigures[] = [];
    const pt = 'bench/functions/callback-powertools/handler.ts';
    const ptOut = join(dir, 'callback-powertools', 'index.mjs');
    await bundle(pt, ptOut);
    comparisons.push(await measure('callback + Powertools idempotency', pt, ptOut, opts.runs));
    const empty = join(dir, 'empty.mjs');
    await writeFile(empty, 'export const handler = async () => ({});\n');
    comparisons.push(await measure('empty ES module (Node floor)', '(none)', empty, opts.runs));
    return { runs: opts.runs, nodeOptions: INIT_ENV.NODE_OPTIONS ?? '', functions, comparisons };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
