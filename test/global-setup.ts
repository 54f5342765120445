/**
 * Vitest global setup: one DynamoDB Local for the whole run, started with the same launcher as
 * `npm start` (local/dynamodb.ts) on a free port. Test files create their own tables
 * (test/support/dynamo.ts) so that files running in parallel never share state.
 */
import type { TestProject } from 'vitest/node';
import { startDynamoDbLocal } from '../local/dynamodb.ts';
import { freePort } from '../local/ports.ts';
import { clearFunctionOps } from './support/function-ops.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    dynamoEndpoint: string;
  }
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  clearFunctionOps();
  const ddb = await startDynamoDbLocal({ port: await freePort() });
  project.provide('dynamoEndpoint', ddb.endpoint);
  return () => ddb.stop();
}
