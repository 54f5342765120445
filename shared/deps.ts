/**
 * The composition root: everything a function's container holds, built once from its
 * configuration (parsed with zod: a missing or invalid variable fails the cold start, naming it).
 * The authorizer has its own, smaller one (shared/authorizer-container.ts).
 *
 *   config -> Logger, Metrics and its Meter -> DynamoDB client -> order store, due store
 *                                            -> Toss client (key from the environment or Secrets Manager)
 *          -> PaymentDeps: what the use cases receive (shared/payments/ports.ts)
 *
 * One container per function name: in Lambda that is the process; locally, where the gateway runs
 * every function in one process, each function still gets its own (as in AWS), so a DynamoDB
 * request can be told apart by the function that made it (its user agent).
 *
 * The same wiring serves `npm run reconcile` and the tests that drive a use case themselves
 * (build*Container with ContainerOptions): they give their own client, clock, logger or metric
 * counter, and everything else is made here exactly as for the deployed function.
 */
import type { Logger } from '@aws-lambda-powertools/logger';
import type { Metrics } from '@aws-lambda-powertools/metrics';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { DynamoDBRecord } from 'aws-lambda';
import { resetAuthorizerContainer } from './authorizer-container.ts';
import { appConfigSchema, eventsConfigSchema, parseEnv, type AppConfig, type EventsConfig } from './config.ts';
import { CREATE_PAYMENT_TIMEOUT_SECONDS } from './function-timeouts.ts';
import type { FunctionName } from './functions.ts';
import { newLogger } from './logger.ts';
import { meterOf, newMetrics, type Meter } from './meter.ts';
import { MetricDimension, MetricName } from './metrics.ts';
import { processTracing, type Tracing } from './tracer.ts';
import { landingTokens } from './payments/landing-token.ts';
import type { CountMetric, DueStore, OrderFigures, OrderList, PaymentDeps, PaymentLogger } from './payments/ports.ts';
import { passBudget, type ReconcileOptions } from './payments/reconcile/pass.ts';
import { createDocumentClient } from './store/client.ts';
import { createDueStore } from './store/due.ts';
import { createOrderList } from './store/order-list.ts';
import { createOrderStore } from './store/orders.ts';
import { createOrderFigures } from './store/order-figures.ts';
import { streamChanges } from './store/stream-changes.ts';
import { createEventBus } from './events/event-bus.ts';
import type { Change, DeliveryStatus, EventsDeps, LeasedDeliveries, PublishDeps } from './events/ports.ts';
import { recentDeliveryStatuses } from './events/event-log.ts';
import type { LedgerStore } from './ledger/ports.ts';
import { webhookSecretsProvider } from './events/webhook-secret.ts';
import { DEFAULT_RETRY_SCHEDULE } from './events/webhooks.ts';
import { ENV_ENDPOINT_ID } from './events/endpoint-model.ts';
import { webhookHttp } from './events/webhook-http.ts';
import { systemResolver, urlPolicyOf } from './events/webhook-url.ts';
import { createDeliveryStore, createLeasedDeliveries, type DeliveryStoreOptions } from './store/deliveries.ts';
import { createEventStore } from './store/events.ts';
import { createEndpointStore } from './store/webhook-endpoints.ts';
import { createHealthStore } from './store/webhook-health.ts';
import { createLedgerStore } from './store/ledger.ts';
import { apiKeyProvider } from './toss/api-key.ts';
import { createTossClient } from './toss/client.ts';

/** What every container holds besides its use cases' deps. */
interface ContainerBase<C> {
  readonly fn: FunctionName;
  readonly config: C;
  readonly logger: Logger;
  /** Flushed once per invocation by the chain's logMetrics middleware. */
  readonly metrics: Metrics;
  /** THE way to record a metric (shared/meter.ts). */
  readonly meter: Meter;
  /** The process's X-Ray tracing (shared/tracer.ts: on in Lambda only). */
  readonly tracer: Tracing;
}

export interface PaymentContainer extends ContainerBase<AppConfig> {
  /** What the use cases receive. */
  readonly deps: PaymentDeps;
}

/** The reconciler's: a payment container, and the due index its passes read. */
export interface ReconcilerContainer extends PaymentContainer {
  readonly due: DueStore;
}

