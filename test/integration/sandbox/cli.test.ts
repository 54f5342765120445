/**
 * Contract: `npm run sandbox` (local/toss-sandbox/main.ts) listens on TOSS_SANDBOX_PORT with
 * TOSS_SANDBOX_API_KEYS, prints its URL, stops cleanly on SIGTERM/SIGINT, and fails clearly when
 * the port is taken.
 */
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { freePort } from '../../../local/ports.ts';
import { READY_SIGNALS_LINE, READY_SIGNALS_PRELOAD, signalWhen } from '../../support/ready-signals.ts';
import { createBody, toss } from './support.ts';

const MAIN = resolve(import.meta.dirname, '../../../local/toss-sandbox/main.ts');
const children: ChildProcess[] = [];
afterAll(() => {
  for (const c of children) if (c.exitCode === null) c.kill('SIGKILL');
});

function run(env: Record<string, string>, execArgv: string[] = []): { child: ChildProcess; output: () => string; exit: Promise<number | null> } {
  const child = spawn(process.execPath, [...execArgv, MAIN], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  children.push(child);
  let out = '';
  child.stdout?.on('data', (b: Buffer) => (out += b.toString()));
  child.stderr?.on('data', (b: Buffer) => (out += b.toString()));
  const exit = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
  return { child, output: () => out, exit };
}

async function until(cond: () => boolean, ms: number): Promise<void> {
  const deadline = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe('npm run sandbox', () => {
  it.each(['SIGTERM', 'SIGINT'] as const)('serves on TOSS_SANDBOX_PORT with the configured keys and stops on %s', async (signal) => {
    const port = await freePort();
    const url = `http://127.0.0.1:${port}`;
    const p = run({ TOSS_SANDBOX_PORT: String(port), TOSS_SANDBOX_API_KEYS: 'sk_test_cli_key_1,live_cli_key' });
    await until(() => p.output().includes(url), 10_000);
    expect(p.output()).not.toContain('sk_test_cli_key_1');
    const sb = { url, port, close: async () => {} };
    expect((await toss(sb, '/api/v2/payments', createBody({ apiKey: 'live_cli_key' }))).body.code).toBe(0);
    expect((await toss(sb, '/api/v2/payments', createBody())).status).toBe(401);
    p.child.kill(signal);
    expect(await p.exit).toBe(0);
  });

  it('is ready for a signal when it says it listens: a SIGTERM sent at that moment stops it cleanly', async () => {
    const port = await freePort();
    const ready = `Toss sandbox listening on http://127.0.0.1:${port}`;
    const p = run({ TOSS_SANDBOX_PORT: String(port), READY_SIGNALS_TEXT: ready }, ['--import', READY_SIGNALS_PRELOAD]);
    signalWhen(p.child, p.output, ready, 'SIGTERM');
    expect(await p.exit).toBe(0);
    expect(p.output()).toContain('Toss sandbox stopping (SIGTERM)');
    // Its SIGTERM handler was in place before it said it listened, not added after.
    expect(p.output()).toContain(`${READY_SIGNALS_LINE}0\n`);
  });

  it('fails with a clear message when the port is taken', async () => {
    const blocker = createServer();
    await new Promise<void>((r) => blocker.listen(0, '127.0.0.1', () => r()));
    const addr = blocker.address();
    const port = typeof addr === 'object' && addr !== null ? addr.port : 0;
    try {
      const p = run({ TOSS_SANDBOX_PORT: String(port) });
      expect(await p.exit).toBe(1);
      expect(p.output()).toContain(`port ${port}`);
      expect(p.output()).toContain('already in use');
    } finally {
      blocker.close();
    }
  });
});
