/**
 * The pass's limits: a time budget that runs out leaves the rest due; one failing order never
 * aborts the pass; `npm run reconcile` runs one pass against a running stack and prints its
 * summary, or exits 1 with a clear message when there is no stack.
 */
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { approve, clearFaults, setFault } from '../../../local/toss-sandbox/control-client.ts';
import { startSandbox, type Sandbox } from '../../../local/toss-sandbox/server.ts';
import { freePorts } from '../../../local/ports.ts';
import { createOrderStore } from '../../../shared/store/orders.ts';
import { dynamoEndpoint, freshTable } from '../../support/dynamo.ts';
import { createOrders, documentClient, MINUTE, pass, reconcileDeps } from './support.ts';

let sandbox: Sandbox;
const client = documentClient();
beforeAll(async () => {
  sandbox = await startSandbox({ port: 0, quiet: true });
  await setFault(sandbox.url, { target: 'callback', kind: 'drop' });
});
afterAll(async () => {
  client.destroy();
  await sandbox.close();
});

async function fresh(n: number) {
  const tableName = await freshTable();
  const real = reconcileDeps({ client, tableName, sandboxUrl: sandbox.url, offsetMs: 0 });
  const orders = await createOrders(real, n);
  const later = reconcileDeps({ client, tableName, sandboxUrl: sandbox.url, offsetMs: 10 * MINUTE });
  return { tableName, real, later, orders };
}

describe('time budget', () => {
  it('a deadline already passed takes nothing and leaves everything due', async () => {
    const { later, orders } = await fresh(5);
    const s = await pass(later, { deadline: Date.now() - 1 });
    expect(s).toMatchObject({ examined: 0, unchanged: 0, errors: 0, leftDue: true, itemsRead: 0 });
    const full = await pass(later);
    expect(full.examined).toBe(orders.length);
    expect(full.leftDue).toBe(false);
  });

  it('stops taking orders when the budget runs out; the orders not taken stay due for the next pass', async () => {
    const { later, orders } = await fresh(30);
    await setFault(sandbox.url, { target: 'status', kind: 'latency', ms: 250 });
    try {
      const now = later.clock();
      const first = await pass(later, { now, concurrency: 2, deadline: Date.now() + 600 });
      // Checks already taken finish; nothing new is taken after the deadline.
      expect(first.leftDue).toBe(true);
      expect(first.examined).toBeGreaterThan(0);
      expect(first.examined).toBeLessThan(orders.length);
      expect(first.unchanged).toBe(first.examined);
      const second = await pass(later, { now, concurrency: 16 });
      expect(second.leftDue).toBe(false);
      expect(second.examined).toBe(orders.length - first.examined);
      for (const o of orders) expect((await later.store.getOrder(o.orderNo))?.checks).toBe(1);
    } finally {
      await clearFaults(sandbox.url);
      await setFault(sandbox.url, { target: 'callback', kind: 'drop' });
    }
  });
});

describe('one failing order', () => {
  it('does not abort the pass: the others settle, it stays due and unchanged', async () => {
    const { later, orders } = await fresh(10);
    await Promise.all(orders.map((o) => approve(sandbox.url, o.payToken, 'CARD')));
    const bad = orders[3];
    if (bad === undefined) throw new Error('no order');
    await setFault(sandbox.url, { target: 'status', kind: 'http5xx', payToken: bad.payToken });
    try {
      const now = later.clock();
      const s = await pass(later, { now });
      expect(s).toMatchObject({ examined: 10, changed: { PAY_COMPLETE: 9 }, unchanged: 0, errors: 1, leftDue: false });
      const o = await later.store.getOrder(bad.orderNo);
      expect(o?.status).toBe('PAY_STANDBY');
      expect(o?.checks).toBe(1);
      expect(o?.dueAt).toBeGreaterThan(now);
      expect(later.logs.some((l) => l.level === 'warn' && l.fields.orderNo === bad.orderNo && l.fields.error === 'TossServerError')).toBe(true);
    } finally {
      await clearFaults(sandbox.url);
      await setFault(sandbox.url, { target: 'callback', kind: 'drop' });
    }
  });
});

function runCli(env: Record<string, string>): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const script = fileURLToPath(new URL('../../../local/reconcile.ts', import.meta.url));
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [script], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

describe('npm run reconcile', () => {
  const cliEnv = (tableName: string, dynamoPort: string, sandboxPort: string): Record<string, string> => ({
    TABLE_NAME: tableName,
    // Empty is unset: an inherited DYNAMODB_ENDPOINT would take precedence over DYNAMODB_PORT.
    DYNAMODB_ENDPOINT: '',
    DYNAMODB_PORT: dynamoPort,
    TOSS_SANDBOX_PORT: sandboxPort,
    API_PORT: '1',
    TOSS_API_KEY: '',
    TOSS_TIMEOUT_MS: '3000',
  });

  it('runs one pass against the running stack and prints the JSON summary', async () => {
    const tableName = await freshTable();
    // A CREATING order recorded 5 minutes ago whose create never reached Toss.
    const past = createOrderStore({ client, tableName, retentionDays: 1830, clock: () => Date.now() - 5 * MINUTE });
    await past.createOrder({ orderNo: `cli-${Date.now()}`, amount: 1_000, amountTaxFree: 0, productDesc: 'cli', autoExecute: true, expiresAt: new Date().toISOString(), mode: 'TEST' }, { id: 'lapsed', until: 0 });
    const r = await runCli(cliEnv(tableName, new URL(dynamoEndpoint()).port, String(sandbox.port)));
    expect(r.stderr).not.toContain('failed');
    expect(r.code).toBe(0);
    const summary = JSON.parse(r.stdout) as Record<string, unknown>;
    expect(summary).toMatchObject({ examined: 1, changed: { CREATE_FAILED: 1 }, unchanged: 0, flagged: 0, errors: 0, leftDue: false, itemsRead: 1 });
    expect(typeof summary.durationMs).toBe('number');
  });

  it('exits 1 with a clear message when the stack is not running', async () => {
    const [dynamoPort, sandboxPort] = (await freePorts(2)).map(String);
    const r = await runCli(cliEnv('no-table', dynamoPort!, sandboxPort!));
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/npm run reconcile failed: DynamoDB Local is not reachable at http:\/\/127\.0\.0\.1:\d+: start the local stack with `npm start` first/);
  });
});
