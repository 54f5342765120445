/**
 * Every resource deployed before the stack was split into constructs keeps its logical id: a new
 * id would make CloudFormation create a new resource and delete the deployed one (an empty table,
 * secrets without their values, a new API URL, lost topic subscriptions, deleted alarms). The ids
 * below are those of the stack as it was (commit b0d2fb5), for the default configuration of stage
 * `dev`, and the e-mail subscription of a configuration with `alarmEmail`. Nothing is bundled.
 */
import { rmSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { routes, scheduledFunctions } from '../../shared/routes.ts';
import type { Synth } from './support.ts';
import { synth } from './support.ts';

/** Logical ids of the default `dev` stack before the split, by resource type. */
const DEPLOYED: Record<string, readonly string[]> = {
  'AWS::DynamoDB::Table': [
    'PaymentsTable48A42630',
  ],
  'AWS::SecretsManager::Secret': [
    'TossApiKeySecret4D59B7EA',
    'MerchantTokensSecret072DED27',
  ],
  'AWS::ApiGatewayV2::Api': [
    'HttpApiF5A9A8A7',
  ],
  'AWS::ApiGatewayV2::Integration': [
    'HttpApiPOSTpaymentsCreatePaymentIntegration1DC9CC8E',
    'HttpApiGETpaymentsreturnReturnLandingIntegrationC3739783',
    'HttpApiGETpaymentscancelCancelLandingIntegrationB395AC17',
    'HttpApiPOSTpaymentscallbackCallbackIntegration67BF0A8E',
    'HttpApiGETpaymentsorderNoGetPaymentIntegrationCA114D4A',
  ],
  'AWS::Lambda::Permission': [
    'HttpApiPOSTpaymentsCreatePaymentIntegrationPermissionE645DD8E',
    'HttpApiTossPaydevHttpApiMerchantAuthorizer439C1CBCPermission5008780D',
    'HttpApiGETpaymentsreturnReturnLandingIntegrationPermission5B8AFC36',
    'HttpApiGETpaymentscancelCancelLandingIntegrationPermission34273F01',
    'HttpApiPOSTpaymentscallbackCallbackIntegrationPermission3516FD8B',
    'HttpApiGETpaymentsorderNoGetPaymentIntegrationPermissionB8DD3548',
    'ReconcileScheduleAllowEventRuleTossPaydevReconcilerFunctionF452D0FCC828D902',
  ],
  'AWS::ApiGatewayV2::Route': [
    'HttpApiPOSTpayments80B07504',
    'HttpApiGETpaymentsreturnFE1A3483',
    'HttpApiGETpaymentscancel98C7DC36',
    'HttpApiPOSTpaymentscallbackE4D56234',
    'HttpApiGETpaymentsorderNo74AAF068',
  ],
  'AWS::ApiGatewayV2::Authorizer': [
    'HttpApiMerchantAuthorizerAC1006C8',
  ],
  'AWS::Logs::LogGroup': [
    'ApiAccessLogsE9DF007D',
    'CreatePaymentLogsE97C4F9D',
    'ReturnLandingLogs66BA7A26',
    'CancelLandingLogsD722D796',
    'CallbackLogs0AE49594',
    'GetPaymentLogs95227543',
    'AuthorizerLogsBA5DABC9',
    'ReconcilerLogs12D6B32A',
  ],
  'AWS::ApiGatewayV2::Stage': [
    'DefaultStageEE28A986',
  ],
  'AWS::IAM::Role': [
    'CreatePaymentRole4BDD4366',
    'ReturnLandingRole13A1920E',
    'CancelLandingRole36F3D8DD',
    'CallbackRole00301EC0',
    'GetPaymentRoleA1BA8131',
    'AuthorizerRole8EA4615E',
    'ReconcilerRole74F9D42A',
  ],
  'AWS::IAM::Policy': [
    'CreatePaymentRoleDefaultPolicyFCDE7394',
    'ReturnLandingRoleDefaultPolicy7E91CD54',
    'CancelLandingRoleDefaultPolicy7AFCDF09',
    'CallbackRoleDefaultPolicyB164C50A',
    'GetPaymentRoleDefaultPolicyD96E8DEB',
    'AuthorizerRoleDefaultPolicyE4B7F89A',
    'ReconcilerRoleDefaultPolicyEA0E983A',
  ],
  'AWS::Lambda::Function': [
    'CreatePaymentFunction419FCB44',
    'ReturnLandingFunction410A402F',
    'CancelLandingFunction26CFB40C',
    'CallbackFunctionA4FB3452',
    'GetPaymentFunction0BB43E1F',
    'AuthorizerFunctionB4DBAA43',
    'ReconcilerFunction96431D02',
  ],
  'AWS::Lambda::EventInvokeConfig': [
    'ReconcilerFunctionEventInvokeConfig80925B5E',
  ],
  'AWS::Events::Rule': [
    'ReconcileSchedule3E7728F7',
  ],
  'AWS::KMS::Key': [
    'AlarmTopicKey57B0D3A7',
  ],
  'AWS::SNS::Topic': [
    'AlarmTopicD01E77F9',
  ],
  'AWS::SNS::TopicPolicy': [
    'AlarmTopicPolicy309DB5F8',
  ],
  'AWS::CloudWatch::Alarm': [
    'createpaymenterrorsB6D6E532',
    'returnlandingerrorsF3AEB29B',
    'cancellandingerrors6DA490CF',
    'callbackerrors88DFB14A',
    'getpaymenterrors5634D666',
    'authorizererrorsE980F039',
    'reconcilererrors2EC0CA4F',
    'reconcileerrors272E1C7C',
    'ordersflagged91F26DAD',
    'securityeventsE8459B04',
  ],
};

/**
 * Resources added since that hold state or that others refer to (the webhook secret's value, the
 * merchant's rules on the bus): the ids they are first deployed with, kept from then on.
 */
const ADDED_STATEFUL: Record<string, readonly string[]> = {
  'AWS::SecretsManager::Secret': ['SecretsWebhookSecret559C6136'],
  'AWS::Events::EventBus': ['EventBus7B8748AA'],
  // The console's users live in it: a new id would be a new, empty pool.
  'AWS::Cognito::UserPool': ['ConsoleUsersE3029604'],
};

let base: Synth;
let withEmail: Synth;

beforeAll(() => {
  base = synth({}, { bundle: false });
  withEmail = synth({ alarmEmail: 'ops@example.com' }, { bundle: false });
}, 60_000);

afterAll(() => {
  for (const s of [base, withEmail]) rmSync(s.outdir, { recursive: true, force: true });
});

describe('logical ids', () => {
  it('keeps the logical id and type of every resource deployed before the split into constructs', () => {
    const kept = (s: Synth) =>
      Object.fromEntries(Object.entries(DEPLOYED).map(([type, ids]) => [type, ids.filter((id) => s.resources[id]?.Type === type)]));
    expect(kept(base)).toEqual(DEPLOYED);
  });

  it('adds only the alarms on unhandled errors, on API 5xx, on writes refused for good and on endpoints disabled, the dashboard, the resources of the functions added since, and those of the events', () => {
    const deployed = new Set(Object.values(DEPLOYED).flat());
    const added = Object.entries(base.resources).filter(([id]) => !deployed.has(id));
    const named = new Set([
      'toss-pay-dev-api-5xx',
      'toss-pay-dev-unhandled-errors',
      'toss-pay-dev',
      // The events: webhooks given up, stream records given up, the stream falling behind.
      'toss-pay-dev-webhook-failures',
      'toss-pay-dev-events-stream-failures',
      'toss-pay-dev-events-iterator-age',
      // A write DynamoDB refused for good (the order flagged).
      'toss-pay-dev-order-writes-rejected',
      // A webhook endpoint disabled for failing.
      'toss-pay-dev-webhook-endpoint-disabled',
    ]);
    const isNamed = ([, r]: (typeof added)[number]) => named.has(String(r.Properties!.AlarmName ?? r.Properties!.DashboardName));
    expect(added.filter(isNamed).map(([, r]) => r.Type).sort()).toEqual(
      [...Array.from({ length: 7 }, () => 'AWS::CloudWatch::Alarm'), 'AWS::CloudWatch::Dashboard'].sort(),
    );
    // Each function added since (the refund and cancel routes, the events function, the webhook
    // retrier, the event log API, the OpenAPI document, the ledger, the overview, the console, the API docs, the webhook endpoints) brings exactly these: its own function, role, policy, log group
    // and errors alarm; for each route it serves, the route and the permission to invoke it from
    // there, and one integration for all of them; for a schedule, its rule, the permission to
    // invoke it from there and its asynchronous invocation settings (no retries).
    const perFunction = (fn: string): string[] => {
      const served = routes.filter((r) => r.fn === fn);
      return [
        'AWS::CloudWatch::Alarm',
        'AWS::IAM::Policy',
        'AWS::IAM::Role',
        'AWS::Lambda::Function',
        'AWS::Logs::LogGroup',
        ...served.flatMap(() => ['AWS::ApiGatewayV2::Route', 'AWS::Lambda::Permission']),
        ...(served.length > 0 ? ['AWS::ApiGatewayV2::Integration'] : []),
        ...((scheduledFunctions as readonly string[]).includes(fn)
          ? ['AWS::Events::Rule', 'AWS::Lambda::Permission', 'AWS::Lambda::EventInvokeConfig']
          : []),
      ];
    };
    const newFunctions = ['refund-payment', 'cancel-payment', 'list-payments', 'events', 'webhook-retrier', 'events-api', 'openapi', 'list-transactions', 'stats', 'console', 'api-docs', 'webhook-endpoints'];
    // Routes added since to a function deployed before: each its route and its permission.
    const newRoutesOfOldFunctions = ['GET /payments/by-pay-token/{payToken}'].flatMap(() => ['AWS::ApiGatewayV2::Route', 'AWS::Lambda::Permission']);
    // The console's users: the user pool, its app client and the three role groups.
    const consoleUsers = ['AWS::Cognito::UserPool', 'AWS::Cognito::UserPoolClient', ...Array.from({ length: 3 }, () => 'AWS::Cognito::UserPoolGroup')];
    // The events bring once: the webhook signing secret, the event bus, and the stream's event
    // source mapping with its on-failure queue (and that queue's TLS-only policy).
    const events = [
      'AWS::SecretsManager::Secret',
      'AWS::Events::EventBus',
      'AWS::Lambda::EventSourceMapping',
      'AWS::SQS::Queue',
      'AWS::SQS::QueuePolicy',
    ];
    expect(added.filter((a) => !isNamed(a)).map(([, r]) => r.Type).sort()).toEqual(
      [...newFunctions.flatMap(perFunction), ...newRoutesOfOldFunctions, ...consoleUsers, ...events].sort(),
    );
  });

  it('gives the stateful resources added since the ids they are first deployed with', () => {
    const kept = Object.fromEntries(
      Object.entries(ADDED_STATEFUL).map(([type, ids]) => [type, ids.filter((id) => base.resources[id]?.Type === type)]),
    );
    expect(kept).toEqual(ADDED_STATEFUL);
  });

  it("keeps the alarm topic's e-mail subscription (a new one would wait for the address to confirm it again)", () => {
    expect(withEmail.resources.AlarmTopicopsexamplecom7B0F70A1?.Type).toBe('AWS::SNS::Subscription');
  });
});
