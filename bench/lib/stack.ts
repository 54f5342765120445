/**
 * The local payment stack inside a bench section's process, as test/support/stack.ts builds it
 * for the integration tests: the local gateway running the real functions (unmodified) against
 * the Toss sandbox (run by bench/run.ts in its own process), and optionally a second gateway
 * whose callback route runs the Powertools-wrapped variant. Helpers make orders that Toss reports
 * PAY_COMPLETE while their callbacks were dropped, so the bench delivers the callbacks itself.
 */
import { createTableIfMissing, createTableInput, ensureTable } from '../../local/dynamodb.ts';
import { tableDefinition } from '../../shared/store/table.ts';
import { createFunctionLoader } from '../../local/gateway/lambda.ts';
import { startGateway, type Gateway, type LambdaHandler } from '../../local/gateway/server.ts';
import { freePort } from '../../local/ports.ts';
import { approve, callbackBody as sandboxCallbackBody, clearFaults, getPayment, resetSandbox, setFault } from '../../local/toss-sandbox/control-client.ts';
import { DEFAULT_API_KEY } from '../../local/toss-sandbox/server.ts';
import { paymentContainer, resetContainers } from '../../shared/deps.ts';
import { createPayment } from '../../shared/payments/create.ts';
import { createPaymentSchema } from '../../shared/payments/request-schemas.ts';
import type { PaymentDeps } from '../../shared/payments/ports.ts';
import { mapPool } from './pool.ts';

export const MERCHANT_TOKEN = 'merchant-token-for-the-bench-0123456789';

export interface BenchStack {
  /** The gateway running the project's functions. */
  api: string;
  /** A gateway whose callback route runs the Powertools-wrapped callback (when asked for). */
  powertoolsApi: string | undefined;
  sandboxUrl: string;
  tableName: string;
  idempotencyTable: string;
  /** The use cases' deps, exactly as the functions in this process build them. */
  deps: PaymentDeps;
  /** Sets the sandbox faults: callbacks dropped, and v2/status delayed by `statusLatencyMs` (startBenchStack sets 0). */
  setFaults(statusLatencyMs: number): Promise<void>;
  close(): Promise<void>;
}

export interface BenchStackOptions {
  /** Where the functions send DynamoDB requests (DynamoDB Local or the counting proxy in front). */
  functionsEndpoint: string;
  /** DynamoDB Local itself, for creating tables. */
  adminEndpoint: string;
  tableName: string;
  /** The Toss sandbox (started with DEFAULT_API_KEY accepted); reset here, then callbacks dropped (setFaults(0)). */
  sandboxUrl: string;
  powertools: boolean;
  /**
   * false: the orders table without its stream (default: with it, as deployed). For sections that
   * read no stream: DynamoDB Local keeps every stream record in its own database and slows as they
   * pile up (tens of thousands of orders), which DynamoDB itself does not.
   */
  stream?: boolean;
}

export async function startBenchStack(o: BenchStackOptions): Promise<BenchStack> {
  const idempotencyTable = `${o.tableName}-idempotency`;
  const setFaults = async (statusLatencyMs: number): Promise<void> => {
    await clearFaults(o.sandboxUrl);
    await setFault(o.sandboxUrl, { target: 'callback', kind: 'drop' });
    if (statusLatencyMs > 0) await setFault(o.sandboxUrl, { target: 'status', kind: 'latency', ms: statusLatencyMs });
  };
  if (o.stream === false) {
    const { StreamSpecification: _stream, ...input } = createTableInput(o.tableName);
    await createTableIfMissing(o.adminEndpoint, input, tableDefinition.ttlAttribute);
  } else {
    await ensureTable(o.adminEndpoint, o.tableName);
  }
  if (o.powertools) await ensureIdempotencyTable(o.adminEndpoint, idempotencyTable);
  const sandboxUrl = o.sandboxUrl;
  await resetSandbox(sandboxUrl);
  await setFaults(0);
  const port = await freePort();
  const api = `http://127.0.0.1:${port}`;
  // The functions parse this once per "container" (this process), on first use.
  Object.assign(process.env, {
    TABLE_NAME: o.tableName,
    DYNAMODB_ENDPOINT: o.functionsEndpoint,
    TOSS_BASE_URL: sandboxUrl,
    TOSS_API_KEY: DEFAULT_API_KEY,
    PUBLIC_BASE_URL: api,
    MERCHANT_TOKENS: MERCHANT_TOKEN,
    // The landings name the shop on their pages (their cold start needs it).
    MERCHANT_NAME: 'bench',
    IDEMPOTENCY_TABLE_NAME: idempotencyTable,
  });
  resetContainers();
  const gateways: Gateway[] = [];
  try {
    gateways.push(await startGateway({ port, quiet: true, demoShop: false }));
    if (o.powertools) {
      const defaultLoader = createFunctionLoader();
      // Imported only now: the wrapper reads its table and endpoint from process.env at init.
      const { handler } = await import('../functions/callback-powertools/handler.ts');
      const wrapped = handler as LambdaHandler;
      gateways.push(
        await startGateway({
          quiet: true,
          demoShop: false,
          loadFunction: (fn) => (fn === 'callback' ? Promise.resolve(wrapped) : defaultLoader(fn)),
        }),
      );
    }
  } catch (e) {
    await Promise.all(gateways.map((g) => g.close()));
    throw e;
  }
  return {
    api,
    powertoolsApi: gateways[1]?.url,
    sandboxUrl,
    tableName: o.tableName,
    idempotencyTable,
    deps: paymentContainer('create-payment').deps,
    setFaults,
    async close() {
      await Promise.all(gateways.map((g) => g.close()));
    },
  };
}

