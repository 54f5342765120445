/**
 * One function of functions/<name>/handler.ts: its code (a folder built by infra/bundle.ts), its
 * own role holding only what shared/functions.ts says it touches, its own log group, and its
 * environment.
 */
import { AssetHashType, DockerImage, Duration, RemovalPolicy, Stage } from 'aws-cdk-lib';
import type { IEventBus } from 'aws-cdk-lib/aws-events';
import { PolicyStatement, Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Architecture, Code, Function as LambdaFunction, Runtime } from 'aws-cdk-lib/aws-lambda';
import { LogGroup } from 'aws-cdk-lib/aws-logs';
import type { RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { functionAccess, functionSettings } from '../../shared/functions.ts';
import type { FunctionName } from '../../shared/functions.ts';
import { HANDLER, sourceMapsDir } from '../bundle.ts';
import type { StackConfig } from '../config.ts';
import { functionEnvironment } from '../function-environment.ts';
import { PROJECT_ROOT, entryOf } from '../paths.ts';
import type { PaymentSecrets } from './secrets.ts';
import type { PaymentsTable } from './payments-table.ts';

export { ESM_REQUIRE_BANNER } from '../bundle.ts';

/**
 * The function's code: infra/bundle.ts run by the local Node (never Docker) while CDK stages the
 * asset, into the folder CDK then deploys (its hash is the output's: the same code, the same
 * asset); the source maps go to `<cloud assembly>/sourcemaps/<name>/`, outside it. A synth that
 * skips bundling (CDK's `aws:cdk:bundling-stacks` context) builds nothing.
 */
export function functionCode(scope: Construct, name: FunctionName): Code {
  const assemblyDir = Stage.of(scope)?.assetOutdir;
  if (assemblyDir === undefined) throw new Error('a function must be defined inside a CDK Stage or App');
  const entry = entryOf(name);
  return Code.fromAsset(dirname(entry), {
    assetHashType: AssetHashType.OUTPUT,
    bundling: {
      // Never used: local bundling below always succeeds or throws.
      image: DockerImage.fromRegistry('local-bundling-only'),
      local: {
        tryBundle(outputDir: string): boolean {
          const r = spawnSync(process.execPath, [join(PROJECT_ROOT, 'infra', 'bundle.ts'), entry, outputDir, sourceMapsDir(assemblyDir, name)], {
            cwd: PROJECT_ROOT,
            encoding: 'utf8',
            stdio: ['ignore', 'inherit', 'inherit'],
          });
          if (r.error !== undefined) throw r.error;
          if (r.status !== 0) throw new Error(`bundling functions/${name} failed (exit ${r.status ?? r.signal})`);
          return true;
        },
      },
    },
  });
}

export interface PaymentFunctionProps {
  /** The folder under functions/. Settings and access: its entries in shared/functions.ts. */
  readonly name: FunctionName;
  readonly config: StackConfig;
  readonly table: PaymentsTable;
  readonly secrets: PaymentSecrets;
  /** The stack's event bus: its name for EVENT_BUS_NAME, and events:PutEvents for the functions that list it. */
  readonly eventBus: IEventBus;
  /** The API's URL (PUBLIC_BASE_URL, for the functions of the app schema). */
  readonly publicBaseUrl: string;
  /** The console's user pool (the authorizer's and the console function's variables). */
  readonly userPool: { readonly id: string; readonly clientId: string; readonly endpoint: string };
  /** A function invoked asynchronously: how often Lambda retries a failed invocation (Lambda's default: 2). */
  readonly asyncRetryAttempts?: number;
}

export class PaymentFunction extends Construct {
  readonly function: LambdaFunction;
  readonly role: Role;
  readonly logGroup: LogGroup;

  constructor(scope: Construct, id: string, props: PaymentFunctionProps) {
    super(scope, id);
    const { name, config, table, secrets, eventBus } = props;
    const settings = functionSettings[name];
    const access = functionAccess(name);

    this.logGroup = new LogGroup(this, 'Logs', {
      retention: config.logRetentionDays as RetentionDays,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    // An explicit role instead of AWSLambdaBasicExecutionRole: it may write only to this function's
    // own log group.
    this.role = new Role(this, 'Role', {
      assumedBy: new ServicePrincipal('lambda.amazonaws.com'),
      description: `Execution role of the ${name} function (${config.stage})`,
    });
    this.role.addToPolicy(
      new PolicyStatement({ actions: ['logs:CreateLogStream', 'logs:PutLogEvents'], resources: [this.logGroup.logGroupArn] }),
    );
    table.grant(this.role, access.dynamodb, access.indexes);
    for (const secret of access.secrets) secrets.grantRead(this.role, secret);
    if (access.optionalEnv.includes('EVENT_BUS_NAME')) eventBus.grantPutEventsTo(this.role);

    // `Default`: the function keeps the logical id it had before this construct existed, and so do
    // the permissions whose ids are made from its path.
    this.function = new LambdaFunction(this, 'Default', {
      code: functionCode(this, name),
      handler: HANDLER,
      runtime: Runtime.NODEJS_24_X,
      architecture: Architecture.ARM_64,
      memorySize: settings.memoryMb,
      timeout: Duration.seconds(settings.timeoutSeconds),
      description: settings.description,
      role: this.role,
      logGroup: this.logGroup,
      // No NODE_OPTIONS: without --enable-source-maps a cold start does not read the maps; a
      // logged stack trace is mapped back afterwards (npm run stacktrace).
      environment: functionEnvironment(access, {
        config,
        tableName: table.table.tableName,
        publicBaseUrl: props.publicBaseUrl,
        eventBusName: eventBus.eventBusName,
        secretArnOf: (secret) => secrets.secret(secret).secretArn,
        userPool: props.userPool,
      }),
      ...(props.asyncRetryAttempts !== undefined ? { retryAttempts: props.asyncRetryAttempts } : {}),
    });
  }
}
