/**
 * What the use cases need, injected so that handlers, tests and the reconciler build them alike.
 */
import type { AppConfig } from '../config.ts';
import type { OrderStore } from '../store/orders.ts';
import type { TossClient } from '../toss/client.ts';

/** The subset of Powertools Logger the use cases call. */
export interface PaymentLogger {
  info(message: string, ...extra: Record<string, unknown>[]): void;
  warn(message: string, ...extra: Record<string, unknown>[]): void;
  error(message: string, ...extra: Record<string, unknown>[]): void;
}

/** Counts one occurrence of a metric (shared/metrics.ts MetricName). */
export type CountMetric = (name: string) => void;

export interface PaymentDeps {
  store: OrderStore;
  toss: TossClient;
  config: Pick<AppConfig, 'PUBLIC_BASE_URL'>;
  clock: () => number;
  logger: PaymentLogger;
  count: CountMetric;
}

/** Per-call options: an absolute deadline (epoch ms) for Toss calls. */
export interface CallOpts {
  deadline?: number | undefined;
}
