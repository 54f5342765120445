/**
 * What the overview (GET /stats) counts, read from the indexes, never a Scan: a day's orders from
 * `byDay` (only the attributes counted, ProjectionExpression), and how many orders are flagged
 * from the sparse `flagged` index (Select COUNT). Each read stops at a budget of items.
 */
import { QueryCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { OrderFigures } from '../payments/ports.ts';
import { storeFailure } from './errors.ts';
import { BY_DAY_INDEX, FLAGGED_INDEX, FLAGGED_LIST } from './table.ts';

export function createOrderFigures(o: { client: DynamoDBDocumentClient; tableName: string }): OrderFigures {
  const send = async <T>(fn: () => Promise<T>): Promise<T> => {
    try {
      return await fn();
    } catch (e) {
      throw storeFailure(e);
    }
  };
  return {
    async ordersOfDay(day, budget) {
      const orders: Awaited<ReturnType<OrderFigures['ordersOfDay']>>['orders'] = [];
      let startKey: Record<string, unknown> | undefined;
      do {
        const r = await send(() =>
          o.client.send(
            new QueryCommand({
              TableName: o.tableName,
              IndexName: BY_DAY_INDEX,
              KeyConditionExpression: '#day = :day',
              ProjectionExpression: '#status, #amount, #refunds, #cancelReason',
              ExpressionAttributeNames: { '#day': 'createdDay', '#status': 'status', '#amount': 'amount', '#refunds': 'refunds', '#cancelReason': 'cancelReason' },
              ExpressionAttributeValues: { ':day': day },
              Limit: budget - orders.length,
              ExclusiveStartKey: startKey,
            }),
          ),
        );
        for (const item of r.Items ?? []) orders.push(item as (typeof orders)[number]);
        startKey = r.LastEvaluatedKey;
      } while (startKey !== undefined && orders.length < budget);
      return { orders, complete: startKey === undefined };
    },

    async flaggedCount(max) {
      let count = 0;
      let startKey: Record<string, unknown> | undefined;
      do {
        const r = await send(() =>
          o.client.send(
            new QueryCommand({
              TableName: o.tableName,
              IndexName: FLAGGED_INDEX,
              KeyConditionExpression: '#list = :list',
              ExpressionAttributeNames: { '#list': 'flaggedList' },
              ExpressionAttributeValues: { ':list': FLAGGED_LIST },
              Select: 'COUNT',
              Limit: max - count,
              ExclusiveStartKey: startKey,
            }),
          ),
        );
        count += r.Count ?? 0;
        startKey = r.LastEvaluatedKey;
      } while (startKey !== undefined && count < max);
      return { count, more: startKey !== undefined };
    },
  };
}
