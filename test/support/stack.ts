/**
 * The payment stack for integration tests, over real HTTP: a fresh DynamoDB Local table, the Toss
 * sandbox and the local gateway running the real functions; and the events as `npm start` runs
 * them: the table's stream read into the events function (local/dynamodb-streams.ts), an
 * EventBridge stand-in the functions put events on (local/eventbridge.ts), and, when asked for, a
 * webhook receiver (test/support/webhook-receiver.ts) the functions send to. process.env is set before the first
 * request (functions parse their configuration once per "container"), so use ONE stack per test
 * file (after each file, test/support/shared-worker.ts restores the environment and drops the
 * containers and the project's modules, so the next file's stack starts afresh).
 *
 * Log-leak check: from the start of startStack to `stop()`, every line written to process.stdout
 * and process.stderr is recorded (and still written). `stop()` closes the stack, then throws a
 * LogLeakError (log-capture.ts) if any line holds the Toss apiKey, the merchant token, a full
 * payToken, a card or account number or a card's BIN the sandbox issued during the run, a webhook
 * signing secret (the configured one, or one the endpoints API handed out), or a 15–19 digit run.
 *
 * Reply check: every reply `request`, `merchantRequest`, `createPayment`, `getPayment` and `visit`
 * get from a route of shared/routes.ts is checked against the OpenAPI document
 * (openapi-replies.ts): a status, content type or body it does not document fails the test.
 */
import { expect } from 'vitest';
import { DEFAULT_API_KEY, startSandbox, type Sandbox } from '../../local/toss-sandbox/server.ts';
import { startGateway, type Gateway } from '../../local/gateway/server.ts';
import { resetContainers } from '../../shared/deps.ts';
import type { Order } from '../../shared/domain/order.ts';
import { createOrderStore, orderKey } from '../../shared/store/orders.ts';
import type { OrderStore } from '../../shared/payments/ports.ts';
import { approve, listPayments, setFault, type PayMethod } from '../../local/toss-sandbox/control-client.ts';
import { toKst } from '../../shared/domain/toss-time.ts';
import { cancelUrl, returnUrl } from '../../shared/payments/create.ts';
import { landingTokens } from '../../shared/payments/landing-token.ts';
import type { TossClient } from '../../shared/payments/ports.ts';
import { startDynamoDbProxy, type DynamoDbProxy, type FaultSpec } from '../../local/dynamodb-proxy.ts';
import { startStreamConsumer, type StreamConsumer } from '../../local/dynamodb-streams.ts';
import { startEventBridge, type EventBridgeStandIn } from '../../local/eventbridge.ts';
import { startLocalUserPool, type ConsoleUser, type LocalUserPool } from '../../local/cognito.ts';
import { invokeScheduled, userPoolEnvironment } from '../../local/start.ts';
import { startWebhookReceiver, type WebhookReceiver } from './webhook-receiver.ts';
import { dynamoEndpoint, freshTable, testDocumentClient, TEST_DYNAMODB_ENV } from './dynamo.ts';
import { recordFunctionOps } from './function-ops.ts';
import { checkReply } from './openapi-replies.ts';
import { TEST_TIMINGS, timingsFor, type StackTimings } from './timings.ts';
import { assertNoLeaks, captureOutput, SecretKind, type CapturedLine, type Secrets } from './log-capture.ts';

export interface HttpReply<T = Record<string, unknown>> {
  status: number;
  headers: Headers;
  text: string;
  json: T;
}

