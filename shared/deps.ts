/**
 * The composition root: everything a function's container holds, built once from its
 * configuration (parsed with zod: a missing or invalid variable fails the cold start, naming it).
 * The authorizer has its own, smaller one (shared/authorizer-container.ts).
 *
 *   config -> Logger, Metrics -> DynamoDB client -> order store, due store
 *                              -> Toss client (key from the environment or Secrets Manager)
 *          -> PaymentDeps: what the use cases receive (shared/payments/ports.ts)
 *
 * One container per function name: in Lambda that is the process; locally, where the gateway runs
 * every function in one process, each function still gets its own (as in AWS), so a DynamoDB
 * request can be told apart by the function that made it (its user agent).
 */
import type { Logger } from '@aws-lambda-powertools/logger';
import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import { resetAuthorizerContainer } from './authorizer-container.ts';
import { appConfigSchema, eventsConfigSchema, parseEnv, type AppConfig, type EventsConfig } from './config.ts';
import { functionSettings, type FunctionName } from './functions.ts';
import { newLogger } from './logger.ts';
import { MetricDimension, MetricName, METRICS_NAMESPACE, SERVICE_NAME } from './metrics.ts';
import { landingTokens } from './payments/landing-token.ts';
import type { DueStore, OrderFigures, OrderList, PaymentDeps } from './payments/ports.ts';
import { passBudget, type ReconcileOptions } from './payments/reconcile/pass.ts';
import { createDocumentClient } from './store/client.ts';
import { createDueStore } from './store/due.ts';
import { createOrderList } from './store/order-list.ts';
import { createOrderStore } from './store/orders.ts';
import { createOrderFigures } from './store/order-figures.ts';
import { createEventBus } from './events/event-bus.ts';
import type { DeliveryStatus, EventsDeps } from './events/ports.ts';
import { recentDeliveryStatuses } from './events/event-log.ts';
import type { LedgerStore } from './ledger/ports.ts';
import { webhookSecretsProvider } from './events/webhook-secret.ts';
import { DEFAULT_RETRY_SCHEDULE } from './events/webhooks.ts';
import { ENV_ENDPOINT_ID } from './events/endpoint-model.ts';
import { webhookHttp } from './events/webhook-http.ts';
import { systemResolver, urlPolicyOf } from './events/webhook-url.ts';
import { createDeliveryStore } from './store/deliveries.ts';
import { createEventStore } from './store/events.ts';
import { createEndpointStore } from './store/webhook-endpoints.ts';
import { createHealthStore } from './store/webhook-health.ts';
import { createLedgerStore } from './store/ledger.ts';
import { apiKeyProvider } from './toss/api-key.ts';
import { createTossClient } from './toss/client.ts';

export interface PaymentContainer {
  readonly fn: FunctionName;
  readonly config: AppConfig;
  readonly logger: Logger;
  /** Flushed once per invocation by the logMetrics middleware. */
  readonly metrics: Metrics;
  /** What the use cases receive. */
  readonly deps: PaymentDeps;
  readonly due: DueStore;
  /** Finding orders (GET /payments). */
  readonly orders: OrderList;
}

// The authorizer has a composition root of its own (shared/authorizer-container.ts): it loads none of the above.

/**
 * Metrics that report through `logger`. An invocation without metrics is normal here (most
 * landings count nothing), so Powertools' "no metrics to publish" warning is a debug line.
 */
export const newMetrics = (logger: Logger): Metrics =>
  new Metrics({
    namespace: METRICS_NAMESPACE,
    serviceName: SERVICE_NAME,
    logger: {
      debug: (message: string) => logger.debug(message),
      info: (message: string) => logger.info(message),
      warn: (message: string) => logger.debug(message),
      error: (message: string) => logger.error(message),
    },
  });

const payment = new Map<FunctionName, PaymentContainer>();

/** Each container's single-metric emitter (Metrics.singleMetric()), made once: see measure. */
const singles = new WeakMap<Metrics, Metrics>();

/**
 * A metric with one dimension besides `service` (shared/metrics.ts): published at once, on its own,
 * so the dimension never lands on the invocation's other metrics (the alarms watch `service` alone).
 * The single-metric emitter is reused: it publishes on addMetric and then clears its metrics and
 * dimensions (not the default `service`), so each call emits exactly what a fresh one would,
 * without building a new Metrics (which reads its environment again) twice per callback.
 */
export function measure(metrics: Metrics, name: string, unit: (typeof MetricUnit)[keyof typeof MetricUnit], value: number, dimension: string, dimensionValue: string): void {
  let single = singles.get(metrics);
  if (single === undefined) {
    single = metrics.singleMetric();
    singles.set(metrics, single);
  }
  try {
    single.addDimension(dimension, dimensionValue);
    single.addMetric(name, unit, value);
  } finally {
    // Published and cleared by addMetric; cleared here too should it have thrown first.
    single.clearDimensions();
  }
}

