/**
 * Per-function settings, one place for local and AWS alike.
 *
 * Runtime settings are read by infra/ (the deployed Lambda settings) and by the local gateway (the
 * Lambda context's getRemainingTimeInMillis()). HTTP handlers: 28 s, under API Gateway's 29 s
 * integration limit and above the Toss client's 15 s timeout (a landing may need status + execute:
 * the client shortens its timeout to the time the invocation has left). The reconciler runs
 * longer: it works to a time budget taken from the context and leaves the rest due for the next
 * pass. The deployed code reads none of this module but its types: a timeout it reckons with
 * itself is a constant of shared/function-timeouts.ts, which the table takes.
 *
 * Access (FUNCTION_ACCESS, below) is what each function's code touches and reads: infra/ makes the
 * function's role and environment from it and from nothing else, so a function that starts (or
 * stops) making a call changes its entry here.
 */
import type { AppConfig, AuthConfig, EventsConfig } from './config.ts';
import { CREATE_PAYMENT_TIMEOUT_SECONDS } from './function-timeouts.ts';
import type { tableDefinition } from './store/table.ts';

export interface FunctionSettings {
  readonly timeoutSeconds: number;
  readonly memoryMb: number;
  readonly description: string;
}

export const functionSettings = {
  'create-payment': { timeoutSeconds: CREATE_PAYMENT_TIMEOUT_SECONDS, memoryMb: 512, description: 'POST /payments: record the order, create it at Toss' },
  'return-landing': { timeoutSeconds: 28, memoryMb: 512, description: "GET /payments/return: the buyer's retUrl landing" },
  'cancel-landing': { timeoutSeconds: 28, memoryMb: 512, description: "GET /payments/cancel: the buyer's retCancelUrl landing" },
  callback: { timeoutSeconds: 28, memoryMb: 512, description: "POST /payments/callback: Toss's resultCallback receiver" },
  'get-payment': { timeoutSeconds: 28, memoryMb: 256, description: 'GET /payments/{orderNo}: the stored order, its money and its history' },
  'refund-payment': { timeoutSeconds: 28, memoryMb: 512, description: 'POST /payments/{orderNo}/refunds: a refund, exactly once' },
  'cancel-payment': { timeoutSeconds: 28, memoryMb: 512, description: 'POST /payments/{orderNo}/cancel: cancel an unpaid order at Toss' },
  authorizer: { timeoutSeconds: 5, memoryMb: 256, description: 'Merchant bearer-token authorizer (HTTP API, simple responses)' },
  reconciler: { timeoutSeconds: 300, memoryMb: 1024, description: 'Scheduled pass that settles unfinished orders from Toss v2/status' },
  // First webhook attempts (15 s each) run side by side within one batch of stream records.
  events: { timeoutSeconds: 60, memoryMb: 512, description: "Order events from the table's stream: the log, the bus, webhooks" },
  'webhook-retrier': { timeoutSeconds: 120, memoryMb: 512, description: 'Scheduled retries of webhook deliveries that are due' },
  'list-payments': { timeoutSeconds: 28, memoryMb: 256, description: 'GET /payments: orders newest first, by day or flagged' },
  'events-api': { timeoutSeconds: 28, memoryMb: 256, description: 'GET /events, GET /events/{id}, redeliveries: the event log' },
  // A test send waits for the receiver (15 s at most).
  'webhook-endpoints': { timeoutSeconds: 28, memoryMb: 256, description: 'The webhook endpoints: create, list, read with health, change, delete, rotate, test' },
  'list-transactions': { timeoutSeconds: 28, memoryMb: 256, description: 'GET /transactions: every Toss transaction by time, JSON or CSV (거래 대사)' },
  stats: { timeoutSeconds: 28, memoryMb: 256, description: 'GET /stats: the overview per day, from the indexes, bounded' },
  // Answers files built into it: no I/O.
  console: { timeoutSeconds: 5, memoryMb: 128, description: 'GET /console: the operator console (its page and files, built into it)' },
  // Answers a document built into it: no I/O, nothing to wait for.
  openapi: { timeoutSeconds: 5, memoryMb: 128, description: 'GET /openapi.json: the OpenAPI 3.1 document (docs/openapi.json)' },
  // Answers files built into it (Swagger UI, gzipped at build): no I/O.
  'api-docs': { timeoutSeconds: 5, memoryMb: 128, description: 'GET /docs: the OpenAPI document rendered (Swagger UI, bundled)' },
} as const satisfies Record<string, FunctionSettings>;

