/**
 * The whole service as ONE stack: HTTP API (routes from shared/routes.ts), one Lambda function
 * per functions/<name>/handler.ts, the payments table (shared/store/table.ts), the two secrets,
 * the reconciler schedule, alarms to an SNS topic, and log groups with a retention period.
 *
 * Every function gets its own role holding only what its entry in shared/functions.ts
 * (FUNCTION_ACCESS) says it uses, and only the environment that entry makes (function-environment.ts).
 */
import { CfnOutput, Duration, Fn, RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import type { StackProps } from 'aws-cdk-lib';
import { AccessLogFormat } from 'aws-cdk-lib/aws-apigateway';
import { HttpApi, HttpMethod, HttpNoneAuthorizer, HttpStage, LogGroupLogDestination } from 'aws-cdk-lib/aws-apigatewayv2';
import type { CfnRoute, CfnStage, HttpRoute, IHttpRouteAuthorizer } from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpLambdaAuthorizer, HttpLambdaResponseType } from 'aws-cdk-lib/aws-apigatewayv2-authorizers';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import { Alarm, ComparisonOperator, Metric, TreatMissingData } from 'aws-cdk-lib/aws-cloudwatch';
import type { IMetric } from 'aws-cdk-lib/aws-cloudwatch';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import { AttributeType, BillingMode, ProjectionType, Table, TableEncryption } from 'aws-cdk-lib/aws-dynamodb';
import { Rule, Schedule } from 'aws-cdk-lib/aws-events';
import { LambdaFunction } from 'aws-cdk-lib/aws-events-targets';
import { Effect, PolicyStatement, Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Key } from 'aws-cdk-lib/aws-kms';
import { Architecture, Runtime } from 'aws-cdk-lib/aws-lambda';
import { NodejsFunction, OutputFormat } from 'aws-cdk-lib/aws-lambda-nodejs';
import { LogGroup } from 'aws-cdk-lib/aws-logs';
import type { RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Secret } from 'aws-cdk-lib/aws-secretsmanager';
import { Topic } from 'aws-cdk-lib/aws-sns';
import { EmailSubscription } from 'aws-cdk-lib/aws-sns-subscriptions';
import type { Construct } from 'constructs';
import { join } from 'node:path';
import { FUNCTION_ACCESS, functionAccess, functionSettings } from '../shared/functions.ts';
import type { FunctionName } from '../shared/functions.ts';
import { METRICS_NAMESPACE, MetricName, SERVICE_NAME } from '../shared/metrics.ts';
import { allFunctions, authorizerFunction, routeKey, routes } from '../shared/routes.ts';
import { DUE_INDEX, tableDefinition } from '../shared/store/table.ts';
import type { StackConfig } from './config.ts';
import { functionEnvironment } from './function-environment.ts';

/** The repository root: entries, the lock file and tsconfig.json are found from here. */
export const PROJECT_ROOT = join(import.meta.dirname, '..');

/** Where a function's code lives. */
export const entryOf = (fn: string): string => join(PROJECT_ROOT, 'functions', fn, 'handler.ts');

/** The shape of shared/store/table.ts's index entries, as this stack reads them. */
interface GsiDefinition {
  readonly indexName: string;
  readonly partitionKey: { readonly name: string; readonly type: 'S' | 'N' | 'B' };
  readonly sortKey?: { readonly name: string; readonly type: 'S' | 'N' | 'B' };
  readonly projection: 'KEYS_ONLY' | 'INCLUDE' | 'ALL';
  readonly nonKeyAttributes?: readonly string[];
}

const RECONCILER = 'reconciler';

/**
 * ESM bundles: `require` does not exist in an ES module, but a few CommonJS dependencies bundled
 * into it call `require('node:...')`. The banner gives them one.
 */
export const ESM_REQUIRE_BANNER =
  "import { createRequire } from 'module'; const require = createRequire(import.meta.url);";

/**
 * Authorizer decisions are cached per Authorization header for this long: the authorizer then
 * runs once per merchant token per minute instead of on every request, and a revoked token stops
 * working at most this long after the tokens secret is updated.
 */
export const AUTHORIZER_CACHE_TTL = Duration.seconds(60);

export interface TossPayStackProps extends StackProps {
  readonly config: StackConfig;
}

const pascal = (s: string): string =>
  s
    .split('-')
    .map((p) => p.charAt(0).toUpperCase() + p.slice(1))
    .join('');

