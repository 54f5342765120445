/**
 * The comparison variant: the SAME callback handler (functions/callback/handler.ts, unmodified)
 * wrapped in AWS Lambda Powertools' idempotency utility, the common alternative to our "one
 * conditional write" design: `makeIdempotent` with its DynamoDB persistence layer, keyed by the
 * callback's orderNo + payToken from the JSON body. Bench only; never deployed.
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { IdempotencyConfig, makeIdempotent } from '@aws-lambda-powertools/idempotency';
import { DynamoDBPersistenceLayer } from '@aws-lambda-powertools/idempotency/dynamodb';
import type { APIGatewayProxyEventV2, APIGatewayProxyResultV2, Context } from 'aws-lambda';

/** The idempotency key: `[orderNo, payToken]` of the V2 JSON callback body. */
export const CALLBACK_KEY_JMESPATH = 'powertools_json(body).[orderNo, payToken]';

export type HttpLambda = (event: APIGatewayProxyEventV2, context: Context) => Promise<APIGatewayProxyResultV2>;

export interface IdempotencyStoreOptions {
  tableName: string;
  /** DynamoDB Local (or the counting proxy); unset = AWS, as deployed. */
  endpoint?: string | undefined;
  region?: string | undefined;
}

/** `handler` wrapped in makeIdempotent with Powertools' DynamoDB persistence layer. */
export function withPowertoolsIdempotency(handler: HttpLambda, o: IdempotencyStoreOptions): HttpLambda {
  const persistenceStore = new DynamoDBPersistenceLayer({
    tableName: o.tableName,
    awsSdkV3Client: new DynamoDBClient({
      region: o.region ?? 'ap-northeast-2',
      ...(o.endpoint !== undefined ? { endpoint: o.endpoint, credentials: { accessKeyId: 'local', secretAccessKey: 'local' } } : {}),
      maxAttempts: 3,
    }),
  });
  const config = new IdempotencyConfig({ eventKeyJmesPath: CALLBACK_KEY_JMESPATH, throwOnNoIdempotencyKey: true });
  return makeIdempotent(handler, { persistenceStore, config });
}
