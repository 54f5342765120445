/** The service's own metrics (shared/metrics.ts) as CloudWatch metric objects, for alarms. */
import type { Duration } from 'aws-cdk-lib';
import { Metric } from 'aws-cdk-lib/aws-cloudwatch';
import { METRICS_NAMESPACE, SERVICE_NAME } from '../shared/metrics.ts';

/** `metricName` with only the `service` dimension: the set every count without a further dimension has. */
export const serviceMetric = (metricName: string, period: Duration): Metric =>
  new Metric({
    namespace: METRICS_NAMESPACE,
    metricName,
    dimensionsMap: { service: SERVICE_NAME },
    statistic: 'Sum',
    period,
  });
