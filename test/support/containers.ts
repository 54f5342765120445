/**
 * A function's own container (shared/deps.ts: the one composition root) for a test that drives a
 * use case itself: the function's wiring, as deployed, on a test's table, sandbox and timings, with
 * the test's client, clock, logger or counter where it gives them.
 */
import { buildPaymentContainer, buildReconcilerContainer, type ContainerOptions, type PaymentContainer, type ReconcilerContainer } from '../../shared/deps.ts';
import type { FunctionName } from '../../shared/functions.ts';
import type { Meter } from '../../shared/meter.ts';
import type { Stack } from './stack.ts';
import { TEST_TIMINGS, type StackTimings } from './timings.ts';

/** The environment a payment function of a test stack gets (startStack sets the same for the stack's own). */
export function paymentFunctionEnv(o: {
  tableName: string;
  sandboxUrl: string;
  apiKey: string;
  publicBaseUrl: string;
  timings?: StackTimings;
  tossTimeoutMs?: number;
}): Record<string, string> {
  const timings = o.timings ?? TEST_TIMINGS;
  return {
    TABLE_NAME: o.tableName,
    TOSS_BASE_URL: o.sandboxUrl,
    TOSS_API_KEY: o.apiKey,
    PUBLIC_BASE_URL: o.publicBaseUrl,
    ...Object.fromEntries(Object.entries(timings).map(([k, v]) => [k, String(v)])),
    TOSS_TIMEOUT_MS: String(o.tossTimeoutMs ?? timings.TOSS_TIMEOUT_MS),
  };
}

/** Payment function `fn`'s container on the stack `s` (its table, sandbox, key, address and timings). */
export function stackContainer(
  fn: FunctionName,
  s: Pick<Stack, 'api' | 'apiKey' | 'sandbox' | 'tableName' | 'timings'>,
  o: ContainerOptions & { tossTimeoutMs?: number } = {},
): PaymentContainer {
  return buildPaymentContainer(fn, ...stackArgs(s, o));
}

/** The reconciler's container on the stack `s`, as stackContainer makes a payment function's. */
export function stackReconcilerContainer(
  s: Pick<Stack, 'api' | 'apiKey' | 'sandbox' | 'tableName' | 'timings'>,
  o: ContainerOptions & { tossTimeoutMs?: number } = {},
): ReconcilerContainer {
  return buildReconcilerContainer('reconciler', ...stackArgs(s, o));
}

function stackArgs(s: Pick<Stack, 'api' | 'apiKey' | 'sandbox' | 'tableName' | 'timings'>, o: ContainerOptions & { tossTimeoutMs?: number }): [Record<string, string>, ContainerOptions] {
  const { tossTimeoutMs, ...options } = o;
  return [paymentFunctionEnv({ tableName: s.tableName, sandboxUrl: s.sandbox.url, apiKey: s.apiKey, publicBaseUrl: s.api, timings: s.timings, tossTimeoutMs }), options];
}

/** A meter that keeps the counts in `counts` (when given) and publishes nothing: a test reads what was counted. */
export const recordingMeter = (counts?: Map<string, number>): Meter => ({
  count: (name, n = 1) => void counts?.set(name, (counts.get(name) ?? 0) + n),
  publishNow: () => undefined,
});
