/**
 * The DEPLOYED configuration paths that read secrets from AWS Secrets Manager, through the real
 * modules, the real Powertools Parameters utility and the real AWS SDK v3 client:
 *   - functions/authorizer with only MERCHANT_TOKENS_SECRET_ARN (comma-separated tokens, 60 s cache);
 *   - shared/toss apiKeyProvider with only TOSS_API_KEY_SECRET_ARN (raw key or {"apiKey"}, once per
 *     container), also through appConfig() + tossClient() against the Toss sandbox.
 * AWS itself is replaced by test/support/secrets-manager.ts, a minimal local stand-in speaking the
 * GetSecretValue part of the Secrets Manager JSON protocol, which the SDK reaches through its
 * standard AWS_ENDPOINT_URL_SECRETS_MANAGER variable (with dummy credentials). Nothing of ours is
 * mocked. The authorizer's part freezes Date (only Date) to step over the 60 s cache exactly.
 */
import { createHash, randomUUID } from 'node:crypto';
import type { APIGatewayRequestAuthorizerEventV2, Context } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { authorizerEvent, formatRequestTime, LOCAL_ACCOUNT_ID, LOCAL_API_ID, type RequestParts } from '../../../local/gateway/event.ts';
import { startSandbox, type Sandbox } from '../../../local/toss-sandbox/server.ts';
import { CONFLICTING_SDK_ENV, sdkEnv, startSecretsManager, type FakeSecretsManager } from '../../support/secrets-manager.ts';

// Types only: the modules themselves are imported once the environment is set (see beforeAll).
import type * as ApiKeyModule from '../../../shared/toss/api-key.ts';
import type * as DepsModuleNs from '../../../shared/deps.ts';
import type * as TossErrorsNs from '../../../shared/toss/errors.ts';
import type * as TossClientNs from '../../../shared/toss/client.ts';

type AuthorizerHandler = (event: APIGatewayRequestAuthorizerEventV2, context: Context) => Promise<unknown>;
type ApiKeyProvider = typeof ApiKeyModule.apiKeyProvider;
type TossModule = typeof TossErrorsNs & typeof TossClientNs;
type DepsModule = typeof DepsModuleNs;

const idOf = (t: string): string => createHash('sha256').update(t).digest('hex').slice(0, 8);

const TOKENS_SECRET = 'toss-pay/merchant-tokens';
const TOKENS = ['tok-alpha-7f3a91c2', 'tok-beta-0b5e44d8', 'tok-gamma-c19a6e07'] as const;
const ROTATED = 'tok-delta-5d2b8f10';
const TOKENS_VALUE = ` ${TOKENS[0]} , ${TOKENS[1]},${TOKENS[2]} `;
const ROTATED_VALUE = `${TOKENS[1]},${ROTATED}`;
/** Every token and key this file hands out: none may appear in logs, results or errors. */
const SECRETS: string[] = [...TOKENS, ROTATED];

const savedEnv = { ...process.env };
const writeOut = process.stdout.write.bind(process.stdout);
const writeErr = process.stderr.write.bind(process.stderr);
const output: string[] = [];

let sm: FakeSecretsManager;
let sandbox: Sandbox;
let authorizer: AuthorizerHandler;
let apiKeyProvider: ApiKeyProvider;
let toss: TossModule;
let deps: DepsModule;

