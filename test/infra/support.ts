/**
 * Synthesizes the real app (infra/build.ts, the same composition `cdk synth` runs) in-process and
 * gives tests the template plus helpers to find each function's resources by name.
 */
import { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildApp } from '../../infra/build.ts';
import type { TossPayStack } from '../../infra/stack.ts';
import { functionSettings } from '../../shared/functions.ts';
import type { FunctionName } from '../../shared/functions.ts';

export interface CfnResource {
  readonly Type: string;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- template JSON, shape checked by the tests
  readonly Properties?: Record<string, any>;
  readonly DeletionPolicy?: string;
  readonly UpdateReplacePolicy?: string;
}

/** The context a deployment must give (every test synth has it, unless the test gives its own). */
export const REQUIRED_CONTEXT = { merchantName: '테스트 상점' } as const;

export interface Synth {
  readonly stack: TossPayStack;
  readonly template: Template;
  readonly resources: Record<string, CfnResource>;
  readonly outputs: Record<string, { Value: unknown; Description?: string }>;
  /** The cloud assembly directory (bundled assets are `asset.<hash>/` under it). */
  readonly outdir: string;
}

/**
 * CDK's context keys that make its CloudFormation validation's findings fail the synth: its errors
 * (by default printed as warnings) and its warnings.
 */
export const STRICT_CFN_VALIDATION = { '@aws-cdk/core:validateAgainstDefaultRules': true, '@aws-cdk/core:strictCfnValidateErrors': true } as const;

export interface SynthOptions {
  /**
   * `false` skips esbuild (CDK's `aws:cdk:bundling-stacks` context, what `cdk synth --exclusively`
   * of another stack does) for tests that only look at configuration variants.
   */
  bundle: boolean;
  /**
   * Runs CDK's own CloudFormation validation (every resource against its CloudFormation schema,
   * and CDK's default rules), strictly: a finding, error or warning, fails the synth. It costs
   * about 3 s of CPU a synth here (a WebAssembly engine), so the tests run it on three templates
   * (the default configuration, every optional key set, a custom domain with its hosted zone) and
   * leave it out of the other synths, which vary one of those. `cdk synth` runs it too
   * (cli.test.ts, as a merchant's synth does: findings as warnings, and none printed).
   */
  validate?: boolean;
}

/** The App a test synthesizes in (a fresh output directory under the system's temporary one), as `opts` asks. */
export function synthApp(context: Record<string, unknown>, opts: SynthOptions): App {
  const outdir = mkdtempSync(join(tmpdir(), 'toss-pay-cdk-'));
  const all: Record<string, unknown> = { ...context };
  if (!opts.bundle) all['aws:cdk:bundling-stacks'] = [];
  if (opts.validate === true) Object.assign(all, STRICT_CFN_VALIDATION);
  return new App({ outdir, context: all, builtinCloudFormationValidation: opts.validate === true });
}

export function synth(given: Record<string, unknown> = {}, opts: SynthOptions = { bundle: true }): Synth {
  const app = synthApp({ ...REQUIRED_CONTEXT, ...given }, opts);
  const outdir = app.outdir;
  const { stack, template } = withoutBundlingBanners(() => {
    const built = buildApp(app);
    return { stack: built, template: Template.fromStack(built) };
  });
  const json = template.toJSON() as {
    Resources: Record<string, CfnResource>;
    Outputs: Record<string, { Value: unknown; Description?: string }>;
  };
  return { stack, template, resources: json.Resources, outputs: json.Outputs, outdir };
}

/**
 * CDK announces every asset it bundles with a `Bundling asset <path>...` line written straight to
 * stderr, with no option to turn it off. Runs `fn` with exactly those lines left out; everything
 * else written to stderr (esbuild's warnings and errors, CDK's warnings) passes through unchanged,
 * and a failure is thrown as it is.
 */
export function withoutBundlingBanners<T>(fn: () => T): T {
  const write = process.stderr.write;
  const banner = /^Bundling asset [^\n]*\.\.\.\n$/;
  process.stderr.write = function (this: NodeJS.WriteStream, chunk: unknown, ...rest: unknown[]): boolean {
    if (typeof chunk === 'string' && banner.test(chunk)) return true;
    return (write as (...args: unknown[]) => boolean).call(this, chunk, ...rest);
  } as typeof process.stderr.write;
  try {
    return fn();
  } finally {
    process.stderr.write = write;
  }
}

export const ofType = (s: Pick<Synth, 'resources'>, type: string): [string, CfnResource][] =>
  Object.entries(s.resources).filter(([, r]) => r.Type === type);

/** The logical id and resource of the Lambda function deployed for functions/<fn>. */
export function lambdaOf(s: Pick<Synth, 'resources'>, fn: string): [string, CfnResource] {
  const description = functionSettings[fn as FunctionName].description;
  const found = ofType(s, 'AWS::Lambda::Function').filter(([, r]) => r.Properties?.Description === description);
  if (found.length !== 1) throw new Error(`expected one function for ${fn}, found ${found.length}`);
  return found[0]!;
}

/** Logical id a `{ Ref }` or `{ Fn::GetAtt }` points at. */
export function refOf(v: unknown): string | undefined {
  if (typeof v !== 'object' || v === null) return undefined;
  const o = v as Record<string, unknown>;
  if (typeof o.Ref === 'string') return o.Ref;
  const att = o['Fn::GetAtt'];
  if (Array.isArray(att) && typeof att[0] === 'string') return att[0];
  return undefined;
}

export interface Statement {
  readonly Effect: string;
  readonly Action: string | string[];
  readonly Resource: unknown;
}

/** Every IAM statement attached to the role of functions/<fn> (inline policies and policy resources). */
export function statementsOf(s: Synth, fn: string): { role: CfnResource; statements: Statement[] } {
  const [, f] = lambdaOf(s, fn);
  const roleId = refOf(f.Properties?.Role);
  if (roleId === undefined) throw new Error(`${fn} has no role reference`);
  const role = s.resources[roleId]!;
  const statements: Statement[] = [];
  for (const p of (role.Properties?.Policies ?? []) as { PolicyDocument: { Statement: Statement[] } }[]) {
    statements.push(...p.PolicyDocument.Statement);
  }
  for (const [, policy] of ofType(s, 'AWS::IAM::Policy')) {
    const roles = (policy.Properties?.Roles ?? []) as unknown[];
    if (roles.some((r) => refOf(r) === roleId)) statements.push(...policy.Properties!.PolicyDocument.Statement);
  }
  return { role, statements };
}

/** A dashboard's body with every reference (`{ Ref }`, `{ Fn::GetAtt }`) written as `ref:<logical id>`. */
export function dashboardBodyOf(r: CfnResource): DashboardBody {
  const [, parts] = r.Properties!.DashboardBody['Fn::Join'] as [string, unknown[]];
  return JSON.parse(parts.map((p) => (typeof p === 'string' ? p : `ref:${refOf(p) ?? JSON.stringify(p)}`)).join('')) as DashboardBody;
}

export interface DashboardWidget {
  readonly type: string;
  readonly properties: {
    readonly title?: string;
    readonly alarms?: string[];
    /** `[namespace, name, dim1, value1, ..., { label, stat }]`, or `[{ expression, label }]`. */
    readonly metrics?: unknown[][];
  };
}

export interface DashboardBody {
  readonly widgets: DashboardWidget[];
}

export const actionsOf = (st: Statement): string[] => (Array.isArray(st.Action) ? st.Action : [st.Action]);
export const resourcesOf = (st: Statement): unknown[] => (Array.isArray(st.Resource) ? st.Resource : [st.Resource]);
