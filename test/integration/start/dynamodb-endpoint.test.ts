/**
 * `npm start` and `npm run reconcile` on an existing DynamoDB (DYNAMODB_ENDPOINT): no DynamoDB
 * Local is started and Java is not needed. The endpoint here is the DynamoDB proxy in front of the
 * run's DynamoDB Local, so the proxy's counts prove the traffic went there, and the table is read
 * back from DynamoDB Local directly.
 */
import { randomUUID } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DescribeTableCommand, ResourceNotFoundException } from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTableIfMissing, createTableInput, localClient } from '../../../local/dynamodb.ts';
import { startDynamoDbProxy, type DynamoDbProxy } from '../../../local/dynamodb-proxy.ts';
import { assertPortFree, freePort, freePorts } from '../../../local/ports.ts';
import { startSandbox } from '../../../local/toss-sandbox/server.ts';
import { createOrderStore } from '../../../shared/store/orders.ts';
import { eventId } from '../../../shared/events/order-events.ts';
import { tableDefinition } from '../../../shared/store/table.ts';
import { dynamoEndpoint, testDocumentClient } from '../../support/dynamo.ts';
import { READY_SIGNALS_LINE, READY_SIGNALS_PRELOAD, signalWhen } from '../../support/ready-signals.ts';
import { killAll, ports, reconcile, start, waitFor } from './support.ts';

/** The payments table's indexes, in the shared definition's order. */
const INDEXES: string[] = tableDefinition.globalSecondaryIndexes.map((g) => g.indexName);

const MINUTE = 60_000;
const TOKEN = 'endpoint-test-token';
const API_KEY = 'sk_test_endpoint_test_key';

let proxy: DynamoDbProxy;
beforeAll(async () => {
  proxy = await startDynamoDbProxy(dynamoEndpoint());
});
afterAll(async () => {
  killAll();
  await proxy.close();
});

const describeTable = async (tableName: string) => {
  const c = localClient(dynamoEndpoint());
  try {
    return (await c.send(new DescribeTableCommand({ TableName: tableName }))).Table;
  } catch (e) {
    if (e instanceof ResourceNotFoundException) return undefined;
    throw e;
  } finally {
    c.destroy();
  }
};
const escape = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
/** PATH without `java`: nothing may need it. */
const noJava = (): string => mkdtempSync(join(tmpdir(), 'no-java-'));

