/**
 * The one DynamoDB client of a container, with the endpoint and credentials shared/aws-endpoint.ts
 * gives: in AWS (no DYNAMODB_ENDPOINT) and for any endpoint off this machine the SDK's default
 * chain, for DynamoDB Local (or a proxy in front of it) fixed dummy credentials.
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { endpointSettings } from '../aws-endpoint.ts';
import { DEFAULT_DYNAMODB_CONNECT_TIMEOUT_MS, DEFAULT_DYNAMODB_REQUEST_TIMEOUT_MS } from '../config.ts';

// Named here too, beside the client they make.
export { endpointSettings, isLoopbackEndpoint } from '../aws-endpoint.ts';

export interface DynamoTarget {
  region: string;
  endpoint?: string | undefined;
  /**
   * Which function the client works for, sent in its user agent (`toss-pay-fn/<name>`): CloudTrail
   * shows it, and the test suite attributes each DynamoDB request to the function that made it.
   */
  functionName?: string | undefined;
  /** Per attempt: waiting for a connection, and for the reply (DYNAMODB_CONNECT_TIMEOUT_MS, DYNAMODB_REQUEST_TIMEOUT_MS). */
  connectTimeoutMs?: number | undefined;
  requestTimeoutMs?: number | undefined;
  /** Instruments the client before use (the composition root traces its calls: shared/tracer.ts). */
  instrument?: (client: DynamoDBClient) => DynamoDBClient;
}

/** The user-agent product naming the function a client works for: `toss-pay-fn/<function>`. */
export const USER_AGENT_APP = 'toss-pay-fn';

export function createDocumentClient(t: DynamoTarget): DynamoDBDocumentClient {
  const client = new DynamoDBClient({
    region: t.region,
    ...endpointSettings(t.endpoint),
    maxAttempts: 3,
    // Without these a call whose connection or reply never comes waits for ever (the SDK sets no
    // timeout); throwOnRequestTimeout makes the request timeout end the attempt, not only warn.
    requestHandler: {
      connectionTimeout: t.connectTimeoutMs ?? DEFAULT_DYNAMODB_CONNECT_TIMEOUT_MS,
      requestTimeout: t.requestTimeoutMs ?? DEFAULT_DYNAMODB_REQUEST_TIMEOUT_MS,
      throwOnRequestTimeout: true,
    },
    ...(t.functionName !== undefined ? { customUserAgent: [[USER_AGENT_APP, t.functionName]] } : {}),
  });
  return DynamoDBDocumentClient.from(t.instrument === undefined ? client : t.instrument(client), {
    marshallOptions: { removeUndefinedValues: true, convertClassInstanceToMap: false },
  });
}
