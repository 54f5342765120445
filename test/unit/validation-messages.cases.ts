/**
 * A representative set of bad (and a few good) inputs for every schema deployed code parses, and
 * what each gives: the 400 replies of the real handlers (status and body: every issue's path,
 * message and code), the callback's CALLBACK_MALFORMED reply, the ConfigError messages of the
 * configuration schemas, and what the Toss reply schemas keep or refuse. Run by
 * validation-messages.test.ts against validation-messages.expected.json, recorded with full zod
 * (`import { z } from 'zod'`) before the functions moved to `zod/mini`.
 *
 * No I/O: every request here is refused before the handler reaches DynamoDB or Toss (both point
 * at a closed port, so a request that got through would fail loudly, not pass).
 */
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2, Context } from 'aws-lambda';
import { lambdaContext } from '../../local/gateway/lambda.ts';
import { appConfigSchema, authConfigSchema, eventsConfigSchema, parseEnv } from '../../shared/config.ts';
import type { FunctionName } from '../../shared/functions.ts';
import { cancelReplySchema, createReplySchema, errorReplySchema, executeReplySchema, refundReplySchema, statusReplySchema } from '../../shared/toss/schemas.ts';

/** A port nothing listens on: a request that passed validation would fail, not succeed. */
const CLOSED = 'http://127.0.0.1:9';

export const HANDLER_ENV = {
  TABLE_NAME: 'validation-messages',
  DYNAMODB_ENDPOINT: CLOSED,
  AWS_REGION: 'ap-northeast-2',
  TOSS_BASE_URL: CLOSED,
  TOSS_API_KEY: 'sk_test_w5lNQylNqa5lNQe013Nq',
  TOSS_TIMEOUT_MS: '200',
  PUBLIC_BASE_URL: 'https://pay.example.com',
} as const;

type Handler = (event: APIGatewayProxyEventV2, context: Context) => Promise<APIGatewayProxyStructuredResultV2>;

interface Request {
  routeKey: string;
  path: string;
  query?: Record<string, string>;
  pathParameters?: Record<string, string>;
  headers?: Record<string, string>;
  /** JSON-encoded unless a string. */
  body?: unknown;
}

function eventOf(r: Request): APIGatewayProxyEventV2 {
  const body = r.body === undefined ? undefined : typeof r.body === 'string' ? r.body : JSON.stringify(r.body);
  const headers: Record<string, string> = { ...(body !== undefined ? { 'content-type': 'application/json' } : {}), ...r.headers };
  const rawQueryString = new URLSearchParams(r.query ?? {}).toString();
  const [method] = r.routeKey.split(' ');
  return {
    version: '2.0',
    routeKey: r.routeKey,
    rawPath: r.path,
    rawQueryString,
    headers,
    ...(r.query !== undefined ? { queryStringParameters: r.query } : {}),
    ...(r.pathParameters !== undefined ? { pathParameters: r.pathParameters } : {}),
    ...(body !== undefined ? { body } : {}),
    isBase64Encoded: false,
    requestContext: {
      // As the authorizer passes it for a merchant token (the route check in the HTTP chain reads it).
      authorizer: { lambda: { principal: 'merchant:0123abcd', merchantTokenId: '0123abcd' } },
      accountId: '000000000000',
      apiId: 'local',
      domainName: 'pay.example.com',
      domainPrefix: 'pay',
      http: { method: method ?? 'GET', path: r.path, protocol: 'HTTP/1.1', sourceIp: '127.0.0.1', userAgent: 'validation-messages' },
      requestId: 'validation-messages',
      routeKey: r.routeKey,
      stage: '$default',
      time: '01/Jan/2026:00:00:00 +0000',
      timeEpoch: 1_767_225_600_000,
    } as APIGatewayProxyEventV2['requestContext'],
  };
}

const validCreate = { amount: 1000, amountTaxFree: 0, productDesc: 'T-shirt' };
const validRefund = { amount: 1000, amountTaxFree: 0 };
const refundHeaders = { 'idempotency-key': 'refund-key-1' };
const events = (query: Record<string, string>): Request => ({ routeKey: 'GET /events', path: '/events', query });
const list = (query: Record<string, string>): Request => ({ routeKey: 'GET /payments', path: '/payments', query });
const create = (body: unknown): Request => ({ routeKey: 'POST /payments', path: '/payments', body });
const refund = (body: unknown, headers: Record<string, string> = refundHeaders): Request => ({
  routeKey: 'POST /payments/{orderNo}/refunds',
  path: '/payments/o-1/refunds',
  pathParameters: { orderNo: 'o-1' },
  headers,
  body,
});
const cancel = (body: unknown): Request => ({
  routeKey: 'POST /payments/{orderNo}/cancel',
  path: '/payments/o-1/cancel',
  pathParameters: { orderNo: 'o-1' },
  body,
});
const callback = (body: unknown, headers: Record<string, string> = {}): Request => ({
  routeKey: 'POST /payments/callback',
  path: '/payments/callback',
  headers,
  body,
});

