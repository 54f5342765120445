/**
 * a. Per function: what a cold start loads and how long its import takes in a fresh Node
 * process, before and after issue 13, side by side in one run:
 *
 * - before: the build as it was (commit BEFORE_COMMIT: full zod, the authorizer composed with
 *   the DynamoDB client, Secrets Manager imported statically), bundled as NodejsFunction did:
 *   one minified ESM file for node24, AWS SDK bundled, the createRequire banner, a linked source
 *   map; run with that build's NODE_OPTIONS=--enable-source-maps. Its functions/ and shared/
 *   are taken from git (`git archive`), built against today's node_modules.
 * - after: the assets of `npx cdk synth` as deployed (infra/bundle.ts), each run with the
 *   NODE_OPTIONS its function is deployed with (none). What loads at import: `index.mjs` and
 *   every chunk it imports statically (bench/lib/imports.ts); chunks loaded only on demand are
 *   not counted.
 *
 * Cold init: `await import(entry)` timed with performance.now() in a fresh `node` per sample
 * (and process start → imported), 1 discarded warm-up (OS file cache) + `runs` samples per
 * variant, the two variants alternating (before, after; then after, before; …). Comparisons in
 * the same run: an empty ES module (Node's own import floor) and the callback wrapped in
 * Powertools' idempotency utility, built as the functions are now.
 */
