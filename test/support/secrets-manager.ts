/**
 * A minimal local stand-in for AWS Secrets Manager, for tests only: there is no AWS here. It
 * speaks just the part of the Secrets Manager JSON protocol (awsJson1_1) that the AWS SDK v3
 * uses for GetSecretValue, faithfully to what the real service answers:
 *
 *   POST /  content-type: application/x-amz-json-1.1
 *           x-amz-target: secretsmanager.GetSecretValue
 *           {"SecretId": "<ARN or name>"}
 *   200     {"ARN","Name","SecretString","VersionId","VersionStages":["AWSCURRENT"],"CreatedDate":<epoch s>}
 *   400     {"__type":"ResourceNotFoundException","message":"Secrets Manager can't find the specified secret."}
 *
 * Any other operation answers 400 UnknownOperationException. Signatures are not verified (the
 * Authorization header is recorded so a test can see the SDK signed the request). Every request
 * is recorded so a test can count fetches. Point the SDK at it with the SDK's standard
 * AWS_ENDPOINT_URL_SECRETS_MANAGER environment variable (see `sdkEnv`).
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { readAll, sendJson } from '../../local/http-io.ts';

export const FAKE_ACCOUNT_ID = '000000000000';
export const FAKE_REGION = 'ap-northeast-2';

export interface SecretsManagerRequest {
  /** The X-Amz-Target header, e.g. `secretsmanager.GetSecretValue`. */
  readonly target: string;
  readonly contentType: string;
  /** The SigV4 Authorization header the SDK sent (not verified). */
  readonly authorization: string;
  /** `SecretId` from the body, when there was one. */
  readonly secretId: string | undefined;
}

export interface FakeSecretsManager {
  readonly url: string;
  readonly requests: readonly SecretsManagerRequest[];
  /** Creates or updates (new VersionId) the secret `name`; returns its ARN. */
  put(name: string, secretString: string): string;
  /** Deletes the secret `name` (GetSecretValue then answers ResourceNotFoundException). */
  remove(name: string): void;
  /** The ARN a secret `name` has (or would have once put). */
  arnOf(name: string): string;
  /** How many GetSecretValue requests asked for `secretId`. */
  fetches(secretId: string): number;
  close(): Promise<void>;
}

interface Secret {
  arn: string;
  name: string;
  value: string;
  versionId: string;
  created: number;
}

const JSON_11 = 'application/x-amz-json-1.1';

/** The environment that points the AWS SDK at `url` with dummy credentials and no shared config files. */
export function sdkEnv(url: string): Record<string, string> {
  return {
    AWS_ENDPOINT_URL_SECRETS_MANAGER: url,
    AWS_ACCESS_KEY_ID: 'AKIAFAKEFAKEFAKEFAKE',
    AWS_SECRET_ACCESS_KEY: 'fake-secret-access-key-for-local-tests',
    AWS_REGION: FAKE_REGION,
    // Keep a developer's ~/.aws files (profiles, endpoint_url, credentials) out of the test.
    AWS_CONFIG_FILE: '/nonexistent/aws-config',
    AWS_SHARED_CREDENTIALS_FILE: '/nonexistent/aws-credentials',
  };
}

/** Variables that would override or disable `sdkEnv`; delete them before using it. */
export const CONFLICTING_SDK_ENV = [
  'AWS_ENDPOINT_URL',
  'AWS_IGNORE_CONFIGURED_ENDPOINT_URLS',
  'AWS_PROFILE',
  'AWS_SESSION_TOKEN',
  'AWS_DEFAULT_REGION',
] as const;

export async function startSecretsManager(): Promise<FakeSecretsManager> {
  const secrets = new Map<string, Secret>();
  const requests: SecretsManagerRequest[] = [];
  const suffixes = new Map<string, string>();

  const arnOf = (name: string): string => {
    let suffix = suffixes.get(name);
    if (suffix === undefined) {
      // Real ARNs end with '-' and six random characters.
      suffix = randomBytes(3).toString('hex');
      suffixes.set(name, suffix);
    }
    return `arn:aws:secretsmanager:${FAKE_REGION}:${FAKE_ACCOUNT_ID}:secret:${name}-${suffix}`;
  };
  const find = (id: string): Secret | undefined => {
    for (const s of secrets.values()) if (s.arn === id || s.name === id) return s;
    return undefined;
  };

  const reply = (res: ServerResponse, status: number, body: unknown): void => sendJson(res, status, body, { 'content-type': JSON_11, 'x-amzn-requestid': randomUUID() });
  const error = (res: ServerResponse, type: string, message: string): void =>
    reply(res, 400, { __type: type, message });

  const handle = (req: IncomingMessage, body: string, res: ServerResponse): void => {
    const target = String(req.headers['x-amz-target'] ?? '');
    const contentType = String(req.headers['content-type'] ?? '');
    let parsed: unknown;
    try {
      parsed = body === '' ? {} : JSON.parse(body);
    } catch {
      parsed = undefined;
    }
    const secretId =
      typeof parsed === 'object' && parsed !== null && typeof (parsed as { SecretId?: unknown }).SecretId === 'string'
        ? (parsed as { SecretId: string }).SecretId
        : undefined;
    requests.push({ target, contentType, authorization: String(req.headers.authorization ?? ''), secretId });

    if (req.method !== 'POST' || !contentType.startsWith(JSON_11))
      return error(res, 'UnknownOperationException', 'expected a POST of application/x-amz-json-1.1');
    if (parsed === undefined) return error(res, 'SerializationException', 'the request body is not JSON');
    if (target !== 'secretsmanager.GetSecretValue') return error(res, 'UnknownOperationException', '');
    if (secretId === undefined) return error(res, 'ValidationException', "1 validation error detected: Value null at 'secretId' failed to satisfy constraint: Member must not be null");
    const s = find(secretId);
    if (s === undefined) return error(res, 'ResourceNotFoundException', "Secrets Manager can't find the specified secret.");
    reply(res, 200, {
      ARN: s.arn,
      Name: s.name,
      SecretString: s.value,
      VersionId: s.versionId,
      VersionStages: ['AWSCURRENT'],
      CreatedDate: s.created,
    });
  };

  const server = createServer((req, res) => {
    void readAll(req).then((body) => handle(req, body.toString('utf8'), res));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    arnOf,
    put(name, value) {
      const prev = secrets.get(name);
      const arn = arnOf(name);
      secrets.set(name, {
        arn,
        name,
        value,
        versionId: randomUUID(),
        created: prev?.created ?? Math.floor(Date.now() / 1000),
      });
      return arn;
    },
    remove(name) {
      secrets.delete(name);
    },
    fetches: (id) => requests.filter((r) => r.target === 'secretsmanager.GetSecretValue' && r.secretId === id).length,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((e) => (e ? reject(e) : resolve()));
        // The SDK keeps connections alive; do not wait for it to let go.
        server.closeAllConnections();
      }),
  };
}
