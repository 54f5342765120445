/**
 * The alarms and where they go: an SNS topic encrypted with its own KMS key (optionally mailed),
 * an alarm on the errors of every function, on the API's 5xx replies, and on the service's own
 * metrics that mean a bug, an order needing a person, a failing reconciler or a refused request.
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
}

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
    // Every alarm fires on the first occurrence: each of these is rare in a healthy service, and
    // each needs someone to look.
    const alarm = (alarmId: string, metric: IMetric, description: string): void => {
      const a = new Alarm(this, alarmId, {
        alarmName: `toss-pay-${props.stage}-${alarmId}`,
        alarmDescription: description,
        metric,
        threshold: 0,
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
      'security-events',
      serviceMetric(MetricName.SecurityEvents, Duration.minutes(5)),
      'A callback or landing was refused as forged, contradicted, or from an address outside the allowlist.',
    );
    // A handler answers an error nobody expected with a 500 instead of failing the invocation, so
    // the function errors alarms above never see it: these two do.
    alarm(
      'unhandled-errors',
      serviceMetric(MetricName.UnhandledErrors, minute),
      'A function met an error no code path expected (a bug) and answered 500. The function logs hold its stack.',
    );
    alarm(
      'api-5xx',
      props.apiStage.metricServerError({ period: minute, statistic: 'Sum' }),
      'The HTTP API answered 5xx at least once in a minute: a bug (see unhandled-errors), a function that failed or ' +
        'timed out, or Toss or DynamoDB unavailable (502, 503, 504). The API access log shows the routes and statuses.',
    );
    this.alarms = alarms;
  }
}
