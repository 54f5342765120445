/**
 * `npm run stacktrace` (tools/stacktrace.ts): a function built as it is deployed (infra/bundle.ts,
 * source maps beside it) throws, its log line goes through the script, and the frames come back
 * as TypeScript source positions: the line of the `throw`.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bundleFunction, sourceMapsDir } from '../../infra/bundle.ts';
import { PROJECT_ROOT } from '../../infra/paths.ts';

const dir = mkdtempSync(join(tmpdir(), 'toss-pay-stacktrace-'));
/** Two functions' maps, as a synth leaves them: `<assembly>/sourcemaps/<function>/`. */
const mapsRoot = join(dir, 'sourcemaps');
const asset = join(dir, 'events-api');

/** Where functions/events-api/handler.ts makes the error it throws for a route it does not have (1-based line and column). */
function throwSite(): { line: number; column: number } {
  const lines = readFileSync(join(PROJECT_ROOT, 'functions/events-api/handler.ts'), 'utf8').split('\n');
  const line = lines.findIndex((l) => l.includes('throw new Error(`events-api has no route'));
  // V8 records the position of the `new Error` (where the stack is captured).
  return { line: line + 1, column: lines[line]!.indexOf('new Error') + 1 };
}

/** What the bundled function logs (stdout and stderr, as CloudWatch gets both) for a route it does not have. */
function logOfUnhandledError(): string {
  const script = `
    const { handler } = await import(${JSON.stringify(join(asset, 'index.mjs'))});
    const context = { functionName: 'events-api', functionVersion: '$LATEST', invokedFunctionArn: 'arn:aws:lambda:ap-northeast-2:000000000000:function:events-api',
      memoryLimitInMB: '256', awsRequestId: 'req-1', logGroupName: 'g', logStreamName: 's', getRemainingTimeInMillis: () => 10_000, callbackWaitsForEmptyEventLoop: true };
    // A route of the table that another function serves, with a merchant's context: past the route check, unknown to events-api.
    const event = { version: '2.0', routeKey: 'GET /payments', rawPath: '/payments', rawQueryString: '', headers: {}, isBase64Encoded: false,
      requestContext: { http: { method: 'GET', path: '/payments', sourceIp: '127.0.0.1' }, routeKey: 'GET /payments', requestId: 'req-1',
        authorizer: { lambda: { principal: 'merchant:0123abcd', merchantTokenId: '0123abcd' } } } };
    const reply = await handler(event, context);
    console.error('status ' + reply.statusCode);`;
  const r = spawnSync(process.execPath, ['--input-type=module', '-e', script], {
    encoding: 'utf8',
    timeout: 30_000,
    // As deployed: no --enable-source-maps.
    env: { PATH: process.env.PATH, TABLE_NAME: 'payments', AWS_REGION: 'ap-northeast-2' },
  });
  expect(r.stderr).toContain('status 500');
  return `${r.stdout}${r.stderr}`;
}

function stacktrace(input: string, ...args: string[]): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync('npm', ['run', '--silent', 'stacktrace', '--', '--maps', mapsRoot, ...args], {
    cwd: PROJECT_ROOT,
    input,
    encoding: 'utf8',
    timeout: 30_000,
  });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

beforeAll(async () => {
  await bundleFunction({ entry: 'functions/events-api/handler.ts', outdir: asset, mapsDir: sourceMapsDir(dir, 'events-api') });
  await bundleFunction({ entry: 'functions/authorizer/handler.ts', outdir: join(dir, 'authorizer'), mapsDir: sourceMapsDir(dir, 'authorizer') });
}, 60_000);

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('npm run stacktrace', () => {
  it('maps the stack of a logged error (Powertools JSON) from the built function back to the TypeScript source', () => {
    const log = logOfUnhandledError();
    // The log line carries minified positions only.
    expect(log).toMatch(/"stack":"Error: events-api has no route GET \/payments\\n {4}at [^"]*index\.mjs:\d+:\d+/);
    expect(log).not.toContain('handler.ts');

    const r = stacktrace(log, '--function', 'events-api');
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    const { line, column } = throwSite();
    expect(r.stdout).toContain('unhandled error\nError: events-api has no route GET /payments\n');
    expect(r.stdout).toMatch(new RegExp(`\\n {4}at \\S+ \\(functions/events-api/handler\\.ts:${line}:${column}\\)\\n`));
    // The frames below it are middy's, in its sources under node_modules.
    expect(r.stdout).toMatch(/at \S+ \([^)]*node_modules\/@middy\/core\/[\w-]+\.js:\d+:\d+\)/);
  });

  it('maps a plain stack trace, and asks which function when index.mjs could be any', () => {
    const stack = (JSON.parse(logOfUnhandledError().split('\n').find((l) => l.includes('"unhandled error"'))!) as { error: { stack: string } }).error.stack;
    const { line, column } = throwSite();

    const ambiguous = stacktrace(stack);
    expect(ambiguous.status).toBe(1);
    expect(ambiguous.stderr).toMatch(/index\.mjs is in several functions \(authorizer, events-api\): say which with --function/);

    const mapped = stacktrace(stack, '--function', 'events-api');
    expect(mapped.status).toBe(0);
    expect(mapped.stdout.split('\n')[0]).toBe('Error: events-api has no route GET /payments');
    expect(mapped.stdout.split('\n')[1]).toMatch(new RegExp(`^ {4}at \\S+ \\(functions/events-api/handler\\.ts:${line}:${column}\\)$`));
    // Lines without a frame of the deployed code pass unchanged.
    expect(stacktrace('nothing to map here\n').stdout).toBe('nothing to map here\n');
  });
});
