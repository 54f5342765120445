/**
 * `npm start`: the whole stack on this machine.
 *
 *   DynamoDB Local   http://127.0.0.1:8000   (DYNAMODB_PORT; DATA_DIR keeps data, unset = in memory)
 *   Toss sandbox     http://127.0.0.1:4010   (TOSS_SANDBOX_PORT)
 *   EventBridge      http://127.0.0.1:4020   (EVENTBRIDGE_PORT): the stand-in for the event bus
 *   API gateway      http://127.0.0.1:3000   (API_PORT), with the demo shop at / and the console at /console
 *   User pool        http://127.0.0.1:9229   (COGNITO_PORT): cognito-local, the console's users (CONSOLE_USERS)
 *
 * The events run as in AWS: the table's stream feeds the events function (local/dynamodb-streams.ts,
 * the event source mapping's stand-in), which puts each event on the bus (local/eventbridge.ts) and
 * sends it to the webhook endpoints: unless MERCHANT_WEBHOOK_URL is set, the demo shop registers its
 * own receiver through the API at start (local/demo-endpoint.ts). The webhook retrier runs every
 * WEBHOOK_RETRY_INTERVAL_SECONDS.
 *
 * With DYNAMODB_ENDPOINT set, no DynamoDB Local is started (and Java is not needed): the stack
 * uses that endpoint (a shared DynamoDB Local, a proxy, a real table), creating the table there
 * if it is missing.
 *
 * The functions run inside the gateway, in this process, configured through process.env exactly
 * as the stack configures them in AWS. Configuration is checked (zod) and Java and the ports are
 * checked before anything starts; Ctrl-C or SIGTERM stops every child.
 *
 * `startLocalStack(env)` does the work and is exported for tests and other tools.
 */
import type { ChildProcess } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { z } from 'zod';
import { appConfigSchema, authConfigSchema, ConfigError, consoleConfigSchema, eventsConfigSchema, parseEnv } from '../shared/config.ts';
import { resetContainers } from '../shared/deps.ts';
import { isLoopbackEndpoint } from '../shared/store/client.ts';
import { ConsoleUsersError, generatedPassword, parseConsoleUsers, startLocalUserPool, type ConsoleUser, type LocalUserPool } from './cognito.ts';
import { assertJava, ensureTable, startDynamoDbLocal, type EnsureTableResult } from './dynamodb.ts';
import { startStreamConsumer } from './dynamodb-streams.ts';
import { startEventBridge } from './eventbridge.ts';
import { startGateway } from './gateway/server.ts';
import { createFunctionLoader, defaultTimeoutSeconds, invoke, type LambdaHandler } from './gateway/lambda.ts';
import { registerDemoEndpoint } from './demo-endpoint.ts';
import { assertPortFree } from './ports.ts';
import { startSandbox } from './toss-sandbox/server.ts';

/** The Toss docs' public test key; the sandbox accepts it. */
const DOCS_TEST_KEY = 'sk_test_w5lNQylNqa5lNQe013Nq';
const LOCAL_REGION = 'ap-northeast-2';

const emptyAsUnset = (v: unknown): unknown => (typeof v === 'string' && v.trim() === '' ? undefined : v);

const portVar = (def: number) =>
  z.preprocess(emptyAsUnset, z.coerce.number().int().min(1).max(65_535).default(def));
const optionalString = z.preprocess(emptyAsUnset, z.string().optional());
const optionalEndpoint = z.preprocess(
  emptyAsUnset,
  z
    .url({ protocol: /^https?$/, error: 'must be an http:// or https:// URL, e.g. http://127.0.0.1:8000 or https://dynamodb.ap-northeast-2.amazonaws.com' })
    .transform((u) => u.replace(/\/+$/, ''))
    .optional(),
);

const optionalHttpUrl = z.preprocess(
  emptyAsUnset,
  z.url({ protocol: /^https?$/, error: 'must be an http:// or https:// URL' }).optional(),
);

