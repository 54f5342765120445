/**
 * What `npm start` tells a newcomer and gives its functions: the banner's commands carry the
 * settings it was started with (so `npm run reconcile` copied from it finds the same stack), and
 * the functions log in the readable form when the output is a terminal, JSON otherwise.
 */
import { describe, expect, it } from 'vitest';
import { banner, functionEnvironment, localConfig, sameStackPrefix, type LocalStack } from '../../local/start.ts';

const stackOf = (env: Record<string, string>): LocalStack => {
  const { config } = localConfig(env);
  const api = `http://127.0.0.1:${config.API_PORT}`;
  return {
    apiUrl: api,
    shopUrl: `${api}/`,
    sandboxUrl: `http://127.0.0.1:${config.TOSS_SANDBOX_PORT}`,
    eventBridgeUrl: `http://127.0.0.1:${config.EVENTBRIDGE_PORT}`,
    webhookUrl: `${api}/demo/webhooks`,
    webhookToDemoShop: true,
    demoEndpointId: 'we_demo0123456789',
    tableAdded: [],
    dynamoEndpoint: config.DYNAMODB_ENDPOINT ?? `http://127.0.0.1:${config.DYNAMODB_PORT}`,
    tableName: config.TABLE_NAME,
    merchantToken: 'local-merchant-token',
    consoleUrl: `${api}/console`,
    userPool: {
      endpoint: 'http://127.0.0.1:9229/',
      userPoolId: 'local_pool',
      clientId: 'local-client',
      issuer: 'http://127.0.0.1:9229/local_pool',
      jwksUri: 'http://127.0.0.1:9229/local_pool/.well-known/jwks.json',
      users: [{ role: 'operator', email: 'operator@example.com', password: 'Made-for-this-run-1' }],
      issuedTokens: () => [],
      close: () => Promise.resolve(),
    },
    consolePasswordGenerated: true,
    dynamoDbProcess: undefined,
    config,
    stop: () => Promise.resolve(),
  };
};

/** The `VAR=value` words before `npm run reconcile` on the banner's reconciler line. */
const reconcileEnv = (text: string): Record<string, string> => {
  const line = /one pass now: (.*)npm run reconcile/.exec(text)?.[1] ?? '';
  return Object.fromEntries(line.trim().split(/\s+/).filter((w) => w !== '').map((w) => w.split('=') as [string, string]));
};

describe('the npm start banner', () => {
  it('with the defaults, tells `npm run reconcile` as it is', () => {
    const text = banner(stackOf({}));
    expect(text).toContain('one pass now: npm run reconcile');
    expect(text).toContain('curl -X POST http://127.0.0.1:3000/payments');
    // The console and its operator, whose password was made for this run.
    expect(text).toContain('Console         http://127.0.0.1:3000/console');
    expect(text).toContain('operator@example.com  password Made-for-this-run-1');
  });

  it('started on other ports and another table, the reconcile command finds that stack', () => {
    const env = { API_PORT: '3100', TOSS_SANDBOX_PORT: '4110', EVENTBRIDGE_PORT: '4120', DYNAMODB_PORT: '8100', TABLE_NAME: 'my-table' };
    const s = stackOf(env);
    const text = banner(s);
    const given = reconcileEnv(text);
    expect(given).toEqual(env);
    expect(localConfig(given).config).toEqual(s.config);
    expect(text).toContain('curl -X POST http://127.0.0.1:3100/payments');
    expect(text).toContain('http://127.0.0.1:4110/sandbox/clock');
    expect(sameStackPrefix(localConfig({ DYNAMODB_ENDPOINT: 'http://127.0.0.1:9000' }).config)).toBe('DYNAMODB_ENDPOINT=http://127.0.0.1:9000 ');
    // A key of one's own is never printed, only named.
    const own = banner(stackOf({ TOSS_API_KEY: 'sk_test_mine_0123456789' }));
    expect(own).not.toContain('sk_test_mine');
    expect(own).toContain('(with the same TOSS_API_KEY)');
  });
});

describe("the functions' log format under npm start", () => {
  it('pretty on a terminal, JSON otherwise, and whatever LOG_FORMAT says', () => {
    const { config } = localConfig({});
    expect(functionEnvironment(config, {}, { tty: true }).LOG_FORMAT).toBe('pretty');
    expect(functionEnvironment(config, {}, { tty: false }).LOG_FORMAT).toBe('json');
    expect(functionEnvironment(config, { LOG_FORMAT: 'json' }, { tty: true }).LOG_FORMAT).toBe('json');
  });

  it("the demo shop's business on the result pages unless MERCHANT_NAME is given", () => {
    const { config } = localConfig({});
    expect(functionEnvironment(config, {})).toMatchObject({ MERCHANT_NAME: '토스 데모 상점', MERCHANT_BUSINESS_NUMBER: '000-00-00000', MERCHANT_SUPPORT: 'http://127.0.0.1:3000/' });
    const own = functionEnvironment(config, { MERCHANT_NAME: '내 상점', MERCHANT_SUPPORT: '02-123-4567' });
    expect(own).toMatchObject({ MERCHANT_NAME: '내 상점', MERCHANT_SUPPORT: '02-123-4567' });
    expect(own).not.toHaveProperty('MERCHANT_BUSINESS_NUMBER');
  });
});
