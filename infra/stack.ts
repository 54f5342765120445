/**
 * The whole service as ONE stack, composed of constructs with one job each (infra/constructs/):
 * stateful first (the payments table with its change stream, the secrets, the event bus merchants
 * attach their rules to), then what runs (one function per functions/<name>/handler.ts, the HTTP
 * API in front of them, the schedules of the reconciler and the webhook retrier, the stream's
 * consumer), then what watches (alarms, dashboard).
 *
 * Each function's role and environment come from its entry in shared/functions.ts alone.
 */
import { CfnOutput, Duration, Stack, Token } from 'aws-cdk-lib';
import type { CfnElement, StackProps } from 'aws-cdk-lib';
import { EventBus } from 'aws-cdk-lib/aws-events';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import type { IConstruct } from 'constructs';
import type { Construct } from 'constructs';
import { FUNCTION_ACCESS } from '../shared/functions.ts';
import type { FunctionName, TableOperation } from '../shared/functions.ts';
import { allFunctions, authorizerFunction, scheduledFunctions, streamFunctions } from '../shared/routes.ts';
import { checkCertificateRegion } from './config.ts';
import type { StackConfig } from './config.ts';
import { Alarms } from './constructs/alarms.ts';
import { ConsoleUsers } from './constructs/console-users.ts';
import { OperationsDashboard } from './constructs/dashboard.ts';
import { PaymentsHttpApi } from './constructs/http-api.ts';
import { PaymentFunction } from './constructs/payment-function.ts';
import { PaymentsTable } from './constructs/payments-table.ts';
import { FunctionSchedule } from './constructs/function-schedule.ts';
import { PaymentSecrets } from './constructs/secrets.ts';
import { StreamConsumer } from './constructs/stream-consumer.ts';
import { logicalIdAt } from './logical-ids.ts';
import { pascal } from './names.ts';

export interface TossPayStackProps extends StackProps {
  readonly config: StackConfig;
}

const isFunctionName = (fn: string): fn is FunctionName => Object.hasOwn(FUNCTION_ACCESS, fn);

export class TossPayStack extends Stack {
  readonly table: PaymentsTable;
  readonly secrets: PaymentSecrets;
  /** The custom bus `toss-pay-<stage>` every event is put on. */
  readonly eventBus: EventBus;
  readonly api: PaymentsHttpApi;
  /** The console's user pool and its app client. */
  readonly consoleUsers: ConsoleUsers;
  /** Every function, by its name under functions/. */
  readonly functions: ReadonlyMap<FunctionName, PaymentFunction>;
  /** The events function's event source mapping on the table's stream. */
  readonly eventsStream: StreamConsumer;
  readonly alarms: Alarms;
  readonly dashboard: OperationsDashboard;
  /** Constructs that were created directly in this stack, and their id there: keepDeployedLogicalIds. */
  private readonly deployedAs = new Map<IConstruct, string>();

