/**
 * A schedule that runs a function at a fixed rate: the reconciler every `reconcileRate` minutes,
 * the webhook retrier every minute.
 */
import type { Duration } from 'aws-cdk-lib';
import { Rule, Schedule } from 'aws-cdk-lib/aws-events';
import { LambdaFunction } from 'aws-cdk-lib/aws-events-targets';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { Construct } from 'constructs';

export interface FunctionScheduleProps {
  readonly target: IFunction;
  /** Time between runs. */
  readonly rate: Duration;
  readonly description: string;
}

export class FunctionSchedule extends Construct {
  readonly rule: Rule;

  constructor(scope: Construct, id: string, { target, rate, description }: FunctionScheduleProps) {
    super(scope, id);
    // `Default`: the rule and its invoke permission keep the logical ids they were deployed with
    // (the reconciler's).
    this.rule = new Rule(this, 'Default', {
      description,
      schedule: Schedule.rate(rate),
      // EventBridge retries a delivery Lambda refused (throttling), but never one older than a
      // run: the next scheduled run replaces it.
      targets: [new LambdaFunction(target, { retryAttempts: 2, maxEventAge: rate })],
    });
  }
}
