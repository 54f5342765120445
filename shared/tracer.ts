/**
 * Tracing (AWS X-Ray, through Powertools Tracer): one per process, shared by the containers. Each
 * function's chain records its invocation as a subsegment (traceInvocation, in
 * shared/lambda-chain.ts), its DynamoDB and EventBridge clients each call (instrument: Powertools'
 * captureAWSv3Client), the Toss client each call to Toss as a subsegment `## toss.<api>`
 * (inSubsegment), with the HTTP request under it; the log lines carry the trace id
 * (`xray_trace_id`, Powertools Logger).
 *
 * On only in Lambda, with active tracing (the stack turns it on for every function), by
 * Powertools' own rule: AWS_EXECUTION_ENV set, POWERTOOLS_TRACE_ENABLED not `false`, not SAM's or
 * Amplify's emulation. Elsewhere (npm start, the tests, the benchmarks: no X-Ray daemon) the
 * tracer is never loaded, and every call here does nothing.
 *
 * Loaded on demand: Powertools Tracer and the X-Ray SDK under it (≈ 120 KiB) are a chunk of their
 * own, imported when the first invocation starts, not with the function's code, so a function's
 * import stays within its cold-start budget (BENCHMARKS.md says what loading it costs).
 */
import type middy from '@middy/core';
import type { Tracer } from '@aws-lambda-powertools/tracer';
import { SERVICE_NAME } from './metrics.ts';

/** A trace annotation's value (X-Ray indexes annotations: a trace can be searched by them). */
export type Annotation = string | number | boolean;

/** Powertools' rule for whether its tracer traces (Tracer.isTracingEnabled), read from `env`. */
export function tracingOn(env: NodeJS.ProcessEnv = process.env): boolean {
  const exec = env.AWS_EXECUTION_ENV ?? '';
  if ((env.POWERTOOLS_TRACE_ENABLED ?? '').trim().toLowerCase() === 'false') return false;
  return exec !== '' && exec !== 'AWS_Lambda_amplify-mock' && (env.AWS_SAM_LOCAL ?? '') === '';
}

export interface Tracing {
  /** Traces here (Lambda, active tracing). */
  readonly on: boolean;
  /** An AWS SDK v3 client whose every call becomes a subsegment (once the tracer is loaded, before any call of a traced invocation). */
  instrument<C extends object>(client: C): C;
  /** The middy middleware recording each invocation (loads the tracer on the first one); a chain uses it when `on`. */
  middleware(): middy.MiddlewareObj;
  /** `fn` in a subsegment `name`, annotated; an error it throws recorded on it. Only `fn` when nothing is traced. */
  inSubsegment<T>(name: string, annotations: Record<string, Annotation>, fn: () => Promise<T>): Promise<T>;
  /** A subsegment `name` marking something at this moment, annotated. */
  mark(name: string, annotations: Record<string, Annotation>): void;
  /** An annotation of the invocation's subsegment. */
  annotate(key: string, value: Annotation): void;
  /** The trace of the invocation now, when traced. */
  traceId(): string | undefined;
}

const OFF: Tracing = {
  on: false,
  instrument: (client) => client,
  middleware: () => ({ before: () => undefined }),
  inSubsegment: (_name, _annotations, fn) => fn(),
  mark: () => undefined,
  annotate: () => undefined,
  traceId: () => undefined,
};

/** Tracing on: Powertools Tracer, loaded by the first invocation's middleware. */
function tracingWithPowertools(): Tracing {
  let tracer: Tracer | undefined;
  let capture: middy.MiddlewareObj | undefined;
  let loading: Promise<void> | undefined;
  const pending: object[] = [];
  const load = (): Promise<void> =>
    (loading ??= Promise.all([import('@aws-lambda-powertools/tracer'), import('@aws-lambda-powertools/tracer/middleware')]).then(([t, m]) => {
      tracer = new t.Tracer({ serviceName: SERVICE_NAME });
      // Never the response: it may hold an order.
      capture = m.captureLambdaHandler(tracer, { captureResponse: false });
      for (const c of pending.splice(0)) tracer.captureAWSv3Client(c);
    }));
  const current = () => (tracer?.isTracingEnabled() === true ? tracer.getSegment() : undefined);
  return {
    on: true,
    instrument(client) {
      if (tracer === undefined) pending.push(client);
      else tracer.captureAWSv3Client(client);
      return client;
    },
    middleware: () => ({
      before: async (request) => {
        await load();
        await capture?.before?.(request);
      },
      after: async (request) => {
        await capture?.after?.(request);
      },
      onError: async (request) => {
        await capture?.onError?.(request);
      },
    }),
    async inSubsegment(name, annotations, fn) {
      const parent = current();
      if (parent === undefined || tracer === undefined) return fn();
      const sub = parent.addNewSubsegment(name);
      for (const [k, v] of Object.entries(annotations)) sub.addAnnotation(k, v);
      tracer.setSegment(sub);
      try {
        return await fn();
      } catch (e) {
        sub.addError(e as Error);
        throw e;
      } finally {
        sub.close();
        tracer.setSegment(parent);
      }
    },
    mark(name, annotations) {
      const sub = current()?.addNewSubsegment(name);
      if (sub === undefined) return;
      for (const [k, v] of Object.entries(annotations)) sub.addAnnotation(k, v);
      sub.close();
    },
    annotate(key, value) {
      tracer?.putAnnotation(key, value);
    },
    traceId: () => (tracer?.isTracingEnabled() === true ? tracer.getRootXrayTraceId() : undefined),
  };
}

let tracing: Tracing | undefined;

/** The process's tracing (decided on first use, from the environment). */
export const processTracing = (): Tracing => (tracing ??= tracingOn() ? tracingWithPowertools() : OFF);