describe('npm start with DYNAMODB_ENDPOINT', () => {
  it('uses that DynamoDB without Java or DynamoDB Local: creates the table there, serves a payment, and npm run reconcile uses it too', async () => {
    const { TOSS_SANDBOX_PORT, EVENTBRIDGE_PORT, COGNITO_PORT, API_PORT } = await ports();
    const tableName = `start-endpoint-${randomUUID()}`;
    expect(await describeTable(tableName)).toBeUndefined();
    const run = start({
      TOSS_SANDBOX_PORT,
      EVENTBRIDGE_PORT,
      COGNITO_PORT,
      API_PORT,
      DYNAMODB_ENDPOINT: `${proxy.endpoint}/`,
      TABLE_NAME: tableName,
      MERCHANT_TOKENS: TOKEN,
      TOSS_API_KEY: API_KEY,
      RECONCILE_INTERVAL_SECONDS: '0',
      PATH: noJava(),
    });
    await waitFor(run, 'Press Ctrl-C to stop.', 25_000);
    const out = run.output();
    expect(out).not.toContain('Starting DynamoDB Local');
    expect(out).toMatch(new RegExp(`DynamoDB\\s+${escape(proxy.endpoint)}\\s+\\(DYNAMODB_ENDPOINT, not started by npm start; table ${tableName}\\)`));

    // The table was created at the endpoint, from the shared definition: both indexes, the stream.
    const table = await describeTable(tableName);
    expect(table?.GlobalSecondaryIndexes?.map((g) => g.IndexName).sort()).toEqual(INDEXES.slice().sort());
    expect(table?.StreamSpecification).toEqual({ StreamEnabled: true, StreamViewType: 'NEW_AND_OLD_IMAGES' });
    expect((await proxy.counts())[tableName]).toMatchObject({ CreateTable: { requests: 1, errors: 0 } });

    // A payment through the whole stack lands in that table, through the proxy.
    await proxy.reset();
    const created = await fetch(`http://127.0.0.1:${API_PORT}/payments`, {
      method: 'POST',
      headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' },
      body: JSON.stringify({ amount: 35_000, amountTaxFree: 0, productDesc: '토스 티셔츠' }),
    });
    expect(created.status).toBe(201);
    const { orderNo } = (await created.json()) as { orderNo: string };
    const direct = testDocumentClient();
    const store = createOrderStore({ client: direct, tableName, retentionDays: 1830 });
    try {
      expect((await store.getOrder(orderNo))?.status).toBe('PAY_STANDBY');
      expect((await proxy.counts())[tableName]).toMatchObject({ PutItem: { requests: 1 }, UpdateItem: { requests: 1 } });

      // npm run reconcile, with the same variables, finds the same DynamoDB and table: a CREATING
      // order recorded 5 minutes ago whose create never reached Toss becomes CREATE_FAILED.
      const stale = `endpoint-stale-${Date.now()}`;
      const past = createOrderStore({ client: direct, tableName, retentionDays: 1830, clock: () => Date.now() - 5 * MINUTE });
      await past.createOrder({ orderNo: stale, amount: 1_000, amountTaxFree: 0, productDesc: 'stale', autoExecute: true, expiresAt: new Date().toISOString(), mode: 'TEST' }, { id: 'lapsed', until: 0 });
      await proxy.reset();
      const pass = reconcile({ DYNAMODB_ENDPOINT: proxy.endpoint, TABLE_NAME: tableName, TOSS_SANDBOX_PORT, TOSS_API_KEY: API_KEY, PATH: noJava() });
      expect(await pass.exited).toBe(0);
      expect(pass.stderr()).toContain(`npm run reconcile: DynamoDB ${proxy.endpoint} (DYNAMODB_ENDPOINT, on this machine), table ${tableName}`);
      expect(pass.stderr()).toContain(`Toss sandbox http://127.0.0.1:${TOSS_SANDBOX_PORT}`);
      expect(JSON.parse(pass.stdout())).toMatchObject({ examined: 1, changed: { CREATE_FAILED: 1 }, errors: 0 });
      const failed = await store.getOrder(stale);
      expect(failed?.status).toBe('CREATE_FAILED');
      // The change gives a payment.failed, which npm start's events function logs and sends through
      // the same proxy: once that is over, the reconciler's own part is one UpdateItem.
      const id = eventId(stale, failed?.version ?? 0, 'payment.failed');
      const deadline = Date.now() + 10_000;
      for (;;) {
        const r = await fetch(`http://127.0.0.1:${API_PORT}/events/${id}`, { headers: { authorization: `Bearer ${TOKEN}` } });
        const delivery = r.ok ? ((await r.json()) as { delivery: { status: string } }).delivery.status : 'not yet';
        if (delivery === 'delivered') break;
        if (Date.now() > deadline) throw new Error(`the payment.failed event was not delivered (${delivery})`);
        await new Promise((res) => setTimeout(res, 100));
      }
      const counts = (await proxy.counts())[tableName];
      const byFunction = await proxy.functions();
      expect(counts?.Query?.requests).toBeGreaterThan(0);
      expect((counts?.UpdateItem?.requests ?? 0) - (byFunction.events?.UpdateItem ?? 0) - (byFunction['events-api']?.UpdateItem ?? 0)).toBe(1);
    } finally {
      direct.destroy();
    }

    // Stopping npm start leaves the DynamoDB it was given, and its data, alone.
    run.child.kill('SIGTERM');
    expect(await run.exited).toBe(0);
    expect(run.output()).toContain('stopping the gateway, the stream consumer, the user pool, the EventBridge stand-in and the Toss sandbox…');
    expect(await describeTable(tableName)).toBeDefined();
    await expect(assertPortFree(Number(API_PORT), 'gateway')).resolves.toBeUndefined();
  }, 40_000);

  it('uses an existing payments table as it is', async () => {
    const { TOSS_SANDBOX_PORT, EVENTBRIDGE_PORT, COGNITO_PORT, API_PORT } = await ports();
    const tableName = `start-existing-${randomUUID()}`;
    await createTableIfMissing(dynamoEndpoint(), createTableInput(tableName));
    await proxy.reset();
    const run = start({ TOSS_SANDBOX_PORT, EVENTBRIDGE_PORT, COGNITO_PORT, API_PORT, DYNAMODB_ENDPOINT: proxy.endpoint, TABLE_NAME: tableName, RECONCILE_INTERVAL_SECONDS: '0' });
    await waitFor(run, 'Press Ctrl-C to stop.', 25_000);
    // Described (by the table check, then by the stream consumer for its stream), never changed; its
    // only items written are the demo shop's webhook endpoint, registered through the API (read, then
    // the endpoints' item made and the endpoint added to it).
    const counts = (await proxy.counts())[tableName];
    expect(Object.keys(counts ?? {}).sort()).toEqual(['DescribeTable', 'GetItem', 'UpdateItem']);
    expect(counts?.DescribeTable).toEqual({ requests: 2, itemsRead: 0, itemsReturned: 0, errors: 0 });
    expect(counts?.UpdateItem?.requests).toBe(2);
    run.child.kill('SIGTERM');
    expect(await run.exited).toBe(0);
  });

  it('is ready for a signal when it says so: a SIGTERM sent the moment it prints "Press Ctrl-C to stop." stops it cleanly', async () => {
    const { TOSS_SANDBOX_PORT, EVENTBRIDGE_PORT, COGNITO_PORT, API_PORT } = await ports();
    const tableName = `start-signal-${randomUUID()}`;
    await createTableIfMissing(dynamoEndpoint(), createTableInput(tableName));
    const ready = 'Press Ctrl-C to stop.';
    const run = start(
      { TOSS_SANDBOX_PORT, EVENTBRIDGE_PORT, COGNITO_PORT, API_PORT, DYNAMODB_ENDPOINT: proxy.endpoint, TABLE_NAME: tableName, RECONCILE_INTERVAL_SECONDS: '0', READY_SIGNALS_TEXT: ready },
      ['--import', READY_SIGNALS_PRELOAD],
    );
    signalWhen(run.child, run.output, ready, 'SIGTERM');
    expect(await run.exited).toBe(0);
    expect(run.output()).toContain('SIGTERM: stopping the gateway, the stream consumer, the user pool, the EventBridge stand-in and the Toss sandbox…');
    expect(run.output()).toContain('Stopped.');
    // Its SIGTERM handler was in place before it said it was ready, not added after.
    expect(run.stderr()).toContain(`${READY_SIGNALS_LINE}0\n`);
    await expect(assertPortFree(Number(API_PORT), 'gateway')).resolves.toBeUndefined();
  });

  it('refuses an existing table that is not a payments table, before starting the sandbox', async () => {
    const { TOSS_SANDBOX_PORT, EVENTBRIDGE_PORT, COGNITO_PORT, API_PORT } = await ports();
    const tableName = `start-foreign-${randomUUID()}`;
    await createTableIfMissing(dynamoEndpoint(), {
      TableName: tableName,
      BillingMode: 'PAY_PER_REQUEST',
      AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }],
      KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
    });
    const run = start({ TOSS_SANDBOX_PORT, EVENTBRIDGE_PORT, COGNITO_PORT, API_PORT, DYNAMODB_ENDPOINT: proxy.endpoint, TABLE_NAME: tableName });
    expect(await run.exited).toBe(1);
    expect(run.output()).toContain(`DynamoDB at ${proxy.endpoint} (DYNAMODB_ENDPOINT)`);
    expect(run.output()).toContain(`table ${tableName} at ${proxy.endpoint} exists but is not a payments table (partition key id, expected pk; no index due)`);
    expect(run.output()).not.toContain('Starting the Toss sandbox');
  });

  it('exits 1 naming DYNAMODB_ENDPOINT when nothing answers there, before starting the sandbox', async () => {
    // A port of its own where nothing answers (no DynamoDB Local is started with DYNAMODB_ENDPOINT set).
    const { DYNAMODB_PORT, TOSS_SANDBOX_PORT, EVENTBRIDGE_PORT, COGNITO_PORT, API_PORT } = await ports();
    const dead = `http://127.0.0.1:${DYNAMODB_PORT}`;
    const run = start({ TOSS_SANDBOX_PORT, EVENTBRIDGE_PORT, COGNITO_PORT, API_PORT, DYNAMODB_ENDPOINT: dead });
    expect(await run.exited).toBe(1);
    expect(run.output()).toContain(`npm start failed: DynamoDB at ${dead} (DYNAMODB_ENDPOINT): `);
    expect(run.output()).toContain('ECONNREFUSED');
    expect(run.output()).not.toContain('Starting the Toss sandbox');
  });

  it.each(['not a url', 'ftp://127.0.0.1:8000', '127.0.0.1:8000'])('refuses DYNAMODB_ENDPOINT=%s, naming the variable', async (value) => {
    const { TOSS_SANDBOX_PORT, EVENTBRIDGE_PORT, COGNITO_PORT, API_PORT } = await ports();
    const run = start({ TOSS_SANDBOX_PORT, EVENTBRIDGE_PORT, COGNITO_PORT, API_PORT, DYNAMODB_ENDPOINT: value });
    expect(await run.exited).toBe(1);
    expect(run.output()).toContain('DYNAMODB_ENDPOINT: must be an http:// or https:// URL');
    expect(run.output()).not.toContain('Starting');
  });

  it.each(['DYNAMODB_PORT', 'DATA_DIR'])('refuses %s beside DYNAMODB_ENDPOINT rather than ignoring it', async (name) => {
    const run = start({ DYNAMODB_ENDPOINT: proxy.endpoint, [name]: name === 'DATA_DIR' ? tmpdir() : String(await freePort()) });
    expect(await run.exited).toBe(1);
    expect(run.output()).toContain(`${name}: applies to the DynamoDB Local that npm start starts; with DYNAMODB_ENDPOINT set none is started`);
  });
});

