/**
 * The local stack `npm start` starts: DynamoDB Local (unless DYNAMODB_ENDPOINT is given), the Toss
 * sandbox, the EventBridge stand-in, the console's user pool (cognito-local), the gateway with the
 * demo shop and the console, the stream consumer and the periodic jobs, each checked before anything starts and stopped in reverse order.
 */
import type { ChildProcess } from 'node:child_process';
import { appConfigSchema, authConfigSchema, ConfigError, eventsConfigSchema, parseEnv } from '../../shared/config.ts';
import { resetContainers } from '../../shared/deps.ts';
import { startLocalUserPool, type LocalUserPool } from '../cognito.ts';
import { assertJava, ensureTable, startDynamoDbLocal, type EnsureTableResult } from '../dynamodb.ts';
import { startStreamConsumer } from '../dynamodb-streams.ts';
import { startEventBridge } from '../eventbridge.ts';
import { startGateway } from '../gateway/server.ts';
import { registerDemoEndpoint } from '../demo-endpoint.ts';
import { assertPortFree } from '../ports.ts';
import { startSandbox } from '../toss-sandbox/server.ts';
import { consoleUsersOf, demoWebhookUrl, describeDynamo, localConfig, userPoolEnvironment, type LocalStartConfig } from './config.ts';
import { periodicJobs, runPeriodicJobs } from './jobs.ts';

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