/** The order list's (GET /payments): a payment container, and the indexes it finds orders in. */
export interface OrderListContainer extends PaymentContainer {
  readonly orders: OrderList;
}

export interface EventsContainer extends ContainerBase<EventsConfig> {
  readonly deps: EventsDeps;
}

/** The events function's: the events deps, the ledger and the bus, and how it reads its input. */
export interface PublishContainer extends ContainerBase<EventsConfig> {
  readonly deps: PublishDeps;
  /** The changes (orders', endpoints') in a batch of the table's stream records (the events function's input). */
  readonly streamChanges: (records: readonly DynamoDBRecord[]) => Change[];
}

export interface LedgerContainer extends ContainerBase<EventsConfig> {
  readonly deps: { readonly ledger: LedgerStore; readonly clock: () => number; readonly count: CountMetric };
}

export interface StatsContainer extends ContainerBase<EventsConfig> {
  readonly deps: { readonly figures: OrderFigures; readonly recentDeliveries: (limit: number) => Promise<DeliveryStatus[]>; readonly clock: () => number; readonly count: CountMetric };
}

/**
 * What `npm run reconcile` or a test gives a container instead of what it would make. Unset: as
 * deployed.
 */
export interface ContainerOptions {
  /** The DynamoDB client (e.g. one through a proxy); default: one from the configuration, its user agent naming the function. */
  client?: DynamoDBDocumentClient;
  /** The clock of the use cases and the stores; default Date.now. */
  clock?: () => number;
  /** Where the use cases log; default the container's Powertools logger. */
  logger?: PaymentLogger;
  /** Where every metric goes (the use cases' counts, the Toss calls' latency); default one over the container's Metrics. */
  meter?: Meter;
}

// The authorizer has a composition root of its own (shared/authorizer-container.ts): it loads none of the above.

/** What every container makes first: its configuration, its logger, its metrics and their meter, its DynamoDB client. */
function base<S extends typeof appConfigSchema | typeof eventsConfigSchema>(fn: FunctionName, schema: S, env: NodeJS.ProcessEnv, o: ContainerOptions) {
  const config = parseEnv(schema, env) as S extends typeof appConfigSchema ? AppConfig : EventsConfig;
  const logger = newLogger();
  const metrics = newMetrics(logger);
  const meter = o.meter ?? meterOf(metrics);
  const tracer = processTracing();
  const client =
    o.client ??
    createDocumentClient({
      region: config.AWS_REGION,
      endpoint: config.DYNAMODB_ENDPOINT,
      functionName: fn,
      connectTimeoutMs: config.DYNAMODB_CONNECT_TIMEOUT_MS,
      requestTimeoutMs: config.DYNAMODB_REQUEST_TIMEOUT_MS,
      // Each DynamoDB call a subsegment of the invocation's trace.
      instrument: (c) => tracer.instrument(c),
    });
  const parts = { fn, config, logger, metrics, meter, tracer };
  // Every write to an order records the trace that made it: the events function's trace names it.
  return { parts, client, clock: o.clock ?? Date.now, log: o.logger ?? logger, count: (name: string) => meter.count(name), traceId: () => tracer.traceId() };
}

/** The container of payment function `fn`, built now (tests; the functions use paymentContainer). */
export function buildPaymentContainer(fn: FunctionName, env: NodeJS.ProcessEnv = process.env, o: ContainerOptions = {}): PaymentContainer {
  return paymentParts(fn, env, o).container;
}

/**
 * The reconciler's container, built now (tests and `npm run reconcile`; the function uses
 * reconcilerContainer). The due index and the order list are built only for the functions that
 * read them, so the other payment functions' bundles hold neither.
 */
export function buildReconcilerContainer(fn: FunctionName, env: NodeJS.ProcessEnv = process.env, o: ContainerOptions = {}): ReconcilerContainer {
  const { container, client, traceId } = paymentParts(fn, env, o);
  return { ...container, due: createDueStore({ client, tableName: container.config.TABLE_NAME, traceId }) };
}

/** The order list's container (GET /payments), built now (the function uses orderListContainer). */
export function buildOrderListContainer(fn: FunctionName, env: NodeJS.ProcessEnv = process.env, o: ContainerOptions = {}): OrderListContainer {
  const { container, client } = paymentParts(fn, env, o);
  return { ...container, orders: createOrderList({ client, tableName: container.config.TABLE_NAME }) };
}