/** The container of payment function `fn` (built on first use, once). */
export function paymentContainer(fn: FunctionName, env: NodeJS.ProcessEnv = process.env): PaymentContainer {
  const existing = payment.get(fn);
  if (existing !== undefined) return existing;
  const config = parseEnv(appConfigSchema, env);
  const logger = newLogger();
  const metrics = newMetrics(logger);
  const count = (name: string): void => {
    metrics.addMetric(name, MetricUnit.Count, 1);
  };
  const client = createDocumentClient({
    region: config.AWS_REGION,
    endpoint: config.DYNAMODB_ENDPOINT,
    functionName: fn,
    connectTimeoutMs: config.DYNAMODB_CONNECT_TIMEOUT_MS,
    requestTimeoutMs: config.DYNAMODB_REQUEST_TIMEOUT_MS,
  });
  const apiKey = apiKeyProvider(config);
  const toss = createTossClient({
    baseUrl: config.TOSS_BASE_URL,
    apiKey,
    timeoutMs: config.TOSS_TIMEOUT_MS,
    observe: ({ api, ms, outcome }) => {
      measure(metrics, MetricName.TossLatency, MetricUnit.Milliseconds, ms, MetricDimension.Api, api);
      // A refusal is an answer; only calls without a usable reply are errors.
      if (outcome !== 'ok' && outcome !== 'TossRefusedError') measure(metrics, MetricName.TossErrors, MetricUnit.Count, 1, MetricDimension.Api, api);
    },
  });
  const c: PaymentContainer = {
    fn,
    config,
    logger,
    metrics,
    deps: {
      store: createOrderStore({ client, tableName: config.TABLE_NAME, retentionDays: config.RETENTION_DAYS }),
      toss,
      tokens: landingTokens(apiKey),
      config,
      clock: Date.now,
      logger,
      count,
    },
    due: createDueStore({ client, tableName: config.TABLE_NAME }),
    orders: createOrderList({ client, tableName: config.TABLE_NAME }),
  };
  payment.set(fn, c);
  return c;
}

/** Forgets every container: for the local gateway and tests that change process.env between stacks. */
export function resetContainers(): void {
  payment.clear();
  eventContainers.clear();
  ledgerContainers.clear();
  stats = undefined;
  resetAuthorizerContainer();
}

/**
 * How long after its record a CREATING order's create call may still reach Toss: the
 * create-payment function cannot run longer than its timeout, plus a margin for Toss's own work.
 */
export const CREATE_IN_FLIGHT_MS = functionSettings['create-payment'].timeoutSeconds * 1000 + 30_000;

/**
 * A reconciler pass's options from configuration and the time the run has left: one derivation
 * for the scheduled Lambda (its context's remaining time) and `npm run reconcile` (the Lambda's timeout).
 */
export function reconcileOptions(
  c: Pick<AppConfig, 'RECONCILE_CONCURRENCY' | 'RECONCILE_FLAG_AFTER_MINUTES' | 'TOSS_TIMEOUT_MS'>,
  startedAt: number,
  remainingMs: number,
): ReconcileOptions {
  return {
    concurrency: c.RECONCILE_CONCURRENCY,
    ...passBudget(startedAt, remainingMs, c.TOSS_TIMEOUT_MS),
    flagAfterMs: c.RECONCILE_FLAG_AFTER_MINUTES * 60_000,
    createGraceMs: CREATE_IN_FLIGHT_MS,
  };
}

export interface EventsContainer {
  readonly fn: FunctionName;
  readonly config: EventsConfig;
  readonly logger: Logger;
  readonly metrics: Metrics;
  readonly deps: EventsDeps;
}

const eventContainers = new Map<FunctionName, EventsContainer>();

/**
 * The container of an events function (the stream consumer, the webhook retrier, the event log
 * and webhook endpoints APIs): the event log, the deliveries, the endpoints and their health, the
 * bus, and the configured webhook (MERCHANT_WEBHOOK_URL) with its signing secret (the local value,
 * or Secrets Manager re-read every minute, so a rotation takes effect without a deploy).
 */
