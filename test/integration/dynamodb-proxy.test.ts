/**
 * The DynamoDB proxy (local/dynamodb-proxy.ts) in front of the run's DynamoDB Local, driven by the
 * real AWS SDK: what it counts, and what each fault makes the SDK see. The drop-reply cases are the
 * scenario the product's conditional writes must handle: a write that succeeded, whose reply was
 * lost, retried by the SDK and refused by its own condition.
 */
import {
  ConditionalCheckFailedException,
  DynamoDBClient,
  InternalServerError,
  ProvisionedThroughputExceededException,
  ThrottlingException,
} from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand, PutCommand, QueryCommand, TransactWriteCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { BASE_TABLE, remoteProxy, startDynamoDbProxy, type DynamoDbProxy } from '../../local/dynamodb-proxy.ts';
import { dynamoEndpoint, freshTable, testDocumentClient } from '../support/dynamo.ts';

let proxy: DynamoDbProxy;
let tableName: string;
/** Straight to DynamoDB Local: what is really in the table. */
let direct: DynamoDBDocumentClient;
/** Through the proxy, with the product's client settings (3 attempts). */
let client: DynamoDBDocumentClient;
/** Through the proxy, no retries: the SDK reports the first failure as it is. */
let once: DynamoDBDocumentClient;
let seq = 0;
const newKey = (prefix: string): string => `ORDER#${prefix}-${Date.now().toString(36)}-${seq++}`;

beforeAll(async () => {
  tableName = await freshTable('proxy');
  proxy = await startDynamoDbProxy(dynamoEndpoint());
  direct = testDocumentClient();
  client = testDocumentClient(proxy.endpoint);
  once = DynamoDBDocumentClient.from(
    new DynamoDBClient({
      endpoint: proxy.endpoint,
      region: 'ap-northeast-2',
      credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
      maxAttempts: 1,
    }),
  );
});
afterEach(async () => {
  await proxy.clearFaults();
  await proxy.reset();
});
afterAll(async () => {
  for (const c of [direct, client, once]) c.destroy();
  await proxy.close();
});

const putNew = (c: DynamoDBDocumentClient, pk: string, extra: Record<string, unknown> = {}) =>
  c.send(
    new PutCommand({
      TableName: tableName,
      Item: { pk, ...extra },
      ConditionExpression: 'attribute_not_exists(pk)',
      ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
    }),
  );
const stored = async (pk: string) => (await direct.send(new GetCommand({ TableName: tableName, Key: { pk }, ConsistentRead: true }))).Item;
const rejection = async (p: Promise<unknown>): Promise<Error & Record<string, unknown>> => {
  try {
    await p;
  } catch (e) {
    return e as Error & Record<string, unknown>;
  }
  throw new Error('expected a rejection');
};