/** A payment container, with its DynamoDB client and trace reader (for the stores only some functions have). */
function paymentParts(fn: FunctionName, env: NodeJS.ProcessEnv, o: ContainerOptions) {
  const { parts, client, clock, log, count, traceId } = base(fn, appConfigSchema, env, o);
  const { config, meter, tracer } = parts;
  const apiKey = apiKeyProvider(config);
  const toss = createTossClient({
    baseUrl: config.TOSS_BASE_URL,
    apiKey,
    timeoutMs: config.TOSS_TIMEOUT_MS,
    observe: ({ api, ms, outcome }) => {
      meter.publishNow(MetricName.TossLatency, 'Milliseconds', ms, MetricDimension.Api, api);
      // A refusal is an answer; only calls without a usable reply are errors.
      if (outcome !== 'ok' && outcome !== 'TossRefusedError') meter.publishNow(MetricName.TossErrors, 'Count', 1, MetricDimension.Api, api);
    },
    // Each call to Toss a subsegment `## toss.<api>` (its HTTP request under it).
    trace: (api, call) => tracer.inSubsegment(`## toss.${api}`, { tossApi: api }, call),
  });
  const container: PaymentContainer = {
    ...parts,
    deps: {
      store: createOrderStore({ client, tableName: config.TABLE_NAME, retentionDays: config.RETENTION_DAYS, clock, traceId }),
      toss,
      tokens: landingTokens(apiKey),
      config,
      clock,
      logger: log,
      count,
    },
  };
  return { container, client, traceId };
}

/**
 * The container of an events function (the webhook retrier, the event log and webhook endpoints
 * APIs), built now: the event log, the deliveries, the endpoints and their health, and the
 * configured webhook (MERCHANT_WEBHOOK_URL) with its signing secret (the local value, or Secrets
 * Manager re-read every minute, so a rotation takes effect without a deploy). No bus and no ledger:
 * only the events function (publishContainer) puts events or derives the ledger, so the others'
 * bundles hold no EventBridge client.
 */
export function buildEventsContainer(fn: FunctionName, env: NodeJS.ProcessEnv = process.env, o: ContainerOptions = {}): EventsContainer {
  return eventsParts(fn, env, o, createDeliveryStore).container;
}

/**
 * The events container's parts with the deliveries `deliveries` makes (the whole store, or what the
 * events function's first attempts use), and its DynamoDB client (for the events function's own stores).
 */
function eventsParts<D extends LeasedDeliveries>(fn: FunctionName, env: NodeJS.ProcessEnv, o: ContainerOptions, deliveries: (o: DeliveryStoreOptions) => D) {
  const { parts, client, clock, log, count } = base(fn, eventsConfigSchema, env, o);
  const { config } = parts;
  const url = config.MERCHANT_WEBHOOK_URL;
  const policy = urlPolicyOf(config.STAGE);
  const container = {
    ...parts,
    deps: {
      events: createEventStore({ client, tableName: config.TABLE_NAME, retentionDays: config.RETENTION_DAYS }),
      deliveries: deliveries({ client, tableName: config.TABLE_NAME, retentionDays: config.RETENTION_DAYS }),
      endpoints: createEndpointStore({ client, tableName: config.TABLE_NAME }),
      health: createHealthStore({ client, tableName: config.TABLE_NAME }),
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
      clock,
      logger: log,
      count,
    } satisfies Omit<EventsDeps, 'deliveries'> & { deliveries: D },
  };
  return { container, client };
}

/**
 * The container of the events function (the table's stream consumer), built now: an events
 * container's, its deliveries as its first attempts use them (under the lease its log gives them:
 * it never takes, queues or lists one), with the ledger derived from the same changes and the
 * EventBridge bus events are put on.
 */
export function buildPublishContainer(fn: FunctionName, env: NodeJS.ProcessEnv = process.env, o: ContainerOptions = {}): PublishContainer {
  const { container, client } = eventsParts(fn, env, o, createLeasedDeliveries);
  const { config, tracer } = container;
  return {
    ...container,
    deps: {
      ...container.deps,
      ledger: createLedgerStore({ client, tableName: config.TABLE_NAME, retentionDays: config.RETENTION_DAYS }),
      bus: createEventBus({
        busName: config.EVENT_BUS_NAME,
        region: config.AWS_REGION,
        endpoint: config.EVENTBRIDGE_ENDPOINT,
        instrument: (c) => tracer.instrument(c),
      }),
    },
    streamChanges,
  };
}