export interface Stack {
  /** The gateway's base URL (= PUBLIC_BASE_URL). */
  api: string;
  /**
   * The DynamoDB proxy the functions talk through: tests inject DynamoDB faults with it, and it
   * records which operations each function made (see test/audit).
   */
  proxy: DynamoDbProxy;
  sandbox: Sandbox;
  token: string;
  apiKey: string;
  tableName: string;
  store: OrderStore;
  /** The leases, locks, windows and timeouts the stack's functions run with (TEST_TIMINGS unless `env` set one). */
  timings: StackTimings;
  /**
   * fetch against the gateway; JSON parsed when possible. `redirect: manual`. A reply of a route of
   * shared/routes.ts that breaks the OpenAPI document throws (test/support/openapi-replies.ts).
   */
  request(path: string, init?: RequestInit): Promise<HttpReply>;
  /** POST /payments with the merchant token. */
  createPayment(body: Record<string, unknown>): Promise<HttpReply>;
  /** GET /payments/{orderNo} with the merchant token. */
  getPayment(orderNo: string): Promise<HttpReply>;
  /** The stored order, read directly from the table. */
  readOrder(orderNo: string): Promise<Order | undefined>;
  /** Follows a buyer redirect (absolute URL) without following further redirects. */
  visit(url: string): Promise<HttpReply>;
  /** A landing's URL as given to Toss for `orderNo` (with its landing token): the buyer's own. */
  landingUrl(source: 'return' | 'cancel', orderNo: string): Promise<string>;
  /** Every line written to stdout/stderr since the stack started. */
  logs(): readonly CapturedLine[];
  /**
   * What the logs must never hold, by kind: the apiKeys the sandbox accepts, the merchant tokens,
   * and every payToken, card or account number and card BIN the sandbox issued so far (`GET /sandbox/payments`).
   */
  secrets(): Promise<Secrets>;
  /** Runs the log-leak check on the lines so far; throws a LogLeakError naming each finding. */
  checkLogs(): Promise<void>;
  /** The EventBridge stand-in the functions put events on (EVENTBRIDGE_ENDPOINT): read, clear, make it fail. */
  eventBridge: EventBridgeStandIn;
  /** The stream consumer feeding the events function: `caughtUp()` waits until every change so far is published. */
  streams: StreamConsumer;
  /** The test webhook receiver, when `startStack(env, { webhooks })` asked for one. */
  webhooks: WebhookReceiver | undefined;
  /** One run of the webhook retrier (functions/webhook-retrier, as its schedule invokes it). */
  runWebhookRetrier(): Promise<{ attempted: number }>;
  /** One pass of the reconciler (functions/reconciler, as its schedule invokes it); its summary. */
  runReconciler(): Promise<Record<string, unknown>>;
  /** fetch against the gateway with the merchant token (JSON bodies: pass `json`). */
  merchantRequest(path: string, init?: RequestInit & { json?: unknown }): Promise<HttpReply>;
  /** The console's user pool, when `startStack(env, { console })` asked for one. */
  userPool: LocalUserPool | undefined;
  /** Closes the stack, then runs the log-leak check over the whole run (throws on a finding). */
  stop(): Promise<void>;
}

/** Webhooks for a stack: a test receiver (`true` or its settings), or a receiver of your own. */
export type StackWebhooks =
  | true
  | {
      /** Default: a test receiver the stack starts (Stack.webhooks). */
      url?: string;
      /** Default: a fresh `whsec_` secret (the test receiver's). Required with `url`. */
      secret?: string;
      /** WEBHOOK_RETRY_SCHEDULE, e.g. `1,1,1`. */
      retrySchedule?: string;
    };

export interface StackOptions {
  /** Sets MERCHANT_WEBHOOK_URL / MERCHANT_WEBHOOK_SECRET / WEBHOOK_RETRY_SCHEDULE. Unset: no webhooks (unless `env` sets them). */
  webhooks?: StackWebhooks;
  /**
   * The console's user pool (cognito-local, local/cognito.ts) with these users; the authorizer and
   * the console function are configured with it. `clock`: when its tokens are issued. Unset: no
   * user pool (merchant tokens only).
   */
  console?: { users: readonly ConsoleUser[]; clock?: () => number };
  /**
   * false: the table has no stream, and nothing reads it into the events function (`streams`
   * then says so if asked to catch up). For a test of the payments alone whose items are near
   * DynamoDB's size limit: each change of one would be a stream record twice its size, read and
   * turned into events that the test never looks at.
   */
  stream?: false;
}

/** Variables that change what the events do; a stack sets them itself (or leaves them unset), never inherits them. */
/** The operations that change items, so that the stream has something new. */
const WRITES = new Set(['PutItem', 'UpdateItem', 'DeleteItem', 'BatchWriteItem', 'TransactWriteItems']);

const EVENT_VARIABLES = ['MERCHANT_WEBHOOK_URL', 'MERCHANT_WEBHOOK_SECRET', 'MERCHANT_WEBHOOK_SECRET_ARN', 'WEBHOOK_RETRY_SCHEDULE', 'EVENTBRIDGE_ENDPOINT', 'EVENT_BUS_NAME'];
/** The user pool's variables: set from the stack's own pool, or left unset. */
const USER_POOL_VARIABLES = ['COGNITO_ENDPOINT', 'COGNITO_USER_POOL_ID', 'COGNITO_CLIENT_ID', 'COGNITO_ISSUER', 'COGNITO_JWKS_URI'];

export const TEST_TOKEN = 'merchant-token-for-tests-0123456789';

