/**
 * Bench-only Lambda entry: the floor for the warm-cost comparison (BENCHMARKS.md, e). A minimal
 * hand-written callback handler doing the same work as functions/callback on a first delivery:
 * the same Toss v2/status call (global fetch, JSON) and ONE conditional UpdateItem (the raw
 * DynamoDB client, the item's status from PAY_STANDBY to PAY_COMPLETE if payToken and amount
 * match). Nothing else: no validation library, no middleware, no logging, no metrics, no
 * history, no reply item. Never deployed. Reads TABLE_NAME, DYNAMODB_ENDPOINT, AWS_REGION,
 * TOSS_BASE_URL and TOSS_API_KEY at init.
 */
import { ConditionalCheckFailedException, DynamoDBClient, UpdateItemCommand } from '@aws-sdk/client-dynamodb';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';

const env = (name: string): string => {
  const v = process.env[name];
  if (v === undefined || v === '') throw new Error(`${name} is not set`);
  return v;
};

const tableName = env('TABLE_NAME');
const toss = env('TOSS_BASE_URL').replace(/\/+$/, '');
const apiKey = env('TOSS_API_KEY');
const endpoint = process.env.DYNAMODB_ENDPOINT;
const client = new DynamoDBClient({
  region: process.env.AWS_REGION ?? 'ap-northeast-2',
  ...(endpoint !== undefined && endpoint !== '' ? { endpoint, credentials: { accessKeyId: 'local', secretAccessKey: 'local' } } : {}),
  maxAttempts: 3,
});

const reply = (statusCode: number, result: string): APIGatewayProxyStructuredResultV2 => ({
  statusCode,
  headers: { 'content-type': 'application/json' },
  body: JSON.stringify({ result }),
});

export async function handler(event: APIGatewayProxyEventV2): Promise<APIGatewayProxyStructuredResultV2> {
  const body = JSON.parse(event.body ?? '{}') as { orderNo?: unknown; payToken?: unknown; amount?: unknown };
  if (typeof body.payToken !== 'string' || typeof body.orderNo !== 'string') return reply(400, 'MALFORMED');
  const res = await fetch(`${toss}/api/v2/status`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ apiKey, payToken: body.payToken }),
  });
  const status = (await res.json()) as { code?: number; orderNo?: string; payToken?: string; amount?: number; payStatus?: string };
  if (status.code !== 0 || status.payStatus !== 'PAY_COMPLETE' || status.orderNo !== body.orderNo || status.amount !== Number(body.amount))
    return reply(409, 'NOT_CONFIRMED');
  try {
    await client.send(
      new UpdateItemCommand({
        TableName: tableName,
        Key: { pk: { S: `ORDER#${status.orderNo}` } },
        UpdateExpression: 'SET #s = :paid',
        ConditionExpression: '#s = :standby AND payToken = :token AND amount = :amount',
        ExpressionAttributeNames: { '#s': 'status' },
        ExpressionAttributeValues: {
          ':paid': { S: 'PAY_COMPLETE' },
          ':standby': { S: 'PAY_STANDBY' },
          ':token': { S: status.payToken ?? '' },
          ':amount': { N: String(status.amount) },
        },
      }),
    );
  } catch (e) {
    if (e instanceof ConditionalCheckFailedException) return reply(200, 'DUPLICATE');
    throw e;
  }
  return reply(200, 'OK');
}
