/**
 * Vitest global setup: a DynamoDB Local per worker (as many as the run's maxWorkers), each started
 * with the same launcher as `npm start` (local/dynamodb.ts) on a free port. A test file uses its
 * worker's (test/support/dynamo.ts); test files create their own tables there, so that files never
 * share state.
 *
 * Why not one for the run: DynamoDB Local keeps every stream record it ever wrote, of every table,
 * in its one process, and each write costs more as they pile up (BENCHMARKS.md, "Test suite");
 * spread over one instance per worker, each holds a share of the suite's records, and files
 * running at once do not queue for one process.
 */
import type { TestProject } from 'vitest/node';
import { startDynamoDbLocal } from '../local/dynamodb.ts';
import { freePorts } from '../local/ports.ts';
import { clearFunctionOps } from './support/function-ops.ts';

/**
 * The environment of the run's JVMs (DynamoDB Local here, and in the `npm start` the tests start),
 * which live for minutes, not days: compiled by C1 alone and collected by the serial GC, a JVM
 * starts on half the CPU time and serves the suite in half of it too (C2's compiler threads never
 * pay off); DDB_LOCAL_TELEMETRY=0 is DynamoDB Local's own switch for its telemetry (BENCHMARKS.md,
 * "Test suite"). Set before anything starts, so every process of the run inherits it.
 */
export const TEST_JVM_ENV = { JDK_JAVA_OPTIONS: '-XX:TieredStopAtLevel=1 -XX:+UseSerialGC', DDB_LOCAL_TELEMETRY: '0' };

declare module 'vitest' {
  export interface ProvidedContext {
    /** One DynamoDB Local endpoint per worker slot (VITEST_POOL_ID 1, 2, …). */
    dynamoEndpoints: string[];
  }
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  clearFunctionOps();
  Object.assign(process.env, TEST_JVM_ENV);
  const count = Math.max(1, project.vitest.config.maxWorkers);
  const started = await Promise.allSettled((await freePorts(count)).map((port) => startDynamoDbLocal({ port })));
  const instances = started.flatMap((r) => (r.status === 'fulfilled' ? [r.value] : []));
  const stop = async (): Promise<void> => {
    await Promise.all(instances.map((d) => d.stop()));
  };
  const failed = started.find((r): r is PromiseRejectedResult => r.status === 'rejected');
  if (failed !== undefined) {
    await stop();
    throw failed.reason;
  }
  project.provide(
    'dynamoEndpoints',
    instances.map((d) => d.endpoint),
  );
  return stop;
}