describe('npm run reconcile with DYNAMODB_ENDPOINT', () => {
  it('exits 1 naming the endpoint and the variable when nothing answers there', async () => {
    const [deadPort, sandboxPort] = await freePorts(2);
    const dead = `http://127.0.0.1:${deadPort}`;
    const r = reconcile({ DYNAMODB_ENDPOINT: dead, TOSS_SANDBOX_PORT: String(sandboxPort) });
    expect(await r.exited).toBe(1);
    expect(r.stdout()).toBe('');
    expect(r.stderr()).toContain(`npm run reconcile: DynamoDB ${dead} (DYNAMODB_ENDPOINT, on this machine), table toss-payments-local`);
    expect(r.stderr()).toContain(`npm run reconcile failed: DynamoDB is not reachable at ${dead} (DYNAMODB_ENDPOINT): `);
  });

  it('creates the table when it is not there, as npm start does, and runs its pass', async () => {
    const tableName = `new-table-${randomUUID()}`;
    const sandbox = await startSandbox({ port: 0, quiet: true });
    try {
      const r = reconcile({ DYNAMODB_ENDPOINT: proxy.endpoint, TABLE_NAME: tableName, TOSS_SANDBOX_PORT: new URL(sandbox.url).port });
      expect(await r.exited).toBe(0);
      expect(r.stderr()).toContain(`npm run reconcile: created table ${tableName} at ${proxy.endpoint} (DYNAMODB_ENDPOINT), as npm start does`);
      expect((JSON.parse(r.stdout()) as { examined: number }).examined).toBe(0);
      const t = await localClient(proxy.endpoint).send(new DescribeTableCommand({ TableName: tableName }));
      expect(t.Table?.GlobalSecondaryIndexes?.map((g) => g.IndexName).sort()).toEqual(tableDefinition.globalSecondaryIndexes.map((g) => g.indexName).sort());
      expect(t.Table?.StreamSpecification?.StreamViewType).toBe(tableDefinition.stream);
    } finally {
      await sandbox.close();
    }
  });
});
