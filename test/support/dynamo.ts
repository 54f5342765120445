import { randomUUID } from 'node:crypto';
import { inject } from 'vitest';
import { ensureTable } from '../../local/dynamodb.ts';

/** The run's DynamoDB Local endpoint (started once by test/global-setup.ts). */
export const dynamoEndpoint = (): string => inject('dynamoEndpoint');

/** Creates a fresh, uniquely named payments table in DynamoDB Local and returns its name. */
export async function freshTable(prefix = 'payments'): Promise<string> {
  const name = `${prefix}-${randomUUID()}`;
  await ensureTable(dynamoEndpoint(), name);
  return name;
}
