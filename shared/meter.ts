/**
 * THE way the functions record a metric (Powertools Metrics, EMF; the names and dimensions are in
 * ./metrics.ts). A container makes one Meter over its Metrics:
 *
 *   count(name, n = 1)   n more of `name` among the invocation's metrics (dimension `service`
 *                        alone), flushed once at its end by the chain's logMetrics middleware. The
 *                        use cases get this one (their CountMetric port, `deps.count`).
 *   publishNow(name, unit, value, dimension, dimensionValue)
 *                        one value with its one further dimension, published at once on its own,
 *                        so that the dimension never lands on the invocation's other metrics (the
 *                        alarms watch `service` alone).
 *
 * Nothing else calls Metrics.addMetric.
 */
import type { Logger } from '@aws-lambda-powertools/logger';
import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import { METRICS_NAMESPACE, SERVICE_NAME } from './metrics.ts';

export type MetricUnitValue = (typeof MetricUnit)[keyof typeof MetricUnit];

export interface Meter {
  count(name: string, n?: number): void;
  publishNow(name: string, unit: MetricUnitValue, value: number, dimension: string, dimensionValue: string): void;
}

/**
 * Metrics that report through `logger`. An invocation without metrics is normal here (most
 * landings count nothing), so Powertools' "no metrics to publish" warning is a debug line.
 */
export const newMetrics = (logger: Logger): Metrics =>
  new Metrics({
    namespace: METRICS_NAMESPACE,
    serviceName: SERVICE_NAME,
    logger: {
      debug: (message: string) => logger.debug(message),
      info: (message: string) => logger.info(message),
      warn: (message: string) => logger.debug(message),
      error: (message: string) => logger.error(message),
    },
  });

/** The Meter over `metrics`. */
export function meterOf(metrics: Metrics): Meter {
  /**
   * The single-metric emitter, made once and reused: it publishes on addMetric and then clears its
   * metrics and dimensions (not the default `service`), so each call emits exactly what a fresh
   * one would, without building a new Metrics (which reads its environment again) per call.
   */
  let single: Metrics | undefined;
  return {
    count(name, n = 1) {
      metrics.addMetric(name, MetricUnit.Count, n);
    },
    publishNow(name, unit, value, dimension, dimensionValue) {
      single ??= metrics.singleMetric();
      try {
        single.addDimension(dimension, dimensionValue);
        single.addMetric(name, unit, value);
      } finally {
        // Published and cleared by addMetric; cleared here too should it have thrown first.
        single.clearDimensions();
      }
    },
  };
}