/** What `npm start` itself reads. Variables the functions read are checked by shared/config.ts. */
export const localStartSchema = z.object({
  /** An existing DynamoDB to use instead of starting DynamoDB Local. */
  DYNAMODB_ENDPOINT: optionalEndpoint.describe('An existing DynamoDB to use instead of starting DynamoDB Local (an http:// or https:// URL): no Java needed, the table is created there if missing. Not with DYNAMODB_PORT or DATA_DIR.'),
  DYNAMODB_PORT: portVar(8000).describe('Port of DynamoDB Local.'),
  TOSS_SANDBOX_PORT: portVar(4010).describe('Port of the Toss sandbox.'),
  API_PORT: portVar(3000).describe('Port of the local API gateway and the demo shop.'),
  /** The EventBridge stand-in. */
  EVENTBRIDGE_PORT: portVar(4020).describe("Port of the EventBridge stand-in (the functions' EVENTBRIDGE_ENDPOINT)."),
  COGNITO_PORT: portVar(9229).describe("Port of the console's user pool (cognito-local)."),
  CONSOLE_USERS: optionalString.describe('The console users, `role:email:password` comma-separated (roles viewer, operator, admin); unset: one operator whose generated password the banner prints.'),
  DATA_DIR: optionalString.describe('When set, DynamoDB Local keeps its data in this folder across restarts; unset: in memory.'),
  TABLE_NAME: z.preprocess(emptyAsUnset, z.string().min(1).default('toss-payments-local')).describe('The table the local stack uses (created if missing).'),
  TOSS_API_KEY: z.preprocess(emptyAsUnset, z.string().min(1).default(DOCS_TEST_KEY)).describe("The Toss key the functions use and the sandbox accepts (default: Toss's documented public test key)."),
  MERCHANT_TOKENS: z.preprocess(emptyAsUnset, z.string().min(1).default('local-merchant-token')).describe('The merchant bearer tokens the local authorizer accepts, comma-separated.'),
  MERCHANT_RESULT_URL: optionalString.describe("Passed to the landings (the functions' MERCHANT_RESULT_URL)."),
  CALLBACK_ALLOWED_IPS: optionalString.describe("Passed to the callback (the functions' CALLBACK_ALLOWED_IPS); unset locally: every address."),
  AWS_REGION: z.preprocess(emptyAsUnset, z.string().min(1).default(LOCAL_REGION)).describe('The region the local functions and DynamoDB clients use (must match a real DYNAMODB_ENDPOINT).'),
  /** Seconds between reconciler passes inside `npm start`; 0 disables them. */
  RECONCILE_INTERVAL_SECONDS: z.preprocess(emptyAsUnset, z.coerce.number().int().min(0).max(86_400).default(60)).describe('Seconds between reconciler passes inside `npm start`; 0 turns them off.'),
  /** Seconds between webhook retrier runs inside `npm start`; 0 disables them. */
  WEBHOOK_RETRY_INTERVAL_SECONDS: z.preprocess(emptyAsUnset, z.coerce.number().int().min(0).max(86_400).default(10)).describe('Seconds between webhook retrier runs inside `npm start` (deployed: every minute); 0 turns them off.'),
  /** Unset: the demo shop registers its receiver as an endpoint. The functions' schema checks it again (and that a secret goes with it). */
  MERCHANT_WEBHOOK_URL: optionalHttpUrl.describe(
    "A webhook receiver set in the configuration (http:// or https://; the API lists it as `we_env` but cannot change it). Unset: the demo shop registers its own receiver as an endpoint through POST /webhook-endpoints.",
  ),
});
export type LocalStartConfig = z.infer<typeof localStartSchema>;

/** Function settings a user may tune locally; copied to the functions' environment when set. */
const PASS_THROUGH = [
  'MERCHANT_RESULT_URL',
  'MERCHANT_SHOP_URL',
  'MERCHANT_NAME',
  'MERCHANT_SUPPORT',
  'MERCHANT_COMPANY',
  'MERCHANT_REPRESENTATIVE',
  'MERCHANT_BUSINESS_NUMBER',
  'MERCHANT_MAIL_ORDER_NUMBER',
  'MERCHANT_ADDRESS',
  'LOG_FORMAT',
  'CALLBACK_ALLOWED_IPS',
  'TOSS_TIMEOUT_MS',
  'RETENTION_DAYS',
  'RECONCILE_CONCURRENCY',
  'RECONCILE_FLAG_AFTER_MINUTES',
  'EVENT_BUS_NAME',
  'MERCHANT_WEBHOOK_URL',
  'MERCHANT_WEBHOOK_SECRET',
  'WEBHOOK_RETRY_SCHEDULE',
] as const;