async function reply(res: Response): Promise<HttpReply> {
  const text = await res.text();
  let json: Record<string, unknown> = {};
  try {
    const v: unknown = JSON.parse(text);
    if (v !== null && typeof v === 'object') json = v as Record<string, unknown>;
  } catch {
    // not JSON: pages
  }
  return { status: res.status, headers: res.headers, text, json };
}

/**
 * The options of a stack for a test of the payments alone, which reads no events, event log,
 * ledger or webhooks (test/integration/events and the webhook tests do): its table has no stream
 * and no events function runs on its changes (a quarter of such a file's CPU).
 */
export const PAYMENTS_ALONE: StackOptions = { stream: false };

/** The `streams` of a stack whose table has no stream (StackOptions.stream false). */
function withoutStream(): StreamConsumer {
  return {
    streamArn: '',
    caughtUp: () => Promise.reject(new Error('this stack has no stream (startStack with { stream: false })')),
    poke: () => undefined,
    stats: () => ({ read: 0, passed: 0, invocations: 0, failedInvocations: 0, shards: 0 }),
    stop: () => Promise.resolve(),
  };
}

export async function startStack(env: Record<string, string> = {}, opts: StackOptions = {}): Promise<Stack> {
  const capture = captureOutput();
  try {
    return await startCaptured(env, opts, capture);
  } catch (e) {
    capture.stop();
    throw e;
  }
}

async function startCaptured(env: Record<string, string>, opts: StackOptions, capture: ReturnType<typeof captureOutput>): Promise<Stack> {
  const tableName = await freshTable('payments', { stream: opts.stream !== false });
  const closers: Array<() => Promise<void>> = [];
  const closeAll = async (): Promise<void> => {
    for (const close of closers.splice(0).reverse()) await close().catch(() => undefined);
  };
  try {
    return await startParts(env, opts, capture, tableName, closers);
  } catch (e) {
    await closeAll();
    throw e;
  }
}

