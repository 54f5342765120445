/**
 * The table the events need, as local/dynamodb.ts ensureTable makes it on DynamoDB Local: every
 * index and the stream (NEW_AND_OLD_IMAGES) from the shared definition; a payments table from
 * before the events (kept in DATA_DIR, or at DYNAMODB_ENDPOINT) is given what it lacks, as the
 * deployed stack's update adds them; a stream of another view type is refused.
 *
 * The upgrade runs on a DynamoDB Local of its own: the shared one may leave an index added by
 * UpdateTable CREATING for good while other test files create tables at the same time (a DynamoDB
 * Local behaviour; npm start's table is alone on its own).
 */
import { randomUUID } from 'node:crypto';
import { DescribeTableCommand, DescribeTimeToLiveCommand } from '@aws-sdk/client-dynamodb';
import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, describe, expect, it } from 'vitest';
import { createTableIfMissing, createTableInput, ensureTable, localClient, startDynamoDbLocal } from '../../../local/dynamodb.ts';
import { freePort } from '../../../local/ports.ts';
import { startStreamConsumer } from '../../../local/dynamodb-streams.ts';
import type { LambdaHandler } from '../../../local/gateway/lambda.ts';
import { tableDefinition } from '../../../shared/store/table.ts';
import { dynamoEndpoint, testDocumentClient } from '../../support/dynamo.ts';

const ddb = localClient(dynamoEndpoint());
const docs = testDocumentClient();
afterAll(() => {
  ddb.destroy();
  docs.destroy();
});
const describeTable = async (name: string) => (await ddb.send(new DescribeTableCommand({ TableName: name }))).Table;

/** The payments table as it was before the events: the `due` index only, no stream. */
function olderTable(name: string) {
  const input = createTableInput(name);
  const due = input.GlobalSecondaryIndexes?.filter((g) => g.IndexName === 'due');
  return {
    ...input,
    GlobalSecondaryIndexes: due,
    AttributeDefinitions: input.AttributeDefinitions?.filter((a) => ['pk', 'dueShard', 'dueAt'].includes(a.AttributeName ?? '')),
    StreamSpecification: undefined,
  };
}

describe('ensureTable', () => {
  it('creates the table with its indexes, the stream and TTL', async () => {
    const name = `tbl-${randomUUID()}`;
    expect(await ensureTable(dynamoEndpoint(), name)).toEqual({ created: true, added: [] });
    const t = await describeTable(name);
    expect(t?.GlobalSecondaryIndexes?.map((g) => [g.IndexName, g.KeySchema?.map((k) => k.AttributeName)]).sort()).toEqual([
      ['byDay', ['createdDay', 'createdAt']],
      ['due', ['dueShard', 'dueAt']],
      ['events', ['eventLog', 'eventSeq']],
      ['flagged', ['flaggedList', 'createdAt']],
      ['lists', ['listKey', 'listSeq']],
    ]);
    expect(t?.GlobalSecondaryIndexes?.find((g) => g.IndexName === 'lists')?.Projection).toEqual({ ProjectionType: 'ALL' });
    const events = t?.GlobalSecondaryIndexes?.find((g) => g.IndexName === 'events');
    const defined = tableDefinition.globalSecondaryIndexes.find((g) => g.indexName === 'events');
    expect(events?.Projection?.NonKeyAttributes?.sort()).toEqual([...(defined?.nonKeyAttributes ?? [])].sort());
    expect(t?.StreamSpecification).toEqual({ StreamEnabled: true, StreamViewType: 'NEW_AND_OLD_IMAGES' });
    expect(t?.LatestStreamArn).toContain(`table/${name}/stream/`);
    const ttl = await ddb.send(new DescribeTimeToLiveCommand({ TableName: name }));
    expect(ttl.TimeToLiveDescription).toMatchObject({ AttributeName: 'ttl', TimeToLiveStatus: 'ENABLED' });
    expect(await ensureTable(dynamoEndpoint(), name)).toEqual({ created: false, added: [] });
  });

  it('gives a payments table from before the events, the order list and the ledger its indexes and stream, which then work', async () => {
    const own = await startDynamoDbLocal({ port: await freePort() });
    const admin = localClient(own.endpoint);
    const items = testDocumentClient(own.endpoint);
    try {
      const name = `older-${randomUUID()}`;
      await createTableIfMissing(own.endpoint, olderTable(name));
      await items.send(new PutCommand({ TableName: name, Item: { pk: 'ORDER#kept', status: 'PAY_COMPLETE' } }));
      expect(await ensureTable(own.endpoint, name)).toEqual({ created: false, added: ['index byDay', 'index flagged', 'index events', 'index lists', 'stream NEW_AND_OLD_IMAGES'] });
      const t = (await admin.send(new DescribeTableCommand({ TableName: name }))).Table;
      expect(t?.GlobalSecondaryIndexes?.map((g) => [g.IndexName, g.IndexStatus]).sort()).toEqual([
        ['byDay', 'ACTIVE'],
        ['due', 'ACTIVE'],
        ['events', 'ACTIVE'],
        ['flagged', 'ACTIVE'],
        ['lists', 'ACTIVE'],
      ]);
      expect(t?.StreamSpecification).toEqual({ StreamEnabled: true, StreamViewType: 'NEW_AND_OLD_IMAGES' });
      expect(await ensureTable(own.endpoint, name)).toEqual({ created: false, added: [] });

      // Changes from now on reach the stream.
      const seen: string[] = [];
      const handler = (e: { Records: { dynamodb?: { Keys?: { pk?: { S?: string } } } }[] }) => {
        seen.push(...e.Records.map((r) => r.dynamodb?.Keys?.pk?.S ?? '?'));
        return Promise.resolve(undefined);
      };
      const c = await startStreamConsumer({ endpoint: own.endpoint, tableName: name, loadFunction: () => Promise.resolve(handler as unknown as LambdaHandler), pollIntervalMs: 30, discoveryIntervalMs: 100 });
      try {
        await items.send(new PutCommand({ TableName: name, Item: { pk: 'ORDER#new', status: 'CREATING' } }));
        await c.caughtUp();
        expect(seen).toEqual(['ORDER#new']);
      } finally {
        await c.stop();
      }
    } finally {
      admin.destroy();
      items.destroy();
      await own.stop();
    }
  }, 60_000);

  it('refuses a stream of another view type, and a table that is not a payments table', async () => {
    const keysOnly = `keys-${randomUUID()}`;
    await createTableIfMissing(dynamoEndpoint(), { ...createTableInput(keysOnly), StreamSpecification: { StreamEnabled: true, StreamViewType: 'KEYS_ONLY' } });
    await expect(ensureTable(dynamoEndpoint(), keysOnly)).rejects.toThrow(`table ${keysOnly} at ${dynamoEndpoint()} has a stream of view type KEYS_ONLY; the events need NEW_AND_OLD_IMAGES`);

    const foreign = `foreign-${randomUUID()}`;
    await createTableIfMissing(dynamoEndpoint(), {
      TableName: foreign,
      BillingMode: 'PAY_PER_REQUEST',
      AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }],
      KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
    });
    await expect(ensureTable(dynamoEndpoint(), foreign)).rejects.toThrow('exists but is not a payments table (partition key id, expected pk; no index due)');
    // Nothing was added to it.
    expect((await describeTable(foreign))?.StreamSpecification).toBeUndefined();
  });
});
