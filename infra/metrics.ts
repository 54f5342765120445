/** The service's own metrics (shared/metrics.ts) as CloudWatch metric objects, for alarms and graphs. */
import type { Duration } from 'aws-cdk-lib';
import { MathExpression, Metric } from 'aws-cdk-lib/aws-cloudwatch';
import { METRICS_NAMESPACE, MetricDimension, SERVICE_NAME } from '../shared/metrics.ts';

/** `metricName` with only the `service` dimension: the set every count without a further dimension has. */
export const serviceMetric = (metricName: string, period: Duration): Metric =>
  new Metric({
    namespace: METRICS_NAMESPACE,
    metricName,
    dimensionsMap: { [MetricDimension.Service]: SERVICE_NAME },
    statistic: 'Sum',
    period,
  });

/**
 * One line per value of `dimension` (MetricDimension) that `metricName` has been emitted with: a
 * CloudWatch SEARCH, so a new value (a new callback outcome, a new Toss API) appears without a
 * change here.
 */
export const serviceMetricBy = (metricName: string, dimension: string, statistic: string, period: Duration): MathExpression =>
  new MathExpression({
    expression:
      `SEARCH('{${METRICS_NAMESPACE},${MetricDimension.Service},${dimension}} ` +
      `MetricName="${metricName}" ${MetricDimension.Service}="${SERVICE_NAME}"', '${statistic}', ${period.toSeconds()})`,
    usingMetrics: {},
    // Each line is named by its value of the dimension (a CloudWatch dynamic label).
    label: `\${PROP('Dim.${dimension}')}`,
    period,
  });
