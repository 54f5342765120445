import { randomUUID } from 'node:crypto';
import { inject } from 'vitest';
import { createTableIfMissing, createTableInput, ensureTable } from '../../local/dynamodb.ts';
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
