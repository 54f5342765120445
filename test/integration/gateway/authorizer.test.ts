/**
 * Merchant routes go through the real Lambda authorizer (functions/authorizer), exactly as API
 * Gateway runs it: no Authorization header → 401 without invoking it; a refused token → 403;
 * neither reaches the route's function. Public routes need no token.
 */
import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { APIGatewayProxyEventV2WithLambdaAuthorizer, APIGatewayRequestAuthorizerEventV2 } from 'aws-lambda';
import { startGateway, type Gateway, type LambdaHandler } from '../../../local/gateway/server.ts';
import { resetContainers } from '../../../shared/deps.ts';
import { echo, recorded } from '../../support/fixtures/handlers.ts';
import { send } from '../../support/fixtures/http.ts';

const TOKENS = ['merchant-token-a', 'merchant-token-b'];
const idOf = (t: string) => createHash('sha256').update(t).digest('hex').slice(0, 8);

type Authed = { event: APIGatewayProxyEventV2WithLambdaAuthorizer<Record<string, unknown>> };

let gw: Gateway;
let defaultLoaderGw: Gateway;
let authorizer: ReturnType<typeof recorded>;
const functions = new Map<string, ReturnType<typeof recorded>>();
const fnCalls = (fn: string) => functions.get(fn)?.calls.length ?? 0;

beforeAll(async () => {
  process.env.MERCHANT_TOKENS = TOKENS.join(',');
  delete process.env.MERCHANT_TOKENS_SECRET_ARN;
  process.env.POWERTOOLS_LOG_LEVEL = 'ERROR';
  resetContainers();
  const real = (await import('../../../functions/authorizer/handler.ts')).handler as unknown as LambdaHandler;
  authorizer = recorded(real);
  gw = await startGateway({
    quiet: true,
    loadFunction: async (fn) => {
      if (fn === 'authorizer') return authorizer.handler;
      let f = functions.get(fn);
      if (f === undefined) functions.set(fn, (f = recorded(echo)));
      return f.handler;
    },
  });
  // The default loader imports functions/authorizer/handler.ts itself.
  defaultLoaderGw = await startGateway({ quiet: true });
});
afterAll(async () => {
  await gw.close();
  await defaultLoaderGw.close();
});

describe('merchant routes', () => {
  it('answers 401 without invoking the authorizer when Authorization is missing', async () => {
    const before = authorizer.calls.length;
    const r = await send(gw.url, { method: 'POST', path: '/payments', headers: { 'content-type': 'application/json' }, body: '{}' });
    expect(r.status).toBe(401);
    expect(r.headers['content-type']).toBe('application/json');
    expect(r.json()).toEqual({ message: 'Unauthorized' });
    expect(authorizer.calls.length).toBe(before);
    expect(fnCalls('create-payment')).toBe(0);
  });

  it('answers 401 when Authorization is empty', async () => {
    const before = authorizer.calls.length;
    const r = await send(gw.url, { path: '/payments/o-1', headers: { authorization: '' } });
    expect(r.status).toBe(401);
    expect(authorizer.calls.length).toBe(before);
    expect(fnCalls('get-payment')).toBe(0);
  });

  it.each([
    ['a wrong token', 'Bearer not-a-merchant-token'],
    ['a prefix of a token', 'Bearer merchant-token-'],
    ['a token with a suffix', 'Bearer merchant-token-ax'],
    ['another scheme', `Basic ${TOKENS[0]}`],
    ['no scheme', TOKENS[0] ?? ''],
    ['a scheme without a token', 'Bearer'],
    ['the whole token list', `Bearer ${TOKENS.join(',')}`],
  ])('answers 403 to %s, with the authorizer invoked and the function not reached', async (_what, authorization) => {
    const before = authorizer.calls.length;
    const r = await send(gw.url, { method: 'POST', path: '/payments', headers: { authorization }, body: '{}' });
    expect(r.status).toBe(403);
    expect(r.json()).toEqual({ message: 'Forbidden' });
    expect(authorizer.calls.length).toBe(before + 1);
    expect(fnCalls('create-payment')).toBe(0);
  });

  it('passes the authorizer a payload-2.0 REQUEST event', async () => {
    await send(gw.url, { path: '/payments/o-9?x=1', headers: { authorization: 'Bearer wrong', cookie: 'c=1' } });
    const e = authorizer.calls.at(-1)?.event as APIGatewayRequestAuthorizerEventV2;
    expect(e.version).toBe('2.0');
    expect(e.type).toBe('REQUEST');
    expect(e.identitySource).toEqual(['Bearer wrong']);
    expect(e.routeKey).toBe('GET /payments/{orderNo}');
    expect(e.routeArn).toBe('arn:aws:execute-api:ap-northeast-2:000000000000:local/$default/GET/payments/{orderNo}');
    expect(e.rawPath).toBe('/payments/o-9');
    expect(e.pathParameters).toEqual({ orderNo: 'o-9' });
    expect(e.queryStringParameters).toEqual({ x: '1' });
    expect(e.cookies).toEqual(['c=1']);
    expect(e.headers?.authorization).toBe('Bearer wrong');
    expect(authorizer.calls.at(-1)?.context.functionName).toBe('authorizer');
  });

  it.each(TOKENS)('reaches the function with authorizer.lambda.merchantTokenId for %s', async (token) => {
    const before = fnCalls('get-payment');
    const r = await send(gw.url, { path: '/payments/o-1', headers: { authorization: `Bearer ${token}` } });
    expect(r.status).toBe(200);
    expect(fnCalls('get-payment')).toBe(before + 1);
    const { event } = r.json<Authed>();
    expect(event.routeKey).toBe('GET /payments/{orderNo}');
    expect(event.requestContext.authorizer.lambda).toEqual({ principal: `merchant:${idOf(token)}`, merchantTokenId: idOf(token) });
    expect(JSON.stringify(event.requestContext)).not.toContain(token);
  });

  it('accepts the scheme in any case', async () => {
    const r = await send(gw.url, { path: '/payments/o-1', headers: { authorization: `bearer ${TOKENS[1]}` } });
    expect(r.status).toBe(200);
  });
});

describe('public routes', () => {
  it.each([
    ['GET', '/payments/return?orderNo=o-1', 'return-landing'],
    ['GET', '/payments/cancel?orderNo=o-1', 'cancel-landing'],
    ['POST', '/payments/callback', 'callback'],
  ])('%s %s needs no token and has no authorizer context', async (method, path, fn) => {
    const before = authorizer.calls.length;
    const r = await send(gw.url, { method, path });
    expect(r.status).toBe(200);
    expect(fnCalls(fn)).toBeGreaterThan(0);
    expect(authorizer.calls.length).toBe(before);
    expect('authorizer' in r.json<Authed>().event.requestContext).toBe(false);
  });
});

describe('the default function loader', () => {
  it('runs functions/authorizer/handler.ts from the repository', async () => {
    const missing = await send(defaultLoaderGw.url, { path: '/payments/o-1' });
    expect(missing.status).toBe(401);
    const wrong = await send(defaultLoaderGw.url, { path: '/payments/o-1', headers: { authorization: 'Bearer nope' } });
    expect(wrong.status).toBe(403);
    expect(wrong.json()).toEqual({ message: 'Forbidden' });
  });
});
