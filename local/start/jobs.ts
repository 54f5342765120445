/**
 * `npm start`'s periodic jobs: the scheduled functions (each deployed on an EventBridge schedule),
 * each run every `intervalSeconds` after the gateway is up (never two passes of one job at once),
 * stopped first on shutdown. `lambdaJob(fn, seconds)` runs functions/<fn>/handler.ts with a Lambda
 * context and timeout.
 */
import { randomUUID } from 'node:crypto';
import { createFunctionLoader, defaultTimeoutSeconds, invoke, type LambdaHandler } from '../gateway/lambda.ts';
import { LOCAL_REGION, type LocalStartConfig } from './config.ts';

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
