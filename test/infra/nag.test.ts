/**
 * The synth fails on any unacknowledged cdk-nag AwsSolutions finding, warnings included, and
 * passes once the finding is acknowledged. A throwaway app with deliberately bad constructs;
 * nothing is bundled.
 */
import { App, Stack, Validations } from 'aws-cdk-lib';
import { AttributeType, Table } from 'aws-cdk-lib/aws-dynamodb';
import { Topic } from 'aws-cdk-lib/aws-sns';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { addNagChecks } from '../../infra/nag.ts';

const outdirs: string[] = [];
afterAll(() => {
  for (const d of outdirs) rmSync(d, { recursive: true, force: true });
});

const throwaway = () => {
  const outdir = mkdtempSync(join(tmpdir(), 'toss-pay-nag-'));
  outdirs.push(outdir);
  // CDK's CloudFormation validation is not what this file checks (support.ts, SynthOptions.validate).
  const app = new App({ outdir, builtinCloudFormationValidation: false });
  const stack = new Stack(app, 'Throwaway');
  addNagChecks(app);
  return { app, stack };
};

describe('cdk-nag during synth', () => {
  it('fails the synth on an unacknowledged error-level finding', () => {
    const { app, stack } = throwaway();
    // No TLS-only policy, no encryption: AwsSolutions-SNS3 (error level).
    new Topic(stack, 'PlainTopic');
    expect(() => app.synth()).toThrow(/AwsSolutions-SNS3/);
  });

  it('fails the synth on an unacknowledged warning-level finding too', () => {
    const { app, stack } = throwaway();
    // No point-in-time recovery: AwsSolutions-DDB3, a warning in the pack.
    new Table(stack, 'NoPitr', { partitionKey: { name: 'pk', type: AttributeType.STRING } });
    expect(() => app.synth()).toThrow(/AwsSolutions-DDB3/);
  });

  it('passes once every finding is fixed or acknowledged with a reason', () => {
    const { app, stack } = throwaway();
    const table = new Table(stack, 'NoPitr', { partitionKey: { name: 'pk', type: AttributeType.STRING } });
    Validations.of(table).acknowledge({ id: 'AwsSolutions-DDB3', reason: 'Throwaway test table.' });
    new Topic(stack, 'TlsTopic', { enforceSSL: true });
    expect(() => app.synth()).not.toThrow();
  });
});
