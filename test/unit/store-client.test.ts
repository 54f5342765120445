/**
 * Which credentials the DynamoDB client uses: dummy ones only for an endpoint on this machine
 * (DynamoDB Local, the proxy); the SDK's default chain for AWS and any other endpoint, so that
 * `npm start` and `npm run reconcile` can use a real table. The chain's first source, the
 * environment, stands in for it here: no network is touched.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createDocumentClient, isLoopbackEndpoint } from '../../shared/store/client.ts';

const credentialsFor = async (endpoint: string | undefined) => {
  const c = createDocumentClient({ region: 'ap-northeast-2', endpoint });
  try {
    const { accessKeyId, secretAccessKey } = await c.config.credentials();
    return { accessKeyId, secretAccessKey };
  } finally {
    c.destroy();
  }
};

describe('DynamoDB client credentials', () => {
  beforeEach(() => {
    vi.stubEnv('AWS_ACCESS_KEY_ID', 'AKIA-FROM-THE-CHAIN');
    vi.stubEnv('AWS_SECRET_ACCESS_KEY', 'secret-from-the-chain');
  });
  afterEach(() => vi.unstubAllEnvs());

  it.each(['http://127.0.0.1:8000', 'http://localhost:8000', 'http://127.5.6.7:9000/', 'http://[::1]:8000', 'http://ddb.localhost:8000'])(
    'uses dummy credentials for the loopback endpoint %s',
    async (endpoint) => {
      expect(isLoopbackEndpoint(endpoint)).toBe(true);
      expect(await credentialsFor(endpoint)).toEqual({ accessKeyId: 'local', secretAccessKey: 'local' });
    },
  );

  it.each([
    'https://dynamodb.ap-northeast-2.amazonaws.com',
    'http://10.0.0.5:8000',
    'http://localhost.example.com:8000',
    'http://dynamodb-local:8000',
    'http://128.0.0.1:8000',
  ])('uses the default credential chain for %s', async (endpoint) => {
    expect(isLoopbackEndpoint(endpoint)).toBe(false);
    expect(await credentialsFor(endpoint)).toEqual({ accessKeyId: 'AKIA-FROM-THE-CHAIN', secretAccessKey: 'secret-from-the-chain' });
  });

  it('uses the default credential chain and AWS endpoint when no endpoint is given', async () => {
    expect(await credentialsFor(undefined)).toEqual({ accessKeyId: 'AKIA-FROM-THE-CHAIN', secretAccessKey: 'secret-from-the-chain' });
  });
});