/**
 * The container of the ledger API (GET /transactions), built now: the ledger's rows in the table,
 * nothing else (no Toss, no bus, no secret). It reads the events functions' configuration: the table's.
 */
export function buildLedgerContainer(fn: FunctionName, env: NodeJS.ProcessEnv = process.env, o: ContainerOptions = {}): LedgerContainer {
  const { parts, client, clock, count } = base(fn, eventsConfigSchema, env, o);
  return { ...parts, deps: { ledger: createLedgerStore({ client, tableName: parts.config.TABLE_NAME, retentionDays: parts.config.RETENTION_DAYS }), clock, count } };
}

/**
 * The container of the overview (GET /stats), built now: the indexes it counts from and the event
 * log; no Toss, no bus, no webhook. It reads the events functions' configuration: the table's.
 */
export function buildStatsContainer(fn: FunctionName, env: NodeJS.ProcessEnv = process.env, o: ContainerOptions = {}): StatsContainer {
  const { parts, client, clock, count } = base(fn, eventsConfigSchema, env, o);
  const events = createEventStore({ client, tableName: parts.config.TABLE_NAME, retentionDays: parts.config.RETENTION_DAYS });
  const deliveries = createDeliveryStore({ client, tableName: parts.config.TABLE_NAME, retentionDays: parts.config.RETENTION_DAYS });
  return {
    ...parts,
    deps: {
      figures: createOrderFigures({ client, tableName: parts.config.TABLE_NAME }),
      recentDeliveries: (limit) => recentDeliveryStatuses(limit, { events, deliveries }),
      clock,
      count,
    },
  };
}

type Container = PaymentContainer | ReconcilerContainer | OrderListContainer | EventsContainer | PublishContainer | LedgerContainer | StatsContainer;
const containers = new Map<FunctionName, Container>();
const once = <C extends Container>(fn: FunctionName, build: () => C): C => {
  const existing = containers.get(fn);
  if (existing !== undefined) return existing as C;
  const c = build();
  containers.set(fn, c);
  return c;
};

/** The container of payment function `fn` (built on first use, once). */
export const paymentContainer = (fn: FunctionName, env: NodeJS.ProcessEnv = process.env): PaymentContainer => once(fn, () => buildPaymentContainer(fn, env));
/** The reconciler's container (built on first use, once). */
export const reconcilerContainer = (fn: FunctionName, env: NodeJS.ProcessEnv = process.env): ReconcilerContainer => once(fn, () => buildReconcilerContainer(fn, env));
/** The order list's container (built on first use, once). */
export const orderListContainer = (fn: FunctionName, env: NodeJS.ProcessEnv = process.env): OrderListContainer => once(fn, () => buildOrderListContainer(fn, env));
/** The container of events function `fn` (built on first use, once). */
export const eventsContainer = (fn: FunctionName, env: NodeJS.ProcessEnv = process.env): EventsContainer => once(fn, () => buildEventsContainer(fn, env));
/** The container of the events function (built on first use, once). */
export const publishContainer = (fn: FunctionName, env: NodeJS.ProcessEnv = process.env): PublishContainer => once(fn, () => buildPublishContainer(fn, env));
/** The container of the ledger API (built on first use, once). */
export const ledgerContainer = (fn: FunctionName, env: NodeJS.ProcessEnv = process.env): LedgerContainer => once(fn, () => buildLedgerContainer(fn, env));
/** The container of the overview (built on first use, once). */
export const statsContainer = (fn: FunctionName, env: NodeJS.ProcessEnv = process.env): StatsContainer => once(fn, () => buildStatsContainer(fn, env));

/** Forgets every container: for the local gateway and tests that change process.env between stacks. */
export function resetContainers(): void {
  containers.clear();
  resetAuthorizerContainer();
}

/**
 * How long after its record a CREATING order's create call may still reach Toss: the
 * create-payment function cannot run longer than its timeout, plus a margin for Toss's own work.
 */
export const CREATE_IN_FLIGHT_MS = CREATE_PAYMENT_TIMEOUT_SECONDS * 1000 + 30_000;

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