/** Requests each handler refuses, by name. */
export const REQUESTS: Record<string, [FunctionName, Request]> = {
  'create: empty object': ['create-payment', create({})],
  'create: JSON array': ['create-payment', create([])],
  'create: JSON string': ['create-payment', create('"x"')],
  'create: JSON null': ['create-payment', create('null')],
  'create: amount 0': ['create-payment', create({ ...validCreate, amount: 0 })],
  'create: amount too big': ['create-payment', create({ ...validCreate, amount: 10_000_000 })],
  'create: amount not integer': ['create-payment', create({ ...validCreate, amount: 10.5 })],
  'create: amount as string': ['create-payment', create({ ...validCreate, amount: '1000' })],
  'create: amount null': ['create-payment', create({ ...validCreate, amount: null })],
  'create: tax free above amount': ['create-payment', create({ ...validCreate, amountTaxFree: 2000 })],
  'create: negative tax free': ['create-payment', create({ ...validCreate, amountTaxFree: -1 })],
  'create: parts not adding up': ['create-payment', create({ ...validCreate, amountTaxable: 900, amountVat: 90, amountServiceFee: 0 })],
  'create: tax part left blank': ['create-payment', create({ ...validCreate, amountTaxFree: 100, amountTaxable: 818, amountVat: 82 })],
  'create: blank productDesc': ['create-payment', create({ ...validCreate, productDesc: ' ' })],
  'create: quote in productDesc': ['create-payment', create({ ...validCreate, productDesc: "it's" })],
  'create: backslash in productDesc': ['create-payment', create({ ...validCreate, productDesc: 'a\\b' })],
  'create: long productDesc': ['create-payment', create({ ...validCreate, productDesc: 'x'.repeat(256) })],
  'create: blank and quoted productDesc': ['create-payment', create({ ...validCreate, productDesc: ' " ' })],
  'create: productDesc number': ['create-payment', create({ ...validCreate, productDesc: 5 })],
  'create: bad orderNo charset': ['create-payment', create({ ...validCreate, orderNo: '주문1' })],
  'create: long orderNo': ['create-payment', create({ ...validCreate, orderNo: 'a'.repeat(51) })],
  'create: reserved orderNo': ['create-payment', create({ ...validCreate, orderNo: 'callback' })],
  'create: expiry 0': ['create-payment', create({ ...validCreate, expiresInMinutes: 0 })],
  'create: expiry 61': ['create-payment', create({ ...validCreate, expiresInMinutes: 61 })],
  'create: expiry 1.5': ['create-payment', create({ ...validCreate, expiresInMinutes: 1.5 })],
  'create: autoExecute string': ['create-payment', create({ ...validCreate, autoExecute: 'yes' })],
  'create: unknown trade option': ['create-payment', create({ ...validCreate, cashReceiptTradeOption: 'X' })],
  'create: unknown method': ['create-payment', create({ ...validCreate, enablePayMethods: ['CASH'] })],
  'create: no methods': ['create-payment', create({ ...validCreate, enablePayMethods: [] })],
  'create: repeated method': ['create-payment', create({ ...validCreate, enablePayMethods: ['CARD', 'CARD'] })],
  'create: methods as string': ['create-payment', create({ ...validCreate, enablePayMethods: 'CARD' })],
  'create: long metadata': ['create-payment', create({ ...validCreate, metadata: 'm'.repeat(2001) })],
  'create: unknown fields': ['create-payment', create({ ...validCreate, foo: 1, bar: { baz: 2 } })],
  'create: many problems': ['create-payment', create({ amount: -5, amountTaxFree: 'x', productDesc: '', orderNo: '', extra: true })],

  'refund: JSON array': ['refund-payment', refund([1])],
  'refund: amount 0': ['refund-payment', refund({ ...validRefund, amount: 0 })],
  'refund: amount not integer': ['refund-payment', refund({ ...validRefund, amount: 1.5 })],
  'refund: amount too big': ['refund-payment', refund({ ...validRefund, amount: 10_000_000 })],
  'refund: negative tax free': ['refund-payment', refund({ ...validRefund, amountTaxFree: -1 })],
  'refund: parts without amount': ['refund-payment', refund({ amountTaxFree: 0, amountTaxable: 900, amountVat: 90 })],
  'refund: parts not adding up': ['refund-payment', refund({ ...validRefund, amountTaxable: 900, amountVat: 90 })],
  'refund: tax free above amount': ['refund-payment', refund({ amount: 100, amountTaxFree: 200 })],
  'refund: blank reason': ['refund-payment', refund({ ...validRefund, reason: '  ' })],
  'refund: control character in reason': ['refund-payment', refund({ ...validRefund, reason: 'a\u0007b' })],
  'refund: long reason': ['refund-payment', refund({ ...validRefund, reason: 'r'.repeat(101) })],
  'refund: reason number': ['refund-payment', refund({ ...validRefund, reason: 7 })],
  'refund: unknown field': ['refund-payment', refund({ ...validRefund, foo: 1 })],
  'refund: no Idempotency-Key': ['refund-payment', refund(validRefund, {})],
  'refund: bad Idempotency-Key': ['refund-payment', refund(validRefund, { 'idempotency-key': 'a b' })],

  'cancel: reason over 50': ['cancel-payment', cancel({ reason: '재'.repeat(51) })],
  'cancel: blank reason': ['cancel-payment', cancel({ reason: ' ' })],
  'cancel: reason number': ['cancel-payment', cancel({ reason: 7 })],
  'cancel: unknown field': ['cancel-payment', cancel({ reason: '재고 부족', force: true })],
  'cancel: not JSON': ['cancel-payment', cancel('{"reason": ')],
  'cancel: JSON array': ['cancel-payment', cancel([])],

  'list: unknown status': ['list-payments', list({ status: 'NOPE' })],
  'list: attention yes': ['list-payments', list({ attention: 'yes' })],
  'list: from not a time': ['list-payments', list({ from: 'yesterday' })],
  'list: to without offset': ['list-payments', list({ to: '2026-01-01T00:00:00' })],
  'list: limit 0': ['list-payments', list({ limit: '0' })],
  'list: limit 101': ['list-payments', list({ limit: '101' })],
  'list: limit not a number': ['list-payments', list({ limit: 'abc' })],
  'list: limit not integer': ['list-payments', list({ limit: '1.5' })],
  'list: long cursor': ['list-payments', list({ cursor: 'c'.repeat(2001) })],
  'list: unknown parameter': ['list-payments', list({ page: '2' })],
  'list: from after to': ['list-payments', list({ from: '2026-02-01T00:00:00+09:00', to: '2026-01-01T00:00:00+09:00' })],
  'list: range too long': ['list-payments', list({ from: '2024-01-01T00:00:00Z', to: '2026-01-01T00:00:00Z' })],

  'events: bad cursor': ['events-api', events({ after: 'nope' })],
  'events: limit 0': ['events-api', events({ limit: '0' })],
  'events: limit 101': ['events-api', events({ limit: '101' })],
  'events: unknown type': ['events-api', events({ type: 'payment.nope' })],
  'events: unknown parameter': ['events-api', events({ x: '1' })],
  'events: bad event id': ['events-api', { routeKey: 'GET /events/{id}', path: '/events/nope', pathParameters: { id: 'nope' } }],
  'events: no event id': ['events-api', { routeKey: 'GET /events/{id}', path: '/events/', pathParameters: {} }],
  'events: redeliver bad event id': [
    'events-api',
    { routeKey: 'POST /events/{id}/redeliver', path: '/events/evt_%20/redeliver', pathParameters: { id: 'evt_ ' } },
  ],
  'events: redeliver empty body': ['events-api', { routeKey: 'POST /events/redeliver', path: '/events/redeliver', body: {} }],
  'events: redeliver not a time': [
    'events-api',
    { routeKey: 'POST /events/redeliver', path: '/events/redeliver', body: { failedSince: 'yesterday' } },
  ],
  'events: redeliver time without offset': [
    'events-api',
    { routeKey: 'POST /events/redeliver', path: '/events/redeliver', body: { failedSince: '2026-01-01T00:00:00' } },
  ],
  'events: redeliver unknown field': [
    'events-api',
    { routeKey: 'POST /events/redeliver', path: '/events/redeliver', body: { failedSince: '2026-01-01T00:00:00Z', all: true } },
  ],

  'callback: empty object': ['callback', callback({})],
  'callback: bad fields': ['callback', callback({ status: '', payToken: 'p'.repeat(65), orderNo: 'o'.repeat(51), amount: '12a' })],
  'callback: amount not integer': ['callback', callback({ status: 'PAY_COMPLETE', payToken: 'tok', orderNo: 'o-1', amount: 1.5 })],
  'callback: amount too long': ['callback', callback({ status: 'PAY_COMPLETE', payToken: 'tok', orderNo: 'o-1', amount: '12345678901' })],
  'callback: V1 form missing fields': [
    'callback',
    callback('status=PAY_COMPLETE&amount=x', { 'content-type': 'application/x-www-form-urlencoded' }),
  ],
};