export type FunctionName = keyof typeof functionSettings;

/**
 * A DynamoDB operation on the payments table (shared/store/table.ts). `Query` is only ever made on
 * the indexes a function's entry lists (FunctionAccess.indexes), never on the table itself; the
 * others only on the table.
 */
export type TableOperation = 'GetItem' | 'PutItem' | 'UpdateItem' | 'Query' | 'BatchGetItem' | 'TransactWriteItems';

/**
 * The IAM actions an operation needs. A transaction has no action of its own: it needs those of
 * the writes it holds (the event log's: puts and the counter's update, shared/store/event-log.ts).
 */
export const IAM_ACTIONS: Readonly<Record<TableOperation, readonly string[]>> = {
  GetItem: ['dynamodb:GetItem'],
  PutItem: ['dynamodb:PutItem'],
  UpdateItem: ['dynamodb:UpdateItem'],
  Query: ['dynamodb:Query'],
  BatchGetItem: ['dynamodb:BatchGetItem'],
  TransactWriteItems: ['dynamodb:PutItem', 'dynamodb:UpdateItem'],
};

/** A global secondary index of the payments table, by name (shared/store/table.ts: `due`, `events`, `ledger`, …). */
export type IndexName = (typeof tableDefinition.globalSecondaryIndexes)[number]['indexName'];

/** A deployed secret. Locally the value itself is in the environment instead (TOSS_API_KEY, MERCHANT_TOKENS). */
export type SecretName = 'tossApiKey' | 'merchantTokens' | 'webhookSecret';

/** The variable through which a function learns a secret's ARN (shared/config.ts). */
export const secretArnVariable = {
  tossApiKey: 'TOSS_API_KEY_SECRET_ARN',
  merchantTokens: 'MERCHANT_TOKENS_SECRET_ARN',
  webhookSecret: 'MERCHANT_WEBHOOK_SECRET_ARN',
} as const satisfies Record<SecretName, keyof AppConfig | keyof AuthConfig | keyof EventsConfig>;

/**
 * Variables of the app schema that only some functions read. The stack sets each only on the
 * functions listing it, and only when the deployment configures it. EVENT_BUS_NAME names the
 * stack's event bus, and putting events on it is all the code does with it (shared/events/event-bus.ts):
 * a function listing it may also events:PutEvents on that bus, and on nothing else.
 */
export type OptionalVariable = Extract<
  keyof AppConfig | keyof EventsConfig,
  | 'MERCHANT_RESULT_URL'
  | 'MERCHANT_SHOP_URL'
  | 'MERCHANT_NAME'
  | 'MERCHANT_SUPPORT'
  | 'MERCHANT_COMPANY'
  | 'MERCHANT_REPRESENTATIVE'
  | 'MERCHANT_BUSINESS_NUMBER'
  | 'MERCHANT_MAIL_ORDER_NUMBER'
  | 'MERCHANT_ADDRESS'
  | 'CALLBACK_ALLOWED_IPS'
  | 'RECONCILE_CONCURRENCY'
  | 'RECONCILE_FLAG_AFTER_MINUTES'
  | 'MERCHANT_WEBHOOK_URL'
  | 'WEBHOOK_RETRY_SCHEDULE'
  | 'WEBHOOK_SECRET_ROTATION_HOURS'
  | 'WEBHOOK_DISABLE_AFTER_DAYS'
  | 'EVENT_BUS_NAME'
>;

/** What a function may touch and what it is told: its role and its environment are made from this alone. */
export interface FunctionAccess {
  /** Exactly the operations its code makes (see TableOperation for where each is granted). */
  readonly dynamodb: readonly TableOperation[];
  /**
   * The indexes it queries: `Query` is granted on each of these and nowhere else. Empty exactly
   * when `dynamodb` has no `Query`.
   */
  readonly indexes: readonly IndexName[];
  /** The secrets it reads (secretsmanager:GetSecretValue on each, its ARN in secretArnVariable). */
  readonly secrets: readonly SecretName[];
  /**
   * The shared/config.ts schema it parses: `app` (appConfigSchema), `auth` (authConfigSchema),
   * `events` (eventsConfigSchema) or `console` (consoleConfigSchema); `none`: it reads no
   * configuration (and is given no variable).
   */
  readonly config: 'app' | 'auth' | 'events' | 'console' | 'none';
  /** Optional variables it reads, beyond those its schema gives every function of that schema. */
  readonly optionalEnv: readonly OptionalVariable[];
}

