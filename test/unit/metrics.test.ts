/**
 * The Meter (shared/meter.ts): publishNow(), a metric with its one extra dimension, published at
 * once on its own (the alarms and the dashboard find each metric only under its documented
 * dimensions, shared/metrics.ts). The single-metric emitter is reused across calls; what it prints
 * must be what a fresh one prints. count() adds to the invocation's metrics, flushed at its end.
 */
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { describe, expect, it } from 'vitest';
import { meterOf, newMetrics } from '../../shared/meter.ts';
import { newLogger } from '../../shared/logger.ts';
import { MetricDimension, MetricName, METRICS_NAMESPACE, SERVICE_NAME } from '../../shared/metrics.ts';
import { captureOutput } from '../support/log-capture.ts';

/** The EMF lines printed while `fn` runs, without their timestamps. */
function emfOf(fn: () => void): unknown[] {
  const capture = captureOutput();
  try {
    fn();
  } finally {
    capture.stop();
  }
  return capture
    .lines()
    .filter((l) => l.text.startsWith('{"_aws"'))
    .map((l) => {
      const emf = JSON.parse(l.text) as { _aws: { Timestamp?: number } };
      delete emf._aws.Timestamp;
      return emf;
    });
}

const emf = (name: string, unit: string, value: number, dimension: string, dimensionValue: string) => ({
  _aws: { CloudWatchMetrics: [{ Namespace: METRICS_NAMESPACE, Dimensions: [['service', dimension]], Metrics: [{ Name: name, Unit: unit }] }] },
  service: SERVICE_NAME,
  [dimension]: dimensionValue,
  [name]: value,
});

describe('Meter', () => {
  it('publishes each metric alone, with service and its one dimension, call after call, as a fresh single metric does', () => {
    const metrics = newMetrics(newLogger());
    const meter = meterOf(metrics);
    const printed = emfOf(() => {
      meter.publishNow(MetricName.TossLatency, MetricUnit.Milliseconds, 12, MetricDimension.Api, 'status');
      meter.publishNow(MetricName.CallbackOutcome, MetricUnit.Count, 1, MetricDimension.Outcome, 'applied');
      meter.publishNow(MetricName.TossLatency, MetricUnit.Milliseconds, 7, MetricDimension.Api, 'execute');
      const fresh = metrics.singleMetric();
      fresh.addDimension(MetricDimension.Outcome, 'applied');
      fresh.addMetric(MetricName.CallbackOutcome, MetricUnit.Count, 1);
      // The invocation's own metrics stay apart: nothing of the above lands on them.
      meter.count(MetricName.OrdersFlagged);
      meter.count(MetricName.OrdersFlagged, 2);
      metrics.publishStoredMetrics();
    });
    expect(printed).toEqual([
      emf(MetricName.TossLatency, 'Milliseconds', 12, MetricDimension.Api, 'status'),
      emf(MetricName.CallbackOutcome, 'Count', 1, MetricDimension.Outcome, 'applied'),
      emf(MetricName.TossLatency, 'Milliseconds', 7, MetricDimension.Api, 'execute'),
      emf(MetricName.CallbackOutcome, 'Count', 1, MetricDimension.Outcome, 'applied'),
      {
        _aws: { CloudWatchMetrics: [{ Namespace: METRICS_NAMESPACE, Dimensions: [['service']], Metrics: [{ Name: MetricName.OrdersFlagged, Unit: 'Count' }] }] },
        service: SERVICE_NAME,
        // Each count is a value of its own (EMF: CloudWatch adds them up).
        [MetricName.OrdersFlagged]: [1, 2],
      },
    ]);
  });
});
