/**
 * `npx cdk synth` exactly as on a fresh clone: the project's own CLI, no AWS credentials or
 * profile, no reachable AWS endpoint (proxies point at a closed local port, EC2 metadata is off),
 * a fresh output directory, and the one required key (merchantName). Proves the app synthesizes
 * offline, bundles with the local esbuild (no Docker) and passes the cdk-nag checks under the CLI.
 * It is the one synth of the suite that bundles (stack.test.ts synthesizes without): what it
 * bundled into the cloud assembly is checked here, each function's folder as CDK deploys it.
 */
import { spawnSync, type SpawnSyncReturns } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { isBuiltin } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadedAtImport } from '../../bench/lib/imports.ts';
import { importKiBGoal } from '../../bench/sections/bundles.ts';
import { sourceMapsDir } from '../../infra/bundle.ts';
import { PROJECT_ROOT } from '../../infra/paths.ts';
import { allFunctions } from '../../shared/routes.ts';
import { lambdaOf, type Synth } from './support.ts';

const outdir = mkdtempSync(join(tmpdir(), 'toss-pay-cli-'));
const home = mkdtempSync(join(tmpdir(), 'toss-pay-home-'));

afterAll(() => {
  rmSync(outdir, { recursive: true, force: true });
  rmSync(home, { recursive: true, force: true });
});

/** `npx cdk <args>` with no AWS credentials, profile or region, and no reachable endpoint. */
function cdk(args: string[]) {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) {
    if (!/^(AWS_|CDK_)/.test(k) && !/proxy/i.test(k)) env[k] = v;
  }
  Object.assign(env, {
    HOME: home,
    AWS_CONFIG_FILE: join(home, 'no-config'),
    AWS_SHARED_CREDENTIALS_FILE: join(home, 'no-credentials'),
    AWS_EC2_METADATA_DISABLED: 'true',
    HTTPS_PROXY: 'http://127.0.0.1:9',
    HTTP_PROXY: 'http://127.0.0.1:9',
    CI: 'true',
  });
  return spawnSync('npx', ['cdk', ...args], { cwd: PROJECT_ROOT, env, encoding: 'utf8', timeout: 170_000 });
}

let synthRun: SpawnSyncReturns<string>;
/** The cloud assembly's template and folder, as the bundle checks read them (`lambdaOf`). */
let cli: Pick<Synth, 'resources' | 'outdir'>;
beforeAll(() => {
  // The one key a deployment must give: the shop's name, on every buyer page.
  synthRun = cdk(['synth', '--quiet', '--output', outdir, '-c', 'merchantName=테스트 상점']);
  const path = join(outdir, 'TossPay-dev.template.json');
  const template = existsSync(path) ? (JSON.parse(readFileSync(path, 'utf8')) as { Resources: Synth['resources'] }) : { Resources: {} };
  cli = { resources: template.Resources, outdir };
}, 180_000);

describe('cdk synth (CLI)', () => {
  it('synthesizes the stack without credentials or network', () => {
    const r = synthRun;
    expect(r.error).toBeUndefined();
    expect(r.status, `${r.stdout}\n${r.stderr}`).toBe(0);
    const functions = Object.values(cli.resources).filter((x) => x.Type === 'AWS::Lambda::Function');
    expect(functions).toHaveLength(allFunctions().length);
    expect(existsSync(join(outdir, 'manifest.json'))).toBe(true);
    // CDK's CloudFormation validation ran, as in a merchant's synth, and reported nothing (a
    // finding is printed with where its report was written).
    expect(existsSync(join(outdir, 'validation-report.json'))).toBe(true);
    expect(r.stderr).not.toMatch(/Template validation|A copy of this report can be found in/);
  });

  it('stops on invalid context with the message naming the key, and no stack trace', () => {
    const r = cdk(['synth', '--quiet', '--output', join(outdir, 'invalid'), '-c', 'merchantName=테스트 상점', '-c', 'domainName=pay.example.com']);
    expect(r.error).toBeUndefined();
    expect(r.status).not.toBe(0);
    expect(r.stderr).toContain(
      'invalid stack configuration (CDK context):\n  certificateArn: must be set with domainName (both or neither): the ACM certificate for the domain\n',
    );
    expect(r.stderr).not.toMatch(/\bat .*\.ts:\d+/);
  }, 60_000);
});

