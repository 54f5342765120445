/**
 * infra/bundle.ts, the functions' build, run as the synth runs it, and the built code run as
 * Lambda runs it (a fresh Node, no --enable-source-maps): what loads at import, and what loads
 * on demand still working when it is needed. The built authorizer reads its merchant tokens from
 * Secrets Manager (a local stand-in), which loads the Secrets Manager client on first use, with
 * credentials from the environment (as in Lambda) or, through the AWS SDK's credential providers
 * built apart, from a `credential_process` in an AWS config file. The built openapi function is
 * its handler and the prebuilt docs/openapi.json only, and serves that document.
 */
import { spawn } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadedAtImport } from '../../bench/lib/imports.ts';
import { APART_RECORD, bundleFunction, type ApartRecord, type BundleResult } from '../../infra/bundle.ts';
import { FAKE_REGION, startSecretsManager, type FakeSecretsManager } from '../support/secrets-manager.ts';

const dir = mkdtempSync(join(tmpdir(), 'toss-pay-bundle-'));
const built: Record<string, BundleResult> = {};
let sm: FakeSecretsManager;
let tokensArn: string;
const TOKEN = 'merchant-token-of-the-bundle-test-0123456789';

/** This file's own keeping place for the dependencies built apart (the synth's is node_modules/.cache). */
const cacheDir = join(dir, 'apart-builds');
/** The kept build's record after each function was built: [file, inode, modified]. */
const recordAfter: Record<string, [string, number, number][]> = {};
const recordFiles = (): [string, number, number][] =>
  readdirSync(cacheDir).map((d) => {
    const st = statSync(join(cacheDir, d, APART_RECORD));
    return [d, st.ino, st.mtimeMs];
  });

beforeAll(async () => {
  for (const fn of ['authorizer', 'create-payment']) {
    built[fn] = await bundleFunction({ entry: `functions/${fn}/handler.ts`, outdir: join(dir, fn), cacheDir });
    recordAfter[fn] = recordFiles();
  }
  sm = await startSecretsManager();
  tokensArn = sm.put('merchant-tokens', `other-token-0123456789,${TOKEN}`);
}, 60_000);

afterAll(async () => {
  await sm.close();
  rmSync(dir, { recursive: true, force: true });
});