  constructor(scope: Construct, id: string, props: TossPayStackProps) {
    super(scope, id, props);
    const { config } = props;
    if (!Token.isUnresolved(this.region)) checkCertificateRegion(config, this.region, "the stack's env");

    // ---- Stateful ---------------------------------------------------------------------------
    this.table = new PaymentsTable(this, 'PaymentsTable');
    this.secrets = new PaymentSecrets(this, 'Secrets', { stage: config.stage });

    // The bus holds no data, but merchants attach their own rules to it (source `toss-pay`,
    // detail-type the event's type): it keeps its name and logical id.
    this.eventBus = new EventBus(this, 'EventBus', {
      eventBusName: `toss-pay-${config.stage}`,
      description: `Toss Pay order events (${config.stage}): payment.completed, payment.refunded, ...`,
    });

    // The console's people: a user pool with the groups viewer, operator and admin.
    this.consoleUsers = new ConsoleUsers(this, 'ConsoleUsers', { stage: config.stage, threatProtection: config.consoleThreatProtection });
    const userPool = { id: this.consoleUsers.pool.userPoolId, clientId: this.consoleUsers.client.userPoolClientId, endpoint: this.consoleUsers.endpoint };

    // ---- Stateless --------------------------------------------------------------------------
    this.api = new PaymentsHttpApi(this, 'HttpApi', { config });
    const functions = new Map<FunctionName, PaymentFunction>();
    for (const fn of allFunctions()) {
      if (!isFunctionName(fn)) throw new Error(`function ${fn} has no entry in shared/functions.ts`);
      functions.set(
        fn,
        new PaymentFunction(this, `${pascal(fn)}Function`, {
          name: fn,
          config,
          table: this.table,
          secrets: this.secrets,
          eventBus: this.eventBus,
          publicBaseUrl: this.api.url,
          userPool,
          // Invoked by the schedule, asynchronously: a failed run is not retried at once (that could
          // overlap the next run); the next scheduled run picks the orders (or deliveries) up.
          ...((scheduledFunctions as readonly string[]).includes(fn) ? { asyncRetryAttempts: 0 } : {}),
        }),
      );
    }
    this.functions = functions;
    const functionOf = (name: string): IFunction => {
      const f = isFunctionName(name) ? functions.get(name) : undefined;
      if (f === undefined) throw new Error(`no function ${name}`);
      return f.function;
    };
    this.api.addRoutes(functionOf, functionOf(authorizerFunction));
    new FunctionSchedule(this, 'ReconcileSchedule', {
      target: functionOf('reconciler'),
      rate: Duration.minutes(config.reconcileRate),
      description: `Runs the reconciler every ${config.reconcileRate} minute(s)`,
    });
    new FunctionSchedule(this, 'WebhookRetrySchedule', {
      target: functionOf('webhook-retrier'),
      rate: Duration.minutes(1),
      description: 'Runs the webhook retrier every minute',
    });
    const [streamFunction, ...moreStreamFunctions] = streamFunctions;
    const consumer = functions.get(streamFunction);
    if (consumer === undefined || moreStreamFunctions.length > 0) throw new Error('expected exactly one function on the stream');
    this.eventsStream = new StreamConsumer(this, 'EventsStream', { table: this.table, consumer });

    // ---- Watching ---------------------------------------------------------------------------
    const lambdas = new Map([...functions].map(([name, f]) => [name, f.function]));
    this.alarms = new Alarms(this, 'Alarms', {
      stage: config.stage,
      alarmEmail: config.alarmEmail,
      functions: lambdas,
      apiStage: this.api.stage,
      reconcileRate: config.reconcileRate,
      stream: { consumer: consumer.function, failures: this.eventsStream.failures },
    });
    this.dashboard = new OperationsDashboard(this, 'Dashboard', {
      stage: config.stage,
      alarms: this.alarms.alarms,
      functions: lambdas,
      apiStage: this.api.stage,
      table: this.table.table,
      tableOperations: [...new Set<TableOperation>(Object.values(FUNCTION_ACCESS).flatMap((a) => a.dynamodb))],
      streamConsumer: consumer.function,
    });

    this.keepDeployedLogicalIds();

    // ---- Outputs ----------------------------------------------------------------------------
    const apiUrl = this.api.url;
    new CfnOutput(this, 'ApiUrl', {
      value: apiUrl,
      description: 'Base URL of the API (PUBLIC_BASE_URL): https://<domainName> with a custom domain, else the execute-api URL',
    });
    new CfnOutput(this, 'CallbackUrl', {
      value: `${apiUrl}/payments/callback`,
      description: 'Toss resultCallback URL: sent to Toss with every payment this stack creates',
    });
    new CfnOutput(this, 'ReturnUrl', {
      value: `${apiUrl}/payments/return`,
      description: "Buyer's return landing (retUrl), sent with every payment",
    });
    new CfnOutput(this, 'CancelUrl', {
      value: `${apiUrl}/payments/cancel`,
      description: "Buyer's cancel landing (retCancelUrl), sent with every payment",
    });
    const domain = this.api.domain;
    if (domain !== undefined) {
      new CfnOutput(this, 'ExecuteApiUrl', {
        value: this.api.executeApiUrl,
        description: "The API's execute-api URL, still served (payments created before the custom domain use it)",
      });
      new CfnOutput(this, 'CustomDomainTarget', {
        value: domain.domainName.regionalDomainName,
        description: `DNS: point ${config.domainName ?? ''} here (a CNAME, or a Route 53 alias with CustomDomainHostedZoneId)`,
      });
      new CfnOutput(this, 'CustomDomainHostedZoneId', {
        value: domain.domainName.regionalHostedZoneId,
        description: "Hosted zone id of the custom domain's regional endpoint, for a Route 53 alias record",
      });
    }
    new CfnOutput(this, 'TossApiKeySecretArn', {
      value: this.secrets.tossApiKey.secretArn,
      description: 'Put the Toss apiKey here: aws secretsmanager put-secret-value --secret-id <arn> --secret-string <key>',
    });
    new CfnOutput(this, 'MerchantTokensSecretArn', {
      value: this.secrets.merchantTokens.secretArn,
      description: 'Put the comma-separated merchant bearer tokens here (put-secret-value)',
    });
    new CfnOutput(this, 'WebhookSecretArn', {
      value: this.secrets.webhookSecret.secretArn,
      description: 'Put the webhook signing secret here (whsec_...; put-secret-value), before setting merchantWebhookUrl',
    });
    new CfnOutput(this, 'EventBusName', {
      value: this.eventBus.eventBusName,
      description: 'EventBridge bus with every order event (source toss-pay): add your rules to it',
    });
    new CfnOutput(this, 'EventBusArn', { value: this.eventBus.eventBusArn, description: 'ARN of the event bus' });
    new CfnOutput(this, 'EventsStreamFailuresQueueUrl', {
      value: this.eventsStream.failures.queueUrl,
      description: 'Order changes whose events could not be published (the events-stream-failures alarm)',
    });
    new CfnOutput(this, 'ConsoleUrl', { value: `${apiUrl}/console`, description: 'The operator console (sign in with a user of ConsoleUserPoolId)' });
    new CfnOutput(this, 'ConsoleUserPoolId', {
      value: this.consoleUsers.pool.userPoolId,
      description: 'The console users: aws cognito-idp admin-create-user, then admin-add-user-to-group viewer | operator | admin',
    });
    new CfnOutput(this, 'ConsoleClientId', { value: this.consoleUsers.client.userPoolClientId, description: "The console's app client (no secret)" });
    new CfnOutput(this, 'TableName', { value: this.table.table.tableName, description: 'Payments table (RETAINed on delete)' });
    new CfnOutput(this, 'AlarmTopicArn', { value: this.alarms.topic.topicArn, description: 'SNS topic the alarms notify' });
  }