beforeAll(async () => {
  sm = await startSecretsManager();
  for (const k of CONFLICTING_SDK_ENV) delete process.env[k];
  Object.assign(process.env, sdkEnv(sm.url));
  // The authorizer's deployed environment: only the secret's ARN.
  delete process.env.MERCHANT_TOKENS;
  process.env.MERCHANT_TOKENS_SECRET_ARN = sm.arnOf(TOKENS_SECRET);
  process.env.STAGE = 'prod';
  // Everything the logger can write, so the leak checks see it all; into `output`, not the console.
  process.env.POWERTOOLS_LOG_LEVEL = 'DEBUG';
  delete process.env.POWERTOOLS_DEV;
  const capture = (chunk: string | Uint8Array): boolean => {
    output.push(typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8'));
    return true;
  };
  process.stdout.write = capture as typeof process.stdout.write;
  process.stderr.write = capture as typeof process.stderr.write;

  deps = await import('../../../shared/deps.ts');
  deps.resetContainers();
  authorizer = (await import('../../../functions/authorizer/handler.ts')).handler as unknown as AuthorizerHandler;
  ({ apiKeyProvider } = await import('../../../shared/toss/api-key.ts'));
  toss = { ...(await import('../../../shared/toss/errors.ts')), ...(await import('../../../shared/toss/client.ts')) };
});

afterAll(async () => {
  process.stdout.write = writeOut;
  process.stderr.write = writeErr;
  process.env = savedEnv;
  deps.resetContainers();
  await sm.close();
  await sandbox.close();
});

const context = (): Context => ({
  callbackWaitsForEmptyEventLoop: true,
  functionName: 'toss-pay-prod-authorizer',
  functionVersion: '$LATEST',
  invokedFunctionArn: `arn:aws:lambda:ap-northeast-2:${LOCAL_ACCOUNT_ID}:function:toss-pay-prod-authorizer`,
  memoryLimitInMB: '256',
  awsRequestId: randomUUID(),
  logGroupName: '/aws/lambda/toss-pay-prod-authorizer',
  logStreamName: '2026/01/01/[$LATEST]0123456789abcdef',
  getRemainingTimeInMillis: () => 5_000,
  done: () => undefined,
  fail: () => undefined,
  succeed: () => undefined,
});

/** What API Gateway hands the authorizer for `POST /payments` with this Authorization header. */
function event(authorization: string): APIGatewayRequestAuthorizerEventV2 {
  const now = new Date();
  const parts: RequestParts = {
    method: 'POST',
    rawPath: '/payments',
    rawQueryString: '',
    headers: {
      authorization,
      host: 'pay.example.com',
      'content-type': 'application/json',
      'user-agent': 'merchant-backend/1.0',
      'x-forwarded-for': '203.0.113.7',
      'x-forwarded-proto': 'https',
    },
    cookies: [],
    queryStringParameters: undefined,
    requestContext: {
      accountId: LOCAL_ACCOUNT_ID,
      apiId: LOCAL_API_ID,
      domainName: 'pay.example.com',
      domainPrefix: 'pay',
      http: { method: 'POST', path: '/payments', protocol: 'HTTP/1.1', sourceIp: '203.0.113.7', userAgent: 'merchant-backend/1.0' },
      requestId: randomUUID(),
      routeKey: '',
      stage: '$default',
      time: formatRequestTime(now),
      timeEpoch: now.getTime(),
    },
  };
  return authorizerEvent(parts, 'POST /payments', undefined, authorization);
}

const authorize = (authorization: string): Promise<unknown> => authorizer(event(authorization), context());

/** Not a token or key, nor any 8-character piece of one (e.g. the excerpt a JSON.parse error quotes). */
function expectNoSecretIn(text: string): void {
  for (const s of SECRETS) {
    for (let i = 0; i + 8 <= s.length; i++) expect(text, `a piece of a secret: ${s.slice(i, i + 8)}`).not.toContain(s.slice(i, i + 8));
  }
}

describe('authorizer with MERCHANT_TOKENS_SECRET_ARN (deployed)', () => {
  let arn: string;
  beforeAll(() => {
    arn = sm.put(TOKENS_SECRET, TOKENS_VALUE);
    // Only Date: the SDK's sockets and timers stay real. The clock stands still unless advanced.
    vi.useFakeTimers({ toFake: ['Date'], now: new Date() });
  });
  afterAll(() => {
    vi.useRealTimers();
  });
  const advanceSeconds = (s: number): void => {
    vi.setSystemTime(Date.now() + s * 1000);
  };

  it('authorizes every token of the secret, answering its id and never the token', async () => {
    for (const token of TOKENS) {
      const r = await authorize(`Bearer ${token}`);
      expect(r).toEqual({ isAuthorized: true, context: { principal: `merchant:${idOf(token)}`, merchantTokenId: idOf(token) } });
      expectNoSecretIn(JSON.stringify(r));
    }
    // The SDK went to the stand-in through AWS_ENDPOINT_URL_SECRETS_MANAGER, signed, for this ARN.
    const first = sm.requests[0];
    expect(first).toMatchObject({ target: 'secretsmanager.GetSecretValue', secretId: arn });
    expect(first?.contentType).toMatch(/^application\/x-amz-json-1\.1/);
    expect(first?.authorization).toMatch(/^AWS4-HMAC-SHA256 Credential=AKIAFAKEFAKEFAKEFAKE\/\d{8}\/ap-northeast-2\/secretsmanager\/aws4_request/);
  });

  it.each([
    ['a token not in the secret', `Bearer ${ROTATED}`],
    ['a prefix of a token', `Bearer ${TOKENS[0].slice(0, -1)}`],
    ['the whole comma-separated list', `Bearer ${TOKENS.join(',')}`],
    ['the raw secret value', `Bearer ${TOKENS_VALUE.trim()}`],
  ])('refuses %s', async (_what, authorization) => {
    expect(await authorize(authorization)).toEqual({ isAuthorized: false });
  });

  it('fetched the secret once for all those calls, and keeps it for 60 s', async () => {
    for (let i = 0; i < 5; i++) expect(await authorize(`Bearer ${TOKENS[i % 3] ?? ''}`)).toMatchObject({ isAuthorized: true });
    expect(sm.fetches(arn)).toBe(1);
    advanceSeconds(59);
    expect(await authorize(`Bearer ${TOKENS[0]}`)).toMatchObject({ isAuthorized: true });
    expect(sm.fetches(arn)).toBe(1);
  });

  it('takes a rotated secret into account once the 60 s cache has expired', async () => {
    sm.put(TOKENS_SECRET, ROTATED_VALUE);
    // Still within the cache: the old list holds.
    expect(await authorize(`Bearer ${TOKENS[0]}`)).toMatchObject({ isAuthorized: true });
    expect(await authorize(`Bearer ${ROTATED}`)).toEqual({ isAuthorized: false });
    expect(sm.fetches(arn)).toBe(1);

    advanceSeconds(2); // 61 s after the fetch
    expect(await authorize(`Bearer ${ROTATED}`)).toEqual({ isAuthorized: true, context: { principal: `merchant:${idOf(ROTATED)}`, merchantTokenId: idOf(ROTATED) } });
    expect(await authorize(`Bearer ${TOKENS[0]}`)).toEqual({ isAuthorized: false });
    expect(await authorize(`Bearer ${TOKENS[1]}`)).toMatchObject({ isAuthorized: true });
    expect(sm.fetches(arn)).toBe(2);
  });

  it('fails the invocation (API Gateway answers 500) while the secret cannot be read, then recovers', async () => {
    sm.remove(TOKENS_SECRET);
    advanceSeconds(61);
    const err: unknown = await authorize(`Bearer ${ROTATED}`).then(
      () => new Error('the authorizer should have failed'),
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(Error);
    expect(String((err as Error).message)).toMatch(/can't find the specified secret/);
    expectNoSecretIn(`${String(err)} ${(err as Error).stack ?? ''} ${JSON.stringify(err)}`);
    expect(sm.fetches(arn)).toBe(3);

    // A failure is not cached: the next invocation reads the secret again.
    sm.put(TOKENS_SECRET, ROTATED_VALUE);
    expect(await authorize(`Bearer ${ROTATED}`)).toMatchObject({ isAuthorized: true });
    expect(sm.fetches(arn)).toBe(4);
  });

  it('logged refusals and authorizations by token id, never a token or the secret value', () => {
    const logs = output.join('');
    expect(logs).toContain('merchant request refused');
    expect(logs).toContain('merchant request authorized');
    expect(logs).toContain(idOf(ROTATED));
    expectNoSecretIn(logs);
    expect(logs).not.toContain(TOKENS_VALUE.trim());
  });
});

describe('apiKeyProvider with TOSS_API_KEY_SECRET_ARN (deployed)', () => {
  const provider = (arn: string): (() => Promise<string>) => apiKeyProvider({ TOSS_API_KEY: undefined, TOSS_API_KEY_SECRET_ARN: arn });
  /** The rejection of `p`, after checking it carries none of the keys. */
  async function failure(p: Promise<string>): Promise<Error> {
    const e: unknown = await p.then(
      () => new Error('expected a rejection'),
      (x: unknown) => x,
    );
    expect(e).toBeInstanceOf(Error);
    const err = e as Error;
    expect(err.message).not.toBe('expected a rejection');
    const cause = (err as { cause?: unknown }).cause;
    expectNoSecretIn(`${String(err)} ${err.stack ?? ''} ${JSON.stringify(err)} ${String(cause)}`);
    return err;
  }

  it('reads a raw-string secret (trimmed), once for many calls', async () => {
    const key = 'sk_test_raw_4f2c9a81d0';
    SECRETS.push(key);
    const arn = sm.put('toss-pay/api-key-raw', `  ${key}\n`);
    const get = provider(arn);
    // Concurrent first calls share one fetch.
    expect(await Promise.all([get(), get(), get()])).toEqual([key, key, key]);
    for (let i = 0; i < 5; i++) expect(await get()).toBe(key);
    expect(sm.fetches(arn)).toBe(1);
  });

  it('reads a JSON {"apiKey"} secret, once for many calls', async () => {
    const key = 'sk_live_json_8b1e07c3f5';
    SECRETS.push(key);
    const arn = sm.put('toss-pay/api-key-json', JSON.stringify({ apiKey: key, note: 'rotated 2026-01' }));
    const get = provider(arn);
    for (let i = 0; i < 5; i++) expect(await get()).toBe(key);
    expect(sm.fetches(arn)).toBe(1);
  });

  it('rejects while the secret is missing, without any key in the error, and retries on the next call', async () => {
    const key = 'sk_live_late_2a9d6e41b7';
    SECRETS.push(key);
    const arn = sm.arnOf('toss-pay/api-key-late');
    const get = provider(arn);
    const err = await failure(get());
    expect(err.message).toMatch(/can't find the specified secret/);
    await failure(get());
    expect(sm.fetches(arn)).toBe(2);

    sm.put('toss-pay/api-key-late', key);
    expect(await get()).toBe(key);
    expect(await get()).toBe(key);
    expect(sm.fetches(arn)).toBe(3);
  });

  it.each([
    ['JSON without apiKey', '{"key":"sk_live_nokey_5c8e1a2f90"}', /no apiKey/],
    ['JSON with a non-string apiKey', '{"apiKey":["sk_live_array_3e7b9d0c14"]}', /no apiKey/],
    ['malformed JSON', '{"apiKey": sk_live_malformed_6a1f4c8e22}', /not valid JSON/],
    ['blank', '  \n ', /empty/],
  ])('rejects a secret that is %s without revealing it', async (what, value, message) => {
    for (const m of value.matchAll(/sk_live_\w+/g)) SECRETS.push(m[0]);
    const arn = sm.put(`toss-pay/api-key-bad-${what.replace(/\W+/g, '-')}`, value);
    const err = await failure(provider(arn)());
    expect(err.message).toMatch(message);
  });

  it('re-reads a secret whose content was bad once it has been corrected', async () => {
    const key = 'sk_live_fixed_9c0d3b7a65';
    SECRETS.push(key);
    const name = 'toss-pay/api-key-fixed';
    const arn = sm.put(name, '{"apikey":"wrong field name"}');
    const get = provider(arn);
    await failure(get());
    sm.put(name, JSON.stringify({ apiKey: key }));
    expect(await get()).toBe(key);
    expect(await get()).toBe(key);
    expect(sm.fetches(arn)).toBe(2);
  });

  it('gives tossClient(), configured from the deployed environment, the key Toss accepts', async () => {
    const key = 'sk_test_deployed_1d4f8a2c6e';
    SECRETS.push(key);
    sandbox = await startSandbox({ port: 0, quiet: true, apiKeys: [key] });
    const arn = sm.put('toss-pay/api-key-deployed', JSON.stringify({ apiKey: key }));
    Object.assign(process.env, {
      TABLE_NAME: 'toss-pay-orders',
      PUBLIC_BASE_URL: 'https://pay.example.com',
      TOSS_BASE_URL: sandbox.url,
      TOSS_API_KEY_SECRET_ARN: arn,
    });
    delete process.env.TOSS_API_KEY;
    deps.resetContainers();

    const client = deps.paymentContainer('get-payment').deps.toss;
    expect(await client.mode()).toBe('TEST');
    // The sandbox knows only the secret's key: with it, an unknown order is "not found", not "invalid key".
    const refused = await client.status({ orderNo: `no-such-order-${randomUUID()}` }).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(refused).toBeInstanceOf(toss.TossRefusedError);
    expect((refused as InstanceType<TossModule['TossRefusedError']>).errorCode).toBe('TRANSACTION_NOT_FOUND');
    expect(sm.fetches(arn)).toBe(1);

    // Control: the same call with another key is refused as an invalid key.
    const other = toss.createTossClient({ baseUrl: sandbox.url, apiKey: () => Promise.resolve('sk_test_other'), timeoutMs: 5_000 });
    await expect(other.status({ orderNo: 'no-such-order' })).rejects.toMatchObject({ errorCode: 'COMMON_INVALID_API_KEY' });
  });

  it('logged nothing that carries a key', () => {
    expectNoSecretIn(output.join(''));
  });
});