/** The built authorizer, invoked once in a fresh Node with `env`: its result (or the error). */
function authorize(env: Record<string, string>): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const script = `
    const { handler } = await import(${JSON.stringify(join(dir, 'authorizer', 'index.mjs'))});
    const context = { functionName: 'authorizer', functionVersion: '$LATEST', invokedFunctionArn: 'arn:aws:lambda:ap-northeast-2:000000000000:function:authorizer',
      memoryLimitInMB: '256', awsRequestId: 'req-1', logGroupName: 'g', logStreamName: 's', getRemainingTimeInMillis: () => 10_000, callbackWaitsForEmptyEventLoop: true };
    const event = { version: '2.0', type: 'REQUEST', routeKey: 'POST /payments', rawPath: '/payments', rawQueryString: '',
      identitySource: ['Bearer ${TOKEN}'], headers: { authorization: 'Bearer ${TOKEN}' },
      requestContext: { http: { method: 'POST', path: '/payments', sourceIp: '127.0.0.1' }, routeKey: 'POST /payments', requestId: 'req-1' } };
    process.stdout.write('RESULT ' + JSON.stringify(await handler(event, context)) + '\\n');`;
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--input-type=module', '-e', script], {
      env: {
        PATH: process.env.PATH ?? '',
        HOME: dir,
        AWS_REGION: FAKE_REGION,
        AWS_EC2_METADATA_DISABLED: 'true',
        AWS_SHARED_CREDENTIALS_FILE: join(dir, 'no-credentials'),
        AWS_CONFIG_FILE: join(dir, 'no-config'),
        AWS_ENDPOINT_URL_SECRETS_MANAGER: sm.url,
        MERCHANT_TOKENS_SECRET_ARN: tokensArn,
        ...env,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (b: Buffer) => (stdout += b.toString()));
    child.stderr.on('data', (b: Buffer) => (stderr += b.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

const resultOf = (stdout: string): unknown => JSON.parse(stdout.split('\n').find((l) => l.startsWith('RESULT '))?.slice('RESULT '.length) ?? 'null');

describe('the functions build', () => {
  it('names what a cold start loads: the entry and its static chunks, as esbuild built them and as Node follows them', () => {
    const fns = Object.keys(built);
    const byFn = <T>(f: (fn: string, r: BundleResult) => T): Record<string, T> => Object.fromEntries(fns.map((fn) => [fn, f(fn, built[fn]!)]));
    expect(byFn((_, r) => r.loadedAtImport.includes('index.mjs'))).toEqual(byFn(() => true));
    expect(byFn((fn) => loadedAtImport(join(dir, fn)))).toEqual(byFn((_, r) => r.loadedAtImport));
    expect(byFn((_, r) => r.files.map((f) => f.name).sort())).toEqual(byFn((fn) => readdirSync(join(dir, fn)).sort()));
  });

  it('builds the dependencies apart once for the functions that import the same ones, and again when one of its inputs changed', async () => {
    const apartFiles = (d: string): Record<string, string> =>
      Object.fromEntries(
        readdirSync(d)
          .filter((f) => f.startsWith('apart-'))
          .map((f) => [f, readFileSync(join(d, f), 'latin1')]),
      );
    const first = apartFiles(join(dir, 'authorizer'));
    expect(Object.keys(first).length).toBeGreaterThan(1);
    // The second function was given the first one's build, kept and untouched: byte for byte the same files.
    expect(apartFiles(join(dir, 'create-payment'))).toEqual(first);
    expect(recordAfter['authorizer']).toHaveLength(1);
    expect(recordAfter['create-payment']).toEqual(recordAfter['authorizer']);
    // One of the files it read is now different: not reused, built again (the same files) and kept afresh.
    const [kept] = recordAfter['authorizer']!;
    const path = join(cacheDir, kept![0], APART_RECORD);
    const record = JSON.parse(readFileSync(path, 'utf8')) as ApartRecord;
    const [input, digest] = Object.entries(record.inputs)[0]!;
    writeFileSync(path, JSON.stringify({ ...record, inputs: { ...record.inputs, [input]: '0'.repeat(64) } }));
    await bundleFunction({ entry: 'functions/authorizer/handler.ts', outdir: join(dir, 'authorizer-again'), cacheDir });
    expect(apartFiles(join(dir, 'authorizer-again'))).toEqual(first);
    expect((JSON.parse(readFileSync(path, 'utf8')) as ApartRecord).inputs[input]).toBe(digest);
    expect(recordFiles()[0]?.[1]).not.toBe(kept![1]);
  });

  it('loads the Secrets Manager client and the credential providers past the environment only on demand', () => {
    const found = Object.entries(built).map(([fn, r]) => {
      const code = (files: string[]): string => files.map((f) => readFileSync(join(dir, fn, f), 'utf8')).join('\n');
      const atImport = code(r.loadedAtImport);
      const onDemand = code(r.files.map((f) => f.name).filter((f) => !r.loadedAtImport.includes(f)));
      // The operation's name and the process provider's setting appear in their own code only.
      return {
        fn,
        atImport: ['GetSecretValue', 'credential_process'].filter((s) => atImport.includes(s)),
        onDemand: ['GetSecretValue', 'credential_process'].filter((s) => onDemand.includes(s)),
      };
    });
    expect(found).toEqual(Object.keys(built).map((fn) => ({ fn, atImport: [], onDemand: ['GetSecretValue', 'credential_process'] })));
  });

  it('loads the tracer (Powertools Tracer, the X-Ray SDK) only on demand: where tracing is on, when the first invocation starts', () => {
    const found = Object.entries(built).map(([fn, r]) => {
      const code = (files: string[]): string => files.map((f) => readFileSync(join(dir, fn, f), 'utf8')).join('\n');
      const onDemand = r.files.map((f) => f.name).filter((f) => !r.loadedAtImport.includes(f));
      // The X-Ray SDK names itself in the segments it sends.
      return { fn, atImport: code(r.loadedAtImport).includes('X-Ray for Node.js'), onDemand: code(onDemand).includes('X-Ray for Node.js') };
    });
    // The OpenAPI function loads nothing but its document (below); Lambda's active tracing traces it.
    expect(found).toEqual(Object.keys(built).map((fn) => ({ fn, atImport: false, onDemand: fn !== 'openapi' })));
  });

  it('reads a secret in the built function with the credentials of the environment, as in Lambda', async () => {
    const before = sm.requests.length;
    const r = await authorize({ AWS_ACCESS_KEY_ID: 'AKIAENVIRONMENT00001', AWS_SECRET_ACCESS_KEY: 'secret-of-the-environment' });
    expect(r.stderr).toBe('');
    expect(resultOf(r.stdout)).toEqual({ isAuthorized: true, context: { principal: expect.stringMatching(/^merchant:[0-9a-f]{8}$/), merchantTokenId: expect.stringMatching(/^[0-9a-f]{8}$/) } });
    expect(sm.requests.slice(before).map((q) => [q.target, q.secretId, q.authorization.includes('Credential=AKIAENVIRONMENT00001/')])).toEqual([
      ['secretsmanager.GetSecretValue', tokensArn, true],
    ]);
  });

  it('reads it with credentials from a credential_process, through the providers built apart', async () => {
    const config = join(dir, 'aws-config');
    const creds = JSON.stringify({ Version: 1, AccessKeyId: 'AKIAPROCESS000000001', SecretAccessKey: 'secret-of-the-process' });
    writeFileSync(config, `[default]\ncredential_process = ${process.execPath} -e "process.stdout.write(process.argv[1])" '${creds}'\n`);
    const before = sm.requests.length;
    const r = await authorize({ AWS_CONFIG_FILE: config });
    expect(r.stderr).toBe('');
    expect(resultOf(r.stdout)).toEqual({ isAuthorized: true, context: { principal: expect.stringMatching(/^merchant:[0-9a-f]{8}$/), merchantTokenId: expect.stringMatching(/^[0-9a-f]{8}$/) } });
    expect(sm.requests.slice(before).map((q) => q.authorization.includes('Credential=AKIAPROCESS000000001/'))).toEqual([true]);
  });
});

describe('the deployed source, as the build reads it', () => {
  it('marks every z.pure call @__PURE__ (shared/zod.ts): an unmarked schema stays in every bundle of its module', () => {
    const root = join(import.meta.dirname, '..', '..');
    const sources = ['shared', 'functions', 'console'].flatMap((d) =>
      (readdirSync(join(root, d), { recursive: true }) as string[]).filter((f) => f.endsWith('.ts')).map((f) => join(d, f)),
    );
    const calls = sources.flatMap((f) =>
      readFileSync(join(root, f), 'utf8')
        .split('\n')
        .flatMap((line, i) => [...line.matchAll(/(\/\* @__PURE__ \*\/ )?\bz\.pure\(/g)].filter(() => !/^\s*\*/.test(line)).map((m) => ({ at: `${f}:${i + 1}`, marked: m[1] !== undefined }))),
    );
    expect(calls.length).toBeGreaterThan(0);
    expect(calls.filter((c) => !c.marked).map((c) => c.at)).toEqual([]);
  });
});

describe('the openapi function, built', () => {
  const out = join(dir, 'openapi');
  const maps = join(dir, 'openapi-maps');
  let result: BundleResult;
  beforeAll(async () => {
    result = await bundleFunction({ entry: 'functions/openapi/handler.ts', outdir: out, mapsDir: maps });
  }, 60_000);

  it('is its handler and docs/openapi.json, nothing else: a cold start converts no schema (no zod, no logger, no AWS SDK)', () => {
    const sources = readdirSync(maps).flatMap((f) => (JSON.parse(readFileSync(join(maps, f), 'utf8')) as { sources: string[] }).sources);
    // Node's built-in modules (node:crypto, for the ETag) come in through the build's own stand-ins, under .bundle/.
    const code = sources.map((s) => s.replaceAll('\\', '/')).filter((s) => !s.startsWith('.bundle/'));
    expect(code.sort()).toEqual(['docs/openapi.json', 'functions/openapi/handler.ts']);
    expect(result.loadedAtImport).toEqual(['index.mjs']);
  });

  it('answers the document docs/openapi.json holds', async () => {
    const script = `
      const { handler } = await import(${JSON.stringify(join(out, 'index.mjs'))});
      process.stdout.write('RESULT ' + JSON.stringify(await handler({ headers: {} })) + '\\n');`;
    const stdout = await new Promise<string>((resolve, reject) => {
      const child = spawn(process.execPath, ['--input-type=module', '-e', script], { env: { PATH: process.env.PATH ?? '' }, stdio: ['ignore', 'pipe', 'inherit'] });
      let text = '';
      child.stdout.on('data', (b: Buffer) => (text += b.toString()));
      child.on('error', reject);
      child.on('close', () => resolve(text));
    });
    const reply = resultOf(stdout) as { statusCode: number; body: string };
    expect(reply.statusCode).toBe(200);
    expect(JSON.parse(reply.body)).toEqual(JSON.parse(readFileSync(join(import.meta.dirname, '..', '..', 'docs', 'openapi.json'), 'utf8')));
  });
});

describe('the api-docs function, built', () => {
  const out = join(dir, 'api-docs');
  const maps = join(dir, 'api-docs-maps');
  beforeAll(async () => {
    await bundleFunction({ entry: 'functions/api-docs/handler.ts', outdir: out, mapsDir: maps });
  }, 60_000);

  it('holds Swagger UI and its page itself: run where no file of the repository exists, it serves each as the repository has it', async () => {
    // A folder of its own, as Lambda has it: no node_modules, no functions/api-docs/static beside it.
    const alone = join(dir, 'api-docs-alone');
    mkdirSync(alone, { recursive: true });
    for (const f of readdirSync(out)) copyFileSync(join(out, f), join(alone, f));
    const script = `
      const { handler } = await import(${JSON.stringify(join(alone, 'index.mjs'))});
      const page = await handler({ headers: {} });
      const asset = await handler({ headers: {}, pathParameters: { asset: 'swagger-ui-bundle.js' } });
      const zipped = await handler({ headers: { 'accept-encoding': 'gzip' }, pathParameters: { asset: 'docs.css' } });
      process.stdout.write('RESULT ' + JSON.stringify({ page, asset, zipped }) + '\\n');`;
    const stdout = await new Promise<string>((resolve, reject) => {
      const child = spawn(process.execPath, ['--input-type=module', '-e', script], { cwd: alone, env: { PATH: process.env.PATH ?? '' }, stdio: ['ignore', 'pipe', 'inherit'] });
      let text = '';
      child.stdout.on('data', (b: Buffer) => (text += b.toString()));
      child.on('error', reject);
      child.on('close', () => resolve(text));
    });
    type Reply = { statusCode: number; headers: Record<string, string>; body: string; isBase64Encoded?: boolean };
    const { page, asset, zipped } = resultOf(stdout) as { page: Reply; asset: Reply; zipped: Reply };
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('docs/swagger-ui-bundle.js?v=');
    expect(asset.body).toBe(readFileSync(join(import.meta.dirname, '..', '..', 'node_modules', 'swagger-ui-dist', 'swagger-ui-bundle.js'), 'utf8'));
    expect(zipped.isBase64Encoded).toBe(true);
    expect(gunzipSync(Buffer.from(zipped.body, 'base64')).toString('utf8')).toBe(
      readFileSync(join(import.meta.dirname, '..', '..', 'functions', 'api-docs', 'static', 'docs.css'), 'utf8'),
    );
  });
});
