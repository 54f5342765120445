/**
 * `npm run reconcile`: ONE reconciler pass against the running local stack (`npm start`), then
 * its JSON summary on stdout (logs go to stderr). Exit 0 when the pass ran (even with errors on
 * single orders: they are in the summary); exit 1, with a clear message, when it could not run at
 * all (bad configuration, DynamoDB Local or the Toss sandbox not reachable, no table in the DynamoDB
 * Local that npm start runs). With DYNAMODB_ENDPOINT, a missing table is created there, as npm start does.
 *
 * Same variables and defaults as `npm start` (DYNAMODB_ENDPOINT or DYNAMODB_PORT, TOSS_SANDBOX_PORT,
 * TABLE_NAME, TOSS_API_KEY, RECONCILE_CONCURRENCY, RECONCILE_FLAG_AFTER_MINUTES, TOSS_TIMEOUT_MS, …),
 * so it finds the DynamoDB and the table that `npm start` uses. It names them on stderr first.
 */
import { DescribeTableCommand, ResourceNotFoundException } from '@aws-sdk/client-dynamodb';
import { appConfigSchema, parseEnv } from '../shared/config.ts';
import { buildReconcilerContainer, reconcileOptions } from '../shared/deps.ts';
import { functionSettings } from '../shared/functions.ts';
import type { Meter } from '../shared/meter.ts';
import type { LogExtra, PaymentLogger } from '../shared/payments/ports.ts';
import { reconcilePass } from '../shared/payments/reconcile/pass.ts';
import type { ReconcileSummary } from '../shared/payments/reconcile/summary.ts';
import { createDocumentClient } from '../shared/store/client.ts';
import { ensureTable, localClient } from './dynamodb.ts';
import { describeDynamo, localConfig, type LocalStartConfig } from './start.ts';

/** The stack is not there (or not usable): the pass could not run at all. */
export class StackNotRunningError extends Error {
  override name = 'StackNotRunningError';
}

/** `npm run reconcile` reports no metrics: there is no CloudWatch to read them. */
const NO_METRICS: Meter = { count: () => undefined, publishNow: () => undefined };

/** JSON lines on stderr, so that stdout carries only the summary. */
const errorsAsFields = (_key: string, v: unknown): unknown => (v instanceof Error ? { name: v.name, message: v.message, stack: v.stack } : v);
const line = (level: string) => (message: string, ...extra: LogExtra) =>
  console.error(JSON.stringify({ level, message, ...Object.assign({}, ...extra.map((x) => (x instanceof Error ? { error: x } : x))) }, errorsAsFields));
const stderrLogger: PaymentLogger = { debug: () => undefined, info: line('INFO'), warn: line('WARN'), error: line('ERROR') };

async function assertStackRunning(local: LocalStartConfig, dynamoEndpoint: string, tableName: string, sandboxUrl: string): Promise<void> {
  const ddb = localClient(dynamoEndpoint, local.AWS_REGION);
  const given = local.DYNAMODB_ENDPOINT !== undefined;
  try {
    await ddb.send(new DescribeTableCommand({ TableName: tableName }), { abortSignal: AbortSignal.timeout(given ? 15_000 : 5_000) });
  } catch (e) {
    if (e instanceof ResourceNotFoundException && given) {
      // Like npm start on that endpoint: the table is created (nothing is due in a new table).
      await ensureTable(dynamoEndpoint, tableName, { region: local.AWS_REGION });
      console.error(`npm run reconcile: created table ${tableName} at ${dynamoEndpoint} (DYNAMODB_ENDPOINT), as npm start does`);
      return assertSandbox(sandboxUrl);
    }
    if (e instanceof ResourceNotFoundException)
      throw new StackNotRunningError(`DynamoDB Local at ${dynamoEndpoint} has no table ${tableName} (is TABLE_NAME the one npm start uses?)`);
    if (given) {
      const why = e instanceof Error ? `${e.name}: ${e.message}` : String(e);
      throw new StackNotRunningError(`DynamoDB is not reachable at ${dynamoEndpoint} (DYNAMODB_ENDPOINT): ${why}`);
    }
    throw new StackNotRunningError(`DynamoDB Local is not reachable at ${dynamoEndpoint}: start the local stack with \`npm start\` first`);
  } finally {
    ddb.destroy();
  }
  await assertSandbox(sandboxUrl);
}

async function assertSandbox(sandboxUrl: string): Promise<void> {
  try {
    const res = await fetch(`${sandboxUrl}/sandbox/health`, { signal: AbortSignal.timeout(5_000) });
    if (!res.ok) throw new Error(`HTTP ${res.status}`);
    await res.arrayBuffer();
  } catch {
    throw new StackNotRunningError(`the Toss sandbox is not reachable at ${sandboxUrl}: start the local stack with \`npm start\` first`);
  }
}

/** One pass against the local stack that `env` describes (as `npm start` reads it). */
export async function reconcileLocal(
  env: NodeJS.ProcessEnv = process.env,
  opts: { logger?: PaymentLogger } = {},
): Promise<ReconcileSummary> {
  const { config: local, functionEnv } = localConfig(env);
  const fnEnv = { ...env, ...functionEnv };
  const c = parseEnv(appConfigSchema, fnEnv);
  const dynamoEndpoint = c.DYNAMODB_ENDPOINT ?? '';
  await assertStackRunning(local, dynamoEndpoint, c.TABLE_NAME, c.TOSS_BASE_URL.replace(/\/+$/, ''));
  const client = createDocumentClient({
    region: c.AWS_REGION,
    endpoint: dynamoEndpoint,
    connectTimeoutMs: c.DYNAMODB_CONNECT_TIMEOUT_MS,
    requestTimeoutMs: c.DYNAMODB_REQUEST_TIMEOUT_MS,
  });
  try {
    // The reconciler function's own container (shared/deps.ts), its logs on stderr and no metrics.
    const fn = buildReconcilerContainer('reconciler', fnEnv, { client, logger: opts.logger ?? stderrLogger, meter: NO_METRICS });
    // The same options as the deployed function, with its whole timeout as the budget.
    return await reconcilePass({ ...fn.deps, due: fn.due }, reconcileOptions(fn.config, Date.now(), functionSettings.reconciler.timeoutSeconds * 1000));
  } finally {
    client.destroy();
  }
}

/** The line `npm run reconcile` prints on stderr before its pass: which DynamoDB, table and Toss it uses. */
export function describeTargets(env: NodeJS.ProcessEnv): string {
  const { config, functionEnv } = localConfig(env);
  return `npm run reconcile: ${describeDynamo(config)}, table ${config.TABLE_NAME}; Toss sandbox ${functionEnv.TOSS_BASE_URL ?? '?'} (TOSS_SANDBOX_PORT)`;
}

async function main(): Promise<void> {
  try {
    console.error(describeTargets(process.env));
    const summary = await reconcileLocal(process.env);
    console.log(JSON.stringify(summary, null, 2));
  } catch (e) {
    console.error(`npm run reconcile failed: ${e instanceof Error ? e.message : String(e)}`);
    process.exitCode = 1;
  }
}

if (import.meta.main) await main();