describe('what the CLI bundled into the cloud assembly', () => {
  const assetDirOf = (fn: string): string => {
    const key = String(lambdaOf(cli, fn)[1].Properties!.Code.S3Key);
    return join(outdir, `asset.${key.replace(/\.zip$/, '')}`);
  };
  /** Every module specifier a bundled file imports or requires. */
  const specifiersOf = (code: string): string[] =>
    [
      ...code.matchAll(/(?:^|[;}\s])import\s*(?:[\w$*{},\s]+from\s*)?["']([^"']+)["']/g),
      ...code.matchAll(/(?<![\w$.[])import\(\s*["']([^"']+)["']\s*\)/g),
      ...code.matchAll(/(?<![\w$.[])require\(\s*["']([^"']+)["']\s*\)/g),
    ].map((m) => m[1]!);

  it('bundles each entry as minified ESM chunks with the require banner and the AWS SDK inside', () => {
    for (const fn of allFunctions()) {
      const dir = assetDirOf(fn);
      const files = readdirSync(dir).sort();
      expect(files).toContain('index.mjs');
      // Code only: no source map, nothing else.
      expect(files.filter((f) => !f.endsWith('.mjs'))).toEqual([]);
      for (const file of files) {
        const code = readFileSync(join(dir, file), 'utf8');
        expect(code.startsWith("import { createRequire } from 'module'; const require = createRequire(import.meta.url);"), `${fn}/${file}`).toBe(true);
        expect(code, `${fn}/${file}`).not.toMatch(/sourceMappingURL/);
        // Nothing left to resolve at run time but Node's own modules and the folder's own chunks:
        // the AWS SDK and every other dependency are inside.
        const specifiers = specifiersOf(code);
        expect(specifiers, `${fn}/${file}`).toContain('module');
        expect(specifiers.filter((m) => !isBuiltin(m) && !(/^\.\/[\w.-]+\.mjs$/.test(m) && files.includes(m.slice(2)))), `${fn}/${file}`).toEqual([]);
      }
      // Minified: long lines (unminified code has some 40 characters a line). The smallest entry,
      // api-docs' (7 KB, its files in a chunk of their own), is about 380: its page's HTML, a
      // template literal, keeps its own lines.
      const index = readFileSync(join(dir, 'index.mjs'), 'utf8');
      expect(index.length / index.split('\n').length).toBeGreaterThan(300);
      expect(lambdaOf(cli, fn)[1].Properties!.Environment?.Variables?.NODE_OPTIONS).toBeUndefined();
    }
  });

  it('keeps the source maps out of the deployed code, beside the cloud assembly', () => {
    for (const fn of allFunctions()) {
      const dir = assetDirOf(fn);
      const maps = sourceMapsDir(outdir, fn);
      // One map per file deployed, none deployed.
      expect(readdirSync(maps).sort()).toEqual(readdirSync(dir).map((file) => `${file}.map`).sort());
      const index = JSON.parse(readFileSync(join(maps, 'index.mjs.map'), 'utf8')) as { sources: string[] };
      // Sources relative to the repository root.
      expect(index.sources).toContain(`functions/${fn}/handler.ts`);
      // (functions/openapi bundles the document and no shared/ code; functions/api-docs its own files.)
      const own = fn === 'openapi' ? 'docs/' : fn === 'api-docs' ? 'functions/api-docs/' : 'shared/';
      expect(index.sources.filter((source) => source.startsWith(own)).length).toBeGreaterThan(0);
    }
  });

  it('loads every bundle and every chunk as ES modules in Node 24 and finds each handler export', () => {
    const entries = allFunctions().map((fn) => join(assetDirOf(fn), 'index.mjs'));
    // The chunks loaded only on demand (Secrets Manager, the SDK's credential providers and nested
    // clients) too: every import between them links.
    const chunks = allFunctions().flatMap((fn) =>
      readdirSync(assetDirOf(fn))
        .filter((file) => file !== 'index.mjs')
        .map((file) => join(assetDirOf(fn), file)),
    );
    const script = [
      `for (const b of ${JSON.stringify(entries)}) { const m = await import(b); console.log(typeof m.handler); }`,
      `for (const c of ${JSON.stringify(chunks)}) await import(c);`,
      `console.log('chunks', ${chunks.length});`,
    ].join('\n');
    const r = spawnSync(process.execPath, ['--input-type=module', '-e', script], {
      encoding: 'utf8',
      timeout: 60_000,
      env: {
        PATH: process.env.PATH,
        AWS_REGION: 'ap-northeast-2',
        STAGE: 'test',
        TABLE_NAME: 'payments',
        PUBLIC_BASE_URL: 'https://abc123.execute-api.ap-northeast-2.amazonaws.com',
        TOSS_API_KEY_SECRET_ARN: 'arn:aws:secretsmanager:ap-northeast-2:111122223333:secret:toss-AbCdEf',
        MERCHANT_TOKENS_SECRET_ARN: 'arn:aws:secretsmanager:ap-northeast-2:111122223333:secret:tokens-AbCdEf',
        // The landings' pages need the shop's name at their cold start.
        MERCHANT_NAME: '테스트 상점',
        COGNITO_ENDPOINT: 'https://cognito-idp.ap-northeast-2.amazonaws.com/',
        COGNITO_USER_POOL_ID: 'ap-northeast-2_AbCdEfGhI',
        COGNITO_CLIENT_ID: 'abcdefghijklmnopqrstuvwxyz',
      },
    });
    expect(r.stderr).toBe('');
    expect(r.stdout.trim().split('\n')).toEqual([...allFunctions().map(() => 'function'), `chunks ${chunks.length}`]);
    expect(chunks.length).toBeGreaterThan(allFunctions().length);
  });

  it("loads at most its goal at a cold start: 330 KiB, the authorizer's 250 (index.mjs and the chunks it imports statically)", () => {
    const over = allFunctions().flatMap((fn) => {
      const dir = assetDirOf(fn);
      const kib = loadedAtImport(dir).reduce((sum, file) => sum + statSync(join(dir, file)).size, 0) / 1024;
      return kib > importKiBGoal(fn) ? [`${fn}: ${kib.toFixed(1)} KiB, over ${importKiBGoal(fn)}`] : [];
    });
    expect(over).toEqual([]);
  });
});