/** The demo shop's business, shown on the result pages when MERCHANT_NAME is not given (none of it is real). */
export const DEMO_MERCHANT = {
  MERCHANT_NAME: '토스 데모 상점',
  MERCHANT_COMPANY: '(주)토스 데모 상점',
  MERCHANT_REPRESENTATIVE: '홍길동',
  MERCHANT_BUSINESS_NUMBER: '000-00-00000',
  MERCHANT_MAIL_ORDER_NUMBER: '제0000-서울강남-00000호',
  MERCHANT_ADDRESS: '서울특별시 강남구 테헤란로 000 (데모)',
} as const;
/** The business details a user may give besides the name (theirs win over the demo's). */
const MERCHANT_DETAILS = ['MERCHANT_COMPANY', 'MERCHANT_REPRESENTATIVE', 'MERCHANT_BUSINESS_NUMBER', 'MERCHANT_MAIL_ORDER_NUMBER', 'MERCHANT_ADDRESS'] as const;
const pick = (o: Record<string, string | undefined>, keys: readonly string[]): Record<string, string> =>
  Object.fromEntries(keys.flatMap((k) => (o[k] === undefined ? [] : [[k, o[k] as string]])));

/** Deployed-only variables that must not leak into the local functions. */
const DEPLOYED_ONLY = ['TOSS_API_KEY_SECRET_ARN', 'MERCHANT_TOKENS_SECRET_ARN', 'MERCHANT_WEBHOOK_SECRET_ARN'] as const;

/** The demo shop's webhook receiver on the local gateway. */
export const demoWebhookUrl = (c: LocalStartConfig): string => `http://127.0.0.1:${c.API_PORT}/demo/webhooks`;

/** A signing secret for this run of npm start, made once per process (never printed): the landings sign their redirects with it. */
let runSecret: string | undefined;
const localWebhookSecret = (): string => (runSecret ??= `whsec_${randomBytes(24).toString('base64')}`);

/** The DynamoDB the local stack uses: DYNAMODB_ENDPOINT, or the DynamoDB Local it starts. */
export const dynamoEndpointOf = (c: LocalStartConfig): string => c.DYNAMODB_ENDPOINT ?? `http://127.0.0.1:${c.DYNAMODB_PORT}`;

/** How the banner and `npm run reconcile` name the DynamoDB in use. */
export function describeDynamo(c: LocalStartConfig): string {
  if (c.DYNAMODB_ENDPOINT === undefined) return `DynamoDB Local ${dynamoEndpointOf(c)} (DYNAMODB_PORT)`;
  const where = isLoopbackEndpoint(c.DYNAMODB_ENDPOINT) ? 'on this machine' : 'credentials from the AWS default chain';
  return `DynamoDB ${c.DYNAMODB_ENDPOINT} (DYNAMODB_ENDPOINT, ${where})`;
}

/**
 * The functions' environment for this local stack (the same variables infra/ sets in AWS).
 * Undefined values are removed from process.env when applied.
 */
export function functionEnvironment(c: LocalStartConfig, env: NodeJS.ProcessEnv, opts: { tty?: boolean } = {}): Record<string, string | undefined> {
  const out: Record<string, string | undefined> = {};
  for (const k of PASS_THROUGH) {
    const v = emptyAsUnset(env[k]);
    if (typeof v === 'string') out[k] = v;
  }
  for (const k of DEPLOYED_ONLY) out[k] = undefined;
  // No webhook receiver configured: the demo shop registers its own through the API once the
  // gateway runs; the landings still sign their redirects (MERCHANT_RESULT_URL) with a secret.
  if (out.MERCHANT_WEBHOOK_URL === undefined) out.MERCHANT_WEBHOOK_SECRET ??= localWebhookSecret();
  // The demo shop, as the result pages present it (a made-up business: every detail a page can show).
  out.MERCHANT_SHOP_URL ??= `http://127.0.0.1:${c.API_PORT}/`;
  if (out.MERCHANT_NAME === undefined) Object.assign(out, { ...DEMO_MERCHANT, MERCHANT_SUPPORT: out.MERCHANT_SUPPORT ?? `http://127.0.0.1:${c.API_PORT}/` }, pick(out, MERCHANT_DETAILS));
  // Readable lines in a terminal; the JSON CloudWatch gets when the output goes to a file or a pipe.
  out.LOG_FORMAT ??= opts.tty ? 'pretty' : 'json';
  return {
    ...out,
    EVENTBRIDGE_ENDPOINT: `http://127.0.0.1:${c.EVENTBRIDGE_PORT}`,
    STAGE: 'local',
    AWS_REGION: c.AWS_REGION,
    TABLE_NAME: c.TABLE_NAME,
    DYNAMODB_ENDPOINT: dynamoEndpointOf(c),
    TOSS_BASE_URL: `http://127.0.0.1:${c.TOSS_SANDBOX_PORT}`,
    TOSS_API_KEY: c.TOSS_API_KEY,
    PUBLIC_BASE_URL: `http://127.0.0.1:${c.API_PORT}`,
    MERCHANT_TOKENS: c.MERCHANT_TOKENS,
    // The console's page names the user pool's API; the pool's ids and issuer are set once it runs (userPoolEnvironment).
    COGNITO_ENDPOINT: `http://127.0.0.1:${c.COGNITO_PORT}/`,
  };
}

