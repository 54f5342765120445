/**
 * When tracing is on (shared/tracer.ts): Powertools' own rule, read from the environment. Off (npm
 * start, the tests, the benchmarks: no X-Ray daemon) nothing is traced and the code runs as it would
 * untraced. What is traced when it is on: test/integration/tracing/trace.test.ts, with the segments
 * the functions send.
 */
import { describe, expect, it } from 'vitest';
import { processTracing, tracingOn } from '../../shared/tracer.ts';

describe('tracing', () => {
  it.each([
    [{ AWS_EXECUTION_ENV: 'AWS_Lambda_nodejs24.x' }, true],
    [{ AWS_EXECUTION_ENV: 'AWS_Lambda_nodejs24.x', POWERTOOLS_TRACE_ENABLED: 'false' }, false],
    [{ AWS_EXECUTION_ENV: 'AWS_Lambda_nodejs24.x', POWERTOOLS_TRACE_ENABLED: 'FALSE ' }, false],
    [{ AWS_EXECUTION_ENV: 'AWS_Lambda_nodejs24.x', POWERTOOLS_TRACE_ENABLED: 'true' }, true],
    [{ AWS_EXECUTION_ENV: 'AWS_Lambda_nodejs24.x', AWS_SAM_LOCAL: 'true' }, false],
    [{ AWS_EXECUTION_ENV: 'AWS_Lambda_amplify-mock' }, false],
    [{}, false],
    [{ POWERTOOLS_TRACE_ENABLED: 'true' }, false],
  ])('is on in %j: %s', (env, on) => {
    expect(tracingOn(env)).toBe(on);
  });

  it('is off in the tests: nothing traced, every call the untraced one', async () => {
    const t = processTracing();
    expect(t.on).toBe(false);
    const client = { middlewareStack: 'untouched' };
    expect(t.instrument(client)).toBe(client);
    expect(client).toEqual({ middlewareStack: 'untouched' });
    expect(await t.inSubsegment('## toss.status', { tossApi: 'status' }, () => Promise.resolve(42))).toBe(42);
    await expect(t.inSubsegment('## toss.status', {}, () => Promise.reject(new Error('refused')))).rejects.toThrow('refused');
    expect(t.traceId()).toBeUndefined();
    t.mark('## order change', { orderNo: 'A-17' });
    t.annotate('orderNo', 'A-17');
  });
});
