/**
 * The local gateway turns real HTTP requests into API Gateway HTTP API payload-2.0 events.
 * Fixture handlers echo what they received.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { startGateway, type Gateway, type LambdaHandler } from '../../../local/gateway/server.ts';
import { routes as appRoutes, type Route } from '../../../shared/routes.ts';
import { echo, recorded, size, type ContextView } from '../../support/fixtures/handlers.ts';
import { send } from '../../support/fixtures/http.ts';

const testRoutes: Route[] = [
  { method: 'GET', path: '/echo', fn: 'echo', auth: 'public' },
  { method: 'POST', path: '/echo', fn: 'echo', auth: 'public' },
  { method: 'PUT', path: '/echo', fn: 'echo', auth: 'public' },
  { method: 'GET', path: '/items/{id}', fn: 'item-by-id', auth: 'public' },
  { method: 'GET', path: '/items/special', fn: 'item-special', auth: 'public' },
  { method: 'GET', path: '/shops/{shopId}/items/{itemId}', fn: 'shop-item', auth: 'public' },
  { method: 'GET', path: '/files/{path+}', fn: 'files', auth: 'public' },
  { method: 'POST', path: '/size', fn: 'size', auth: 'public' },
];

interface Echo {
  event: APIGatewayProxyEventV2;
  context: ContextView;
}

let gw: Gateway;
const sizeFn = recorded(size);

beforeAll(async () => {
  gw = await startGateway({
    routes: testRoutes,
    quiet: true,
    loadFunction: async (fn) => (fn === 'size' ? sizeFn.handler : (echo as LambdaHandler)),
    timeoutSeconds: (fn) => (fn === 'echo' ? 7 : 3),
  });
});
afterAll(() => gw.close());

const echoOf = async (opts: Parameters<typeof send>[1]): Promise<Echo> => {
  const r = await send(gw.url, opts);
  expect(r.status).toBe(200);
  return r.json<Echo>();
};

describe('event envelope', () => {
  it('fills every top-level and requestContext field', async () => {
    const before = Date.now();
    const { event } = await echoOf({ path: '/echo?a=1', headers: { 'user-agent': 'gateway-test/1.0' } });
    expect(event.version).toBe('2.0');
    expect(event.routeKey).toBe('GET /echo');
    expect(event.rawPath).toBe('/echo');
    expect(event.rawQueryString).toBe('a=1');
    expect(event.isBase64Encoded).toBe(false);
    expect(event.body).toBeUndefined();
    expect(event.pathParameters).toBeUndefined();
    expect(event.cookies).toBeUndefined();
    const rc = event.requestContext;
    expect(rc.accountId).toBe('000000000000');
    expect(rc.apiId).toBe('local');
    expect(rc.domainName).toBe(new URL(gw.url).host);
    expect(rc.http).toEqual({
      method: 'GET',
      path: '/echo',
      protocol: 'HTTP/1.1',
      sourceIp: '127.0.0.1',
      userAgent: 'gateway-test/1.0',
    });
    expect(rc.routeKey).toBe('GET /echo');
    expect(rc.stage).toBe('$default');
    expect(rc.requestId).toMatch(/^[A-Za-z0-9+/=]{16}$/);
    expect(rc.timeEpoch).toBeGreaterThanOrEqual(before);
    expect(rc.timeEpoch).toBeLessThanOrEqual(Date.now());
    expect(rc.time).toMatch(/^\d{2}\/[A-Z][a-z]{2}\/\d{4}:\d{2}:\d{2}:\d{2} \+0000$/);
    expect('authorizer' in rc).toBe(false);
  });

  it('gives each request its own requestId and answers it as apigw-requestid', async () => {
    const a = await send(gw.url, { path: '/echo' });
    const b = await send(gw.url, { path: '/echo' });
    const ida = a.json<Echo>().event.requestContext.requestId;
    expect(ida).not.toBe(b.json<Echo>().event.requestContext.requestId);
    expect(a.headers['apigw-requestid']).toBe(ida);
  });

  it('lower-cases header names and comma-joins duplicate headers', async () => {
    const { event } = await echoOf({
      path: '/echo',
      headers: { 'X-Custom-Header': 'One', 'x-dup': ['a', 'b', 'c'] },
    });
    expect(event.headers['x-custom-header']).toBe('One');
    expect(event.headers['X-Custom-Header']).toBeUndefined();
    expect(event.headers['x-dup']).toBe('a,b,c');
    expect(event.headers.host).toBe(new URL(gw.url).host);
    expect(event.headers['x-forwarded-for']).toBe('127.0.0.1');
    expect(event.headers['x-forwarded-proto']).toBe('http');
    expect(event.headers['x-amzn-trace-id']).toMatch(/^Root=1-[0-9a-f]{8}-[0-9a-f]{24}$/);
  });

  it('takes sourceIp from the TCP peer, not from X-Forwarded-For', async () => {
    const { event } = await echoOf({ path: '/echo', headers: { 'x-forwarded-for': '203.0.113.9' } });
    expect(event.requestContext.http.sourceIp).toBe('127.0.0.1');
    expect(event.headers['x-forwarded-for']).toBe('203.0.113.9, 127.0.0.1');
  });

  it('decodes query parameters and comma-joins duplicates, keeping the raw query string', async () => {
    const { event } = await echoOf({ path: '/echo?a=1&b=x%20y&a=2&empty=&k%C3%A9=%ED%86%A0%EC%8A%A4' });
    expect(event.rawQueryString).toBe('a=1&b=x%20y&a=2&empty=&k%C3%A9=%ED%86%A0%EC%8A%A4');
    expect(event.queryStringParameters).toEqual({ a: '1,2', b: 'x y', empty: '', ké: '토스' });
  });

  it('has no queryStringParameters without a query', async () => {
    const { event } = await echoOf({ path: '/echo' });
    expect(event.rawQueryString).toBe('');
    expect(event.queryStringParameters).toBeUndefined();
  });

  it('moves cookies into `cookies`, one entry each, across Cookie headers', async () => {
    const { event } = await echoOf({ path: '/echo', headers: { cookie: ['a=1; b=2', 'c=3'] } });
    expect(event.cookies).toEqual(['a=1', 'b=2', 'c=3']);
    expect(event.headers.cookie).toBeUndefined();
  });
});

describe('body encoding', () => {
  const text = '{"상품":"토스 티셔츠","amount":35000}';
  const asText = [
    'application/json',
    'application/json; charset=UTF-8',
    'APPLICATION/JSON',
    'text/plain',
    'text/html;charset=utf-8',
    'text/csv',
    'application/xml',
    'application/javascript',
  ];
  it.each(asText)('passes %s as UTF-8 text', async (contentType) => {
    const { event } = await echoOf({ method: 'POST', path: '/echo', headers: { 'content-type': contentType }, body: text });
    expect(event.isBase64Encoded).toBe(false);
    expect(event.body).toBe(text);
  });

  const asBase64 = [
    'application/x-www-form-urlencoded',
    'application/x-www-form-urlencoded; charset=UTF-8',
    'application/octet-stream',
    'multipart/form-data; boundary=x',
    'image/png',
  ];
  it.each(asBase64)('passes %s as base64', async (contentType) => {
    const body = contentType.startsWith('application/x-www') ? 'orderNo=1&status=PAY_COMPLETE&msg=%ED%86%A0' : text;
    const { event } = await echoOf({ method: 'POST', path: '/echo', headers: { 'content-type': contentType }, body });
    expect(event.isBase64Encoded).toBe(true);
    expect(event.body).toBe(Buffer.from(body).toString('base64'));
  });

  it('passes a body without a content type as base64', async () => {
    const bytes = Buffer.from([0, 1, 2, 0xfe, 0xff]);
    const { event } = await echoOf({ method: 'POST', path: '/echo', body: bytes });
    expect(event.headers['content-type']).toBeUndefined();
    expect(event.isBase64Encoded).toBe(true);
    expect(Buffer.from(event.body ?? '', 'base64').equals(bytes)).toBe(true);
  });

  it('leaves body absent and isBase64Encoded false when there is no body', async () => {
    const { event } = await echoOf({ method: 'PUT', path: '/echo', headers: { 'content-type': 'application/octet-stream' } });
    expect(event.body).toBeUndefined();
    expect(event.isBase64Encoded).toBe(false);
  });

  it('accepts a body of exactly 1 MB', async () => {
    const body = Buffer.alloc(1_048_576, 0x61);
    const r = await send(gw.url, { method: 'POST', path: '/size', headers: { 'content-type': 'application/json' }, body });
    expect(r.status).toBe(200);
    expect(r.json()).toEqual({ bytes: 1_048_576 });
  });

  it('answers 413 to a body over 1 MB without invoking the function', async () => {
    const callsBefore = sizeFn.calls.length;
    const body = Buffer.alloc(1_048_577, 0x61);
    const r = await send(gw.url, { method: 'POST', path: '/size', headers: { 'content-type': 'application/json' }, body });
    expect(r.status).toBe(413);
    expect(r.json()).toEqual({ message: 'Request Entity Too Large' });
    expect(sizeFn.calls.length).toBe(callsBefore);
  });
});

describe('routing', () => {
  it('fills URL-decoded pathParameters', async () => {
    const { event } = await echoOf({ path: '/shops/%ED%86%A0%EC%8A%A4/items/a%2Fb%20c' });
    expect(event.routeKey).toBe('GET /shops/{shopId}/items/{itemId}');
    expect(event.rawPath).toBe('/shops/%ED%86%A0%EC%8A%A4/items/a%2Fb%20c');
    expect(event.pathParameters).toEqual({ shopId: '토스', itemId: 'a/b c' });
  });

  it('prefers an exact path over a {param} path whatever the table order', async () => {
    const special = await echoOf({ path: '/items/special' });
    expect(special.event.routeKey).toBe('GET /items/special');
    expect(special.event.pathParameters).toBeUndefined();
    expect(special.context.functionName).toBe('item-special');
    const other = await echoOf({ path: '/items/42' });
    expect(other.event.routeKey).toBe('GET /items/{id}');
    expect(other.event.pathParameters).toEqual({ id: '42' });
    expect(other.context.functionName).toBe('item-by-id');
  });

  it('matches a greedy {path+} parameter over several segments', async () => {
    const { event } = await echoOf({ path: '/files/a/b/c.txt' });
    expect(event.pathParameters).toEqual({ path: 'a/b/c.txt' });
  });

  it.each([
    ['GET', '/nope'],
    ['DELETE', '/echo'],
    ['GET', '/items'],
    ['GET', '/items/'],
    ['GET', '/items/1/2'],
    ['GET', '/'],
    ['POST', '/demo/checkout'],
  ])('answers 404 JSON to %s %s', async (method, path) => {
    const r = await send(gw.url, { method, path });
    expect(r.status).toBe(404);
    expect(r.headers['content-type']).toBe('application/json');
    expect(r.json()).toEqual({ message: 'Not Found' });
  });
});

describe('Lambda context', () => {
  it('names the function and request, and counts down the per-function timeout', async () => {
    const a = await echoOf({ path: '/echo' });
    const b = await echoOf({ path: '/echo' });
    const c = a.context;
    expect(c.functionName).toBe('echo');
    expect(c.functionVersion).toBe('$LATEST');
    expect(c.awsRequestId).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(c.awsRequestId).not.toBe(b.context.awsRequestId);
    expect(c.invokedFunctionArn).toBe('arn:aws:lambda:ap-northeast-2:000000000000:function:echo');
    expect(c.logGroupName).toBe('/aws/lambda/echo');
    expect(c.logStreamName).toMatch(/^\d{4}\/\d{2}\/\d{2}\/\[\$LATEST\]/);
    expect(Number(c.memoryLimitInMB)).toBeGreaterThan(0);
    expect(c.callbackWaitsForEmptyEventLoop).toBe(true);
    expect(c.hasCompatFunctions).toBe(true);
    // echo's timeout is 7 s in this gateway.
    expect(c.remainingTimeInMillis).toBeLessThanOrEqual(7_000);
    expect(c.remainingTimeInMillis).toBeGreaterThan(6_000);
  });

  it('uses shared/functions.ts timeouts and memory by default', async () => {
    const seen = recorded(echo);
    const g = await startGateway({ quiet: true, routes: appRoutes, loadFunction: async () => seen.handler });
    try {
      const r = await send(g.url, { method: 'POST', path: '/payments/callback', body: 'x' });
      expect(r.status).toBe(200);
      const { context } = r.json<Echo>();
      expect(context.functionName).toBe('callback');
      expect(context.memoryLimitInMB).toBe('512');
      expect(context.remainingTimeInMillis).toBeLessThanOrEqual(28_000);
      expect(context.remainingTimeInMillis).toBeGreaterThan(27_000);
    } finally {
      await g.close();
    }
  });
});

describe('the deployed route table', () => {
  it('sends GET /payments/return to return-landing, never to /payments/{orderNo}', async () => {
    const g = await startGateway({ quiet: true, routes: appRoutes, loadFunction: async () => echo as LambdaHandler });
    try {
      const ret = (await send(g.url, { path: '/payments/return?orderNo=o1&status=PAY_COMPLETE' })).json<Echo>();
      expect(ret.context.functionName).toBe('return-landing');
      expect(ret.event.routeKey).toBe('GET /payments/return');
      const cancel = (await send(g.url, { path: '/payments/cancel' })).json<Echo>();
      expect(cancel.context.functionName).toBe('cancel-landing');
      const cb = (await send(g.url, { method: 'POST', path: '/payments/callback' })).json<Echo>();
      expect(cb.context.functionName).toBe('callback');
      // Merchant routes need a token: covered in authorizer.test.ts. GET /payments is one (list-payments).
      expect((await send(g.url, { path: '/payments/o1' })).status).toBe(401);
      expect((await send(g.url, { method: 'GET', path: '/payments' })).status).toBe(401);
      expect((await send(g.url, { method: 'POST', path: '/payments/return' })).status).toBe(404);
    } finally {
      await g.close();
    }
  });
});