/** The authorizer's and the console's variables for a running local user pool: cognito-local's issuer and keys. */
export const userPoolEnvironment = (p: Pick<LocalUserPool, 'endpoint' | 'userPoolId' | 'clientId' | 'issuer' | 'jwksUri'>): Record<string, string> => ({
  COGNITO_ENDPOINT: p.endpoint,
  COGNITO_USER_POOL_ID: p.userPoolId,
  COGNITO_CLIENT_ID: p.clientId,
  COGNITO_ISSUER: p.issuer,
  COGNITO_JWKS_URI: p.jwksUri,
});

/** The console's users: CONSOLE_USERS, or one operator with a password made for this run. */
export function consoleUsersOf(c: LocalStartConfig): { users: ConsoleUser[]; generated: boolean } {
  if (c.CONSOLE_USERS !== undefined) {
    try {
      return { users: parseConsoleUsers(c.CONSOLE_USERS), generated: false };
    } catch (e) {
      if (e instanceof ConsoleUsersError) throw new ConfigError(`invalid configuration:\n  ${e.message}`);
      throw e;
    }
  }
  return { users: [{ role: 'operator', email: 'operator@example.com', password: generatedPassword() }], generated: true };
}

// ---------------------------------------------------------------------------------------------
// PERIODIC JOBS. Scheduled work (EventBridge schedules in the deployed stack) is registered in
// `periodicJobs()` below; `startLocalStack` runs each job every `intervalSeconds` after the
// gateway is up (never two passes of one job at once) and stops them first on shutdown.
// `lambdaJob(fn, seconds)` runs functions/<fn>/handler.ts with a Lambda context and timeout.
// ---------------------------------------------------------------------------------------------

export interface PeriodicJob {
  readonly name: string;
  readonly intervalSeconds: number;
  run(): Promise<void>;
}

/**
 * Invokes the scheduled function `fn` once, as its EventBridge schedule does (a Scheduled Event, a
 * Lambda context, its timeout from shared/functions.ts); its result. A failure or timeout throws.
 */
export async function invokeScheduled(fn: string, load: (fn: string) => Promise<LambdaHandler> = defaultLoader()): Promise<unknown> {
  const handler = await load(fn);
  const event = {
    version: '0',
    id: randomUUID(),
    'detail-type': 'Scheduled Event',
    source: 'aws.events',
    account: '000000000000',
    time: new Date().toISOString(),
    region: process.env.AWS_REGION ?? LOCAL_REGION,
    resources: [`arn:aws:events:${LOCAL_REGION}:000000000000:rule/local-${fn}`],
    detail: {},
  };
  const seconds = defaultTimeoutSeconds(fn);
  const r = await invoke(handler, fn, event, seconds);
  if (!r.ok) throw r.reason === 'timeout' ? new Error(`Task timed out after ${seconds.toFixed(2)} seconds`) : r.error;
  return r.value;
}

let sharedLoader: ((fn: string) => Promise<LambdaHandler>) | undefined;
const defaultLoader = (): ((fn: string) => Promise<LambdaHandler>) => (sharedLoader ??= createFunctionLoader());

/** A job that invokes the scheduled function `fn` (an EventBridge-like event, its own timeout). */
export function lambdaJob(fn: string, intervalSeconds: number): PeriodicJob {
  const load = createFunctionLoader();
  return {
    name: fn,
    intervalSeconds,
    async run() {
      await invokeScheduled(fn, load);
    },
  };
}

/** The periodic jobs of the local stack: the reconciler and the webhook retrier (each deployed on an EventBridge schedule). */
export function periodicJobs(config: LocalStartConfig, _env: NodeJS.ProcessEnv): PeriodicJob[] {
  const jobs: PeriodicJob[] = [];
  if (config.RECONCILE_INTERVAL_SECONDS > 0) jobs.push(lambdaJob('reconciler', config.RECONCILE_INTERVAL_SECONDS));
  if (config.WEBHOOK_RETRY_INTERVAL_SECONDS > 0) jobs.push(lambdaJob('webhook-retrier', config.WEBHOOK_RETRY_INTERVAL_SECONDS));
  return jobs;
}

