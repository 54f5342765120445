/**
 * The alarms and where they go: an SNS topic encrypted with its own KMS key (optionally mailed),
 * an alarm on the errors of every function, on the API's 5xx replies, on the service's own
 * metrics that mean a bug, an order needing a person, a write DynamoDB refused for good, a failing
 * reconciler, a refused request,
 * a webhook given up or a webhook endpoint disabled for failing, and on the change stream's consumer
 * falling behind or giving records up.
 */
import { Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import type { IHttpStage } from 'aws-cdk-lib/aws-apigatewayv2';
import { Alarm, ComparisonOperator, TreatMissingData } from 'aws-cdk-lib/aws-cloudwatch';
import type { IMetric } from 'aws-cdk-lib/aws-cloudwatch';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import { Effect, PolicyStatement, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Key } from 'aws-cdk-lib/aws-kms';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { Topic } from 'aws-cdk-lib/aws-sns';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import { EmailSubscription } from 'aws-cdk-lib/aws-sns-subscriptions';
import { Construct } from 'constructs';
import { MetricName } from '../../shared/metrics.ts';
import { serviceMetric } from '../metrics.ts';

export interface AlarmsProps {
  readonly stage: string;
  /** Subscribed to the topic when set. */
  readonly alarmEmail?: string | undefined;
  /** Every function, by its name under functions/. */
  readonly functions: ReadonlyMap<string, IFunction>;
  readonly apiStage: IHttpStage;
  /** Minutes between reconciler passes. */
  readonly reconcileRate: number;
  /** The function fed by the table's change stream, and the queue its mapping sends what it gave up to. */
  readonly stream: { readonly consumer: IFunction; readonly failures: IQueue };
}

/** The events function's stream falls behind when its oldest unprocessed record is older than this. */
export const ITERATOR_AGE_LIMIT = Duration.minutes(5);

export class Alarms extends Construct {
  readonly topicKey: Key;
  readonly topic: Topic;
  readonly alarms: readonly Alarm[];

  constructor(scope: Construct, id: string, props: AlarmsProps) {
    super(scope, id);
    const { account, partition, region } = Stack.of(this);

    // CloudWatch publishes to an encrypted topic only with a customer-managed key whose policy lets
    // it use the key (the AWS-managed aws/sns key cannot be shared with CloudWatch).
    this.topicKey = new Key(this, 'AlarmTopicKey', {
      description: `Encrypts the Toss Pay alarm topic (${props.stage})`,
      enableKeyRotation: true,
      // Only encrypts alarm notifications in transit through SNS: nothing stored needs it after the
      // stack is gone, so it is scheduled for deletion with the stack.
      removalPolicy: RemovalPolicy.DESTROY,
      pendingWindow: Duration.days(30),
    });
    this.topicKey.addToResourcePolicy(
      new PolicyStatement({
        sid: 'AllowCloudWatchAlarmsToPublish',
        principals: [new ServicePrincipal('cloudwatch.amazonaws.com')],
        actions: ['kms:Decrypt', 'kms:GenerateDataKey*'],
        resources: ['*'],
        conditions: { StringEquals: { 'aws:SourceAccount': account } },
      }),
    );
    this.topic = new Topic(this, 'AlarmTopic', {
      displayName: `Toss Pay alarms (${props.stage})`,
      masterKey: this.topicKey,
      enforceSSL: true,
    });
    this.topic.addToResourcePolicy(
      new PolicyStatement({
        sid: 'AllowCloudWatchAlarmsOfThisAccount',
        effect: Effect.ALLOW,
        principals: [new ServicePrincipal('cloudwatch.amazonaws.com')],
        actions: ['sns:Publish'],
        resources: [this.topic.topicArn],
        conditions: {
          StringEquals: { 'aws:SourceAccount': account },
          ArnLike: { 'aws:SourceArn': `arn:${partition}:cloudwatch:${region}:${account}:alarm:*` },
        },
      }),
    );
    if (props.alarmEmail !== undefined) this.topic.addSubscription(new EmailSubscription(props.alarmEmail));
    const action = new SnsAction(this.topic);

    const alarms: Alarm[] = [];
    // Every alarm fires on the first occurrence (above 0 unless `threshold` says otherwise): each
    // of these is rare in a healthy service, and each needs someone to look.
    const alarm = (alarmId: string, metric: IMetric, description: string, threshold = 0): void => {
      const a = new Alarm(this, alarmId, {
        alarmName: `toss-pay-${props.stage}-${alarmId}`,
        alarmDescription: description,
        metric,
        threshold,
        comparisonOperator: ComparisonOperator.GREATER_THAN_THRESHOLD,
        evaluationPeriods: 1,
        // No data is no traffic or nothing counted, never a failure.
        treatMissingData: TreatMissingData.NOT_BREACHING,
      });
      a.addAlarmAction(action);
      a.addOkAction(action);
      alarms.push(a);
    };

    const minute = Duration.minutes(1);
    for (const [fn, f] of props.functions) {
      alarm(
        `${fn}-errors`,
        f.metricErrors({ period: minute, statistic: 'Sum' }),
        `The ${fn} function failed (unhandled error or timeout) at least once in a minute.`,
      );
    }
    const passPeriod = Duration.minutes(Math.max(5, props.reconcileRate));
    alarm(
      'reconcile-errors',
      serviceMetric(MetricName.ReconcileErrors, passPeriod),
      'The reconciler could not settle one or more orders (Toss or DynamoDB errors); they stay due and are retried.',
    );
    alarm(
      'orders-flagged',
      serviceMetric(MetricName.OrdersFlagged, Duration.minutes(5)),
      'An order needs a person: recovered from Toss, contradicted by Toss, or unresolved too long. See the function logs.',
    );
    alarm(
      'order-writes-rejected',
      serviceMetric(MetricName.OrderWritesRejected, minute),
      'DynamoDB refused a write to an order for good (a ValidationException, e.g. the item would outgrow 400 KB): the ' +
        'change it carried (e.g. a refund Toss made) is not recorded. The order is flagged (GET /payments?attention=true); ' +
        'the function logs name it. Compare it with Toss before anything else.',
    );
    alarm(
      'security-events',
      serviceMetric(MetricName.SecurityEvents, Duration.minutes(5)),
      'A callback or landing was refused as forged, contradicted, or from an address outside the allowlist.',
    );
    // A handler answers an error nobody expected with a 500 instead of failing the invocation, so
    // the function errors alarms above never see it: these two do.
    alarm(
      'unhandled-errors',
      serviceMetric(MetricName.UnhandledErrors, minute),
      'A function met an error no code path expected (a bug): an HTTP function answered 500, or the reconciler left an order as it was. The function logs hold its stack.',
    );
    alarm(
      'api-5xx',
      props.apiStage.metricServerError({ period: minute, statistic: 'Sum' }),
      'The HTTP API answered 5xx at least once in a minute: a bug (see unhandled-errors), a function that failed or ' +
        'timed out, or Toss or DynamoDB unavailable (502, 503, 504). The API access log shows the routes and statuses.',
    );
    alarm(
      'webhook-failures',
      serviceMetric(MetricName.WebhookFailures, Duration.minutes(5)),
      'A webhook delivery failed after its last retry: the merchant did not get the event. Fix the receiver, then ' +
        'POST /events/redeliver (or /events/{id}/redeliver); GET /events lists it with every attempt.',
    );
    alarm(
      'webhook-endpoint-disabled',
      serviceMetric(MetricName.WebhookEndpointsDisabled, Duration.minutes(5)),
      'A webhook endpoint was disabled: every attempt to it failed for webhookDisableAfterDays (5 by default). Its events ' +
        'wait for it; the other endpoints got an endpoint.disabled event. Fix the receiver, then PATCH /webhook-endpoints/{id} ' +
        '{"enabled": true}: what it missed is sent again, oldest first. GET /webhook-endpoints/{id} shows its health.',
    );
    alarm(
      'events-stream-failures',
      props.stream.failures.metricApproximateNumberOfMessagesVisible({ period: Duration.minutes(5), statistic: 'Maximum' }),
      "The events function gave up on order changes of the table's stream (after its retries or their maximum age): " +
        'their events were not published. Each message on the queue names the shard and sequence numbers; the orders ' +
        'themselves are intact. The function logs hold the error.',
    );
    alarm(
      'events-iterator-age',
      props.stream.consumer.metric('IteratorAge', { period: minute, statistic: 'Maximum' }),
      `The events function is more than ${ITERATOR_AGE_LIMIT.toMinutes()} minutes behind the table's stream: events ` +
        'and webhooks are late. A change that keeps failing holds up the changes after it; the function logs hold the error.',
      ITERATOR_AGE_LIMIT.toMilliseconds(),
    );
    this.alarms = alarms;
  }
}