/** Environments each configuration schema refuses (or accepts), by name. */
const app = { TABLE_NAME: 't', PUBLIC_BASE_URL: 'https://pay.example.com/', TOSS_API_KEY: 'sk_test_x' };
const secret = `whsec_${Buffer.from('a test secret of 24 bytes').toString('base64')}`;
export const ENVS: Record<string, ['app' | 'events' | 'auth', Record<string, string | undefined>]> = {
  'app: empty': ['app', {}],
  'app: minimal': ['app', app],
  'app: everything set': [
    'app',
    {
      ...app,
      STAGE: 'prod',
      AWS_REGION: 'us-east-1',
      DYNAMODB_ENDPOINT: ' http://127.0.0.1:8000 ',
      RETENTION_DAYS: '400',
      TOSS_BASE_URL: 'https://pay.toss.im/',
      TOSS_API_KEY_SECRET_ARN: 'arn:aws:secretsmanager:ap-northeast-2:111122223333:secret:toss',
      TOSS_TIMEOUT_MS: '9000',
      MERCHANT_RESULT_URL: 'https://shop.example.com/r',
      MERCHANT_SHOP_URL: '',
      CALLBACK_ALLOWED_IPS: ' 1.2.3.4, 5.6.7.0/24 ,,',
      RECONCILE_CONCURRENCY: '4',
      RECONCILE_FLAG_AFTER_MINUTES: '90',
      MERCHANT_WEBHOOK_SECRET: secret,
    },
  ],
  'app: no key, no table, no base URL': ['app', { STAGE: 'x' }],
  'app: bad URLs': ['app', { ...app, PUBLIC_BASE_URL: 'not a url', TOSS_BASE_URL: 'pay.toss.im', DYNAMODB_ENDPOINT: 'localhost:8000', MERCHANT_RESULT_URL: 'x' }],
  'app: bad numbers': ['app', { ...app, TOSS_TIMEOUT_MS: 'soon', RETENTION_DAYS: '0', RECONCILE_CONCURRENCY: '1.5', RECONCILE_FLAG_AFTER_MINUTES: '100001' }],
  'app: timeout too small': ['app', { ...app, TOSS_TIMEOUT_MS: '50' }],
  'app: empty strings': ['app', { ...app, STAGE: '', AWS_REGION: '', TABLE_NAME: '', TOSS_API_KEY: '', TOSS_API_KEY_SECRET_ARN: '' }],
  'app: bad webhook secret': ['app', { ...app, MERCHANT_WEBHOOK_SECRET: 'plainpassword' }],
  'app: bad webhook secret JSON': ['app', { ...app, MERCHANT_WEBHOOK_SECRET: '{not json' }],
  'events: empty': ['events', {}],
  'events: minimal': ['events', { TABLE_NAME: 't' }],
  'events: webhook without secret': ['events', { TABLE_NAME: 't', MERCHANT_WEBHOOK_URL: 'https://shop.example.com/hook' }],
  'events: bad schedule': ['events', { TABLE_NAME: 't', WEBHOOK_RETRY_SCHEDULE: '5, x' }],
  'events: schedule': ['events', { TABLE_NAME: 't', WEBHOOK_RETRY_SCHEDULE: ' 5, 300 ,1800 ', MERCHANT_WEBHOOK_SECRET_ARN: 'arn:x' }],
  'events: bad URLs': ['events', { TABLE_NAME: 't', EVENTBRIDGE_ENDPOINT: 'nope', MERCHANT_WEBHOOK_URL: 'also nope' }],
  'auth: empty': ['auth', {}],
  'auth: blank tokens': ['auth', { MERCHANT_TOKENS: ' , ' }],
  'auth: tokens': ['auth', { MERCHANT_TOKENS: ' a, b ,,', STAGE: 'prod' }],
  'auth: empty ARN': ['auth', { MERCHANT_TOKENS_SECRET_ARN: '' }],
};

