/**
 * Bench-only Lambda entry: functions/callback/handler.ts wrapped in Powertools' makeIdempotent
 * (bench/lib/powertools.ts). Built like the deployed functions for the bundle-size and cold-init
 * comparison, and served by a second local gateway for the DynamoDB-operations and throughput
 * comparisons. Reads IDEMPOTENCY_TABLE_NAME (and DYNAMODB_ENDPOINT locally) at init.
 */
import { handler as callbackHandler } from '../../../functions/callback/handler.ts';
import { withPowertoolsIdempotency } from '../../lib/powertools.ts';

export const handler = withPowertoolsIdempotency(callbackHandler, {
  tableName: process.env.IDEMPOTENCY_TABLE_NAME ?? 'idempotency',
  endpoint: process.env.DYNAMODB_ENDPOINT !== undefined && process.env.DYNAMODB_ENDPOINT !== '' ? process.env.DYNAMODB_ENDPOINT : undefined,
  region: process.env.AWS_REGION,
});
