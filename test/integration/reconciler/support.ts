/**
 * Reconciler test helpers: the pass's deps over a real DynamoDB Local table and the real Toss
 * sandbox (no mocks), with a logical clock shifted ahead so that orders are due, and a logger and
 * metric counter that record what the pass reported.
 */
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { DEFAULT_API_KEY } from '../../../local/toss-sandbox/server.ts';
import { createPayment } from '../../../shared/payments/create.ts';
import { createPaymentSchema, type CreatePaymentInput } from '../../../shared/payments/request-schemas.ts';
import { CREATE_IN_FLIGHT_MS } from '../../../shared/deps.ts';
import type { LogExtra, PaymentLogger } from '../../../shared/payments/ports.ts';
import { buildReconcilerContainer } from '../../../shared/deps.ts';
import { reconcilePass, type ReconcileDeps, type ReconcileOptions } from '../../../shared/payments/reconcile/pass.ts';
import type { ReconcileSummary } from '../../../shared/payments/reconcile/summary.ts';
import { testDocumentClient } from '../../support/dynamo.ts';
import { paymentFunctionEnv, recordingMeter } from '../../support/containers.ts';

export interface LogLine {
  level: 'info' | 'warn' | 'error';
  message: string;
  fields: Record<string, unknown>;
}

export interface TestDeps extends ReconcileDeps {
  logs: LogLine[];
  counts: Map<string, number>;
  client: DynamoDBDocumentClient;
}

export const MINUTE = 60_000;

export function documentClient(): DynamoDBDocumentClient {
  return testDocumentClient();
}

/** Deps for a pass over `tableName` against the sandbox at `sandboxUrl`, on a clock `offsetMs` ahead. */
export function reconcileDeps(
  o: { client: DynamoDBDocumentClient; tableName: string; sandboxUrl: string; apiKey?: string; offsetMs: number; tossTimeoutMs?: number },
): TestDeps {
  const clock = (): number => Date.now() + o.offsetMs;
  const logs: LogLine[] = [];
  const counts = new Map<string, number>();
  const line =
    (level: LogLine['level']) =>
    (message: string, ...extra: LogExtra): void => {
      logs.push({ level, message, fields: Object.assign({}, ...extra) as Record<string, unknown> });
    };
  const logger: PaymentLogger = { debug: () => undefined, info: line('info'), warn: line('warn'), error: line('error') };
  // The reconciler function's own container (shared/deps.ts), on the test's client, clock, logger and counter.
  const fn = buildReconcilerContainer(
    'reconciler',
    paymentFunctionEnv({ tableName: o.tableName, sandboxUrl: o.sandboxUrl, apiKey: o.apiKey ?? DEFAULT_API_KEY, publicBaseUrl: 'http://127.0.0.1:9', tossTimeoutMs: o.tossTimeoutMs }),
    { client: o.client, clock, logger, meter: recordingMeter(counts) },
  );
  return {
    ...fn.deps,
    due: fn.due,
    logs,
    counts,
    client: o.client,
  };
}

/** One pass at the deps' logical now, generous real-time budget unless overridden. */
export function pass(deps: TestDeps, over: Partial<ReconcileOptions> = {}): Promise<ReconcileSummary> {
  return reconcilePass(deps, {
    now: deps.clock(),
    concurrency: 16,
    deadline: Date.now() + 60_000,
    flagAfterMs: 120 * MINUTE,
    createGraceMs: CREATE_IN_FLIGHT_MS,
    ...over,
  });
}

export const changedTotal = (s: ReconcileSummary): number => Object.values(s.changed).reduce((a, n) => a + n, 0);

/** Payments created through the createPayment use case (order recorded, then Toss), `n` at a time. */
export async function createOrders(
  deps: TestDeps,
  n: number,
  extra: Partial<CreatePaymentInput> = {},
): Promise<{ orderNo: string; payToken: string }[]> {
  const out: { orderNo: string; payToken: string }[] = [];
  for (let i = 0; i < n; i += 10) {
    const batch = await Promise.all(
      Array.from({ length: Math.min(10, n - i) }, async () => {
        const input = createPaymentSchema.parse({ amount: 13_000, amountTaxFree: 0, productDesc: 'reconciler test', ...extra });
        const r = await createPayment(input, deps);
        return { orderNo: r.order.orderNo, payToken: r.order.payToken ?? '' };
      }),
    );
    out.push(...batch);
  }
  return out;
}
