/**
 * Invoking a function the way the Lambda runtime does: one "container" per function (the module
 * is imported once and its state persists between invocations, like a warm Lambda), a Lambda
 * context whose getRemainingTimeInMillis() counts down the function's configured timeout, and a
 * timeout that ends the invocation with an error.
 */
import { randomUUID } from 'node:crypto';
import type { Context } from 'aws-lambda';
import { functionSettings, type FunctionName } from '../../shared/functions.ts';
import { LOCAL_ACCOUNT_ID, LOCAL_REGION } from './event.ts';

/**
 * A Lambda handler as the gateway calls it: `handler(event, context)`, returning a value or a
 * promise. `event: never` so that handlers typed with any event type are accepted.
 */
export type LambdaHandler = (event: never, context: Context) => unknown;

const DEFAULT_TIMEOUT_SECONDS = 3;
const DEFAULT_MEMORY_MB = 128;

const settingsOf = (fn: string): { timeoutSeconds: number; memoryMb: number } | undefined =>
  Object.hasOwn(functionSettings, fn) ? functionSettings[fn as FunctionName] : undefined;

/** The deployed timeout of `fn` (shared/functions.ts); Lambda's 3 s default for unknown names. */
export const defaultTimeoutSeconds = (fn: string): number => settingsOf(fn)?.timeoutSeconds ?? DEFAULT_TIMEOUT_SECONDS;

/** `functions/<fn>/handler.ts` of this repository, imported once per function and cached. */
export function createFunctionLoader(): (fn: string) => Promise<LambdaHandler> {
  const cache = new Map<string, Promise<LambdaHandler>>();
  return (fn) => {
    let p = cache.get(fn);
    if (p === undefined) {
      p = importHandler(fn);
      cache.set(fn, p);
      // A failed import is not cached: the next request tries again (like a new cold start).
      p.catch(() => cache.delete(fn));
    }
    return p;
  };
}

async function importHandler(fn: string): Promise<LambdaHandler> {
  if (!/^[a-z0-9][a-z0-9-]*$/.test(fn)) throw new Error(`invalid function name ${JSON.stringify(fn)}`);
  const url = new URL(`../../functions/${fn}/handler.ts`, import.meta.url);
  const mod = (await import(url.href)) as { handler?: unknown };
  if (typeof mod.handler !== 'function') throw new Error(`functions/${fn}/handler.ts does not export a handler function`);
  return mod.handler as LambdaHandler;
}

export function lambdaContext(fn: string, timeoutSeconds: number, startedAt: number = Date.now()): Context {
  const deadline = startedAt + timeoutSeconds * 1000;
  const now = new Date(startedAt);
  const date = `${now.getUTCFullYear()}/${String(now.getUTCMonth() + 1).padStart(2, '0')}/${String(now.getUTCDate()).padStart(2, '0')}`;
  return {
    callbackWaitsForEmptyEventLoop: true,
    functionName: fn,
    functionVersion: '$LATEST',
    invokedFunctionArn: `arn:aws:lambda:${LOCAL_REGION}:${LOCAL_ACCOUNT_ID}:function:${fn}`,
    memoryLimitInMB: String(settingsOf(fn)?.memoryMb ?? DEFAULT_MEMORY_MB),
    awsRequestId: randomUUID(),
    logGroupName: `/aws/lambda/${fn}`,
    logStreamName: `${date}/[$LATEST]local`,
    getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
    done: () => undefined,
    fail: () => undefined,
    succeed: () => undefined,
  };
}

export type InvokeResult = { ok: true; value: unknown } | { ok: false; reason: 'timeout' | 'error'; error?: unknown };

/** The largest reply a synchronous invocation may give, serialised (Lambda's 6 MB): a larger one fails the invocation. */
export const MAX_RESPONSE_BYTES = 6_291_556;

/**
 * Calls `handler(event, context)` and waits at most `timeoutSeconds` for it to end. A reply
 * over MAX_RESPONSE_BYTES fails the invocation, as in Lambda (behind API Gateway: a 500).
 */
export async function invoke(
  handler: LambdaHandler,
  fn: string,
  event: unknown,
  timeoutSeconds: number,
): Promise<InvokeResult> {
  const context = lambdaContext(fn, timeoutSeconds);
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<InvokeResult>((resolve) => {
    timer = setTimeout(() => resolve({ ok: false, reason: 'timeout' }), timeoutSeconds * 1000);
  });
  const run = (async (): Promise<InvokeResult> => {
    try {
      const value: unknown = await (handler as (e: unknown, c: Context) => unknown)(event, context);
      const size = value === undefined ? 0 : Buffer.byteLength(JSON.stringify(value));
      if (size > MAX_RESPONSE_BYTES) {
        return { ok: false, reason: 'error', error: new Error(`Response payload size (${size} bytes) exceeded maximum allowed payload size (${MAX_RESPONSE_BYTES} bytes).`) };
      }
      return { ok: true, value };
    } catch (error) {
      return { ok: false, reason: 'error', error };
    }
  })();
  try {
    return await Promise.race([run, timeout]);
  } finally {
    clearTimeout(timer);
  }
}