export function eventsContainer(fn: FunctionName, env: NodeJS.ProcessEnv = process.env): EventsContainer {
  const existing = eventContainers.get(fn);
  if (existing !== undefined) return existing;
  const config = parseEnv(eventsConfigSchema, env);
  const logger = newLogger();
  const metrics = newMetrics(logger);
  const client = createDocumentClient({
    region: config.AWS_REGION,
    endpoint: config.DYNAMODB_ENDPOINT,
    functionName: fn,
    connectTimeoutMs: config.DYNAMODB_CONNECT_TIMEOUT_MS,
    requestTimeoutMs: config.DYNAMODB_REQUEST_TIMEOUT_MS,
  });
  const url = config.MERCHANT_WEBHOOK_URL;
  const policy = urlPolicyOf(config.STAGE);
  const c: EventsContainer = {
    fn,
    config,
    logger,
    metrics,
    deps: {
      events: createEventStore({ client, tableName: config.TABLE_NAME, retentionDays: config.RETENTION_DAYS }),
      deliveries: createDeliveryStore({ client, tableName: config.TABLE_NAME, retentionDays: config.RETENTION_DAYS }),
      endpoints: createEndpointStore({ client, tableName: config.TABLE_NAME }),
      health: createHealthStore({ client, tableName: config.TABLE_NAME }),
      ledger: createLedgerStore({ client, tableName: config.TABLE_NAME, retentionDays: config.RETENTION_DAYS }),
      bus: createEventBus({ busName: config.EVENT_BUS_NAME, region: config.AWS_REGION, endpoint: config.EVENTBRIDGE_ENDPOINT }),
      configured:
        url === undefined ? undefined : { id: ENV_ENDPOINT_ID, url, enabled: true, managed: 'configuration', secrets: webhookSecretsProvider(config) },
      webhooks: {
        retrySchedule: config.WEBHOOK_RETRY_SCHEDULE ?? DEFAULT_RETRY_SCHEDULE,
        rotationHours: config.WEBHOOK_SECRET_ROTATION_HOURS,
        disableAfterDays: config.WEBHOOK_DISABLE_AFTER_DAYS,
        policy,
        resolve: systemResolver,
      },
      http: webhookHttp(policy),
      clock: Date.now,
      logger,
      count: (name) => {
        metrics.addMetric(name, MetricUnit.Count, 1);
      },
    },
  };
  eventContainers.set(fn, c);
  return c;
}

export interface LedgerContainer {
  readonly fn: FunctionName;
  readonly config: EventsConfig;
  readonly logger: Logger;
  readonly metrics: Metrics;
  readonly deps: { readonly ledger: LedgerStore; readonly clock: () => number; readonly count: (name: string) => void };
}

const ledgerContainers = new Map<FunctionName, LedgerContainer>();

/**
 * The container of the ledger API (GET /transactions): the ledger's rows in the table, nothing
 * else (no Toss, no bus, no secret). It reads the events functions' configuration: the table's.
 */
export function ledgerContainer(fn: FunctionName, env: NodeJS.ProcessEnv = process.env): LedgerContainer {
  const existing = ledgerContainers.get(fn);
  if (existing !== undefined) return existing;
  const config = parseEnv(eventsConfigSchema, env);
  const logger = newLogger();
  const metrics = newMetrics(logger);
  const client = createDocumentClient({ region: config.AWS_REGION, endpoint: config.DYNAMODB_ENDPOINT, functionName: fn });
  const c: LedgerContainer = {
    fn,
    config,
    logger,
    metrics,
    deps: {
      ledger: createLedgerStore({ client, tableName: config.TABLE_NAME, retentionDays: config.RETENTION_DAYS }),
      clock: Date.now,
      count: (name) => {
        metrics.addMetric(name, MetricUnit.Count, 1);
      },
    },
  };
  ledgerContainers.set(fn, c);
  return c;
}

export interface StatsContainer {
  readonly fn: FunctionName;
  readonly config: EventsConfig;
  readonly logger: Logger;
  readonly metrics: Metrics;
  readonly deps: { figures: OrderFigures; recentDeliveries: (limit: number) => Promise<DeliveryStatus[]>; clock: () => number; count: (name: string) => void };
}

let stats: StatsContainer | undefined;

/** The container of the overview function (GET /stats): the indexes it counts from and the event log; no Toss, no webhook. */
export function statsContainer(fn: FunctionName, env: NodeJS.ProcessEnv = process.env): StatsContainer {
  if (stats !== undefined) return stats;
  const config = parseEnv(eventsConfigSchema, env);
  const logger = newLogger();
  const metrics = newMetrics(logger);
  const client = createDocumentClient({
    region: config.AWS_REGION,
    endpoint: config.DYNAMODB_ENDPOINT,
    functionName: fn,
    connectTimeoutMs: config.DYNAMODB_CONNECT_TIMEOUT_MS,
    requestTimeoutMs: config.DYNAMODB_REQUEST_TIMEOUT_MS,
  });
  const events = createEventStore({ client, tableName: config.TABLE_NAME, retentionDays: config.RETENTION_DAYS });
  const deliveries = createDeliveryStore({ client, tableName: config.TABLE_NAME, retentionDays: config.RETENTION_DAYS });
  stats = {
    fn,
    config,
    logger,
    metrics,
    deps: {
      figures: createOrderFigures({ client, tableName: config.TABLE_NAME }),
      recentDeliveries: (limit) => recentDeliveryStatuses(limit, { events, deliveries }),
      clock: Date.now,
      count: (name) => {
        metrics.addMetric(name, MetricUnit.Count, 1);
      },
    },
  };
  return stats;
}