describe('counting', () => {
  it('forwards every request unchanged and counts it by table and operation, with items read and returned', async () => {
    const shard = `proxy-shard-${seq++}`;
    const a = newKey('count');
    const b = newKey('count');
    await putNew(client, a, { dueShard: shard, dueAt: 1 });
    await putNew(client, b, { dueShard: shard, dueAt: 2 });
    await expect(putNew(client, a)).rejects.toBeInstanceOf(ConditionalCheckFailedException);
    expect((await client.send(new GetCommand({ TableName: tableName, Key: { pk: a } }))).Item?.dueAt).toBe(1);
    await client.send(new GetCommand({ TableName: tableName, Key: { pk: newKey('absent') } }));
    const q = await client.send(
      new QueryCommand({
        TableName: tableName,
        IndexName: 'due',
        KeyConditionExpression: 'dueShard = :s AND dueAt <= :t',
        ExpressionAttributeValues: { ':s': shard, ':t': 1 },
      }),
    );
    expect(q.Count).toBe(1);

    expect(await proxy.counts()).toEqual({
      [tableName]: {
        PutItem: { requests: 3, itemsRead: 0, itemsReturned: 0, errors: 1 },
        GetItem: { requests: 2, itemsRead: 1, itemsReturned: 1, errors: 0 },
        Query: { requests: 1, itemsRead: 1, itemsReturned: 1, errors: 0 },
      },
    });
    await proxy.reset();
    expect(await proxy.counts()).toEqual({});
  });

  it("tells each function's operations and the indexes its Query requests read, the table itself as (table)", async () => {
    const fn = testDocumentClient(proxy.endpoint, { functionName: 'some-fn' });
    try {
      const pk = newKey('fn');
      await putNew(fn, pk);
      const onDue = { TableName: tableName, IndexName: 'due', KeyConditionExpression: 'dueShard = :k', ExpressionAttributeValues: { ':k': 'none' } };
      await fn.send(new QueryCommand(onDue));
      await fn.send(new QueryCommand({ TableName: tableName, KeyConditionExpression: 'pk = :k', ExpressionAttributeValues: { ':k': pk } }));
      await fn.send(new QueryCommand(onDue));
      // Not made by a function: counted, never attributed.
      await client.send(new GetCommand({ TableName: tableName, Key: { pk } }));
      expect(await proxy.functions()).toEqual({ 'some-fn': { PutItem: 1, Query: 3 } });
      expect(await proxy.indexes()).toEqual({ 'some-fn': { due: 2, [BASE_TABLE]: 1 } });
      expect(await remoteProxy(proxy.endpoint).indexes()).toEqual(await proxy.indexes());
      await proxy.reset();
      expect(await proxy.indexes()).toEqual({});
    } finally {
      fn.destroy();
    }
  });

  it('tells onAnswered of every request DynamoDB answered: operation, table, status (not the faults it answered itself)', async () => {
    const answered: { operation: string; table: string | undefined; status: number }[] = [];
    const own = await startDynamoDbProxy(dynamoEndpoint(), { onAnswered: (a) => answered.push(a) });
    const c = testDocumentClient(own.endpoint);
    try {
      const pk = newKey('answered');
      await putNew(c, pk);
      await rejection(putNew(c, pk));
      await own.addFault({ kind: 'error', error: 'ThrottlingException', operation: 'GetItem', times: 'always' });
      await rejection(c.send(new GetCommand({ TableName: tableName, Key: { pk } })));
      expect(answered).toEqual([
        { operation: 'PutItem', table: tableName, status: 200 },
        { operation: 'PutItem', table: tableName, status: 400 },
      ]);
    } finally {
      c.destroy();
      await own.close();
    }
  });
});

describe('drop-reply: DynamoDB applies the write, the client never hears back', () => {
  it('without retries (maxAttempts 1) the SDK reports a network error, yet the item IS in the table', async () => {
    const pk = newKey('drop1');
    const fault = await proxy.addFault({ kind: 'drop-reply', operation: 'PutItem', key: pk });
    const e = await rejection(putNew(once, pk, { v: 'first attempt' }));
    // Node's "socket hang up": the SDK names it TimeoutError, code ECONNRESET.
    expect(e.code).toBe('ECONNRESET');
    expect(e).not.toBeInstanceOf(ConditionalCheckFailedException);
    expect(await stored(pk)).toEqual({ pk, v: 'first attempt' });
    expect((await proxy.faults()).find((f) => f.id === fault.id)).toMatchObject({ hits: 1, active: false });
    expect((await proxy.counts())[tableName]?.PutItem).toMatchObject({ requests: 1, errors: 0 });
  });

  it('with the SDK retrying (maxAttempts 3) the retry meets its own earlier write: ConditionalCheckFailedException, ALL_OLD is that write', async () => {
    const pk = newKey('drop3');
    await proxy.addFault({ kind: 'drop-reply', operation: 'PutItem', key: pk });
    const e = await rejection(putNew(client, pk, { v: 'first attempt' }));
    expect(e).toBeInstanceOf(ConditionalCheckFailedException);
    expect((e.$metadata as { attempts: number }).attempts).toBe(2);
    // The document client does not unmarshall the item carried by an error.
    expect(unmarshall(e.Item as Parameters<typeof unmarshall>[0])).toEqual({ pk, v: 'first attempt' });
    expect(await stored(pk)).toEqual({ pk, v: 'first attempt' });
    // Both attempts reached DynamoDB: the first was applied, the second refused.
    expect((await proxy.counts())[tableName]?.PutItem).toEqual({ requests: 2, itemsRead: 0, itemsReturned: 0, errors: 1 });
  });

  it('hits an UpdateItem only when its expression contains the given text', async () => {
    const pk = newKey('expr');
    await putNew(direct, pk, { n: 0 });
    await proxy.addFault({ kind: 'drop-reply', operation: 'UpdateItem', expressionContains: '#flag' });
    const bump = (c: DynamoDBDocumentClient) =>
      c.send(new UpdateCommand({ TableName: tableName, Key: { pk }, UpdateExpression: 'SET n = n + :one', ExpressionAttributeValues: { ':one': 1 } }));
    await bump(once);
    const e = await rejection(
      once.send(
        new UpdateCommand({
          TableName: tableName,
          Key: { pk },
          UpdateExpression: 'SET #flag = :t',
          ConditionExpression: 'attribute_not_exists(#flag)',
          ExpressionAttributeNames: { '#flag': 'flag' },
          ExpressionAttributeValues: { ':t': true },
        }),
      ),
    );
    expect(e.code).toBe('ECONNRESET');
    expect(await stored(pk)).toEqual({ pk, n: 1, flag: true });
  });
});

