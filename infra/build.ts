/**
 * Composes the CDK app: configuration from context, the one stack, and the cdk-nag checks.
 * infra/app.ts (the `cdk` entry point) and test/infra use this, so tests see exactly the app
 * the CLI synthesizes.
 */
import type { App } from 'aws-cdk-lib';
import { checkCertificateRegion, readStackConfig } from './config.ts';
import type { StackConfig } from './config.ts';
import { addNagChecks } from './nag.ts';
import { TossPayStack } from './stack.ts';

export const stackNameOf = (config: Pick<StackConfig, 'stage'>): string => `TossPay-${config.stage}`;

/** Adds the stack to `app`, configured from the app's context. Returns the stack. */
export function buildApp(app: App): TossPayStack {
  const config = readStackConfig((key) => app.node.tryGetContext(key));
  // The CLI tells the app the region `cdk deploy` would use for an environment-agnostic stack
  // (CDK_DEFAULT_REGION: the profile's or AWS_REGION); when it does, a certificate of another
  // region stops the synth here instead of failing the deploy.
  checkCertificateRegion(config, process.env.CDK_DEFAULT_REGION, 'CDK_DEFAULT_REGION, the region cdk deploy uses');
  // Environment-agnostic: synth needs no account, region, credentials or network. `cdk deploy`
  // deploys into the account and region of the credentials in use.
  const stack = new TossPayStack(app, stackNameOf(config), {
    config,
    description: `Toss Pay (pay.toss.im) payments for merchants, stage ${config.stage}`,
  });
  addNagChecks(app);
  return stack;
}
