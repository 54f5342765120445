/**
 * The merchant token check (functions/authorizer/tokens.ts) and the authorizer handler's
 * decisions, with tokens from MERCHANT_TOKENS.
 */
import { createHash } from 'node:crypto';
import type { APIGatewayRequestAuthorizerEventV2, Context } from 'aws-lambda';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseBearer, splitTokens, tokenId, tokenSet } from '../../functions/authorizer/tokens.ts';
import { lambdaContext } from '../../local/gateway/lambda.ts';
import { resetContainers } from '../../shared/deps.ts';

const sha8 = (t: string) => createHash('sha256').update(t, 'utf8').digest('hex').slice(0, 8);

describe('parseBearer', () => {
  it.each([
    ['Bearer abc', 'abc'],
    ['bearer abc', 'abc'],
    ['BEARER abc', 'abc'],
    ['Bearer   abc  ', 'abc'],
    ['Bearer\tabc', 'abc'],
  ])('reads %j', (header, token) => {
    expect(parseBearer(header)).toBe(token);
  });

  it.each([undefined, '', 'abc', 'Bearer', 'Bearer ', 'Basic abc', 'Bearer a b', 'Bearerabc', 'Token abc'])(
    'refuses %j',
    (header) => {
      expect(parseBearer(header)).toBeUndefined();
    },
  );
});

describe('tokenSet', () => {
  const set = tokenSet(['alpha-token', 'beta-token', 'gamma-token']);

  it('accepts each configured token and names it by the first 8 hex chars of its SHA-256', () => {
    for (const t of ['alpha-token', 'beta-token', 'gamma-token']) {
      expect(set.match(t)).toBe(sha8(t));
      expect(tokenId(t)).toBe(sha8(t));
    }
    expect(set.size).toBe(3);
  });

  it('refuses near misses', () => {
    for (const t of ['', 'alpha', 'alpha-token ', 'alpha-tokenx', 'Alpha-token', 'beta-toke', 'alpha-token,beta-token']) {
      expect(set.match(t)).toBeUndefined();
    }
  });

  it('accepts exactly the configured tokens (property)', () => {
    fc.assert(
      fc.property(fc.uniqueArray(fc.string({ minLength: 1 }), { minLength: 1, maxLength: 5 }), fc.string(), (tokens, other) => {
        const s = tokenSet(tokens);
        for (const t of tokens) expect(s.match(t)).toBe(sha8(t));
        expect(s.match(other)).toBe(tokens.includes(other) ? sha8(other) : undefined);
      }),
    );
  });

  it('accepts nothing when no token is configured', () => {
    const empty = tokenSet([]);
    expect(empty.size).toBe(0);
    expect(empty.match('')).toBeUndefined();
    expect(empty.match('anything')).toBeUndefined();
  });

  it('never keeps the token itself in its id', () => {
    expect(tokenId('local-merchant-token')).toMatch(/^[0-9a-f]{8}$/);
  });
});

describe('splitTokens', () => {
  it('splits the secret value like MERCHANT_TOKENS', () => {
    expect(splitTokens(' a, b ,,c ')).toEqual(['a', 'b', 'c']);
    expect(splitTokens(' , ')).toEqual([]);
  });
});

describe('authorizer handler', () => {
  const saved = { ...process.env };
  let handler: (e: APIGatewayRequestAuthorizerEventV2, c: Context) => Promise<unknown>;
  const output: string[] = [];
  const write = process.stdout.write.bind(process.stdout);
  const writeErr = process.stderr.write.bind(process.stderr);

  beforeAll(async () => {
    process.env.MERCHANT_TOKENS = 'tok-one, tok-two';
    delete process.env.MERCHANT_TOKENS_SECRET_ARN;
    process.env.POWERTOOLS_LOG_LEVEL = 'DEBUG';
    resetContainers();
    const capture = (chunk: string | Uint8Array): boolean => {
      output.push(typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8'));
      return true;
    };
    process.stdout.write = capture as typeof process.stdout.write;
    process.stderr.write = capture as typeof process.stderr.write;
    handler = (await import('../../functions/authorizer/handler.ts')).handler as unknown as typeof handler;
  });
  afterAll(() => {
    process.stdout.write = write;
    process.stderr.write = writeErr;
    process.env = saved;
    resetContainers();
  });

  const event = (authorization: string): APIGatewayRequestAuthorizerEventV2 => ({
    version: '2.0',
    type: 'REQUEST',
    routeArn: 'arn:aws:execute-api:ap-northeast-2:000000000000:local/$default/POST/payments',
    identitySource: [authorization],
    routeKey: 'POST /payments',
    rawPath: '/payments',
    rawQueryString: '',
    cookies: [],
    headers: { authorization },
    requestContext: {
      accountId: '000000000000',
      apiId: 'local',
      domainName: 'localhost',
      domainPrefix: 'localhost',
      http: { method: 'POST', path: '/payments', protocol: 'HTTP/1.1', sourceIp: '127.0.0.1', userAgent: 't' },
      requestId: 'r',
      routeKey: 'POST /payments',
      stage: '$default',
      time: '01/Jan/2026:00:00:00 +0000',
      timeEpoch: 0,
    },
  });

  it('authorizes a configured token with its id as context', async () => {
    expect(await handler(event('Bearer tok-two'), lambdaContext('authorizer', 5))).toEqual({
      isAuthorized: true,
      context: { principal: `merchant:${sha8('tok-two')}`, merchantTokenId: sha8('tok-two') },
    });
  });

  it('refuses a wrong token and a non-Bearer header with a simple response', async () => {
    expect(await handler(event('Bearer tok-three'), lambdaContext('authorizer', 5))).toEqual({ isAuthorized: false });
    expect(await handler(event('tok-one'), lambdaContext('authorizer', 5))).toEqual({ isAuthorized: false });
  });

  it('logs decisions but never a token', () => {
    const all = output.join('');
    expect(all).toContain('merchant request refused');
    expect(all).toContain('"service":"toss-pay"');
    for (const t of ['tok-one', 'tok-two', 'tok-three']) expect(all).not.toContain(t);
  });
});