/** Runs each job every `intervalSeconds` after its previous run ended (never two runs of a job at once); `stop` waits for runs in flight. */
export function runPeriodicJobs(jobs: readonly PeriodicJob[]): { stop(): Promise<void> } {
  let stopped = false;
  const timers = new Set<NodeJS.Timeout>();
  const running = new Set<Promise<void>>();
  for (const job of jobs) {
    const schedule = (): void => {
      if (stopped) return;
      const t = setTimeout(() => {
        timers.delete(t);
        const pass = job
          .run()
          .catch((e: unknown) => console.error(`[${job.name}] periodic run failed:`, e))
          .finally(() => {
            running.delete(pass);
            schedule();
          });
        running.add(pass);
      }, job.intervalSeconds * 1000);
      timers.add(t);
    };
    schedule();
  }
  return {
    async stop() {
      stopped = true;
      for (const t of timers) clearTimeout(t);
      timers.clear();
      await Promise.allSettled([...running]);
    },
  };
}

// ---------------------------------------------------------------------------------------------

export interface LocalStack {
  apiUrl: string;
  shopUrl: string;
  sandboxUrl: string;
  /** The EventBridge stand-in (EVENTBRIDGE_ENDPOINT of the functions): `GET /events` lists what was put. */
  eventBridgeUrl: string;
  /** Where webhooks go: MERCHANT_WEBHOOK_URL, or the demo shop's receiver. */
  webhookUrl: string;
  /** True when webhooks go to the demo shop's receiver (MERCHANT_WEBHOOK_URL unset). */
  webhookToDemoShop: boolean;
  /** The demo shop's webhook endpoint (registered through the API), when the webhooks go there. */
  demoEndpointId: string | undefined;
  /** What ensureTable added to an existing table from before the events (an index, the stream). */
  tableAdded: string[];
  dynamoEndpoint: string;
  tableName: string;
  /** The token the demo shop uses (the first of MERCHANT_TOKENS). */
  merchantToken: string;
  /** The operator console (`<api>/console`). */
  consoleUrl: string;
  /** The console's user pool (cognito-local) and its users. */
  userPool: LocalUserPool;
  /** True when CONSOLE_USERS was unset and the one operator's password was made for this run (the banner prints it). */
  consolePasswordGenerated: boolean;
  /** The DynamoDB Local child process (for a last-resort kill on exit); none when DYNAMODB_ENDPOINT is used. */
  dynamoDbProcess: ChildProcess | undefined;
  config: LocalStartConfig;
  stop(): Promise<void>;
}

/** Parses the local configuration; a ConfigError names every bad variable. */
export function localConfig(env: NodeJS.ProcessEnv, opts: { tty?: boolean } = {}): { config: LocalStartConfig; functionEnv: Record<string, string | undefined> } {
  const config = parseEnv(localStartSchema, env);
  const functionEnv = functionEnvironment(config, env, opts);
  const merged = { ...env, ...functionEnv };
  // The functions' own schemas, so a bad variable fails here, at start, naming it.
  parseEnv(appConfigSchema, merged);
  parseEnv(eventsConfigSchema, merged);
  parseEnv(authConfigSchema, merged);
  parseEnv(consoleConfigSchema, { ...merged, COGNITO_CLIENT_ID: 'known-once-the-pool-runs' });
  consoleUsersOf(config);
  if (config.DYNAMODB_ENDPOINT !== undefined) {
    // Both configure the DynamoDB Local that is then not started: refused rather than ignored.
    const moot = (['DYNAMODB_PORT', 'DATA_DIR'] as const).filter((k) => emptyAsUnset(env[k]) !== undefined);
    if (moot.length > 0)
      throw new ConfigError(
        `invalid configuration:\n${moot.map((k) => `  ${k}: applies to the DynamoDB Local that npm start starts; with DYNAMODB_ENDPOINT set none is started (unset one of them)`).join('\n')}`,
      );
  }
  const ports = [
    ...(config.DYNAMODB_ENDPOINT === undefined ? [['DYNAMODB_PORT', config.DYNAMODB_PORT] as const] : []),
    ['TOSS_SANDBOX_PORT', config.TOSS_SANDBOX_PORT] as const,
    ['EVENTBRIDGE_PORT', config.EVENTBRIDGE_PORT] as const,
    ['COGNITO_PORT', config.COGNITO_PORT] as const,
    ['API_PORT', config.API_PORT] as const,
  ];
  for (const [i, [name, port]] of ports.entries()) {
    const clash = ports.slice(0, i).find(([, p]) => p === port);
    if (clash !== undefined) throw new ConfigError(`invalid configuration:\n  ${name}: port ${port} is also ${clash[0]}`);
  }
  return { config, functionEnv };
}

/**
 * Starts DynamoDB Local (unless DYNAMODB_ENDPOINT is given), the Toss sandbox, the EventBridge
 * stand-in, the gateway (with the demo shop), the stream consumer and the periodic jobs.
 */