describe('error: answered as DynamoDB would, never forwarded', () => {
  it('a throttle on every attempt ends in the SDK ThrottlingException once its retries are spent', async () => {
    const pk = newKey('thr');
    await putNew(direct, pk);
    const fault = await proxy.addFault({ kind: 'error', operation: 'GetItem', table: tableName, error: 'ThrottlingException', times: 3 });
    const e = await rejection(client.send(new GetCommand({ TableName: tableName, Key: { pk } })));
    expect(e).toBeInstanceOf(ThrottlingException);
    expect(e.$metadata).toMatchObject({ httpStatusCode: 400, attempts: 3 });
    expect((await proxy.faults())[0]).toMatchObject({ id: fault.id, hits: 3, active: false });
    // Spent: the next request goes through.
    expect((await client.send(new GetCommand({ TableName: tableName, Key: { pk } }))).Item).toEqual({ pk });
    expect((await proxy.counts())[tableName]?.GetItem).toMatchObject({ requests: 4, errors: 3 });
  });

  it('maps ProvisionedThroughputExceededException (400) and InternalServerError (500) to their SDK classes', async () => {
    const pk = newKey('err');
    await proxy.addFault({ kind: 'error', operation: 'PutItem', error: 'ProvisionedThroughputExceededException' });
    const pte = await rejection(putNew(once, pk));
    expect(pte).toBeInstanceOf(ProvisionedThroughputExceededException);
    expect(pte.$metadata).toMatchObject({ httpStatusCode: 400 });
    await proxy.addFault({ kind: 'error', operation: 'PutItem', error: 'InternalServerError', message: 'injected' });
    const ise = await rejection(putNew(once, pk));
    expect(ise).toBeInstanceOf(InternalServerError);
    expect(ise.message).toBe('injected');
    expect(ise.$metadata).toMatchObject({ httpStatusCode: 500 });
    expect(await stored(pk)).toBeUndefined();
  });

  it('one InternalServerError is retried away by the SDK', async () => {
    const pk = newKey('ise');
    await proxy.addFault({ kind: 'error', operation: 'PutItem', key: pk, error: 'InternalServerError' });
    const r = await putNew(client, pk);
    expect(r.$metadata.attempts).toBe(2);
    expect(await stored(pk)).toEqual({ pk });
  });
});

