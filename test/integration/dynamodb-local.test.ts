import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DescribeTableCommand, DescribeTimeToLiveCommand, GetItemCommand, PutItemCommand } from '@aws-sdk/client-dynamodb';
import { describe, expect, it } from 'vitest';
import { ensureTable, localClient, startDynamoDbLocal } from '../../local/dynamodb.ts';
import { freePort } from '../../local/ports.ts';
import { tableDefinition } from '../../shared/store/table.ts';
import { dynamoEndpoint, freshTable } from '../support/dynamo.ts';

describe('DynamoDB Local bootstrap', () => {
  it('creates the table from the shared definition, with its index and TTL', async () => {
    const name = await freshTable();
    const client = localClient(dynamoEndpoint());
    const t = await client.send(new DescribeTableCommand({ TableName: name }));
    expect(t.Table?.KeySchema).toEqual([{ AttributeName: 'pk', KeyType: 'HASH' }]);
    // Every index of the shared definition; `due` with its projection.
    expect((t.Table?.GlobalSecondaryIndexes ?? []).map((g) => g.IndexName).sort()).toEqual(tableDefinition.globalSecondaryIndexes.map((g) => g.indexName).sort());
    const due = t.Table?.GlobalSecondaryIndexes?.find((g) => g.IndexName === 'due');
    expect(due?.Projection?.NonKeyAttributes).toEqual(tableDefinition.globalSecondaryIndexes.find((g) => g.indexName === 'due')?.nonKeyAttributes);
    const ttl = await client.send(new DescribeTimeToLiveCommand({ TableName: name }));
    expect(ttl.TimeToLiveDescription?.AttributeName).toBe(tableDefinition.ttlAttribute);
    client.destroy();
  });

  it('keeps data across restarts when DATA_DIR is set, and starts empty in memory otherwise', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ddb-data-'));
    const item = { pk: { S: 'ORDER#kept' } };
    const run = async (dataDir: string | undefined, write: boolean): Promise<unknown> => {
      const ddb = await startDynamoDbLocal({ port: await freePort(), dataDir });
      const client = localClient(ddb.endpoint);
      try {
        await ensureTable(ddb.endpoint, 'kept');
        if (write) await client.send(new PutItemCommand({ TableName: 'kept', Item: item }));
        return (await client.send(new GetItemCommand({ TableName: 'kept', Key: item, ConsistentRead: true }))).Item;
      } finally {
        client.destroy();
        await ddb.stop();
      }
    };
    try {
      expect(await run(dir, true)).toEqual(item);
      expect(await run(dir, false)).toEqual(item);
      expect(await run(undefined, false)).toBeUndefined();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);
});
