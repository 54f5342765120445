/**
 * The one DynamoDB client of a container. In AWS (no DYNAMODB_ENDPOINT) and for any endpoint off
 * this machine, credentials come from the SDK's default chain. For an endpoint on this machine
 * (DynamoDB Local, or a proxy in front of it) fixed dummy credentials are used: DynamoDB Local
 * ignores them, and the chain would otherwise probe the EC2 metadata service and hang on a laptop.
 */
import { DynamoDBClient, type DynamoDBClientConfig } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { DEFAULT_DYNAMODB_CONNECT_TIMEOUT_MS, DEFAULT_DYNAMODB_REQUEST_TIMEOUT_MS } from '../config.ts';

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
}

/** The user-agent product naming the function a client works for: `toss-pay-fn/<function>`. */
export const USER_AGENT_APP = 'toss-pay-fn';

const LOCAL_CREDENTIALS = { accessKeyId: 'local', secretAccessKey: 'local' };

/** True when `endpoint` names this machine: `localhost` (or a `*.localhost` name), 127.0.0.0/8 or [::1]. */
export function isLoopbackEndpoint(endpoint: string): boolean {
  let host: string;
  try {
    host = new URL(endpoint).hostname.toLowerCase();
  } catch {
    return false;
  }
  return host === 'localhost' || host.endsWith('.localhost') || /^127(\.\d{1,3}){3}$/.test(host) || host === '[::1]';
}

/** The endpoint and credentials settings for `endpoint` (unset: AWS's regional endpoint and the default chain). */
export function endpointSettings(endpoint: string | undefined): Pick<DynamoDBClientConfig, 'endpoint' | 'credentials'> {
  if (endpoint === undefined) return {};
  return isLoopbackEndpoint(endpoint) ? { endpoint, credentials: LOCAL_CREDENTIALS } : { endpoint };
}

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
  return DynamoDBDocumentClient.from(client, {
    marshallOptions: { removeUndefinedValues: true, convertClassInstanceToMap: false },
  });
}
