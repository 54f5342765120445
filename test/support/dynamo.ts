import { randomUUID } from 'node:crypto';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { inject } from 'vitest';
import { createTableIfMissing, createTableInput, ensureTable } from '../../local/dynamodb.ts';
import { createDocumentClient, type DynamoTarget } from '../../shared/store/client.ts';
import { tableDefinition } from '../../shared/store/table.ts';

/**
 * This file's DynamoDB Local endpoint: its worker's (test/global-setup.ts starts one per worker
 * slot), so that files running at once never share one.
 */
export function dynamoEndpoint(): string {
  const endpoints = inject('dynamoEndpoints');
  const slot = Number(process.env.VITEST_POOL_ID ?? '1');
  const endpoint = endpoints[(Number.isInteger(slot) && slot > 0 ? slot - 1 : 0) % endpoints.length];
  if (endpoint === undefined) throw new Error('no DynamoDB Local: run the tests through vitest (test/global-setup.ts starts it)');
  return endpoint;
}

/**
 * The DynamoDB timeouts of the stacks and clients the tests start. The deployed defaults (1 s to
 * connect, 3 s per reply: shared/config.ts) are meant for DynamoDB itself; a DynamoDB Local
 * on a 2-core machine running three test files at once can take longer than that to answer under a
 * storm. A test of the timeouts sets its own (dynamodb-timeouts.test.ts).
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

/**
 * Creates a fresh, uniquely named payments table in DynamoDB Local and returns its name.
 * `stream: false` for a test that never reads the table's stream and writes many items: DynamoDB
 * Local keeps every stream record and slows down as they pile up, for every file after it.
 */
export async function freshTable(prefix = 'payments', opts: { stream?: boolean } = {}): Promise<string> {
  const name = `${prefix}-${randomUUID()}`;
  if (opts.stream === false) {
    const { StreamSpecification: _stream, ...input } = createTableInput(name);
    await createTableIfMissing(dynamoEndpoint(), input, tableDefinition.ttlAttribute);
  } else {
    await ensureTable(dynamoEndpoint(), name);
  }
  return name;
}
