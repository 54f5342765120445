/**
 * Tracing, proven with the segments X-Ray would receive: this file runs the functions as Lambda
 * runs them with active tracing (the X-Ray SDK in its Lambda mode, a trace header per invocation)
 * and captures what they send to the X-Ray daemon (a UDP socket standing in for it, at
 * AWS_XRAY_DAEMON_ADDRESS). A payment's trace follows it from the API through the Toss and DynamoDB
 * calls; every log line carries the trace id; the order records the trace of its write, and the
 * events function's trace of that change names it; the functions that serve files (`GET /docs`, the
 * console) trace their invocations too. Toss is the sandbox, DynamoDB DynamoDB Local.
 *
 * Everywhere else (npm start, the rest of the tests, the benchmarks) tracing is off: no
 * AWS_EXECUTION_ENV, no daemon (shared/tracer.ts).
 */
import { createSocket, type Socket } from 'node:dgram';
import type { AddressInfo } from 'node:net';
import { marshall } from '@aws-sdk/util-dynamodb';
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2, Context, DynamoDBStreamEvent } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { lambdaContext } from '../../../local/gateway/lambda.ts';
import { DEFAULT_API_KEY, startSandbox, type Sandbox } from '../../../local/toss-sandbox/server.ts';
import { dynamoEndpoint, freshTable, testDocumentClient } from '../../support/dynamo.ts';
import { captureOutput } from '../../support/log-capture.ts';

/** A segment document as the X-Ray SDK sends it (the parts this file reads). */
interface Sent {
  id: string;
  name: string;
  trace_id: string;
  parent_id?: string;
  namespace?: string;
  annotations?: Record<string, string | number | boolean>;
  aws?: { operation?: string; table_name?: string };
  http?: { request?: { url?: string; method?: string } };
}

const traceHeader = (root: string, parent: string): string => `Root=${root};Parent=${parent};Sampled=1`;
const API_TRACE = '1-6a0c1e00-1234567890abcdef12345678';
const EVENTS_TRACE = '1-6a0c1e01-abcdef1234567890abcdef12';

let daemon: Socket;
let sent: Sent[] = [];
let sandbox: Sandbox;
let tableName: string;
const client = testDocumentClient();

/** Runs a function's handler as Lambda does for one invocation of trace `root`. */
async function invoke<E, R>(fn: string, root: string, event: E): Promise<R> {
  process.env._X_AMZN_TRACE_ID = traceHeader(root, '53995c3f42cd8ad8');
  process.env.AWS_LAMBDA_FUNCTION_NAME = fn;
  const { handler } = (await import(`../../../functions/${fn}/handler.ts`)) as { handler: (e: E, c: Context) => Promise<R> };
  return handler(event, lambdaContext(fn, 28));
}

/** Waits until the daemon got what `done` looks for (the SDK sends each subsegment as it closes, over UDP). */
async function received(done: (s: Sent[]) => boolean): Promise<Sent[]> {
  for (let i = 0; i < 200 && !done(sent); i++) await new Promise((r) => setTimeout(r, 10));
  return sent;
}

beforeAll(async () => {
  daemon = createSocket('udp4');
  daemon.on('message', (m) => {
    // `{"format": "json", "version": 1}` and the document, one per line.
    const doc = m.toString('utf8').split('\n')[1];
    if (doc !== undefined && doc !== '') sent.push(JSON.parse(doc) as Sent);
  });
  await new Promise<void>((r) => daemon.bind(0, '127.0.0.1', r));
  sandbox = await startSandbox({ quiet: true });
  tableName = await freshTable('trace');
  // Lambda's environment, with active tracing: set before anything loads the X-Ray SDK.
  Object.assign(process.env, {
    LAMBDA_TASK_ROOT: '/var/task',
    AWS_EXECUTION_ENV: 'AWS_Lambda_nodejs24.x',
    AWS_LAMBDA_INITIALIZATION_TYPE: 'on-demand',
    _HANDLER: 'index.handler',
    AWS_XRAY_DAEMON_ADDRESS: `127.0.0.1:${(daemon.address() as AddressInfo).port}`,
    AWS_XRAY_CONTEXT_MISSING: 'IGNORE_ERROR',
    TABLE_NAME: tableName,
    DYNAMODB_ENDPOINT: dynamoEndpoint(),
    TOSS_BASE_URL: sandbox.url,
    TOSS_API_KEY: DEFAULT_API_KEY,
    PUBLIC_BASE_URL: 'https://pay.example.com',
    MERCHANT_NAME: 'Trace Shop',
    EVENTBRIDGE_ENDPOINT: 'http://127.0.0.1:9',
  });
}, 60_000);

afterAll(async () => {
  client.destroy();
  daemon.close();
  await sandbox.close();
});

const createEvent = (orderNo: string): APIGatewayProxyEventV2 => ({
  version: '2.0',
  routeKey: 'POST /payments',
  rawPath: '/payments',
  rawQueryString: '',
  headers: { 'content-type': 'application/json' },
  body: JSON.stringify({ orderNo, amount: 1000, amountTaxFree: 0, productDesc: 'traced' }),
  isBase64Encoded: false,
  requestContext: {
    // As the authorizer passes it for a merchant token (the route check in the HTTP chain reads it).
    authorizer: { lambda: { principal: 'merchant:0123abcd', merchantTokenId: '0123abcd' } },
    accountId: '000000000000',
    apiId: 'local',
    domainName: 'pay.example.com',
    domainPrefix: 'pay',
    http: { method: 'POST', path: '/payments', protocol: 'HTTP/1.1', sourceIp: '127.0.0.1', userAgent: 'trace-test' },
    requestId: 'trace-test',
    routeKey: 'POST /payments',
    stage: '$default',
    time: '01/Jan/2026:00:00:00 +0000',
    timeEpoch: 1_767_225_600_000,
  } as APIGatewayProxyEventV2['requestContext'],
});

