import { DescribeTableCommand, DescribeTimeToLiveCommand } from '@aws-sdk/client-dynamodb';
import { describe, expect, it } from 'vitest';
import { localClient } from '../../local/dynamodb.ts';
import { tableDefinition } from '../../shared/store/table.ts';
import { dynamoEndpoint, freshTable } from '../support/dynamo.ts';

describe('DynamoDB Local bootstrap', () => {
  it('creates the table from the shared definition, with its index and TTL', async () => {
    const name = await freshTable();
    const client = localClient(dynamoEndpoint());
    const t = await client.send(new DescribeTableCommand({ TableName: name }));
    expect(t.Table?.KeySchema).toEqual([{ AttributeName: 'pk', KeyType: 'HASH' }]);
    expect(t.Table?.GlobalSecondaryIndexes?.map((g) => g.IndexName)).toEqual(['due']);
    const ttl = await client.send(new DescribeTimeToLiveCommand({ TableName: name }));
    expect(ttl.TimeToLiveDescription?.AttributeName).toBe(tableDefinition.ttlAttribute);
    client.destroy();
  });
});
