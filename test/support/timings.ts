/**
 * How long the stack's leases, locks and windows last in tests: configuration (shared/config.ts)
 * the harness sets, so that a test waits for them to pass in a fraction of their production time.
 */
/**
 * The stack's own waits, as the tests configure them (shared/config.ts has their production
 * defaults: 15 s, 5 s, 15 s and 2 s). A test that waits for a create lease, an execute lock or the
 * landing window to pass waits this long, not the production time; startStack sets them, a test's
 * `env` may set any of them otherwise, and `stack.timings` says what its stack runs with. Leases
 * and locks still outlast what the sandbox does after a call timed out (a slow bank leg: up to
 * 0.5 s past the client's timeout in the reliability suite).
 */
export const TEST_TIMINGS = {
  TOSS_TIMEOUT_MS: 3_000,
  CREATE_LEASE_GRACE_MS: 1_000,
  EXECUTE_LOCK_GRACE_MS: 2_000,
  LANDING_CHECK_INTERVAL_MS: 500,
} as const;

export type StackTimings = { readonly [K in keyof typeof TEST_TIMINGS]: number };

/** The timings of a stack started with `env`: TEST_TIMINGS, each overridden by `env` when it sets it. */
export function timingsFor(env: Record<string, string | undefined>): StackTimings {
  const out: Record<string, number> = { ...TEST_TIMINGS };
  for (const k of Object.keys(TEST_TIMINGS)) if (env[k] !== undefined && env[k] !== '') out[k] = Number(env[k]);
  return out as StackTimings;
}
