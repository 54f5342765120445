/**
 * The one DynamoDB client of a container. Locally (DYNAMODB_ENDPOINT set) it talks to DynamoDB
 * Local with fixed dummy credentials, so the SDK never walks the credential chain (which would
 * probe the EC2 metadata service and hang on a laptop).
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { appConfig } from '../config.ts';

export interface DynamoTarget {
  region: string;
  endpoint?: string | undefined;
}

export function createDocumentClient(t: DynamoTarget): DynamoDBDocumentClient {
  const local = t.endpoint !== undefined;
  const client = new DynamoDBClient({
    region: t.region,
    ...(local
      ? { endpoint: t.endpoint, credentials: { accessKeyId: 'local', secretAccessKey: 'local' } }
      : {}),
    maxAttempts: 3,
  });
  return DynamoDBDocumentClient.from(client, {
    marshallOptions: { removeUndefinedValues: true, convertClassInstanceToMap: false },
  });
}

let shared: DynamoDBDocumentClient | undefined;
/** The container's client, built from appConfig() on first use; every store of the container shares it. */
export function documentClient(): DynamoDBDocumentClient {
  if (shared === undefined) {
    const c = appConfig();
    shared = createDocumentClient({ region: c.AWS_REGION, endpoint: c.DYNAMODB_ENDPOINT });
  }
  return shared;
}
