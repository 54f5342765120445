/**
 * The CloudWatch dashboard `toss-pay-<stage>`: the alarms' state, then what payments are doing
 * (callbacks, refused requests, flagged orders, bugs, the reconciler), what the merchant is told
 * (events, webhooks, the stream's lag), then each layer underneath (API, functions, table, Toss).
 */
import { Duration } from 'aws-cdk-lib';
import type { IHttpStage } from 'aws-cdk-lib/aws-apigatewayv2';
import { AlarmStatusWidget, Dashboard, GraphWidget, Metric } from 'aws-cdk-lib/aws-cloudwatch';
import type { IAlarm, IMetric } from 'aws-cdk-lib/aws-cloudwatch';
import type { Table } from 'aws-cdk-lib/aws-dynamodb';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { Construct } from 'constructs';
import type { TableOperation } from '../../shared/functions.ts';
import { MetricDimension, MetricName } from '../../shared/metrics.ts';
import { tableDefinition } from '../../shared/store/table.ts';
import { serviceMetric, serviceMetricBy } from '../metrics.ts';

export interface OperationsDashboardProps {
  readonly stage: string;
  readonly alarms: readonly IAlarm[];
  /** Every function, by its name under functions/. */
  readonly functions: ReadonlyMap<string, IFunction>;
  readonly apiStage: IHttpStage;
  readonly table: Table;
  /** The operations the functions make on the table: one ThrottledRequests line each. */
  readonly tableOperations: readonly TableOperation[];
  /** The function fed by the table's change stream (its iterator age). */
  readonly streamConsumer: IFunction;
}

/** Every graph: sums and percentiles over five minutes. */
const PERIOD = Duration.minutes(5);
const WIDTH = 24;

const graph = (title: string, left: IMetric[], width: number): GraphWidget =>
  new GraphWidget({ title, left, width, height: 6, period: PERIOD });

export class OperationsDashboard extends Construct {
  readonly dashboard: Dashboard;

  constructor(scope: Construct, id: string, props: OperationsDashboardProps) {
    super(scope, id);
    const count = (name: string, label: string) => serviceMetric(name, PERIOD).with({ label });
    const perFunction = (metric: (f: IFunction, label: string) => IMetric) =>
      [...props.functions].map(([name, f]) => metric(f, name));
    const dynamodb = (metricName: string, label: string, index?: string) =>
      new Metric({
        namespace: 'AWS/DynamoDB',
        metricName,
        dimensionsMap: {
          TableName: props.table.tableName,
          ...(index !== undefined ? { GlobalSecondaryIndexName: index } : {}),
        },
        statistic: 'Sum',
        period: PERIOD,
        label,
      });

    this.dashboard = new Dashboard(this, 'Default', {
      dashboardName: `toss-pay-${props.stage}`,
      defaultInterval: Duration.hours(3),
      widgets: [
        [new AlarmStatusWidget({ title: 'Alarms', alarms: [...props.alarms], width: WIDTH, height: 4 })],
        [
          graph(
            'Callbacks by outcome',
            [serviceMetricBy(MetricName.CallbackOutcome, MetricDimension.Outcome, 'Sum', PERIOD)],
            8,
          ),
          graph('Security events (refused callbacks and landings)', [count(MetricName.SecurityEvents, 'SecurityEvents')], 8),
          graph(
            'Orders flagged for a person',
            [count(MetricName.OrdersFlagged, 'OrdersFlagged'), count(MetricName.OrderWritesRejected, 'writes refused for good')],
            8,
          ),
        ],
        [
          graph(
            'Reconciler passes',
            [
              count(MetricName.ReconcileExamined, 'examined'),
              count(MetricName.ReconcileChanged, 'changed'),
              count(MetricName.ReconcileUnchanged, 'unchanged'),
              count(MetricName.ReconcileErrors, 'errors'),
            ],
            12,
          ),
          graph('Unhandled errors (bugs, answered 500)', [count(MetricName.UnhandledErrors, 'UnhandledErrors')], 12),
        ],
        [
          graph(
            'Webhook deliveries',
            [
              count(MetricName.WebhooksDelivered, 'delivered'),
              count(MetricName.WebhookFailures, 'failed after the last retry'),
              count(MetricName.WebhookEndpointsDisabled, 'endpoints disabled for failing'),
            ],
            8,
          ),
          graph('Events published', [count(MetricName.EventsPublished, 'EventsPublished')], 8),
          graph(
            'Events stream iterator age, max (ms)',
            [props.streamConsumer.metric('IteratorAge', { statistic: 'Maximum', period: PERIOD, label: 'iterator age' })],
            8,
          ),
        ],
        [
          graph('API requests', [props.apiStage.metricCount({ statistic: 'Sum', label: 'requests' })], 6),
          graph('API 4xx', [props.apiStage.metricClientError({ statistic: 'Sum', label: '4xx' })], 6),
          graph('API 5xx', [props.apiStage.metricServerError({ statistic: 'Sum', label: '5xx' })], 6),
          graph(
            'API latency (ms)',
            [
              props.apiStage.metricLatency({ statistic: 'p50', label: 'p50' }),
              props.apiStage.metricLatency({ statistic: 'p99', label: 'p99' }),
              props.apiStage.metricIntegrationLatency({ statistic: 'p99', label: 'integration p99' }),
            ],
            6,
          ),
        ],
        [
          graph('Function errors', perFunction((f, label) => f.metricErrors({ statistic: 'Sum', label })), 8),
          graph('Function throttles', perFunction((f, label) => f.metricThrottles({ statistic: 'Sum', label })), 8),
          graph('Function duration p99 (ms)', perFunction((f, label) => f.metricDuration({ statistic: 'p99', label })), 8),
        ],
        [
          graph(
            'DynamoDB throttle events',
            [
              dynamodb('ReadThrottleEvents', 'table reads'),
              dynamodb('WriteThrottleEvents', 'table writes'),
              // Index writes that cannot keep up throttle the table writes that feed them.
              ...tableDefinition.globalSecondaryIndexes.flatMap(({ indexName }) => [
                dynamodb('ReadThrottleEvents', `${indexName} index reads`, indexName),
                dynamodb('WriteThrottleEvents', `${indexName} index writes`, indexName),
              ]),
            ],
            12,
          ),
          graph(
            'DynamoDB throttled requests by operation',
            props.tableOperations.map((op) =>
              props.table.metricThrottledRequestsForOperation(op, { statistic: 'Sum', period: PERIOD, label: op }),
            ),
            12,
          ),
        ],
        [
          graph('Toss latency p99 by API (ms)', [serviceMetricBy(MetricName.TossLatency, MetricDimension.Api, 'p99', PERIOD)], 12),
          graph('Toss errors by API', [serviceMetricBy(MetricName.TossErrors, MetricDimension.Api, 'Sum', PERIOD)], 12),
        ],
      ],
    });
  }
}