export async function startLocalStack(env: NodeJS.ProcessEnv = process.env, opts: { quiet?: boolean; tty?: boolean } = {}): Promise<LocalStack> {
  const { config, functionEnv } = localConfig(env, { tty: opts.tty === true });
  const log = (s: string): void => {
    if (opts.quiet !== true) console.log(s);
  };

  // Everything that can be checked is checked before anything starts.
  const external = config.DYNAMODB_ENDPOINT;
  if (external === undefined) {
    assertJava();
    await assertPortFree(config.DYNAMODB_PORT, 'DynamoDB Local (DYNAMODB_PORT)');
  }
  await assertPortFree(config.TOSS_SANDBOX_PORT, 'the Toss sandbox (TOSS_SANDBOX_PORT)');
  await assertPortFree(config.EVENTBRIDGE_PORT, 'the EventBridge stand-in (EVENTBRIDGE_PORT)');
  await assertPortFree(config.COGNITO_PORT, "the console's user pool (COGNITO_PORT)");
  const consoleUsers = consoleUsersOf(config);
  await assertPortFree(config.API_PORT, 'the API gateway (API_PORT)');

  const stops: Array<() => Promise<void>> = [];
  const stopAll = async (): Promise<void> => {
    for (const stop of stops.splice(0).reverse()) {
      try {
        await stop();
      } catch (e) {
        console.error('stopping failed:', e);
      }
    }
  };

  try {
    let dynamoEndpoint: string;
    let dynamoDbProcess: ChildProcess | undefined;
    let table: EnsureTableResult;
    if (external === undefined) {
      log(`Starting DynamoDB Local on port ${config.DYNAMODB_PORT}…`);
      const ddb = await startDynamoDbLocal({ port: config.DYNAMODB_PORT, dataDir: config.DATA_DIR });
      stops.push(() => ddb.stop());
      dynamoEndpoint = ddb.endpoint;
      dynamoDbProcess = ddb.process;
      table = await ensureTable(dynamoEndpoint, config.TABLE_NAME);
    } else {
      log(`Using ${describeDynamo(config)}…`);
      dynamoEndpoint = external;
      try {
        table = await ensureTable(dynamoEndpoint, config.TABLE_NAME, { region: config.AWS_REGION });
      } catch (e) {
        throw new Error(`DynamoDB at ${dynamoEndpoint} (DYNAMODB_ENDPOINT): ${errorText(e)}`, { cause: e });
      }
    }
    if (table.added.length > 0) log(`Table ${config.TABLE_NAME} is from before the events: added its ${table.added.join(' and ')}.`);

    log(`Starting the Toss sandbox on port ${config.TOSS_SANDBOX_PORT}…`);
    const sandbox = await startSandbox({
      port: config.TOSS_SANDBOX_PORT,
      apiKeys: [config.TOSS_API_KEY],
      quiet: opts.quiet ?? false,
    });
    stops.push(() => sandbox.close());

    log(`Starting the EventBridge stand-in on port ${config.EVENTBRIDGE_PORT}…`);
    const eventBridge = await startEventBridge({ port: config.EVENTBRIDGE_PORT });
    stops.push(() => eventBridge.close());

    log(`Starting the console's user pool (cognito-local) on port ${config.COGNITO_PORT}…`);
    const userPool = await startLocalUserPool({
      port: config.COGNITO_PORT,
      users: consoleUsers.users,
      ...(config.DATA_DIR !== undefined ? { dataDir: `${config.DATA_DIR.replace(/\/+$/, '')}/cognito` } : {}),
    });
    stops.push(() => userPool.close());

    for (const [k, v] of Object.entries({
      ...functionEnv,
      ...userPoolEnvironment(userPool),
      TOSS_BASE_URL: sandbox.url,
      DYNAMODB_ENDPOINT: dynamoEndpoint,
      EVENTBRIDGE_ENDPOINT: eventBridge.url,
    })) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
    resetContainers();
    const auth = parseEnv(authConfigSchema);
    parseEnv(appConfigSchema);
    const events = parseEnv(eventsConfigSchema);
    const toDemoShop = config.MERCHANT_WEBHOOK_URL === undefined;
    const merchantToken = auth.MERCHANT_TOKENS?.[0];
    if (merchantToken === undefined) throw new ConfigError('invalid configuration:\n  MERCHANT_TOKENS: no token');

    log(`Starting the API gateway on port ${config.API_PORT}…`);
    const gateway = await startGateway({
      port: config.API_PORT,
      host: '127.0.0.1',
      // The shop verifies its webhooks with its endpoint's secret, given once it is registered (below).
      demoShop: {
        merchantToken,
        // Webhooks to a receiver of the user's own: the shop hears of no payment, and says so.
        webhooksElsewhere: config.MERCHANT_WEBHOOK_URL,
      },
      quiet: opts.quiet ?? false,
    });
    stops.push(() => gateway.close());

    // The demo shop subscribes to the events as a merchant does: an endpoint of the API, before the
    // stream is read, so that it gets every event from now on.
    let demoEndpointId: string | undefined;
    if (toDemoShop) {
      const registered = await registerDemoEndpoint(gateway.url, merchantToken, demoWebhookUrl(config));
      gateway.demoShop?.setWebhookSecret(registered.secret);
      demoEndpointId = registered.id;
    }

    // The event source mapping's stand-in: the table's stream into the events function.
    const consumer = await startStreamConsumer({
      endpoint: dynamoEndpoint,
      tableName: config.TABLE_NAME,
      region: config.AWS_REGION,
      ...(opts.quiet === true ? { log: { info: () => undefined, error: (l: string) => void process.stderr.write(`${l}\n`) } } : {}),
    });
    stops.push(() => consumer.stop());

    const jobs = runPeriodicJobs(periodicJobs(config, env));
    stops.push(() => jobs.stop());

    const webhookUrl = events.MERCHANT_WEBHOOK_URL ?? demoWebhookUrl(config);
    return {
      apiUrl: gateway.url,
      shopUrl: `${gateway.url}/`,
      sandboxUrl: sandbox.url,
      eventBridgeUrl: eventBridge.url,
      webhookUrl,
      webhookToDemoShop: toDemoShop,
      demoEndpointId,
      tableAdded: table.added,
      dynamoEndpoint,
      tableName: config.TABLE_NAME,
      merchantToken,
      consoleUrl: `${gateway.url}/console`,
      userPool,
      consolePasswordGenerated: consoleUsers.generated,
      dynamoDbProcess,
      config,
      stop: stopAll,
    };
  } catch (e) {
    await stopAll();
    throw e;
  }
}