export interface PaidOrder {
  orderNo: string;
  payToken: string;
  /** Where the sandbox sends the buyer after paying: our return landing with Toss's query. */
  returnUrl: string;
  /** The V2 callback body Toss would have sent (when asked for). */
  callbackBody: Record<string, unknown>;
}

let seq = 0;
/** Unique order numbers for this process: `<prefix>-<time>-<n>`. */
export const orderNos = (prefix: string, n: number): string[] => {
  const t = Date.now().toString(36);
  return Array.from({ length: n }, () => `${prefix}-${t}-${(seq++).toString(36)}`);
};

export interface PaidOrderOptions {
  /** false: the buyer approves and the payment waits for our execute (PAY_APPROVED). */
  autoExecute?: boolean;
  /** Fetch the sandbox's record to build the callback body (one more control call per order). */
  callbackBody?: boolean;
}

/**
 * Creates `n` orders through the create use case (what POST /payments runs), and the buyer pays
 * each at the sandbox with callbacks dropped: the stored orders stay PAY_STANDBY while Toss says
 * PAY_COMPLETE (or PAY_APPROVED without autoExecute). Call `setFaults` first.
 */
export async function makePaidOrders(
  stack: BenchStack,
  prefix: string,
  n: number,
  concurrency: number,
  opts: PaidOrderOptions = {},
): Promise<PaidOrder[]> {
  const autoExecute = opts.autoExecute ?? true;
  return mapPool(orderNos(prefix, n), concurrency, async (orderNo) => {
    const input = createPaymentSchema.parse({ orderNo, amount: 15_000, amountTaxFree: 0, productDesc: 'bench order', autoExecute, expiresInMinutes: 60 });
    const { order } = await createPayment(input, stack.deps);
    if (order.payToken === undefined) throw new Error(`order ${orderNo} has no payToken`);
    const { redirect } = await approve(stack.sandboxUrl, order.payToken, 'CARD');
    let callbackBody: Record<string, unknown> = {};
    if (opts.callbackBody !== false) {
      const p = await getPayment(stack.sandboxUrl, order.payToken);
      const expected = autoExecute ? 'PAY_COMPLETE' : 'PAY_APPROVED';
      if (p.payStatus !== expected) throw new Error(`order ${orderNo}: the sandbox says ${p.payStatus}, expected ${expected}`);
      // Toss sends a callback only for a paid payment: the sandbox gives the exact body it would send.
      if (autoExecute) callbackBody = await sandboxCallbackBody(stack.sandboxUrl, order.payToken);
    }
    return { orderNo, payToken: order.payToken, returnUrl: redirect, callbackBody };
  });
}

/** GETs `url` (a landing) without following redirects; returns the HTTP status. */
export async function visit(url: string): Promise<number> {
  const res = await fetch(url, { redirect: 'manual' });
  await res.arrayBuffer();
  return res.status;
}

/** POSTs one V2 JSON callback to `base`; returns the HTTP status. */
export async function postCallback(base: string, body: Record<string, unknown>): Promise<number> {
  const res = await fetch(`${base}/payments/callback`, {
    method: 'POST',
    headers: { 'content-type': 'application/json;charset=UTF-8' },
    body: JSON.stringify(body),
  });
  await res.arrayBuffer();
  return res.status;
}

/** Creates Powertools' idempotency table (`id` string key, the layer's defaults) if missing. */
export function ensureIdempotencyTable(endpoint: string, tableName: string): Promise<void> {
  return createTableIfMissing(endpoint, {
    TableName: tableName,
    BillingMode: 'PAY_PER_REQUEST',
    AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }],
    KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
  });
}
