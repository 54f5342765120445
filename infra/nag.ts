/**
 * cdk-nag's AwsSolutions rule pack, run by every synth (CLI and tests alike) as a CDK validation
 * plugin. Strict: every unacknowledged finding, warning-level ones included, is reported as an
 * error, so the synth fails until it is fixed or acknowledged with a reason
 * (`Validations.of(construct).acknowledge({ id, reason })` next to the construct).
 */
import { Validations } from 'aws-cdk-lib';
import type { IPolicyValidationContext, IPolicyValidationPlugin, PolicyValidationPluginReport } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import type { IConstruct } from 'constructs';

export class StrictAwsSolutionsChecks implements IPolicyValidationPlugin {
  readonly name = 'AwsSolutions';
  readonly version: string | undefined;
  readonly ruleIds: string[] | undefined;
  private readonly checks: AwsSolutionsChecks;

  constructor(scope: IConstruct) {
    this.checks = new AwsSolutionsChecks(scope, { verbose: true });
    this.version = this.checks.version;
    this.ruleIds = this.checks.ruleIds;
  }

  validate(context: IPolicyValidationContext): PolicyValidationPluginReport {
    const report = this.checks.validate(context);
    const violations = report.violations.map((v) => ({ ...v, severity: 'error' }));
    return { success: violations.length === 0, violations };
  }
}

/** Registers the strict AwsSolutions checks on an app (or stage). */
export function addNagChecks(app: IConstruct): void {
  Validations.of(app).addPlugins(new StrictAwsSolutionsChecks(app));
}