import { spawn, spawnSync } from 'node:child_process';
import { mkdir, mkdtemp, readdir, readFile, rm, stat, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { delimiter, dirname, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { gzipSync } from 'node:zlib';
import { build } from 'esbuild';
import { bundleFunction, COMMON_OPTIONS } from '../../infra/bundle.ts';
import { functionSettings, type FunctionName } from '../../shared/functions.ts';
import { allFunctions } from '../../shared/routes.ts';
import { loadedAtImport } from '../lib/imports.ts';
import { progress } from '../lib/pool.ts';
import { summarize, type Summary } from '../lib/stats.ts';

/** Issue 13's goals: KiB loaded at import (the authorizer's own), and median import time after ÷ before. */
export const GOALS = { importKiB: 330, authorizerImportKiB: 250, importRatio: 0.45 } as const;
export const importKiBGoal = (fn: string): number => (fn === 'authorizer' ? GOALS.authorizerImportKiB : GOALS.importKiB);

/** The code before issue 13 (the commit it was started from). */
const BEFORE_COMMIT = '2983582';
const BEFORE_NODE_OPTIONS = '--enable-source-maps';

export interface VariantFigures {
  /** What a cold start loads: the entry and the chunks it imports statically (before: the one file). */
  files: string[];
  /** Bytes of those files. */
  bytes: number;
  /** Their gzip -9 size, file by file. */
  gzipBytes: number;
  /** Every JavaScript file of the bundle, on-demand chunks included (source maps not). */
  totalBytes: number;
  nodeOptions: string;
  /** `await import(entry)` in a fresh process, ms. */
  importMs: Summary;
  /** From process start to the import's end (Node bootstrap included), ms. */
  processMs: Summary;
}

export interface FunctionFigures {
  name: string;
  entry: string;
  /** Undefined when the function did not exist before. */
  before: VariantFigures | undefined;
  after: VariantFigures;
  /** after ÷ before, of the median import times. */
  importRatio: number | undefined;
}

export interface ComparisonFigures {
  name: string;
  entry: string;
  figures: VariantFigures;
}

export interface BundlesResult {
  runs: number;
  beforeCommit: string;
  /** Why there is no before variant, when there is none. */
  beforeMissing?: string;
  functions: FunctionFigures[];
  comparisons: ComparisonFigures[];
}

const ROOT = resolve(import.meta.dirname, '../..');

/** Environment the functions' config parsing at import accepts, shaped as deployed (no I/O happens at import). */
const INIT_ENV: Record<string, string> = {
  AWS_REGION: 'ap-northeast-2',
  STAGE: 'bench',
  TABLE_NAME: 'payments-bench',
  PUBLIC_BASE_URL: 'https://abc123.execute-api.ap-northeast-2.amazonaws.com',
  TOSS_API_KEY_SECRET_ARN: 'arn:aws:secretsmanager:ap-northeast-2:111122223333:secret:toss-AbCdEf',
  MERCHANT_TOKENS_SECRET_ARN: 'arn:aws:secretsmanager:ap-northeast-2:111122223333:secret:tokens-AbCdEf',
  MERCHANT_WEBHOOK_SECRET_ARN: 'arn:aws:secretsmanager:ap-northeast-2:111122223333:secret:webhook-AbCdEf',
  EVENT_BUS_NAME: 'toss-pay-bench',
  IDEMPOTENCY_TABLE_NAME: 'idempotency-bench',
  // The landings' pages name the shop: without it their cold start fails (as deployed, the stack's merchantName).
  MERCHANT_NAME: 'Bench Shop',
  AWS_LAMBDA_FUNCTION_NAME: 'bench',
  // The user pool, as the stack gives it to the authorizer (pool and client) and the console (endpoint and client).
  COGNITO_USER_POOL_ID: 'ap-northeast-2_AbCdEfGhI',
  COGNITO_CLIENT_ID: '1example23456789abcdefghij',
  COGNITO_ENDPOINT: 'https://cognito-idp.ap-northeast-2.amazonaws.com/',
};

/** The before build: NodejsFunction's bundling (one file, linked source map), through esbuild's API. */
async function bundleBefore(root: string, entry: string, outfile: string): Promise<void> {
  await build({
    ...COMMON_OPTIONS,
    mainFields: [...COMMON_OPTIONS.mainFields],
    external: [],
    entryPoints: [join(root, entry)],
    outfile,
    sourcemap: true,
    logLevel: 'error',
  });
}

/** functions/ and shared/ of BEFORE_COMMIT in `dir` (with today's node_modules); a reason when git cannot give them. */
function checkoutBefore(dir: string): string | undefined {
  const archive = spawnSync('git', ['-C', ROOT, 'archive', '--format=tar', BEFORE_COMMIT, 'functions', 'shared'], { maxBuffer: 256 * 2 ** 20 });
  if (archive.status !== 0) return `git archive ${BEFORE_COMMIT} failed: ${archive.stderr?.toString().trim() ?? archive.error?.message}`;
  const untar = spawnSync('tar', ['-x', '-C', dir], { input: archive.stdout });
  if (untar.status !== 0) return `tar failed: ${untar.stderr?.toString().trim() ?? untar.error?.message}`;
  return undefined;
}

interface Asset {
  dir: string;
  nodeOptions: string;
}

/** `npx cdk synth` into `outdir`: each function's asset folder and deployed NODE_OPTIONS. */
async function synthAssets(outdir: string): Promise<Map<string, Asset>> {
  // The CDK CLI runs `node infra/app.ts`: this Node first on PATH.
  const env = { ...process.env, PATH: `${dirname(process.execPath)}${delimiter}${process.env.PATH ?? ''}` };
  const r = spawnSync(process.execPath, [join(ROOT, 'node_modules', 'aws-cdk', 'bin', 'cdk'), 'synth', '--quiet', '--output', outdir, '-c', 'merchantName=bench'], {
    cwd: ROOT,
    env,
    encoding: 'utf8',
    maxBuffer: 64 * 2 ** 20,
  });
  if (r.status !== 0) throw new Error(`cdk synth failed (exit ${r.status}):\n${r.stderr}`);
  const template = JSON.parse(await readFile(join(outdir, 'TossPay-dev.template.json'), 'utf8')) as {
    Resources: Record<string, { Type: string; Properties?: { Description?: string; Code?: { S3Key?: string }; Environment?: { Variables?: Record<string, unknown> } } }>;
  };
  const assets = new Map<string, Asset>();
  for (const fn of allFunctions()) {
    const description = functionSettings[fn as FunctionName].description;
    const found = Object.values(template.Resources).filter((x) => x.Type === 'AWS::Lambda::Function' && x.Properties?.Description === description);
    const key = found[0]?.Properties?.Code?.S3Key;
    if (found.length !== 1 || key === undefined) throw new Error(`synth: expected one function ${fn}, found ${found.length}`);
    const nodeOptions = found[0]!.Properties!.Environment?.Variables?.NODE_OPTIONS;
    assets.set(fn, { dir: join(outdir, `asset.${key.replace(/\.zip$/, '')}`), nodeOptions: typeof nodeOptions === 'string' ? nodeOptions : '' });
  }
  return assets;
}

const PROBE = [
  'const t0 = performance.now();',
  'await import(process.env.BENCH_IMPORT_URL);',
  'const t1 = performance.now();',
  'process.stdout.write(JSON.stringify({ importMs: t1 - t0, processMs: t1 }));',
  'process.exit(0);',
].join('\n');

interface Sample {
  importMs: number;
  processMs: number;
}

/** One cold start: a fresh `node` (with `nodeOptions` as NODE_OPTIONS) that imports the module and reports its timings. */
function coldInit(file: string, nodeOptions: string): Promise<Sample> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(process.execPath, ['--input-type=module', '-e', PROBE], {
      env: { PATH: process.env.PATH ?? '', ...INIT_ENV, NODE_OPTIONS: nodeOptions, BENCH_IMPORT_URL: pathToFileURL(file).href },
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
        resolvePromise(JSON.parse(out) as Sample);
      } catch {
        reject(new Error(`cold init of ${file}: unexpected output ${out}`));
      }
    });
  });
}

