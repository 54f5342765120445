/**
 * `npm run toss-contract` (tools/toss-contract.ts): run against the sandbox it starts, against a
 * Toss that behaves as the sandbox does (a second sandbox, compared call by call with its own), and
 * against a Toss whose status replies differ (a proxy rewriting them): it reports what differs, call
 * by call, and exits 1 then.
 *
 * The sandbox follows Toss's documents on every call the check makes: nothing differs against it.
 */
import { spawn } from 'node:child_process';
import http from 'node:http';
import { resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkContract } from '../../../tools/toss-contract.ts';
import { shapeOf } from '../../../tools/toss-contract/run.ts';
import { startSandbox, type Sandbox } from '../../../local/toss-sandbox/server.ts';

const TOOL = resolve(import.meta.dirname, '../../../tools/toss-contract.ts');
const KEY = 'sk_test_contract_check_key_01';

/** The calls the report marks as differing. */
const differing = (lines: readonly string[]): string[] => lines.filter((l) => l.startsWith('✗ ')).map((l) => l.slice(2));

let toss: Sandbox;
beforeAll(async () => {
  toss = await startSandbox({ port: 0, quiet: true, apiKeys: [KEY] });
});
afterAll(() => toss.close());

describe('npm run toss-contract', () => {
  it('without TOSS_BASE_URL: checks a sandbox it starts, prints every call, and exits 0 when nothing differs', async () => {
    const env: NodeJS.ProcessEnv = { ...process.env, TOSS_API_KEY: KEY };
    delete env.TOSS_BASE_URL;
    const child = spawn(process.execPath, [TOOL], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (b: Buffer) => (out += b.toString()));
    child.stderr.on('data', (b: Buffer) => (out += b.toString()));
    const code = await new Promise<number | null>((r) => child.once('exit', r));
    const lines = out.split('\n');
    expect(lines[0]).toMatch(/^Toss contract check: http:\/\/127\.0\.0\.1:\d+ \(the sandbox\)$/);
    expect(lines).toContain('✓ create (no tax parts)');
    expect(lines).toContain('✓ create (parts that do not add up)');
    expect(lines).toContain('✓ create (a blank part)');
    expect(lines).toContain('✓ error: a bad apiKey');
    expect(lines).toContain('✓ create (only amountTaxFree non-zero)');
    expect(differing(lines)).toEqual([]);
    expect(out).not.toContain(KEY);
    expect(code).toBe(0);
  });

  it('against another Toss that behaves as the sandbox: the same calls there and here agree, field by field', async () => {
    const r = await checkContract({ TOSS_BASE_URL: toss.url, TOSS_API_KEY: KEY });
    expect(r.lines[0]).toBe(`Toss contract check: ${toss.url}, compared with the sandbox`);
    expect(differing(r.lines)).toEqual([]);
    expect(r.lines.join('\n')).not.toContain('the sandbox answers');
  });

  it('cannot check a Toss that does not answer (exit 2, not a list of differences)', async () => {
    const closed = await startSandbox({ port: 0, quiet: true, apiKeys: [KEY] });
    await closed.close();
    await expect(checkContract({ TOSS_BASE_URL: closed.url, TOSS_API_KEY: KEY })).rejects.toThrow(`${closed.url} did not answer`);
  });

  it('refuses a live key: the calls create payments', async () => {
    await expect(checkContract({ TOSS_BASE_URL: toss.url, TOSS_API_KEY: 'live_sk_contract' })).rejects.toThrow(/test key/);
  });
});

describe('a Toss whose replies differ', () => {
  let proxy: http.Server;
  let proxyUrl: string;
  beforeAll(async () => {
    // In front of the Toss sandbox: status replies get `amount` as a string, lose `amountVat`, gain a field.
    proxy = http.createServer((req, res) => {
      let body = '';
      req.on('data', (c: Buffer) => (body += c.toString()));
      req.on('end', () => {
        void fetch(`${toss.url}${req.url ?? '/'}`, { method: req.method, headers: { 'content-type': 'application/json' }, body }).then(async (r) => {
          const reply = (await r.json()) as Record<string, unknown>;
          if (req.url === '/api/v2/status' && reply.code === 0) {
            reply.amount = String(reply.amount);
            delete reply.amountVat;
            reply.newTossField = { since: '2026' };
          }
          res.writeHead(r.status, { 'content-type': 'application/json' }).end(JSON.stringify(reply));
        });
      });
    });
    await new Promise<void>((r) => proxy.listen(0, '127.0.0.1', () => r()));
    const addr = proxy.address();
    proxyUrl = `http://127.0.0.1:${typeof addr === 'object' && addr !== null ? addr.port : 0}`;
  });
  afterAll(
    () =>
      new Promise<void>((r) => {
        proxy.close(() => r());
        proxy.closeAllConnections();
      }),
  );

  it('reports, call by call, what our schemas, the sandbox and the documents would not have', async () => {
    const r = await checkContract({ TOSS_BASE_URL: proxyUrl, TOSS_API_KEY: KEY });
    const text = r.lines.join('\n');
    const status = 'status by payToken (no tax parts): Toss applied its default parts';
    expect(differing(r.lines)).toEqual(expect.arrayContaining([status, 'status by orderNo (no tax parts): the same payment', 'status after the cancel: PAY_CANCEL']));
    const block = text.slice(text.indexOf(`✗ ${status}`)).split('\n✓')[0] ?? '';
    expect(block).toContain('our schema: amount: Invalid input: expected number, received string');
    expect(block).toContain('no amountVat; the sandbox sends it (number)');
    expect(block).toContain('amount is string; the sandbox sends number');
    expect(block).toContain('expected taxable, tax-free, VAT, service fee');
    expect(block).toContain('note: newTossField: not in our schema (kept, never read)');
    expect(r.differing).toBeGreaterThanOrEqual(3);
    // The calls the proxy leaves alone agree.
    expect(r.lines).toContain('✓ create (no tax parts)');
  });
});

describe('shapeOf', () => {
  it('every field with its JSON type, arrays by their first element', () => {
    expect([...shapeOf({ a: 1, b: { c: 'x' }, d: [{ e: true }], f: null, g: [] })]).toEqual([
      ['a', 'number'],
      ['b', 'object'],
      ['b.c', 'string'],
      ['d', 'array'],
      ['d[]', 'object'],
      ['d[].e', 'boolean'],
      ['f', 'null'],
      ['g', 'array'],
    ]);
  });
});