const schemas = { app: appConfigSchema, events: eventsConfigSchema, auth: authConfigSchema } as const;

/** Toss replies each reply schema accepts (and keeps) or refuses, by name. */
const status = { code: 0, mode: 'TEST', payToken: 'tok', orderNo: 'o-1', payStatus: 'PAY_COMPLETE', amount: 1000 };
export const REPLIES: Record<string, [keyof typeof REPLY_SCHEMAS, unknown]> = {
  'status: minimal': ['status', status],
  'status: unknown fields kept, nulls allowed': [
    'status',
    { ...status, payMethod: null, paidAmount: 1000, transactions: [{ stepType: 'PAY', transactionAmount: 1000, extra: 'x' }], newField: { a: 1 } },
  ],
  'status: amount as string': ['status', { ...status, amount: '1000' }],
  'status: code -1': ['status', { ...status, code: -1 }],
  'status: transactions not an array': ['status', { ...status, transactions: {} }],
  'status: not an object': ['status', 'PAY_COMPLETE'],
  'create: ok': ['create', { code: 0, payToken: 'tok', checkoutPage: 'https://pay.toss.im/x', extra: 1 }],
  'create: empty payToken': ['create', { code: 0, payToken: '', checkoutPage: 'x' }],
  'execute: ok': ['execute', { code: 0, approvalTime: '2026-01-01 00:00:00', other: true }],
  'execute: bad amount': ['execute', { code: 0, amount: 'x' }],
  'cancel: ok': ['cancel', { code: 0, msg: null }],
  'refund: ok': ['refund', { code: 0, refundNo: 'r1', refundedAmount: 100, refundableAmount: null }],
  'error: ok': ['error', { code: -1, errorCode: 'COMMON_ERROR', msg: '잘못된 요청' }],
  'error: null fields': ['error', { code: -1, errorCode: null }],
  'error: code 0': ['error', { code: 0 }],
};