describe('delay and matching', () => {
  it('delays only the matching key, then forwards', async () => {
    const slow = newKey('slow');
    const fast = newKey('fast');
    await proxy.addFault({ kind: 'delay', operation: 'PutItem', key: slow, ms: 400, times: 'always' });
    let t = performance.now();
    await putNew(client, fast);
    expect(performance.now() - t).toBeLessThan(300);
    t = performance.now();
    await putNew(client, slow);
    expect(performance.now() - t).toBeGreaterThanOrEqual(390);
    expect(await stored(slow)).toEqual({ pk: slow });
    expect((await proxy.faults())[0]).toMatchObject({ hits: 1, active: true });
  });

  it('holds a matching request until the fault is cleared, then forwards it', async () => {
    const pk = newKey('held');
    const hold = await proxy.addFault({ kind: 'hold', operation: 'PutItem', key: pk });
    let landed = false;
    const put = putNew(client, pk).then(() => (landed = true));
    // Held: the other requests pass meanwhile.
    await putNew(client, newKey('free'));
    expect((await proxy.faults())[0]).toMatchObject({ hits: 1 });
    expect([landed, await stored(pk)]).toEqual([false, undefined]);
    await proxy.clearFaults(hold.id);
    await put;
    expect(await stored(pk)).toEqual({ pk });
  });

  it('matches a transaction by the key, table and expressions of any of its actions', async () => {
    const [a, b] = [newKey('tx-a'), newKey('tx-b')];
    await proxy.addFault({ kind: 'error', operation: 'TransactWriteItems', table: tableName, key: b, expressionContains: 'attribute_not_exists', error: 'InternalServerError' });
    const tx = new TransactWriteCommand({
      TransactItems: [
        { Put: { TableName: tableName, Item: { pk: a } } },
        { Put: { TableName: tableName, Item: { pk: b }, ConditionExpression: 'attribute_not_exists(pk)' } },
      ],
    });
    expect(await rejection(once.send(tx))).toBeInstanceOf(InternalServerError);
    expect((await proxy.faults())[0]).toMatchObject({ hits: 1 });
    expect(await stored(a)).toBeUndefined();
  });

  it('ignores other tables and operations', async () => {
    const pk = newKey('other');
    await proxy.addFault({ kind: 'error', operation: 'PutItem', table: 'some-other-table', error: 'InternalServerError' });
    await proxy.addFault({ kind: 'error', operation: 'DeleteItem', error: 'InternalServerError' });
    await putNew(once, pk);
    expect((await proxy.faults()).map((f) => f.hits)).toEqual([0, 0]);
  });
});

describe('HTTP control (a proxy in another process)', () => {
  it('adds, lists and clears faults and reads and resets counts over /__proxy', async () => {
    const remote = remoteProxy(proxy.endpoint);
    const pk = newKey('remote');
    const added = await remote.addFault({ kind: 'error', operation: 'PutItem', key: pk, error: 'ThrottlingException' });
    expect(added).toMatchObject({ id: expect.any(String), kind: 'error', times: 1, hits: 0, active: true });
    await remote.addFault({ kind: 'delay', operation: 'Query', ms: 1 });
    expect(await rejection(putNew(once, pk))).toBeInstanceOf(ThrottlingException);
    expect((await remote.faults()).map((f) => [f.kind, f.hits])).toEqual([
      ['error', 1],
      ['delay', 0],
    ]);
    expect((await remote.counts())[tableName]?.PutItem).toMatchObject({ requests: 1, errors: 1 });

    await remote.clearFaults(added.id);
    expect((await remote.faults()).map((f) => f.kind)).toEqual(['delay']);
    await remote.clearFaults();
    expect(await remote.faults()).toEqual([]);
    await remote.reset();
    expect(await remote.counts()).toEqual({});
  });

  it('refuses an invalid fault with 400 naming the field', async () => {
    const res = await fetch(`${proxy.endpoint}/__proxy/faults`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ kind: 'error', operation: 'PutItems', error: 'ThrottlingException' }),
    });
    expect(res.status).toBe(400);
    expect(((await res.json()) as { message: string }).message).toMatch(/operation/);
    await expect(remoteProxy(proxy.endpoint).addFault({ kind: 'delay', operation: 'Query', ms: -1 })).rejects.toThrow(/invalid fault: ms/);
    await expect(proxy.addFault({ kind: 'drop-reply', operation: 'Scan', times: 0 })).rejects.toThrow(/invalid fault: times/);
    expect(await proxy.faults()).toEqual([]);
  });
});
