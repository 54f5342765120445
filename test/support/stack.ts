/**
 * The payment stack for integration tests, over real HTTP: a fresh DynamoDB Local table, the Toss
 * sandbox and the local gateway running the real functions. process.env is set before the first
 * request (functions parse their configuration once per "container"), so use ONE stack per test
 * file (vitest runs each file in its own process).
 *
 * Log-leak check: from the start of startStack to `stop()`, every line written to process.stdout
 * and process.stderr is recorded (and still written). `stop()` closes the stack, then throws a
 * LogLeakError (log-capture.ts) if any line holds the Toss apiKey, the merchant token, a full
 * payToken, a card or account number the sandbox issued during the run, or a 15–19 digit run.
 */
import { DEFAULT_API_KEY, startSandbox, type Sandbox } from '../../local/toss-sandbox/server.ts';
import { startGateway, type Gateway } from '../../local/gateway/server.ts';
import { freePort } from '../../local/ports.ts';
import { resetContainers } from '../../shared/deps.ts';
import type { Order } from '../../shared/domain/order.ts';
import { createDocumentClient } from '../../shared/store/client.ts';
import { createOrderStore } from '../../shared/store/orders.ts';
import type { OrderStore } from '../../shared/payments/ports.ts';
import { approve, listPayments, setFault, type PayMethod } from '../../local/toss-sandbox/control.ts';
import { toKst } from '../../shared/toss/time.ts';
import type { TossClient } from '../../shared/payments/ports.ts';
import { startDynamoDbProxy, type DynamoDbProxy } from '../../local/dynamodb-proxy.ts';
import { dynamoEndpoint, freshTable } from './dynamo.ts';
import { recordFunctionOps } from './function-ops.ts';
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
  /** fetch against the gateway; JSON parsed when possible. `redirect: manual`. */
  request(path: string, init?: RequestInit): Promise<HttpReply>;
  /** POST /payments with the merchant token. */
  createPayment(body: Record<string, unknown>): Promise<HttpReply>;
  /** GET /payments/{orderNo} with the merchant token. */
  getPayment(orderNo: string): Promise<HttpReply>;
  /** The stored order, read directly from the table. */
  readOrder(orderNo: string): Promise<Order | undefined>;
  /** Follows a buyer redirect (absolute URL) without following further redirects. */
  visit(url: string): Promise<HttpReply>;
  /** Every line written to stdout/stderr since the stack started. */
  logs(): readonly CapturedLine[];
  /**
   * What the logs must never hold, by kind: the apiKeys the sandbox accepts, the merchant tokens,
   * and every payToken and card or account number the sandbox issued so far (`GET /sandbox/payments`).
   */
  secrets(): Promise<Secrets>;
  /** Runs the log-leak check on the lines so far; throws a LogLeakError naming each finding. */
  checkLogs(): Promise<void>;
  /** Closes the stack, then runs the log-leak check over the whole run (throws on a finding). */
  stop(): Promise<void>;
}

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

export async function startStack(env: Record<string, string> = {}): Promise<Stack> {
  const capture = captureOutput();
  try {
    return await startCaptured(env, capture);
  } catch (e) {
    capture.stop();
    throw e;
  }
}

async function startCaptured(env: Record<string, string>, capture: ReturnType<typeof captureOutput>): Promise<Stack> {
  const tableName = await freshTable();
  // The functions reach DynamoDB through a fault-injecting, recording proxy; the harness's own reads do not.
  const proxy = await startDynamoDbProxy(dynamoEndpoint());
  const apiKey = env.TOSS_API_KEY ?? DEFAULT_API_KEY;
  const apiKeys = [apiKey, ...(env.SANDBOX_EXTRA_KEYS ?? '').split(',').filter((k) => k !== '')];
  const sandbox = await startSandbox({ port: 0, quiet: true, apiKeys });
  const port = await freePort();
  const api = `http://127.0.0.1:${port}`;
  Object.assign(process.env, {
    TABLE_NAME: tableName,
    DYNAMODB_ENDPOINT: proxy.endpoint,
    TOSS_BASE_URL: sandbox.url,
    TOSS_API_KEY: apiKey,
    PUBLIC_BASE_URL: api,
    MERCHANT_TOKENS: TEST_TOKEN,
    TOSS_TIMEOUT_MS: '3000',
    ...env,
  });
  resetContainers();
  let gateway: Gateway;
  try {
    gateway = await startGateway({ port, quiet: true, demoShop: false });
  } catch (e) {
    await sandbox.close();
    await proxy.close();
    throw e;
  }
  const client = createDocumentClient({ region: 'ap-northeast-2', endpoint: dynamoEndpoint() });
  const store = createOrderStore({ client, tableName, retentionDays: 1830 });
  const request = async (path: string, init: RequestInit = {}) => reply(await fetch(`${api}${path}`, { redirect: 'manual', ...init }));
  const auth = { authorization: `Bearer ${TEST_TOKEN}` };
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
    request,
    createPayment: (body) =>
      request('/payments', { method: 'POST', headers: { ...auth, 'content-type': 'application/json' }, body: JSON.stringify(body) }),
    getPayment: (orderNo) => request(`/payments/${encodeURIComponent(orderNo)}`, { headers: auth }),
    readOrder: (orderNo) => store.getOrder(orderNo),
    visit: async (url) => reply(await fetch(url, { redirect: 'manual' })),
    logs: () => capture.lines(),
    secrets,
    checkLogs: async () => assertNoLeaks(capture.lines(), await secrets()),
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
          await gateway.close();
          await sandbox.close();
          await recordFunctionOps(await proxy.functions());
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