async function startParts(
  env: Record<string, string>,
  opts: StackOptions,
  capture: ReturnType<typeof captureOutput>,
  tableName: string,
  closers: Array<() => Promise<void>>,
): Promise<Stack> {
  // The functions reach DynamoDB through a fault-injecting, recording proxy; the harness's own reads do not.
  // Each write they make has the stream read at once (the stream is polled rarely otherwise).
  const wrote = { poke: (): void => undefined };
  const proxy = await startDynamoDbProxy(dynamoEndpoint(), {
    onAnswered: (a) => {
      if (a.status === 200 && WRITES.has(a.operation)) wrote.poke();
    },
  });
  closers.push(() => proxy.close());
  const apiKey = env.TOSS_API_KEY ?? DEFAULT_API_KEY;
  const apiKeys = [apiKey, ...(env.SANDBOX_EXTRA_KEYS ?? '').split(',').filter((k) => k !== '')];
  const sandbox = await startSandbox({ port: 0, quiet: true, apiKeys });
  closers.push(() => sandbox.close());
  const eventBridge = await startEventBridge();
  closers.push(() => eventBridge.close());
  const wanted = opts.webhooks === true ? {} : opts.webhooks;
  let webhooks: WebhookReceiver | undefined;
  if (wanted !== undefined && wanted.url === undefined) {
    webhooks = await startWebhookReceiver(wanted.secret !== undefined ? { secret: wanted.secret } : {});
    const receiver = webhooks;
    closers.push(() => receiver.close());
  }
  if (wanted?.url !== undefined && wanted.secret === undefined) throw new Error('startStack: webhooks.url needs webhooks.secret');
  const webhookEnv: Record<string, string> =
    wanted === undefined
      ? {}
      : {
          MERCHANT_WEBHOOK_URL: wanted.url ?? webhooks?.url ?? '',
          MERCHANT_WEBHOOK_SECRET: wanted.secret ?? webhooks?.secret ?? '',
          ...(wanted.retrySchedule !== undefined ? { WEBHOOK_RETRY_SCHEDULE: wanted.retrySchedule } : {}),
        };
  let userPool: LocalUserPool | undefined;
  if (opts.console !== undefined) {
    userPool = await startLocalUserPool({ users: opts.console.users, ...(opts.console.clock !== undefined ? { clock: opts.console.clock } : {}) });
    const pool = userPool;
    closers.push(() => pool.close());
  }
  // Listening first (on a port the OS picks), then told its own URL: no port is chosen and bound later.
  const gateway: Gateway = await startGateway({ port: 0, quiet: true, demoShop: false });
  closers.push(() => gateway.close());
  const api = gateway.url;
  for (const k of [...EVENT_VARIABLES, ...USER_POOL_VARIABLES]) delete process.env[k];
  Object.assign(process.env, {
    TABLE_NAME: tableName,
    DYNAMODB_ENDPOINT: proxy.endpoint,
    TOSS_BASE_URL: sandbox.url,
    TOSS_API_KEY: apiKey,
    PUBLIC_BASE_URL: api,
    MERCHANT_TOKENS: TEST_TOKEN,
    // The result pages name the shop (the landings need it to start).
    MERCHANT_NAME: '테스트 상점',
    ...TEST_DYNAMODB_ENV,
    ...Object.fromEntries(Object.entries(TEST_TIMINGS).map(([k, v]) => [k, String(v)])),
    EVENTBRIDGE_ENDPOINT: eventBridge.url,
    ...webhookEnv,
    ...(userPool !== undefined ? userPoolEnvironment(userPool) : {}),
    ...env,
  });
  resetContainers();
  // The event source mapping reads the stream from DynamoDB Local itself (not through the functions' proxy).
  // Polled at its defaults (Lambda's rate), and at once after the functions' writes and on caughtUp().
  const consumer =
    opts.stream === false
      ? withoutStream()
      : await startStreamConsumer({
          endpoint: dynamoEndpoint(),
          tableName,
          region: 'ap-northeast-2',
          initialBackoffMs: 100,
          maxBackoffMs: 1_000,
        });
  wrote.poke = () => consumer.poke();
  closers.push(() => consumer.stop());
  const client = testDocumentClient();
  const store = createOrderStore({ client, tableName, retentionDays: 1830 });
  // Every reply of a route of the table is checked against the OpenAPI document (a ReplyContractError otherwise).
  // Every signing secret the endpoints API hands out, for the log-leak check.
  const endpointSecrets = new Set<string>();
  const request = async (path: string, init: RequestInit = {}) => {
    const r = await reply(await fetch(`${api}${path}`, { redirect: 'manual', ...init }));
    checkReply(init.method ?? 'GET', path, r);
    if (path.startsWith('/webhook-endpoints') && typeof r.json.secret === 'string') endpointSecrets.add(r.json.secret);
    return r;
  };
  const auth = { authorization: `Bearer ${TEST_TOKEN}` };
  const merchantRequest = async (path: string, init: RequestInit & { json?: unknown } = {}): Promise<HttpReply> => {
    const { json, headers, ...rest } = init;
    return request(path, {
      ...rest,
      headers: { ...auth, ...(json !== undefined ? { 'content-type': 'application/json' } : {}), ...(headers as Record<string, string> | undefined) },
      ...(json !== undefined ? { body: JSON.stringify(json) } : {}),
    });
  };
  const merchantTokens = [TEST_TOKEN, ...(process.env.MERCHANT_TOKENS ?? '').split(',')].map((t) => t.trim()).filter((t) => t !== '');
  const secrets = async (): Promise<Secrets> => {
    const issued = await listPayments(sandbox.url);
    const present = (v: string | null): v is string => v !== null;
    return {
      [SecretKind.apiKey]: apiKeys,
      [SecretKind.merchantToken]: merchantTokens,
      [SecretKind.payToken]: issued.map((p) => p.payToken),
      [SecretKind.cardNumber]: issued.map((p) => p.cardNumber).filter(present),
      [SecretKind.accountNumber]: issued.map((p) => p.accountNumber).filter(present),
      [SecretKind.cardBin]: issued.map((p) => p.cardBinNumber).filter(present),
      // The key of each: a line holding it, with or without its `whsec_`, leaks it.
      [SecretKind.webhookSecret]: [...endpointSecrets, ...(process.env.MERCHANT_WEBHOOK_SECRET !== undefined && process.env.MERCHANT_WEBHOOK_SECRET.startsWith('whsec_') ? [process.env.MERCHANT_WEBHOOK_SECRET] : [])].map((x) => x.slice('whsec_'.length)),
      [SecretKind.userToken]: userPool?.issuedTokens() ?? [],
      [SecretKind.userPassword]: (userPool?.users ?? []).map((u) => u.password),
    };
  };
  let stopped: Promise<void> | undefined;
  return {
    api,
    proxy,
    sandbox,
    token: TEST_TOKEN,
    apiKey,
    tableName,
    store,
    timings: timingsFor(env),
    request,
    createPayment: (body) =>
      request('/payments', { method: 'POST', headers: { ...auth, 'content-type': 'application/json' }, body: JSON.stringify(body) }),
    getPayment: (orderNo) => request(`/payments/${encodeURIComponent(orderNo)}`, { headers: auth }),
    readOrder: (orderNo) => store.getOrder(orderNo),
    visit: async (url) => {
      const r = await reply(await fetch(url, { redirect: 'manual' }));
      if (url.startsWith(`${api}/`)) checkReply('GET', url, r);
      return r;
    },
    landingUrl: async (source, orderNo) => (source === 'return' ? returnUrl : cancelUrl)(api, await landingTokens(() => Promise.resolve(apiKey)).tokenFor(orderNo)),
    logs: () => capture.lines(),
    secrets,
    checkLogs: async () => assertNoLeaks(capture.lines(), await secrets()),
    eventBridge,
    streams: consumer,
    webhooks,
    userPool,
    runWebhookRetrier: async () => (await invokeScheduled('webhook-retrier')) as { attempted: number },
    runReconciler: async () => (await invokeScheduled('reconciler')) as Record<string, unknown>,
    merchantRequest,
    stop: () =>
      (stopped ??= (async () => {
        // The sandbox's list first: it goes with the sandbox.
        let known: Secrets | undefined;
        let listError: unknown;
        try {
          known = await secrets();
        } catch (e) {
          listError = e;
        }
        try {
          // The stream first: an invocation in flight still reaches the bus, the receiver and the proxy.
          await consumer.stop();
          await gateway.close();
          await eventBridge.close();
          await webhooks?.close();
          await sandbox.close();
          await userPool?.close();
          await recordFunctionOps(await proxy.functions(), await proxy.indexes());
          await proxy.close();
          client.destroy();
        } finally {
          capture.stop();
        }
        if (known === undefined) throw new Error('log-leak check: could not list the sandbox payments', { cause: listError });
        assertNoLeaks(capture.stop(), known);
      })()),
  };
}

