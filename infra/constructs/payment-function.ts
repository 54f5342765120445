/**
 * One function of functions/<name>/handler.ts: its code bundle, its own role holding only what
 * shared/functions.ts says it touches, its own log group, and its environment.
 */
import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import type { IEventBus } from 'aws-cdk-lib/aws-events';
import { PolicyStatement, Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Architecture, Runtime } from 'aws-cdk-lib/aws-lambda';
import { LogLevel, NodejsFunction, OutputFormat } from 'aws-cdk-lib/aws-lambda-nodejs';
import { LogGroup } from 'aws-cdk-lib/aws-logs';
import type { RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { join } from 'node:path';
import { functionAccess, functionSettings } from '../../shared/functions.ts';
import type { FunctionName } from '../../shared/functions.ts';
import type { StackConfig } from '../config.ts';
import { functionEnvironment } from '../function-environment.ts';
import { PROJECT_ROOT, entryOf } from '../paths.ts';
import type { PaymentSecrets } from './secrets.ts';
import type { PaymentsTable } from './payments-table.ts';

/**
 * ESM bundles: `require` does not exist in an ES module, but a few CommonJS dependencies bundled
 * into it call `require('node:...')`. The banner gives them one.
 */
export const ESM_REQUIRE_BANNER =
  "import { createRequire } from 'module'; const require = createRequire(import.meta.url);";

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
  /** A function invoked asynchronously: how often Lambda retries a failed invocation (Lambda's default: 2). */
  readonly asyncRetryAttempts?: number;
}

export class PaymentFunction extends Construct {
  readonly function: NodejsFunction;
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
    this.function = new NodejsFunction(this, 'Default', {
      entry: entryOf(name),
      handler: 'handler',
      projectRoot: PROJECT_ROOT,
      depsLockFilePath: join(PROJECT_ROOT, 'package-lock.json'),
      runtime: Runtime.NODEJS_24_X,
      architecture: Architecture.ARM_64,
      memorySize: settings.memoryMb,
      timeout: Duration.seconds(settings.timeoutSeconds),
      description: settings.description,
      role: this.role,
      logGroup: this.logGroup,
      // Stack traces in the logs point at the TypeScript sources (sourceMap below); NodejsFunction
      // no longer sets this by itself.
      environment: {
        NODE_OPTIONS: '--enable-source-maps',
        ...functionEnvironment(access, {
          config,
          tableName: table.table.tableName,
          publicBaseUrl: props.publicBaseUrl,
          eventBusName: eventBus.eventBusName,
          secretArnOf: (secret) => secrets.secret(secret).secretArn,
        }),
      },
      ...(props.asyncRetryAttempts !== undefined ? { retryAttempts: props.asyncRetryAttempts } : {}),
      bundling: {
        format: OutputFormat.ESM,
        target: 'node24',
        minify: true,
        sourceMap: true,
        // Bundle the AWS SDK v3 too (nothing external): esbuild tree-shakes it to the commands the
        // function calls, and the deployed code does not change under us when Lambda updates the
        // SDK it ships.
        externalModules: [],
        bundleAwsSDK: true,
        mainFields: ['module', 'main'],
        banner: ESM_REQUIRE_BANNER,
        forceDockerBundling: false,
        // esbuild's own default prints a size summary of every bundle; warnings and errors still show.
        logLevel: LogLevel.WARNING,
      },
    });
  }
}
