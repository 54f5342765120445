import { randomUUID } from 'node:crypto';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { inject } from 'vitest';
import { ensureTable } from '../../local/dynamodb.ts';
import { createDocumentClient, type DynamoTarget } from '../../shared/store/client.ts';

/** The run's DynamoDB Local endpoint (started once by test/global-setup.ts). */
export const dynamoEndpoint = (): string => inject('dynamoEndpoint');

/**
 * The DynamoDB timeouts of the stacks and clients the tests start. The deployed defaults (1 s to
 * connect, 3 s per reply: shared/config.ts) are meant for DynamoDB itself; one DynamoDB Local
 * serves every test file of a run at once on a 2-core machine, and under a storm it can take
 * longer than that to answer. A test of the timeouts sets its own (dynamodb-timeouts.test.ts).
 */
export const TEST_DYNAMODB_TIMEOUTS = { connectTimeoutMs: 10_000, requestTimeoutMs: 30_000 } as const;
/** The same, as the stack's environment (startStack sets it; a test's own env wins). */
export const TEST_DYNAMODB_ENV = {
  DYNAMODB_CONNECT_TIMEOUT_MS: String(TEST_DYNAMODB_TIMEOUTS.connectTimeoutMs),
  DYNAMODB_REQUEST_TIMEOUT_MS: String(TEST_DYNAMODB_TIMEOUTS.requestTimeoutMs),
} as const;

/** A client of the run's DynamoDB Local (or `endpoint`, e.g. a proxy in front of it), with the tests' timeouts. */
export const testDocumentClient = (endpoint: string = dynamoEndpoint(), t: Partial<DynamoTarget> = {}): DynamoDBDocumentClient =>
  createDocumentClient({ region: 'ap-northeast-2', endpoint, ...TEST_DYNAMODB_TIMEOUTS, ...t });

/** Creates a fresh, uniquely named payments table in DynamoDB Local and returns its name. */
export async function freshTable(prefix = 'payments'): Promise<string> {
  const name = `${prefix}-${randomUUID()}`;
  await ensureTable(dynamoEndpoint(), name);
  return name;
}