const errorText = (e: unknown): string => {
  if (!(e instanceof Error)) return String(e);
  const code = (e as { code?: unknown }).code;
  return `${e.name}: ${e.message}${typeof code === 'string' && !e.message.includes(code) ? ` (${code})` : ''}`;
};

/** Variables of npm start that `npm run reconcile` needs to find the same stack, as this run has them when not the defaults. */
const SAME_STACK = ['DYNAMODB_ENDPOINT', 'DYNAMODB_PORT', 'TOSS_SANDBOX_PORT', 'API_PORT', 'EVENTBRIDGE_PORT', 'TABLE_NAME', 'AWS_REGION'] as const;

/**
 * `VAR=value …` for a command run beside this stack (npm run reconcile): every setting that is not
 * its default, so that the command finds what this run started (its ports, its table). Never a
 * secret: a TOSS_API_KEY of one's own is only named.
 */
export function sameStackPrefix(config: LocalStartConfig): string {
  const defaults = parseEnv(localStartSchema, {});
  const vars = SAME_STACK.flatMap((k) => {
    const v = config[k];
    if (v === undefined || v === defaults[k] || (k === 'DYNAMODB_PORT' && config.DYNAMODB_ENDPOINT !== undefined)) return [];
    const text = String(v);
    return [`${k}=${/^[A-Za-z0-9_./:@-]+$/.test(text) ? text : `'${text.replaceAll("'", "'\\''")}'`}`];
  });
  return vars.map((v) => `${v} `).join('');
}