describe('a payment traced through the functions', () => {
  const orderNo = `TRACE-${Date.now()}`;
  let logs: string[];

  it('create-payment: one trace from the API through the Toss and DynamoDB calls, every log line carrying its id', async () => {
    sent = [];
    const capture = captureOutput();
    let reply: APIGatewayProxyStructuredResultV2;
    try {
      reply = await invoke('create-payment', API_TRACE, createEvent(orderNo));
    } finally {
      logs = capture.stop().map((l) => l.text);
    }
    expect(reply.statusCode).toBe(201);
    const segments = await received((s) => s.some((x) => x.name === '## index.handler'));
    const handler = segments.find((x) => x.name === '## index.handler');
    // The function's invocation: a subsegment of the trace Lambda started, about this order.
    expect(handler).toMatchObject({ trace_id: API_TRACE, parent_id: '53995c3f42cd8ad8', annotations: { orderNo, Service: 'toss-pay', ColdStart: true } });
    const under = (parent: Sent | undefined) => segments.filter((x) => parent !== undefined && x.parent_id === parent.id);
    // The DynamoDB calls (the record before Toss, the write after it), each under the invocation.
    expect(under(handler).filter((x) => x.name === 'DynamoDB').map((x) => [x.aws?.operation, x.aws?.table_name])).toEqual([
      ['PutItem', tableName],
      ['UpdateItem', tableName],
    ]);
    // The Toss call: its own subsegment, with the HTTP request to Toss under it (X-Ray leaves the port out).
    const toss = under(handler).find((x) => x.name === '## toss.payments');
    expect(toss?.annotations).toEqual({ tossApi: 'payments' });
    expect(under(toss).map((x) => [x.namespace, x.http?.request?.method, x.http?.request?.url])).toEqual([['remote', 'POST', 'http://127.0.0.1/api/v2/payments']]);
    // All of it one trace.
    expect(new Set(segments.map((x) => x.trace_id))).toEqual(new Set([API_TRACE]));
    // The trace id on every line the function logged.
    const lines = logs.filter((l) => l.startsWith('{"level"')).map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(lines.length).toBeGreaterThan(0);
    expect(lines.map((l) => l.xray_trace_id)).toEqual(lines.map(() => API_TRACE));
  });

  it('the order records the trace of the write that made it', async () => {
    const item = (await client.send(new GetCommand({ TableName: tableName, Key: { pk: `ORDER#${orderNo}` } }))).Item;
    expect(item?.writeTraceId).toBe(API_TRACE);
  });

  it('events: the trace of the change names the trace of the write that caused it', async () => {
    const item = (await client.send(new GetCommand({ TableName: tableName, Key: { pk: `ORDER#${orderNo}` } }))).Item as Record<string, unknown>;
    const change: DynamoDBStreamEvent = {
      Records: [
        {
          eventName: 'MODIFY',
          dynamodb: {
            Keys: marshall({ pk: item.pk }) as never,
            NewImage: marshall(item, { removeUndefinedValues: true }) as never,
            OldImage: marshall({ ...item, status: 'CREATING', version: 1 }, { removeUndefinedValues: true }) as never,
            SequenceNumber: '1',
          },
        },
      ],
    };
    sent = [];
    const r = await invoke<DynamoDBStreamEvent, { batchItemFailures: unknown[] }>('events', EVENTS_TRACE, change);
    expect(r.batchItemFailures).toEqual([]);
    const segments = await received((s) => s.some((x) => x.name === '## index.handler'));
    const handler = segments.find((x) => x.name === '## index.handler');
    expect(handler?.trace_id).toBe(EVENTS_TRACE);
    expect(segments.filter((x) => x.name === '## order change' && x.parent_id === handler?.id).map((x) => x.annotations)).toEqual([
      { orderNo, orderVersion: item.version, causedBy: API_TRACE },
    ]);
  });
});

describe('the functions that serve files', () => {
  /** A public GET as API Gateway passes it (no authorizer: these routes have none). */
  const getEvent = (path: string): APIGatewayProxyEventV2 => ({
    ...createEvent('unused'),
    routeKey: `GET ${path}`,
    rawPath: path,
    headers: { 'accept-encoding': 'gzip' },
    body: undefined,
    requestContext: { ...createEvent('unused').requestContext, authorizer: undefined, http: { ...createEvent('unused').requestContext.http, method: 'GET', path }, routeKey: `GET ${path}` } as APIGatewayProxyEventV2['requestContext'],
  });

  for (const [fn, path, trace] of [
    ['api-docs', '/docs', '1-6a0c1e02-0123456789abcdef01234567'],
    ['console', '/console', '1-6a0c1e03-89abcdef0123456789abcdef'],
  ] as const) {
    it(`${fn}: its invocation is a subsegment of the trace Lambda started (their chain traces as the API's does)`, async () => {
      Object.assign(process.env, { COGNITO_ENDPOINT: 'http://127.0.0.1:9/', COGNITO_CLIENT_ID: 'trace-client' });
      sent = [];
      const capture = captureOutput();
      let reply: APIGatewayProxyStructuredResultV2;
      try {
        reply = await invoke(fn, trace, getEvent(path));
      } finally {
        capture.stop();
      }
      expect(reply.statusCode).toBe(200);
      const segments = await received((x) => x.some((y) => y.name === '## index.handler'));
      expect(segments.find((x) => x.name === '## index.handler')).toMatchObject({ trace_id: trace, parent_id: '53995c3f42cd8ad8', annotations: { Service: 'toss-pay' } });
    });
  }
});
