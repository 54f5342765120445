/**
 * The local event source mapping (local/dynamodb-streams.ts) on a real DynamoDB Local stream,
 * feeding a fixture handler: the records Lambda would give (shape, filter), in order, in batches;
 * batch item failures retried from the first failed record, a thrown error, a timeout or an
 * unknown identifier retrying the whole batch; a record that keeps failing holds up its shard and
 * is logged each time; stop waits for the invocation in flight.
 */
import { randomUUID } from 'node:crypto';
import { DeleteCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import type { AttributeValue as DdbAttributeValue } from '@aws-sdk/client-dynamodb';
import type { DynamoDBBatchResponse, DynamoDBRecord, DynamoDBStreamEvent } from 'aws-lambda';
import { afterAll, afterEach, describe, expect, it, vi } from 'vitest';
import { createTableIfMissing } from '../../../local/dynamodb.ts';
import { startStreamConsumer, type StreamConsumer, type StreamConsumerOptions } from '../../../local/dynamodb-streams.ts';
import type { LambdaHandler } from '../../../local/gateway/lambda.ts';
import { dynamoEndpoint, freshTable, testDocumentClient } from '../../support/dynamo.ts';

const client = testDocumentClient();
afterAll(() => client.destroy());

const consumers: StreamConsumer[] = [];
afterEach(async () => {
  for (const c of consumers.splice(0)) await c.stop();
});

type Handler = (event: DynamoDBStreamEvent) => Promise<DynamoDBBatchResponse | undefined | Record<string, unknown>>;

/** A consumer of `tableName` that feeds `handler`; its lines are kept in `lines`. */
async function consume(tableName: string, handler: Handler, opts: Partial<StreamConsumerOptions> = {}) {
  const lines: string[] = [];
  const c = await startStreamConsumer({
    endpoint: dynamoEndpoint(),
    tableName,
    region: 'ap-northeast-2',
    functionName: 'events',
    loadFunction: () => Promise.resolve(handler as unknown as LambdaHandler),
    pollIntervalMs: 30,
    discoveryIntervalMs: 100,
    initialBackoffMs: 20,
    maxBackoffMs: 100,
    log: { info: (l) => lines.push(l), error: (l) => lines.push(l) },
    ...opts,
  });
  consumers.push(c);
  return { c, lines };
}

const put = (tableName: string, item: Record<string, unknown>) => client.send(new PutCommand({ TableName: tableName, Item: item }));
const pkOf = (r: DynamoDBRecord): string => r.dynamodb?.Keys?.pk?.S ?? '?';

/** A handler that records every batch it is given (the pks), answering with `answer`. */
function recording(answer: (batch: DynamoDBRecord[], call: number) => Promise<DynamoDBBatchResponse | undefined | Record<string, unknown>> = () => Promise.resolve(undefined)) {
  const batches: string[][] = [];
  const handler: Handler = async (event) => {
    batches.push(event.Records.map(pkOf));
    return answer(event.Records, batches.length);
  };
  return { batches, handler };
}

describe('the local event source mapping', () => {
  it("gives the function Lambda's record shape: orders inserted and modified only, in order", async () => {
    const tableName = await freshTable('streams');
    const received: DynamoDBRecord[] = [];
    const { c } = await consume(tableName, (e) => {
      received.push(...e.Records);
      return Promise.resolve({ batchItemFailures: [] });
    });
    await put(tableName, { pk: 'ORDER#a', status: 'CREATING', refunds: {}, history: [], amount: 1_000 });
    await client.send(new UpdateCommand({ TableName: tableName, Key: { pk: 'ORDER#a' }, UpdateExpression: 'SET #s = :s', ExpressionAttributeNames: { '#s': 'status' }, ExpressionAttributeValues: { ':s': 'PAY_STANDBY' } }));
    await put(tableName, { pk: 'EVENT#evt_1', type: 'payment.completed' });
    await client.send(new DeleteCommand({ TableName: tableName, Key: { pk: 'ORDER#a' } }));
    await c.caughtUp();

    expect(received.map((r) => [r.eventName, pkOf(r)])).toEqual([
      ['INSERT', 'ORDER#a'],
      ['MODIFY', 'ORDER#a'],
    ]);
    const [insert, modify] = received;
    expect(insert).toEqual({
      eventID: expect.any(String),
      eventName: 'INSERT',
      eventVersion: '1.1',
      eventSource: 'aws:dynamodb',
      awsRegion: 'ap-northeast-2',
      eventSourceARN: c.streamArn,
      dynamodb: {
        ApproximateCreationDateTime: expect.any(Number),
        Keys: { pk: { S: 'ORDER#a' } },
        // DynamoDB Local writes the empty map as {}: given as Lambda would, {"M":{}}.
        NewImage: { pk: { S: 'ORDER#a' }, status: { S: 'CREATING' }, refunds: { M: {} }, history: { L: [] }, amount: { N: '1000' } },
        SequenceNumber: expect.stringMatching(/^\d+$/),
        SizeBytes: expect.any(Number),
        StreamViewType: 'NEW_AND_OLD_IMAGES',
      },
    });
    expect(c.streamArn).toContain(`table/${tableName}/stream/`);
    expect(Math.abs((insert?.dynamodb?.ApproximateCreationDateTime ?? 0) - Date.now() / 1000)).toBeLessThan(120);
    expect(unmarshall(modify?.dynamodb?.OldImage as Record<string, DdbAttributeValue>)).toMatchObject({ status: 'CREATING', refunds: {} });
    expect(unmarshall(modify?.dynamodb?.NewImage as Record<string, DdbAttributeValue>)).toMatchObject({ status: 'PAY_STANDBY', refunds: {} });
    expect(BigInt(modify?.dynamodb?.SequenceNumber ?? '0')).toBeGreaterThan(BigInt(insert?.dynamodb?.SequenceNumber ?? '0'));
    expect(c.stats()).toMatchObject({ read: 4, passed: 2, failedInvocations: 0 });
  });

  it('poke() reads the stream at once, and caughtUp() does not wait for the next poll or listing', async () => {
    const tableName = await freshTable('streams');
    const { batches, handler } = recording();
    // Polled once a minute: only a poke (or caughtUp) can get a record to the function in time.
    const { c } = await consume(tableName, handler, { pollIntervalMs: 60_000, discoveryIntervalMs: 60_000 });
    await c.caughtUp(5_000);
    await put(tableName, { pk: 'ORDER#p1' });
    c.poke();
    await vi.waitFor(() => expect(batches).toEqual([['ORDER#p1']]), { timeout: 5_000, interval: 20 });
    await put(tableName, { pk: 'ORDER#p2' });
    await c.caughtUp(5_000);
    expect(batches).toEqual([['ORDER#p1'], ['ORDER#p2']]);
  });

  it('batches of at most batchSize records, in order', async () => {
    const tableName = await freshTable('streams');
    for (let i = 0; i < 5; i++) await put(tableName, { pk: `ORDER#b${i}` });
    const { batches, handler } = recording();
    const { c } = await consume(tableName, handler, { batchSize: 2 });
    await c.caughtUp();
    expect(batches).toEqual([['ORDER#b0', 'ORDER#b1'], ['ORDER#b2', 'ORDER#b3'], ['ORDER#b4']]);
  });

  it('batch item failures: the batch is retried from the lowest failed record, the records before it are done', async () => {
    const tableName = await freshTable('streams');
    for (let i = 0; i < 4; i++) await put(tableName, { pk: `ORDER#f${i}` });
    const { batches, handler } = recording((batch, call) =>
      Promise.resolve(call === 1 ? { batchItemFailures: [batch[3], batch[1]].map((r) => ({ itemIdentifier: r?.dynamodb?.SequenceNumber ?? '' })) } : { batchItemFailures: [] }),
    );
    const { c, lines } = await consume(tableName, handler);
    await c.caughtUp();
    expect(batches).toEqual([
      ['ORDER#f0', 'ORDER#f1', 'ORDER#f2', 'ORDER#f3'],
      ['ORDER#f1', 'ORDER#f2', 'ORDER#f3'],
    ]);
    expect(lines[0]).toMatch(/^\[stream\] events \(streams-.+\): FAILED \(attempt 1\): the function reported 2 failed record\(s\); retrying from sequence number \d+ \(ORDER#f1, 3 record\(s\) waiting\)/);
    expect(lines.at(-1)).toMatch(/succeeded after 1 failed attempt/);
  });

  it.each([
    ['the function throws', (call: number) => (call === 1 ? Promise.reject(new Error('boom')) : Promise.resolve(undefined)), /the function failed: Error: boom/],
    ['the reply names a record not in the batch', (call: number) => Promise.resolve(call === 1 ? { batchItemFailures: [{ itemIdentifier: '42' }] } : {}), /names "42", not a record of the batch/],
    ['the reply is not a batch response', (call: number) => Promise.resolve(call === 1 ? { batchItemFailures: 'all' } : {}), /batchItemFailures is not a list/],
    [
      'the invocation times out',
      (call: number) => new Promise<undefined>((r) => setTimeout(() => r(undefined), call === 1 ? 400 : 0)),
      /the invocation timed out/,
    ],
  ] as const)('%s: the whole batch is retried', async (_label, answer, why) => {
    const tableName = await freshTable('streams');
    for (let i = 0; i < 3; i++) await put(tableName, { pk: `ORDER#w${i}` });
    const { batches, handler } = recording((_batch, call) => answer(call));
    const { c, lines } = await consume(tableName, handler, { timeoutSeconds: 0.2 });
    await c.caughtUp();
    expect(batches).toEqual([
      ['ORDER#w0', 'ORDER#w1', 'ORDER#w2'],
      ['ORDER#w0', 'ORDER#w1', 'ORDER#w2'],
    ]);
    expect(lines[0]).toMatch(why);
    expect(c.stats()).toMatchObject({ invocations: 2, failedInvocations: 1 });
  });

  it('a record that keeps failing is retried with a backoff and logged every time; the records after it wait', async () => {
    const tableName = await freshTable('streams');
    let broken = true;
    const { batches, handler } = recording((batch) => {
      const bad = batch.find((r) => pkOf(r) === 'ORDER#poison');
      return Promise.resolve(broken && bad !== undefined ? { batchItemFailures: [{ itemIdentifier: bad.dynamodb?.SequenceNumber ?? '' }] } : undefined);
    });
    await put(tableName, { pk: 'ORDER#ok1' });
    await put(tableName, { pk: 'ORDER#poison' });
    await put(tableName, { pk: 'ORDER#ok2' });
    const { c, lines } = await consume(tableName, handler, { initialBackoffMs: 20, maxBackoffMs: 80 });
    await expect(c.caughtUp(1_000)).rejects.toThrow(/not caught up after 1000 ms .*failed invocation/);
    const failures = lines.filter((l) => l.includes('FAILED'));
    expect(failures.length).toBeGreaterThanOrEqual(5);
    expect(failures.every((l) => l.includes('(ORDER#poison, 2 record(s) waiting)'))).toBe(true);
    expect(failures.at(-1)).toMatch(/here it is retried until it succeeds/);
    // ok2 never went past the poison record: every batch with ok2 has the poison record before it.
    for (const b of batches.filter((x) => x.includes('ORDER#ok2'))) expect(b.indexOf('ORDER#poison')).toBe(b.indexOf('ORDER#ok2') - 1);
    expect(batches[0]).toEqual(['ORDER#ok1', 'ORDER#poison', 'ORDER#ok2']);
    expect(batches.flat().filter((pk) => pk === 'ORDER#ok1')).toHaveLength(1);

    broken = false;
    await c.caughtUp(5_000);
    const last = batches.at(-1);
    expect(last).toEqual(['ORDER#poison', 'ORDER#ok2']);
  });

  it('stop lets the invocation in flight finish and starts no other', async () => {
    const tableName = await freshTable('streams');
    let finished = 0;
    let started = 0;
    const { c } = await consume(tableName, async () => {
      started++;
      await new Promise((r) => setTimeout(r, 300));
      finished++;
      return undefined;
    });
    await put(tableName, { pk: 'ORDER#s1' });
    while (started === 0) await new Promise((r) => setTimeout(r, 10));
    await put(tableName, { pk: 'ORDER#s2' });
    await c.stop();
    expect({ started, finished }).toEqual({ started: 1, finished: 1 });
    await new Promise((r) => setTimeout(r, 200));
    expect(started).toBe(1);
    await expect(c.caughtUp()).rejects.toThrow(/stopped/);
  });

  it('refuses a table without a stream, naming it', async () => {
    const tableName = `nostream-${randomUUID()}`;
    await createTableIfMissing(dynamoEndpoint(), {
      TableName: tableName,
      BillingMode: 'PAY_PER_REQUEST',
      AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }],
      KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
    });
    await expect(startStreamConsumer({ endpoint: dynamoEndpoint(), tableName })).rejects.toThrow(`table ${tableName} has no stream`);
  });
});