/** A variant to measure: its entry file, the files it loads at import, every file, its NODE_OPTIONS. */
interface Target {
  entry: string;
  files: string[];
  all: string[];
  nodeOptions: string;
}

async function sizes(t: Target): Promise<Pick<VariantFigures, 'files' | 'bytes' | 'gzipBytes' | 'totalBytes' | 'nodeOptions'>> {
  const dir = dirname(t.entry);
  let bytes = 0;
  let gzipBytes = 0;
  for (const f of t.files) {
    const b = await readFile(join(dir, f));
    bytes += b.length;
    gzipBytes += gzipSync(b, { level: 9 }).length;
  }
  let totalBytes = 0;
  for (const f of t.all) totalBytes += (await stat(join(dir, f))).size;
  return { files: t.files, bytes, gzipBytes, totalBytes, nodeOptions: t.nodeOptions };
}

/** Measures the targets alternately: a warm-up of each, then `runs` rounds, the order turning each round. */
async function measureAlternately(targets: Target[], runs: number): Promise<VariantFigures[]> {
  const samples: Sample[][] = targets.map(() => []);
  // One discarded run each warms the OS file cache, as a Lambda host's disk would be.
  for (const t of targets) await coldInit(t.entry, t.nodeOptions);
  for (let i = 0; i < runs; i++) {
    const order = targets.map((_, k) => k);
    if (i % 2 === 1) order.reverse();
    for (const k of order) samples[k]!.push(await coldInit(targets[k]!.entry, targets[k]!.nodeOptions));
  }
  return Promise.all(
    targets.map(async (t, k) => ({
      ...(await sizes(t)),
      importMs: summarize(samples[k]!.map((s) => s.importMs)),
      processMs: summarize(samples[k]!.map((s) => s.processMs)),
    })),
  );
}

/**
 * A deployed folder with the tracer loaded too (shared/tracer.ts loads it on demand where tracing is
 * on): an entry that imports index.mjs and the on-demand chunks holding the X-Ray SDK, with what
 * they load statically beyond index.mjs's files.
 */
async function tracedTarget(dir: string, nodeOptions: string): Promise<Target> {
  const all = (await readdir(dir)).filter((f) => f.endsWith('.mjs'));
  const atImport = loadedAtImport(dir);
  const tracer = [];
  for (const f of all) if (!atImport.includes(f) && (await readFile(join(dir, f), 'utf8')).includes('X-Ray for Node.js')) tracer.push(f);
  if (tracer.length === 0) throw new Error(`bundles: no tracer chunk in ${dir}`);
  const extra = [...new Set(tracer.flatMap((f) => loadedAtImport(dir, f)))].filter((f) => !atImport.includes(f));
  const entry = join(dir, 'traced.mjs');
  await writeFile(entry, ["import './index.mjs';", ...tracer.map((f) => `import './${f}';`)].join('\n'));
  return { entry, files: [...atImport, ...extra].sort(), all, nodeOptions };
}