/** What the buyer's result pages show of the shop (shared/merchant.ts); `npm start` passes them on too. */
export const PAGE_VARIABLES = [
  'MERCHANT_SHOP_URL',
  'MERCHANT_NAME',
  'MERCHANT_SUPPORT',
  'MERCHANT_COMPANY',
  'MERCHANT_REPRESENTATIVE',
  'MERCHANT_BUSINESS_NUMBER',
  'MERCHANT_MAIL_ORDER_NUMBER',
  'MERCHANT_ADDRESS',
] as const satisfies readonly OptionalVariable[];

const accessRecord = {
  // PutItem records the order (CREATING) before Toss is called; every later change, the create
  // lease included, is an UpdateItem whose ALL_OLD answers without a read.
  'create-payment': { dynamodb: ['PutItem', 'UpdateItem'], indexes: [], secrets: ['tossApiKey'], config: 'app', optionalEnv: [] },
  // The landings load the order by orderNo (GetItem) and claim the Toss check and apply changes
  // with UpdateItem; they never create an order.
  // The webhook secret signs the redirects to MERCHANT_RESULT_URL; the Toss key checks the landing
  // token. The pages name the shop (MERCHANT_NAME, required by them) and lead back to it.
  'return-landing': {
    dynamodb: ['GetItem', 'UpdateItem'],
    indexes: [],
    secrets: ['tossApiKey', 'webhookSecret'],
    config: 'app',
    optionalEnv: ['MERCHANT_RESULT_URL', ...PAGE_VARIABLES],
  },
  'cancel-landing': {
    dynamodb: ['GetItem', 'UpdateItem'],
    indexes: [],
    secrets: ['tossApiKey', 'webhookSecret'],
    config: 'app',
    optionalEnv: ['MERCHANT_RESULT_URL', ...PAGE_VARIABLES],
  },
  // No read: one conditional UpdateItem. PutItem: an order this table does not hold, confirmed
  // with Toss, is recorded as a recovered order.
  callback: {
    dynamodb: ['PutItem', 'UpdateItem'],
    indexes: [],
    secrets: ['tossApiKey'],
    config: 'app',
    optionalEnv: ['CALLBACK_ALLOWED_IPS'],
  },
  // The Toss key tells its mode (an order of the other mode is never shown as paid); `?refresh=true`
  // asks Toss and records what changed (UpdateItem); by payToken, Toss's status names the order.
  'get-payment': { dynamodb: ['GetItem', 'UpdateItem'], indexes: [], secrets: ['tossApiKey'], config: 'app', optionalEnv: [] },
  // Orders from the indexes that list them (Query), and the page's orders for Toss's money facts,
  // which the indexes do not project (BatchGetItem); the Toss key tells its mode (`paid`).
  'list-payments': { dynamodb: ['Query', 'BatchGetItem'], indexes: ['byDay', 'flagged'], secrets: ['tossApiKey'], config: 'app', optionalEnv: [] },
  // The order is read to check the refund; the refund is recorded and settled with UpdateItem.
  'refund-payment': { dynamodb: ['GetItem', 'UpdateItem'], indexes: [], secrets: ['tossApiKey'], config: 'app', optionalEnv: [] },
  'cancel-payment': { dynamodb: ['GetItem', 'UpdateItem'], indexes: [], secrets: ['tossApiKey'], config: 'app', optionalEnv: [] },
  // Query on the due index, which projects what a pass needs. GetItem only for a paid order whose
  // refunds must be compared with Toss's (the index does not project them).
  reconciler: {
    dynamodb: ['Query', 'UpdateItem', 'GetItem'],
    indexes: ['due'],
    secrets: ['tossApiKey'],
    config: 'app',
    optionalEnv: ['RECONCILE_CONCURRENCY', 'RECONCILE_FLAG_AFTER_MINUTES'],
  },
  authorizer: { dynamodb: [], indexes: [], secrets: ['merchantTokens'], config: 'auth', optionalEnv: [] },
  // Logs events at their positions with their deliveries (TransactWriteItems: the counter, the
  // events and deliveries, conditional), reads the endpoints (GetItem), takes and records attempts
  // (UpdateItem; a TransactWriteItems when a delivery opens or closes its pointer; GetItem after a
  // lost lease reply), counts them in the endpoints' health and disables a failing one (UpdateItem),
  // and the ledger's rows (UpdateItem, each attribute if_not_exists).
  events: {
    dynamodb: ['TransactWriteItems', 'UpdateItem', 'GetItem'],
    indexes: [],
    secrets: ['webhookSecret'],
    config: 'events',
    optionalEnv: ['MERCHANT_WEBHOOK_URL', 'WEBHOOK_RETRY_SCHEDULE', 'WEBHOOK_DISABLE_AFTER_DAYS', 'EVENT_BUS_NAME'],
  },
  // The due deliveries and an enabled endpoint's open ones from the due index (Query), the
  // endpoints and each event's body (GetItem), attempts and catch-ups (UpdateItem, TransactWriteItems:
  // a pointer opened or closed with its delivery, an event of before endpoints taken over).
  'webhook-retrier': {
    dynamodb: ['Query', 'GetItem', 'UpdateItem', 'TransactWriteItems'],
    indexes: ['due'],
    secrets: ['webhookSecret'],
    config: 'events',
    optionalEnv: ['MERCHANT_WEBHOOK_URL', 'WEBHOOK_RETRY_SCHEDULE', 'WEBHOOK_DISABLE_AFTER_DAYS'],
  },
  // The log: the counter and one event (GetItem), positions, their events and their deliveries
  // (BatchGetItem), the events logged before positions from their index (Query); redeliveries
  // (UpdateItem, TransactWriteItems as the retrier's); the failed deliveries from the due index
  // (Query: POST /events/redeliver, GET /events/failed); an order's events from the lists index
  // (Query, its ORDER_EVENTS partitions).
  'events-api': {
    dynamodb: ['Query', 'GetItem', 'BatchGetItem', 'UpdateItem', 'TransactWriteItems'],
    indexes: ['events', 'due', 'lists'],
    secrets: ['webhookSecret'],
    config: 'events',
    optionalEnv: ['MERCHANT_WEBHOOK_URL', 'WEBHOOK_RETRY_SCHEDULE', 'WEBHOOK_DISABLE_AFTER_DAYS'],
  },
  // The endpoints' item and an endpoint's health (GetItem), every change to them (UpdateItem), the
  // oldest undelivered event from the due index (Query); the webhook secret signs a test of the
  // configured endpoint.
  'webhook-endpoints': {
    dynamodb: ['GetItem', 'UpdateItem', 'Query'],
    indexes: ['due'],
    secrets: ['webhookSecret'],
    config: 'events',
    optionalEnv: ['MERCHANT_WEBHOOK_URL', 'WEBHOOK_SECRET_ROTATION_HOURS'],
  },
  // The ledger's rows from the lists index (Query, its LEDGER partitions): the table's configuration, no Toss, no secret.
  'list-transactions': { dynamodb: ['Query'], indexes: ['lists'], secrets: [], config: 'events', optionalEnv: [] },
  // The document is bundled into the function (docs/openapi.json): no table, no secret, no variable.
  openapi: { dynamodb: [], indexes: [], secrets: [], config: 'none', optionalEnv: [] },
  // A day's orders (Query byDay, the attributes counted) and the flagged count (Query flagged); the
  // log's counter (GetItem) and its latest events (BatchGetItem). No Toss, no webhook.
  stats: { dynamodb: ['Query', 'GetItem', 'BatchGetItem'], indexes: ['byDay', 'flagged'], secrets: [], config: 'events', optionalEnv: [] },
  // Its page and files are bundled into it; the page names the user pool and its app client.
  console: { dynamodb: [], indexes: [], secrets: [], config: 'console', optionalEnv: [] },
  // Swagger UI and its page, bundled into the function: no table, no secret, no variable.
  'api-docs': { dynamodb: [], indexes: [], secrets: [], config: 'none', optionalEnv: [] },
} as const satisfies Record<FunctionName, FunctionAccess>;

/** Every function's access, by name. */
export const FUNCTION_ACCESS: Readonly<Record<FunctionName, FunctionAccess>> = accessRecord;

/** The access of functions/<fn>; throws for a name that has no entry here. */
export function functionAccess(fn: string): FunctionAccess {
  if (!Object.hasOwn(FUNCTION_ACCESS, fn)) throw new Error(`function ${fn} has no entry in shared/functions.ts`);
  return FUNCTION_ACCESS[fn as FunctionName];
}