/** What npm start prints once everything runs. Never a secret: the webhook secret is only named. */
export function banner(s: LocalStack): string {
  const config = s.config;
  const tokens = config.MERCHANT_TOKENS.split(',').filter((t) => t.trim() !== '').length;
  const auth = `-H 'Authorization: Bearer ${s.merchantToken}'`;
  const every = (seconds: number, what: string): string => (seconds > 0 ? `every ${seconds} s` : `off (${what}=0)`);
  return [
    '',
    'Toss Pay local stack is running',
    `  Demo shop       ${s.shopUrl}`,
    `  API gateway     ${s.apiUrl}`,
    `  Toss sandbox    ${s.sandboxUrl}`,
    config.DYNAMODB_ENDPOINT === undefined
      ? `  DynamoDB Local  ${s.dynamoEndpoint}  (started by npm start; table ${s.tableName}, ${config.DATA_DIR ? `data in ${config.DATA_DIR}` : 'in memory'})`
      : `  DynamoDB        ${s.dynamoEndpoint}  (DYNAMODB_ENDPOINT, not started by npm start; table ${s.tableName})`,
    `  EventBridge     ${s.eventBridgeUrl}  (stand-in for the event bus; the table's stream feeds the events function)`,
    s.webhookToDemoShop
      ? `  Webhooks        ${s.webhookUrl}  (the demo shop's receiver: endpoint ${s.demoEndpointId ?? '?'}, registered through POST /webhook-endpoints)`
      : `  Webhooks        ${s.webhookUrl}  (MERCHANT_WEBHOOK_URL, signed with MERCHANT_WEBHOOK_SECRET)`,
    `  Merchant token  ${s.merchantToken}${tokens > 1 ? `  (+${tokens - 1} more in MERCHANT_TOKENS)` : ''}`,
    `  Console         ${s.consoleUrl}  (sign in as a user of the pool below)`,
    `  User pool       ${s.userPool.endpoint}  (cognito-local, pool ${s.userPool.userPoolId}, client ${s.userPool.clientId})`,
    ...s.userPool.users.map((u) =>
      s.consolePasswordGenerated
        ? `    ${u.role.padEnd(9)} ${u.email}  password ${u.password}  (made for this run; set CONSOLE_USERS=role:email:password,...)`
        : `    ${u.role.padEnd(9)} ${u.email}  (CONSOLE_USERS)`,
    ),
    '',
    `  Pay:          curl -X POST ${s.apiUrl}/payments ${auth} \\`,
    `                  -H 'Content-Type: application/json' -d '{"amount":35000,"amountTaxFree":0,"productDesc":"토스 티셔츠"}'`,
    `  Event log:    curl -s ${s.apiUrl}/events ${auth}`,
    `  Endpoints:    curl -s ${s.apiUrl}/webhook-endpoints ${auth}   (add yours: -X POST -H 'Content-Type: application/json' -d '{"url":"http://127.0.0.1:<port>/…"}')`,
    `  The API:      ${s.apiUrl}/docs   (rendered, with "Try it out"; the document: ${s.apiUrl}/openapi.json)`,
    `  On the bus:   curl -s ${s.eventBridgeUrl}/events   (clear: curl -X DELETE ${s.eventBridgeUrl}/events)`,
    `  Reconciler:   ${every(config.RECONCILE_INTERVAL_SECONDS, 'RECONCILE_INTERVAL_SECONDS')}; one pass now: ${sameStackPrefix(config)}npm run reconcile${config.TOSS_API_KEY !== DOCS_TEST_KEY ? '   (with the same TOSS_API_KEY)' : ''}`,
    `  Webhook retries: ${every(config.WEBHOOK_RETRY_INTERVAL_SECONDS, 'WEBHOOK_RETRY_INTERVAL_SECONDS')}`,
    `  Sandbox:      payments ${s.sandboxUrl}/sandbox/payments; expire open ones: curl -X POST ${s.sandboxUrl}/sandbox/clock -d '{"advanceSeconds":900}'`,
    `                faults: ${s.sandboxUrl}/sandbox/faults (local/toss-sandbox/README.md)`,
    '',
    'Press Ctrl-C to stop.',
  ].join('\n');
}

async function main(): Promise<void> {
  let stack: LocalStack;
  try {
    stack = await startLocalStack(process.env, { tty: process.stdout.isTTY === true });
  } catch (e) {
    console.error(`npm start failed: ${e instanceof Error ? e.message : String(e)}`);
    process.exit(1);
  }
  console.log(banner(stack));

  // Last resort: never leave DynamoDB Local's JVM behind.
  process.on('exit', () => {
    if (stack.dynamoDbProcess !== undefined && stack.dynamoDbProcess.exitCode === null) stack.dynamoDbProcess.kill('SIGKILL');
  });
  let stopping = false;
  const shutdown = (signal: NodeJS.Signals): void => {
    if (stopping) {
      console.error(`${signal} again: exiting now`);
      process.exit(1);
    }
    stopping = true;
    const what =
      stack.dynamoDbProcess === undefined
        ? 'the gateway, the stream consumer, the user pool, the EventBridge stand-in and the Toss sandbox'
        : 'the gateway, the stream consumer, the user pool, the EventBridge stand-in, the Toss sandbox and DynamoDB Local';
    console.log(`\n${signal}: stopping ${what}…`);
    stack.stop().then(
      () => {
        console.log('Stopped.');
        process.exit(0);
      },
      (e: unknown) => {
        console.error('Stopping failed:', e);
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', shutdown);
  process.on('SIGTERM', shutdown);
}

if (import.meta.main) await main();