let seq = 0;
/** A unique orderNo for a test. */
export const newOrderNo = (prefix = 'it'): string => `${prefix}-${Date.now().toString(36)}-${(seq++).toString(36)}`;

/**
 * A payment made at Toss WITHOUT our create (`toss` may hold any key the sandbox accepts), paid by
 * the buyer, its callback dropped by the sandbox: what a forged, cross-mode or lost-order callback
 * is about. Returns the facts a callback body carries.
 */
export async function paidAtTossOnly(
  s: Pick<Stack, 'api' | 'sandbox'>,
  toss: TossClient,
  o: { prefix: string; amount: number; payMethod: PayMethod },
): Promise<{ orderNo: string; payToken: string; amount: number }> {
  const orderNo = newOrderNo(o.prefix);
  await setFault(s.sandbox.url, { target: 'callback', kind: 'drop', orderNo });
  const c = await toss.createPayment({
    orderNo,
    amount: o.amount,
    amountTaxFree: 0,
    productDesc: `${o.prefix} order`,
    retUrl: `${s.api}/payments/return?orderNo=${orderNo}`,
    retCancelUrl: `${s.api}/payments/cancel?orderNo=${orderNo}`,
    autoExecute: true,
    resultCallback: `${s.api}/payments/callback`,
    callbackVersion: 'V2',
    expiredTime: toKst(Date.now() + 600_000),
  });
  await approve(s.sandbox.url, c.payToken, o.payMethod);
  return { orderNo, payToken: c.payToken, amount: o.amount };
}

/** Polls `check` until it returns a value other than undefined (or throws after `ms`). */
export async function eventually<T>(check: () => Promise<T | undefined>, ms = 5_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await check();
    if (v !== undefined) return v;
    if (Date.now() > end) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** The checkoutPage of a reply opens a payable checkout (the sandbox shows its pay button). */
export async function payable(r: HttpReply): Promise<boolean> {
  const page = await fetch(String(r.json.checkoutPage));
  return page.status === 200 && (await page.text()).includes('action="/payfront/auth/approve"');
}

/** Which write's reply to drop: its operation, and optionally a piece of its expression. */
export type DropSpec = Omit<Extract<FaultSpec, { kind: 'drop-reply' }>, 'kind' | 'key'>;

/**
 * Has the stack's proxy drop the reply of the next write to `orderNo` that matches (the write is
 * applied); the returned check asserts that it really happened, once.
 */
export async function dropNextReply(s: Pick<Stack, 'proxy'>, orderNo: string, spec: DropSpec): Promise<() => Promise<void>> {
  const f = await s.proxy.addFault({ kind: 'drop-reply', key: orderKey(orderNo), ...spec });
  return async () => {
    const hit = (await s.proxy.faults()).find((x) => x.id === f.id);
    expect(hit?.hits, `the ${spec.operation} reply was dropped`).toBe(1);
  };
}