export class TossPayStack extends Stack {
  readonly api: HttpApi;
  readonly table: Table;
  readonly functions: ReadonlyMap<string, NodejsFunction>;
  readonly alarmTopic: Topic;
  readonly tossApiKeySecret: Secret;
  readonly merchantTokensSecret: Secret;

  constructor(scope: Construct, id: string, props: TossPayStackProps) {
    super(scope, id, props);
    const { config } = props;
    const retention = config.logRetentionDays as RetentionDays;

    // ---- Table -------------------------------------------------------------------------
    // Encryption: AWS_MANAGED (the aws/dynamodb KMS key): every use is logged in CloudTrail and
    // no key policy has to be kept in step with the functions' roles. A customer-managed key
    // would add cost and kms:Decrypt grants without narrowing who can read the data: access is
    // already limited by the table actions each role holds.
    const attr = (t: 'S' | 'N' | 'B') =>
      t === 'S' ? AttributeType.STRING : t === 'N' ? AttributeType.NUMBER : AttributeType.BINARY;
    this.table = new Table(this, 'PaymentsTable', {
      partitionKey: { name: tableDefinition.partitionKey.name, type: attr(tableDefinition.partitionKey.type) },
      billingMode: BillingMode.PAY_PER_REQUEST,
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      deletionProtection: true,
      removalPolicy: RemovalPolicy.RETAIN,
      timeToLiveAttribute: tableDefinition.ttlAttribute,
      encryption: TableEncryption.AWS_MANAGED,
    });
    const gsis: readonly GsiDefinition[] = tableDefinition.globalSecondaryIndexes;
    for (const gsi of gsis) {
      this.table.addGlobalSecondaryIndex({
        indexName: gsi.indexName,
        partitionKey: { name: gsi.partitionKey.name, type: attr(gsi.partitionKey.type) },
        ...(gsi.sortKey !== undefined ? { sortKey: { name: gsi.sortKey.name, type: attr(gsi.sortKey.type) } } : {}),
        projectionType: ProjectionType[gsi.projection],
        ...(gsi.projection === 'INCLUDE' ? { nonKeyAttributes: [...(gsi.nonKeyAttributes ?? [])] } : {}),
      });
    }
    const dueIndexArn = Fn.join('/', [this.table.tableArn, 'index', DUE_INDEX]);

    // ---- Secrets (values are put in place after deploy: the README's "Deploy to AWS" section) -----------------
    // The generated value is only a placeholder so that no secret value is ever in the template.
    this.tossApiKeySecret = new Secret(this, 'TossApiKeySecret', {
      description: `Toss Pay apiKey (${config.stage}); the secret string is the raw key, e.g. sk_test_...`,
      generateSecretString: { passwordLength: 32, excludePunctuation: true },
    });
    this.merchantTokensSecret = new Secret(this, 'MerchantTokensSecret', {
      description: `Merchant bearer tokens for POST /payments and GET /payments/{orderNo} (${config.stage}); comma-separated`,
      generateSecretString: { passwordLength: 48, excludePunctuation: true },
    });
    const rotationReason = (what: string) =>
      `${what} Automatic rotation would need a rotation Lambda that can mint a new credential, and there is none: ` +
      'rotation is an operator procedure (the README, Deploy to AWS). The secret is read only by the function roles that need it ' +
      '(secretsmanager:GetSecretValue on this ARN alone) and is encrypted with the Secrets Manager KMS key.';
    Validations.of(this.tossApiKeySecret).acknowledge({
      id: 'AwsSolutions-SMG4',
      reason: rotationReason(
        'The value is an API key issued by Toss in its merchant console; Toss offers no API to issue or revoke keys.',
      ),
    });
    Validations.of(this.merchantTokensSecret).acknowledge({
      id: 'AwsSolutions-SMG4',
      reason: rotationReason(
        'The value is the list of bearer tokens the merchant\'s own servers present; a new token must be handed to ' +
          'those servers before the old one is removed, which the comma-separated list allows without downtime.',
      ),
    });

    // ---- HTTP API ------------------------------------------------------------------------
    this.api = new HttpApi(this, 'HttpApi', {
      apiName: `toss-pay-${config.stage}`,
      description: `Toss Pay integration (${config.stage})`,
      createDefaultStage: false,
    });
    const apiUrl = this.api.apiEndpoint;

    const accessLogs = new LogGroup(this, 'ApiAccessLogs', { retention, removalPolicy: RemovalPolicy.RETAIN });
    // One JSON line per request. No headers (Authorization) and no query strings are logged.
    const accessLogFormat = AccessLogFormat.custom(
      JSON.stringify({
        requestId: '$context.requestId',
        ip: '$context.identity.sourceIp',
        requestTime: '$context.requestTime',
        routeKey: '$context.routeKey',
        path: '$context.path',
        status: '$context.status',
        protocol: '$context.protocol',
        responseLength: '$context.responseLength',
        responseLatency: '$context.responseLatency',
        integrationLatency: '$context.integrationLatency',
        integrationError: '$context.integrationErrorMessage',
        authorizerError: '$context.authorizer.error',
        userAgent: '$context.identity.userAgent',
      }),
    );
    // The stage default throttles every route; the public routes get their own, lower limits
    // (route settings, added with the routes below).
    const stage = new HttpStage(this, 'DefaultStage', {
      httpApi: this.api,
      stageName: '$default',
      autoDeploy: true,
      throttle: { rateLimit: config.throttleRateLimit, burstLimit: config.throttleBurstLimit },
      accessLogSettings: { destination: new LogGroupLogDestination(accessLogs), format: accessLogFormat },
    });

    // ---- Functions -------------------------------------------------------------------------
    const functions = new Map<string, NodejsFunction>();
    for (const fn of allFunctions()) {
      if (!(fn in FUNCTION_ACCESS)) throw new Error(`function ${fn} has no entry in shared/functions.ts`);
      const settings = functionSettings[fn as FunctionName];
      const access = functionAccess(fn);
      const id = pascal(fn);

      const logGroup = new LogGroup(this, `${id}Logs`, { retention, removalPolicy: RemovalPolicy.RETAIN });
      // An explicit role instead of AWSLambdaBasicExecutionRole: it may write only to this
      // function's own log group.
      const role = new Role(this, `${id}Role`, {
        assumedBy: new ServicePrincipal('lambda.amazonaws.com'),
        description: `Execution role of the ${fn} function (${config.stage})`,
      });
      role.addToPolicy(
        new PolicyStatement({
          actions: ['logs:CreateLogStream', 'logs:PutLogEvents'],
          resources: [logGroup.logGroupArn],
        }),
      );
      // Query only on the due index; every other operation on the table itself (Table.grant()
      // would add every index, `index/*`, to each action).
      const onTable = access.dynamodb.filter((op) => op !== 'Query').map((op) => `dynamodb:${op}`);
      if (onTable.length > 0) role.addToPolicy(new PolicyStatement({ actions: onTable, resources: [this.table.tableArn] }));
      if (access.dynamodb.includes('Query')) {
        role.addToPolicy(new PolicyStatement({ actions: ['dynamodb:Query'], resources: [dueIndexArn] }));
      }
      for (const secret of access.secrets) {
        const arn = (secret === 'tossApiKey' ? this.tossApiKeySecret : this.merchantTokensSecret).secretArn;
        role.addToPolicy(new PolicyStatement({ actions: ['secretsmanager:GetSecretValue'], resources: [arn] }));
      }

      const f = new NodejsFunction(this, `${id}Function`, {
        entry: entryOf(fn),
        handler: 'handler',
        projectRoot: PROJECT_ROOT,
        depsLockFilePath: join(PROJECT_ROOT, 'package-lock.json'),
        runtime: Runtime.NODEJS_24_X,
        architecture: Architecture.ARM_64,
        memorySize: settings.memoryMb,
        timeout: Duration.seconds(settings.timeoutSeconds),
        description: settings.description,
        role,
        logGroup,
        // Stack traces in the logs point at the TypeScript sources (sourceMap below); NodejsFunction
        // no longer sets this by itself.
        environment: {
          NODE_OPTIONS: '--enable-source-maps',
          ...functionEnvironment(access, {
            config,
            tableName: this.table.tableName,
            publicBaseUrl: apiUrl,
            secretArnOf: (secret) => (secret === 'tossApiKey' ? this.tossApiKeySecret : this.merchantTokensSecret).secretArn,
          }),
        },
        // The reconciler is invoked asynchronously by the schedule: a failed pass is not retried
        // at once (that could overlap the next pass); the next scheduled pass picks the orders up.
        ...(fn === RECONCILER ? { retryAttempts: 0 } : {}),
        bundling: {
          format: OutputFormat.ESM,
          target: 'node24',
          minify: true,
          sourceMap: true,
          // Bundle the AWS SDK v3 too (nothing external): esbuild tree-shakes it to the commands
          // the function calls, and the deployed code does not change under us when Lambda
          // updates the SDK it ships.
          externalModules: [],
          bundleAwsSDK: true,
          mainFields: ['module', 'main'],
          banner: ESM_REQUIRE_BANNER,
          forceDockerBundling: false,
        },
      });
      functions.set(fn, f);
    }
    this.functions = functions;
    const fnOf = (name: string): NodejsFunction => {
      const f = functions.get(name);
      if (f === undefined) throw new Error(`no function ${name}`);
      return f;
    };

    // ---- Routes ------------------------------------------------------------------------------
    const merchantAuthorizer = new HttpLambdaAuthorizer('MerchantAuthorizer', fnOf(authorizerFunction), {
      authorizerName: 'merchant-bearer-token',
      responseTypes: [HttpLambdaResponseType.SIMPLE],
      identitySource: ['$request.header.Authorization'],
      resultsCacheTtl: AUTHORIZER_CACHE_TTL,
    });
    const publicAccess = new HttpNoneAuthorizer();
    const integrations = new Map<string, HttpLambdaIntegration>();
    const publicRoutes: HttpRoute[] = [];
    for (const route of routes) {
      let integration = integrations.get(route.fn);
      if (integration === undefined) {
        integration = new HttpLambdaIntegration(`${pascal(route.fn)}Integration`, fnOf(route.fn));
        integrations.set(route.fn, integration);
      }
      const authorizer: IHttpRouteAuthorizer = route.auth === 'merchant' ? merchantAuthorizer : publicAccess;
      const [created] = this.api.addRoutes({
        path: route.path,
        methods: [HttpMethod[route.method]],
        integration,
        authorizer,
      });
      if (route.auth === 'public' && created !== undefined) {
        publicRoutes.push(created);
        Validations.of(created).acknowledge({
          id: 'AwsSolutions-APIG4',
          reason:
            `${route.method} ${route.path} is reached by parties that cannot hold a merchant credential: the buyer's ` +
            "browser (Toss redirects it to the return/cancel landings) or Toss's servers (resultCallback). The handler " +
            'trusts nothing in the request: it confirms every payment with the Toss status API using the secret apiKey ' +
            'and checks orderNo, payToken and amount against the stored order; callbacks are also restricted to ' +
            "Toss's published source addresses when callbackIpAllowlist is on.",
        });
      }
    }

    // Per-route throttling of the public routes (buyers' landings, Toss's callback), so that a
    // flood of them is refused on their own limits. HttpStage has no property for route settings:
    // they are set on its CfnStage. CloudFormation refuses route settings for a route key that does
    // not exist yet, so the stage waits for those routes (their AWS::ApiGatewayV2::Route only).
    const cfnStage = stage.node.defaultChild as CfnStage;
    cfnStage.routeSettings = Object.fromEntries(
      routes
        .filter((r) => r.auth === 'public')
        .map((r) => [
          routeKey(r),
          { ThrottlingRateLimit: config.publicThrottleRateLimit, ThrottlingBurstLimit: config.publicThrottleBurstLimit },
        ]),
    );
    for (const r of publicRoutes) cfnStage.addDependency(r.node.defaultChild as CfnRoute);

    // ---- Reconciler schedule -----------------------------------------------------------------
    new Rule(this, 'ReconcileSchedule', {
      description: `Runs the reconciler every ${config.reconcileRate} minute(s)`,
      schedule: Schedule.rate(Duration.minutes(config.reconcileRate)),
      targets: [new LambdaFunction(fnOf(RECONCILER), { retryAttempts: 2, maxEventAge: Duration.minutes(config.reconcileRate) })],
    });

    // ---- Alarms -------------------------------------------------------------------------------
    // CloudWatch publishes to an encrypted topic only with a customer-managed key whose policy lets
    // it use the key (the AWS-managed aws/sns key cannot be shared with CloudWatch).
    const topicKey = new Key(this, 'AlarmTopicKey', {
      description: `Encrypts the Toss Pay alarm topic (${config.stage})`,
      enableKeyRotation: true,
      // Only encrypts alarm notifications in transit through SNS: nothing stored needs it after
      // the stack is gone, so it is scheduled for deletion with the stack.
      removalPolicy: RemovalPolicy.DESTROY,
      pendingWindow: Duration.days(30),
    });
    topicKey.addToResourcePolicy(
      new PolicyStatement({
        sid: 'AllowCloudWatchAlarmsToPublish',
        principals: [new ServicePrincipal('cloudwatch.amazonaws.com')],
        actions: ['kms:Decrypt', 'kms:GenerateDataKey*'],
        resources: ['*'],
        conditions: { StringEquals: { 'aws:SourceAccount': this.account } },
      }),
    );
    this.alarmTopic = new Topic(this, 'AlarmTopic', {
      displayName: `Toss Pay alarms (${config.stage})`,
      masterKey: topicKey,
      enforceSSL: true,
    });
    this.alarmTopic.addToResourcePolicy(
      new PolicyStatement({
        sid: 'AllowCloudWatchAlarmsOfThisAccount',
        effect: Effect.ALLOW,
        principals: [new ServicePrincipal('cloudwatch.amazonaws.com')],
        actions: ['sns:Publish'],
        resources: [this.alarmTopic.topicArn],
        conditions: {
          StringEquals: { 'aws:SourceAccount': this.account },
          ArnLike: { 'aws:SourceArn': `arn:${this.partition}:cloudwatch:${this.region}:${this.account}:alarm:*` },
        },
      }),
    );
    if (config.alarmEmail !== undefined) this.alarmTopic.addSubscription(new EmailSubscription(config.alarmEmail));
    const alarmAction = new SnsAction(this.alarmTopic);

    const alarm = (id: string, metric: IMetric, description: string): Alarm => {
      const a = new Alarm(this, id, {
        alarmName: `toss-pay-${config.stage}-${id}`,
        alarmDescription: description,
        metric,
        threshold: 0,
        comparisonOperator: ComparisonOperator.GREATER_THAN_THRESHOLD,
        evaluationPeriods: 1,
        treatMissingData: TreatMissingData.NOT_BREACHING,
      });
      a.addAlarmAction(alarmAction);
      a.addOkAction(alarmAction);
      return a;
    };
    for (const [fn, f] of functions) {
      alarm(
        `${fn}-errors`,
        f.metricErrors({ period: Duration.minutes(1), statistic: 'Sum' }),
        `The ${fn} function failed (unhandled error or timeout) at least once in a minute.`,
      );
    }
    const serviceMetric = (metricName: string, period: Duration) =>
      new Metric({
        namespace: METRICS_NAMESPACE,
        metricName,
        dimensionsMap: { service: SERVICE_NAME },
        statistic: 'Sum',
        period,
      });
    const passPeriod = Duration.minutes(Math.max(5, config.reconcileRate));
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

    // ---- Outputs ------------------------------------------------------------------------------
    new CfnOutput(this, 'ApiUrl', { value: apiUrl, description: 'Base URL of the HTTP API (PUBLIC_BASE_URL)' });
    new CfnOutput(this, 'CallbackUrl', {
      value: `${apiUrl}/payments/callback`,
      description: 'Toss resultCallback URL (sent with every payment; allow it in the Toss merchant console if asked)',
    });
    new CfnOutput(this, 'ReturnUrl', {
      value: `${apiUrl}/payments/return`,
      description: "Buyer's return landing (retUrl), sent with every payment",
    });
    new CfnOutput(this, 'CancelUrl', {
      value: `${apiUrl}/payments/cancel`,
      description: "Buyer's cancel landing (retCancelUrl), sent with every payment",
    });
    new CfnOutput(this, 'TossApiKeySecretArn', {
      value: this.tossApiKeySecret.secretArn,
      description: 'Put the Toss apiKey here: aws secretsmanager put-secret-value --secret-id <arn> --secret-string <key>',
    });
    new CfnOutput(this, 'MerchantTokensSecretArn', {
      value: this.merchantTokensSecret.secretArn,
      description: 'Put the comma-separated merchant bearer tokens here (put-secret-value)',
    });
    new CfnOutput(this, 'TableName', { value: this.table.tableName, description: 'Payments table (RETAINed on delete)' });
    new CfnOutput(this, 'AlarmTopicArn', { value: this.alarmTopic.topicArn, description: 'SNS topic the alarms notify' });
  }
}