  /**
   * Before the constructs of infra/constructs/ existed, every resource was created directly in this
   * stack. CloudFormation knows a resource by its logical id, and CDK makes that id from the
   * construct path: moved into a construct, a resource would get a new id, and a deploy would
   * create a new resource and delete the deployed one with what it holds (the secrets' values, a
   * log group's history, the alarm topic's subscriptions; a new alarm would take over the old
   * one's fixed name, and deleting the old one would then delete it). Each construct's main
   * resource keeps its id by being the construct's `Default` child (CDK leaves `Default` out of
   * logical ids). The others are listed here with the id each had directly in the stack, and
   * allocateLogicalId gives them, and everything below them, the logical ids they had there.
   */
  private keepDeployedLogicalIds(): void {
    const keep = (construct: IConstruct, idInStack: string) => this.deployedAs.set(construct, idInStack);
    keep(this.secrets.tossApiKey, 'TossApiKeySecret');
    keep(this.secrets.merchantTokens, 'MerchantTokensSecret');
    keep(this.api.accessLogs, 'ApiAccessLogs');
    keep(this.api.stage, 'DefaultStage');
    for (const [name, f] of this.functions) {
      keep(f.logGroup, `${pascal(name)}Logs`);
      keep(f.role, `${pascal(name)}Role`);
    }
    keep(this.alarms.topicKey, 'AlarmTopicKey');
    keep(this.alarms.topic, 'AlarmTopic');
    // Alarms were created in the stack under the ids they still have; the new ones follow suit.
    for (const alarm of this.alarms.alarms) keep(alarm, alarm.node.id);
  }

  protected override allocateLogicalId(element: CfnElement): string {
    const scopes = element.node.scopes;
    for (let i = scopes.length - 1; i >= 0 && scopes[i] !== this; i--) {
      const idInStack = this.deployedAs.get(scopes[i]!);
      if (idInStack !== undefined) return logicalIdAt([idInStack, ...scopes.slice(i + 1).map((s) => s.node.id)]);
    }
    return super.allocateLogicalId(element);
  }
}