const REPLY_SCHEMAS = {
  status: statusReplySchema,
  create: createReplySchema,
  execute: executeReplySchema,
  cancel: cancelReplySchema,
  refund: refundReplySchema,
  error: errorReplySchema,
} as const;

export interface Outcomes {
  requests: Record<string, { status: number | undefined; body: unknown }>;
  config: Record<string, { ok: true; value: unknown } | { ok: false; message: string }>;
  replies: Record<string, { ok: true; value: unknown } | { ok: false; issues: unknown }>;
}

/** Runs every case. Sets `HANDLER_ENV` in process.env before it imports the handlers. */
export async function runCases(): Promise<Outcomes> {
  Object.assign(process.env, HANDLER_ENV);
  const handlers = new Map<string, Handler>();
  const handlerOf = async (fn: FunctionName): Promise<Handler> => {
    let h = handlers.get(fn);
    if (h === undefined) {
      h = ((await import(`../../functions/${fn}/handler.ts`)) as { handler: Handler }).handler;
      handlers.set(fn, h);
    }
    return h;
  };
  const requests: Outcomes['requests'] = {};
  for (const [name, [fn, req]] of Object.entries(REQUESTS)) {
    const r = await (await handlerOf(fn))(eventOf(req), lambdaContext(fn, 28));
    requests[name] = { status: r.statusCode, body: typeof r.body === 'string' ? (JSON.parse(r.body) as unknown) : r.body };
  }
  const config: Outcomes['config'] = {};
  for (const [name, [schema, env]] of Object.entries(ENVS)) {
    try {
      config[name] = { ok: true, value: JSON.parse(JSON.stringify(parseEnv(schemas[schema], env))) as unknown };
    } catch (e) {
      config[name] = { ok: false, message: (e as Error).message };
    }
  }
  const replies: Outcomes['replies'] = {};
  for (const [name, [schema, value]] of Object.entries(REPLIES)) {
    const r = REPLY_SCHEMAS[schema].safeParse(value);
    replies[name] = r.success ? { ok: true, value: r.data } : { ok: false, issues: JSON.parse(JSON.stringify(r.error.issues)) as unknown };
  }
  return { requests, config, replies };
}