/** A deployed-style folder as a target: index.mjs, what it loads statically, every .mjs. */
async function folderTarget(dir: string, nodeOptions: string): Promise<Target> {
  return { entry: join(dir, 'index.mjs'), files: loadedAtImport(dir), all: (await readdir(dir)).filter((f) => f.endsWith('.mjs')), nodeOptions };
}

export async function runBundles(opts: { runs: number }): Promise<BundlesResult> {
  const dir = await mkdtemp(join(tmpdir(), 'bench-bundles-'));
  try {
    progress('bundles: npx cdk synth');
    const assets = await synthAssets(join(dir, 'cdk.out'));

    const beforeRoot = join(dir, 'before-src');
    await mkdir(beforeRoot, { recursive: true });
    const beforeMissing = checkoutBefore(beforeRoot);
    if (beforeMissing !== undefined) progress(`bundles: no before variant: ${beforeMissing}`);
    else await symlink(join(ROOT, 'node_modules'), join(beforeRoot, 'node_modules'), 'dir');

    const functions: FunctionFigures[] = [];
    for (const fn of allFunctions()) {
      const entry = `functions/${fn}/handler.ts`;
      const asset = assets.get(fn)!;
      const after = await folderTarget(asset.dir, asset.nodeOptions);
      let before: Target | undefined;
      if (beforeMissing === undefined) {
        try {
          await stat(join(beforeRoot, entry));
          const out = join(dir, 'before', fn, 'index.mjs');
          await bundleBefore(beforeRoot, entry, out);
          before = { entry: out, files: ['index.mjs'], all: ['index.mjs'], nodeOptions: BEFORE_NODE_OPTIONS };
        } catch {
          progress(`bundles: ${entry} did not exist at ${BEFORE_COMMIT}; after only`);
        }
      }
      const measured = await measureAlternately(before === undefined ? [after] : [before, after], opts.runs);
      const b = before === undefined ? undefined : measured[0];
      const a = measured[measured.length - 1]!;
      functions.push({ name: fn, entry, before: b, after: a, importRatio: b === undefined ? undefined : a.importMs.median / b.importMs.median });
      progress(`bundles: ${fn} done`);
    }

    const comparisons: ComparisonFigures[] = [];
    // What tracing costs where it is on (in Lambda): the tracer's chunk, loaded by the first
    // invocation on top of what the function loads at import.
    for (const fn of ['callback', 'authorizer'] as const) {
      const asset = assets.get(fn)!;
      comparisons.push({
        name: `${fn} + the tracer (tracing on: loaded by the first invocation)`,
        entry: `functions/${fn}/handler.ts`,
        figures: (await measureAlternately([await tracedTarget(asset.dir, asset.nodeOptions)], opts.runs))[0]!,
      });
    }
    const pt = 'bench/functions/callback-powertools/handler.ts';
    const ptDir = join(dir, 'callback-powertools');
    await bundleFunction({ entry: pt, outdir: ptDir });
    comparisons.push({ name: 'callback + Powertools idempotency', entry: pt, figures: (await measureAlternately([await folderTarget(ptDir, '')], opts.runs))[0]! });
    const emptyDir = join(dir, 'empty');
    await mkdir(emptyDir, { recursive: true });
    await writeFile(join(emptyDir, 'index.mjs'), 'export const handler = async () => ({});\n');
    comparisons.push({ name: 'empty ES module (Node floor)', entry: '(none)', figures: (await measureAlternately([await folderTarget(emptyDir, '')], opts.runs))[0]! });
    return { runs: opts.runs, beforeCommit: BEFORE_COMMIT, ...(beforeMissing !== undefined ? { beforeMissing } : {}), functions, comparisons };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
