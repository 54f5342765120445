/** The schedule that runs the reconciler every `reconcileRate` minutes. */
import { Duration } from 'aws-cdk-lib';
import { Rule, Schedule } from 'aws-cdk-lib/aws-events';
import { LambdaFunction } from 'aws-cdk-lib/aws-events-targets';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { Construct } from 'constructs';

export interface ReconcileScheduleProps {
  readonly reconciler: IFunction;
  /** Minutes between passes. */
  readonly rateMinutes: number;
}

export class ReconcileSchedule extends Construct {
  readonly rule: Rule;

  constructor(scope: Construct, id: string, { reconciler, rateMinutes }: ReconcileScheduleProps) {
    super(scope, id);
    // `Default`: the rule and its invoke permission keep the logical ids they were deployed with.
    this.rule = new Rule(this, 'Default', {
      description: `Runs the reconciler every ${rateMinutes} minute(s)`,
      schedule: Schedule.rate(Duration.minutes(rateMinutes)),
      // EventBridge retries a delivery Lambda refused (throttling), but never one older than a
      // pass: the next scheduled pass replaces it.
      targets: [new LambdaFunction(reconciler, { retryAttempts: 2, maxEventAge: Duration.minutes(rateMinutes) })],
    });
  }
}
