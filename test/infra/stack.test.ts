/**
 * The synthesized stack, checked with aws-cdk-lib/assertions: a synth of the default configuration
 * and one of a fully configured variant, both without bundling (what the bundling builds is
 * checked on the one synth that bundles, `npx cdk synth` in cli.test.ts). Both run the strict
 * cdk-nag checks: a finding would make the synth itself throw.
 */
import { Stack } from 'aws-cdk-lib';
import { Match } from 'aws-cdk-lib/assertions';
import { CfnTable } from 'aws-cdk-lib/aws-dynamodb';
import { z } from 'zod';
import { existsSync, rmSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TOSS_CALLBACK_IPS } from '../../infra/config.ts';
import { ITERATOR_AGE_LIMIT } from '../../infra/constructs/alarms.ts';
import { SCHEMA_REQUIRED_SECRETS } from '../../infra/function-environment.ts';
import { entryOf } from '../../infra/paths.ts';
import { appConfigSchema, eventsConfigSchema, authConfigSchema, consoleConfigSchema, parseEnv, platformVariables } from '../../shared/config.ts';
import { FUNCTION_ACCESS, functionAccess, functionSettings, IAM_ACTIONS, secretArnVariable } from '../../shared/functions.ts';
import type { FunctionName, OptionalVariable, SecretName } from '../../shared/functions.ts';
import { METRICS_NAMESPACE, MetricDimension, MetricName, SERVICE_NAME } from '../../shared/metrics.ts';
import { allFunctions, authorizerFunction, routeKey, routes, scheduledFunctions, streamFunctions } from '../../shared/routes.ts';
import { isOrderItem, orderKey } from '../../shared/store/orders.ts';
import { eventKey } from '../../shared/store/events.ts';
import { deliveryKey } from '../../shared/store/deliveries.ts';
import { ENDPOINTS_KEY } from '../../shared/store/webhook-endpoints.ts';
import { healthKey } from '../../shared/store/webhook-health.ts';
import { EVENTS_STREAM_FILTER, matchesStreamFilter } from '../../shared/store/stream-filter.ts';
import { ledgerKey } from '../../shared/store/ledger.ts';
import { DUE_INDEX, EVENTS_INDEX, LISTS_INDEX, tableDefinition } from '../../shared/store/table.ts';
import type { DashboardWidget, Statement, Synth } from './support.ts';
import { actionsOf, dashboardBodyOf, lambdaOf, ofType, refOf, resourcesOf, statementsOf, synth, synthApp } from './support.ts';

let base: Synth;
let full: Synth;

const FULL_CONTEXT = {
  stage: 'prod',
  tossBaseUrl: 'https://pay.toss.im/',
  reconcileRate: '15',
  callbackIpAllowlist: 'false',
  merchantResultUrl: 'https://shop.example.com/orders/result',
  merchantShopUrl: 'https://shop.example.com/',
  merchantName: '예시 상점',
  merchantSupport: 'https://shop.example.com/help',
  merchantCompany: '(주)예시',
  merchantRepresentative: '홍길동',
  merchantBusinessNumber: '1234567890',
  merchantMailOrderNumber: '제2026-서울강남-01234호',
  merchantAddress: '서울특별시 강남구 테헤란로 1',
  alarmEmail: 'ops@example.com',
  logRetentionDays: '30',
  orderRetentionDays: '400',
  reconcileConcurrency: '4',
  reconcileFlagAfterMinutes: '90',
  throttleRateLimit: '80',
  throttleBurstLimit: '160',
  publicThrottleRateLimit: '7',
  publicThrottleBurstLimit: '9',
  merchantWebhookUrl: 'https://shop.example.com/hooks/toss-pay',
  webhookRetrySchedule: '10, 60,600',
  webhookSecretRotationHours: 48,
  webhookDisableAfterDays: '3',
  consoleThreatProtection: 'false',
};

beforeAll(() => {
  // CloudFormation's validation on both (support.ts, SynthOptions.validate): a finding fails the synth.
  base = synth({}, { bundle: false, validate: true });
  full = synth(FULL_CONTEXT, { bundle: false, validate: true });
}, 180_000);

afterAll(() => {
  for (const s of [base, full]) rmSync(s.outdir, { recursive: true, force: true });
});

const only = (s: Synth, type: string) => {
  const found = ofType(s, type);
  expect(found).toHaveLength(1);
  return found[0]!;
};
const apiIdOf = (s: Synth) => only(s, 'AWS::ApiGatewayV2::Api')[0];

describe("CDK's CloudFormation validation, as the synths above run it (support.ts, SynthOptions.validate)", () => {
  it('fails the synth on a finding when asked to validate, and is not run otherwise', () => {
    const withBadTable = (validate: boolean) => {
      const app = synthApp({}, { bundle: false, validate });
      // Not a billing mode CloudFormation knows: a finding of CDK's validation (a warning by its rules).
      new CfnTable(new Stack(app, 'Throwaway'), 'Table', {
        keySchema: [{ attributeName: 'pk', keyType: 'HASH' }],
        attributeDefinitions: [{ attributeName: 'pk', attributeType: 'S' }],
        billingMode: 'NOT_A_MODE',
      });
      return app;
    };
    const strict = withBadTable(true);
    const plain = withBadTable(false);
    try {
      expect(() => strict.synth()).toThrow(/BillingMode/);
      expect(() => plain.synth()).not.toThrow();
    } finally {
      for (const app of [strict, plain]) rmSync(app.outdir, { recursive: true, force: true });
    }
  });
});

describe('functions', () => {
  it('deploys exactly one function per entry of allFunctions(), from its real handler.ts', () => {
    expect(ofType(base, 'AWS::Lambda::Function')).toHaveLength(allFunctions().length);
    for (const fn of allFunctions()) {
      expect(existsSync(entryOf(fn)), `functions/${fn}/handler.ts`).toBe(true);
      lambdaOf(base, fn);
    }
  });

  it('runs Node.js 24 on arm64 with the settings from shared/functions.ts', () => {
    for (const fn of allFunctions()) {
      const settings = functionSettings[fn as FunctionName];
      const [, f] = lambdaOf(base, fn);
      expect(f.Properties).toMatchObject({
        Runtime: 'nodejs24.x',
        Architectures: ['arm64'],
        Handler: 'index.handler',
        MemorySize: settings.memoryMb,
        Timeout: settings.timeoutSeconds,
      });
    }
  });

  it('keeps HTTP handlers under the 29 s API Gateway limit, Toss callers above the 15 s client timeout', () => {
    const timeoutOf = (fn: string) => lambdaOf(base, fn)[1].Properties!.Timeout as number;
    const routed = [...new Set<string>(routes.map((r) => r.fn))];
    expect(routed.filter((fn) => timeoutOf(fn) >= 29)).toEqual([]);
    const callingToss = routed.filter((fn) => functionAccess(fn).secrets.includes('tossApiKey'));
    expect(callingToss.length).toBeGreaterThan(0);
    expect(callingToss.filter((fn) => timeoutOf(fn) <= 15)).toEqual([]);
    expect(timeoutOf('reconciler')).toBeGreaterThan(29);
  });

  it('traces every function with X-Ray (active tracing: Lambda starts the trace, the code adds its calls)', () => {
    const fns = ofType(base, 'AWS::Lambda::Function');
    expect(fns.length).toBe(allFunctions().length);
    for (const [id, f] of fns) expect([id, f.Properties!.TracingConfig]).toEqual([id, { Mode: 'Active' }]);
  });

  it('writes each function to its own log group with the configured retention', () => {
    for (const [s, days] of [
      [base, 365],
      [full, 30],
    ] as const) {
      for (const fn of allFunctions()) {
        const [, f] = lambdaOf(s, fn);
        const logGroupId = refOf(f.Properties!.LoggingConfig.LogGroup);
        const lg = s.resources[logGroupId!]!;
        expect(lg.Type).toBe('AWS::Logs::LogGroup');
        expect(lg.Properties!.RetentionInDays).toBe(days);
      }
      expect(ofType(s, 'AWS::Logs::LogGroup').every(([, lg]) => lg.Properties!.RetentionInDays === days)).toBe(true);
    }
  });
});

describe('HTTP API', () => {
  it('has exactly the routes of shared/routes.ts, each integrated with its function', () => {
    const routeResources = ofType(base, 'AWS::ApiGatewayV2::Route');
    expect(routeResources.map(([, r]) => r.Properties!.RouteKey).sort()).toEqual(routes.map(routeKey).sort());
    for (const route of routes) {
      const [, r] = routeResources.find(([, x]) => x.Properties!.RouteKey === routeKey(route))!;
      const target = r.Properties!.Target['Fn::Join'][1] as unknown[];
      expect(target[0]).toBe('integrations/');
      const integration = base.resources[refOf(target[1])!]!;
      expect(integration.Properties).toMatchObject({ IntegrationType: 'AWS_PROXY', PayloadFormatVersion: '2.0' });
      expect(refOf(integration.Properties!.IntegrationUri)).toBe(lambdaOf(base, route.fn)[0]);
    }
  });

  it('puts merchant routes behind the Lambda authorizer and leaves public routes open', () => {
    const [authorizerId] = only(base, 'AWS::ApiGatewayV2::Authorizer');
    const actual = Object.fromEntries(
      ofType(base, 'AWS::ApiGatewayV2::Route').map(([, r]) => [
        r.Properties!.RouteKey as string,
        { type: r.Properties!.AuthorizationType, authorizer: refOf(r.Properties!.AuthorizerId) ?? null },
      ]),
    );
    const expected = Object.fromEntries(
      routes.map((r) => [
        routeKey(r),
        r.auth === 'merchant' ? { type: 'CUSTOM', authorizer: authorizerId } : { type: 'NONE', authorizer: null },
      ]),
    );
    expect(actual).toEqual(expected);
    expect(routes.filter((r) => r.auth === 'merchant').length).toBeGreaterThan(0);
    expect(routes.filter((r) => r.auth === 'public').length).toBeGreaterThan(0);
  });

  it('authorizes with simple responses on the Authorization header, cached for 60 s', () => {
    const [, a] = only(base, 'AWS::ApiGatewayV2::Authorizer');
    expect(a.Properties).toMatchObject({
      AuthorizerType: 'REQUEST',
      EnableSimpleResponses: true,
      IdentitySource: ['$request.header.Authorization'],
      AuthorizerResultTtlInSeconds: 60,
      AuthorizerPayloadFormatVersion: '2.0',
    });
    expect(JSON.stringify(a.Properties!.AuthorizerUri)).toContain(lambdaOf(base, authorizerFunction)[0]);
  });

  it('logs access to a log group with retention and throttles the default stage', () => {
    const [, stage] = only(base, 'AWS::ApiGatewayV2::Stage');
    expect(stage.Properties).toMatchObject({
      StageName: '$default',
      AutoDeploy: true,
      DefaultRouteSettings: { ThrottlingRateLimit: 50, ThrottlingBurstLimit: 100 },
    });
    const destination = base.resources[refOf(stage.Properties!.AccessLogSettings.DestinationArn)!]!;
    expect(destination.Type).toBe('AWS::Logs::LogGroup');
    expect(destination.Properties!.RetentionInDays).toBe(365);
    const format = JSON.parse(stage.Properties!.AccessLogSettings.Format as string) as Record<string, string>;
    expect(format.requestId).toBe('$context.requestId');
    expect(format.status).toBe('$context.status');
    // No header (Authorization) is ever logged.
    expect(Object.values(format).some((v) => v.includes('header'))).toBe(false);
  });

  it('throttles each public route on its own limits; merchant routes keep the stage default', () => {
    const publicKeys = routes.filter((r) => r.auth === 'public').map(routeKey);
    const merchantKeys = routes.filter((r) => r.auth === 'merchant').map(routeKey);
    expect(publicKeys.length).toBeGreaterThan(0);
    expect(merchantKeys.length).toBeGreaterThan(0);
    for (const [s, stageDefault, perRoute] of [
      [base, { ThrottlingRateLimit: 50, ThrottlingBurstLimit: 100 }, { ThrottlingRateLimit: 25, ThrottlingBurstLimit: 50 }],
      [full, { ThrottlingRateLimit: 80, ThrottlingBurstLimit: 160 }, { ThrottlingRateLimit: 7, ThrottlingBurstLimit: 9 }],
    ] as const) {
      const [, stage] = only(s, 'AWS::ApiGatewayV2::Stage');
      expect(stage.Properties!.DefaultRouteSettings).toEqual(stageDefault);
      // Exactly the public route keys, nothing else: a merchant route has no entry, so the stage
      // default applies to it.
      expect(stage.Properties!.RouteSettings).toEqual(Object.fromEntries(publicKeys.map((k) => [k, perRoute])));
      // Route settings name existing route keys, and the stage is created after those routes
      // (CloudFormation refuses settings for a route it cannot find).
      const routeIdsByKey = new Map(ofType(s, 'AWS::ApiGatewayV2::Route').map(([id, r]) => [r.Properties!.RouteKey as string, id]));
      const json = s.template.toJSON() as { Resources: Record<string, { DependsOn?: string[] }> };
      const [stageId] = only(s, 'AWS::ApiGatewayV2::Stage');
      const dependsOn = json.Resources[stageId]!.DependsOn ?? [];
      const publicRouteIds = publicKeys.map((k) => routeIdsByKey.get(k));
      expect(publicRouteIds.every((id) => id !== undefined)).toBe(true);
      expect(dependsOn).toEqual(expect.arrayContaining(publicRouteIds));
    }
  });
});

/**
 * The table's indexes in the last release (name: its partition and sort key), the stack merchants
 * upgrade from. CloudFormation creates or deletes at most one global secondary index per stack
 * update and fails the update otherwise (and an index's keys cannot change in place: that is a
 * delete and a create), so every merchant upgrading would see the deploy fail: a release may add
 * (or drop) one index relative to these. Move this forward when a release ships with a new index.
 */
const RELEASED_INDEXES: Readonly<Record<string, readonly [string, string]>> = {
  due: ['dueShard', 'dueAt'],
  byDay: ['createdDay', 'createdAt'],
  flagged: ['flaggedList', 'createdAt'],
  events: ['eventLog', 'eventSeq'],
};

describe('table', () => {
  it('is the shared definition: key, the due and events indexes, TTL, the change stream', () => {
    const [, t] = only(base, 'AWS::DynamoDB::Table');
    const gsis = tableDefinition.globalSecondaryIndexes as readonly {
      indexName: string;
      partitionKey: { name: string; type: string };
      sortKey?: { name: string; type: string };
      projection: string;
      nonKeyAttributes?: readonly string[];
    }[];
    expect(gsis.map((g) => g.indexName)).toEqual(expect.arrayContaining([DUE_INDEX, EVENTS_INDEX]));
    expect(t.Properties!.KeySchema).toEqual([{ AttributeName: tableDefinition.partitionKey.name, KeyType: 'HASH' }]);
    expect(t.Properties!.GlobalSecondaryIndexes).toEqual(
      gsis.map((g) => ({
        IndexName: g.indexName,
        KeySchema: [
          { AttributeName: g.partitionKey.name, KeyType: 'HASH' },
          ...(g.sortKey ? [{ AttributeName: g.sortKey.name, KeyType: 'RANGE' }] : []),
        ],
        Projection: {
          ProjectionType: g.projection,
          ...(g.projection === 'INCLUDE' ? { NonKeyAttributes: [...(g.nonKeyAttributes ?? [])] } : {}),
        },
      })),
    );
    const keys = [tableDefinition.partitionKey, ...gsis.flatMap((g) => [g.partitionKey, ...(g.sortKey ? [g.sortKey] : [])])];
    // An attribute keying two indexes (createdAt) is defined once.
    const defined = [...new Map(keys.map((k) => [k.name, { AttributeName: k.name, AttributeType: k.type }])).values()];
    expect([...(t.Properties!.AttributeDefinitions as unknown[])].sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b)))).toEqual(
      defined
        .sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b))),
    );
    expect(t.Properties!.TimeToLiveSpecification).toEqual({ AttributeName: tableDefinition.ttlAttribute, Enabled: true });
    expect(tableDefinition.stream).toBe('NEW_AND_OLD_IMAGES');
    expect(t.Properties!.StreamSpecification).toEqual({ StreamViewType: tableDefinition.stream });
  });

  it('has the lists index: one overloaded index for the ledger and the orders\' events, every attribute projected', () => {
    const [, t] = only(base, 'AWS::DynamoDB::Table');
    expect((t.Properties!.GlobalSecondaryIndexes as { IndexName: string }[]).find((g) => g.IndexName === LISTS_INDEX)).toEqual({
      IndexName: LISTS_INDEX,
      KeySchema: [
        { AttributeName: 'listKey', KeyType: 'HASH' },
        { AttributeName: 'listSeq', KeyType: 'RANGE' },
      ],
      Projection: { ProjectionType: 'ALL' },
    });
  });

  it('creates or deletes at most one index relative to the last release (CloudFormation does one per stack update)', () => {
    const [, t] = only(base, 'AWS::DynamoDB::Table');
    const gsis = t.Properties!.GlobalSecondaryIndexes as { IndexName: string; KeySchema: { AttributeName: string }[] }[];
    const keysOf = new Map(gsis.map((g) => [g.IndexName, g.KeySchema.map((k) => k.AttributeName)]));
    const released = Object.keys(RELEASED_INDEXES);
    const added = [...keysOf.keys()].filter((n) => !released.includes(n));
    const removed = released.filter((n) => !keysOf.has(n));
    // A released index whose keys changed is a delete and a create.
    const rekeyed = released.filter((n) => keysOf.has(n) && JSON.stringify(keysOf.get(n)) !== JSON.stringify(RELEASED_INDEXES[n]));
    expect({ added, removed, rekeyed }).toEqual({ added: [LISTS_INDEX], removed: [], rekeyed: [] });
    expect(added.length + removed.length + 2 * rekeyed.length).toBeLessThanOrEqual(1);
    expect(tableDefinition.globalSecondaryIndexes.map((g) => g.indexName).sort()).toEqual([...keysOf.keys()].sort());
  });

  it('is on-demand, point-in-time recoverable, deletion protected, retained and KMS encrypted', () => {
    const [, t] = only(base, 'AWS::DynamoDB::Table');
    expect(t.Properties).toMatchObject({
      BillingMode: 'PAY_PER_REQUEST',
      PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
      DeletionProtectionEnabled: true,
    });
    // AWS_MANAGED: KMS encryption with the aws/dynamodb key (SSEEnabled, no key of our own).
    expect(t.Properties!.SSESpecification).toEqual({ SSEEnabled: true });
    expect(t.DeletionPolicy).toBe('Retain');
    expect(t.UpdateReplacePolicy).toBe('Retain');
  });
});

describe('IAM: each function holds only what it uses', () => {
  const tableId = () => only(base, 'AWS::DynamoDB::Table')[0];
  const secretIds = (): Record<SecretName, string> => {
    const byDescription = (needle: string) =>
      ofType(base, 'AWS::SecretsManager::Secret').find(([, s]) => String(s.Properties!.Description).includes(needle))![0];
    return {
      tossApiKey: byDescription('Toss Pay apiKey'),
      merchantTokens: byDescription('Merchant bearer tokens'),
      webhookSecret: byDescription('Webhook signing secret'),
    };
  };

  it('says which indexes each function queries exactly when it queries', () => {
    const indexNames = tableDefinition.globalSecondaryIndexes.map((g) => g.indexName as string);
    for (const fn of allFunctions()) {
      const access = functionAccess(fn);
      expect(access.indexes.length > 0, `${fn}`).toBe(access.dynamodb.includes('Query'));
      expect(indexNames, `${fn}`).toEqual(expect.arrayContaining([...access.indexes]));
    }
    // The reconciler and the webhook retrier find their work in the due index; the event log API
    // lists the log (events), the failed deliveries (due) and an order's events (lists).
    expect(functionAccess('reconciler').indexes).toEqual([DUE_INDEX]);
    expect(functionAccess('webhook-retrier').indexes).toEqual([DUE_INDEX]);
    expect([...functionAccess('events-api').indexes].sort()).toEqual([DUE_INDEX, EVENTS_INDEX, LISTS_INDEX].sort());
    // The lists index (the ledger, an order's events) is read by the ledger's API, which reads
    // nothing else and holds no secret, and by the event log API.
    expect(allFunctions().filter((fn) => functionAccess(fn).indexes.includes(LISTS_INDEX))).toEqual(['events-api', 'list-transactions']);
    expect(functionAccess('list-transactions')).toMatchObject({ dynamodb: ['Query'], indexes: [LISTS_INDEX], secrets: [] });
    expect([...functionAccess('stats').indexes].sort()).toEqual(['byDay', 'flagged']);
  });

  it("grants exactly its entry in shared/functions.ts: each role's policy, read back, is that entry", () => {
    const secretOf = new Map(Object.entries(secretIds()).map(([name, id]) => [id, name]));
    const busId = only(base, 'AWS::Events::EventBus')[0];
    const queueId = only(base, 'AWS::SQS::Queue')[0];
    // Where a resource is: the table, an index, its stream, a secret by name, the event bus, the
    // stream's on-failure queue, the function's own log group.
    const where = (r: unknown, logGroupId: string | undefined): string => {
      const id = refOf(r);
      const att = (r as { 'Fn::GetAtt'?: [string, string] })['Fn::GetAtt'];
      if (id === tableId() && att?.[1] === 'StreamArn') return 'table stream';
      if (id === tableId()) return 'table';
      if (id === busId) return 'event bus';
      if (id === queueId) return 'stream failures queue';
      if (id !== undefined && secretOf.has(id)) return `secret ${secretOf.get(id)}`;
      if (id !== undefined && id === logGroupId) return 'own log group';
      const join = (r as { 'Fn::Join'?: [string, unknown[]] })['Fn::Join'];
      if (join !== undefined && refOf(join[1][0]) === tableId()) return `table/${join[1].slice(1).join('/')}`;
      return JSON.stringify(r);
    };
    const sorted = (xs: readonly string[]) => [...xs].sort();
    const actual: Record<string, unknown> = {};
    const expected: Record<string, unknown> = {};
    for (const fn of allFunctions()) {
      const { role, statements } = statementsOf(base, fn);
      const logGroupId = refOf(lambdaOf(base, fn)[1].Properties!.LoggingConfig.LogGroup);
      const dynamodb: string[] = [];
      const secrets: string[] = [];
      const rest: string[] = [];
      for (const st of statements) {
        for (const action of actionsOf(st)) {
          for (const r of resourcesOf(st)) {
            const grant = `${st.Effect} ${action} on ${where(r, logGroupId)}`;
            if (st.Effect === 'Allow' && action.startsWith('dynamodb:') && !grant.endsWith('on table stream')) dynamodb.push(grant);
            else if (st.Effect === 'Allow' && action === 'secretsmanager:GetSecretValue') secrets.push(grant);
            else rest.push(grant);
          }
        }
      }
      actual[fn] = {
        managedPolicies: role.Properties!.ManagedPolicyArns ?? [],
        dynamodb: sorted(dynamodb),
        secrets: sorted(secrets),
        rest: sorted(rest),
      };
      // The record's own rule: Query on each index it lists, every other operation on the table;
      // PutEvents on the bus for a function told its name. A stream function's mapping reads the
      // stream and sends what it gives up to its queue.
      const access = functionAccess(fn);
      const onStream = (streamFunctions as readonly string[]).includes(fn);
      expected[fn] = {
        managedPolicies: [],
        dynamodb: sorted([
          ...new Set(
            access.dynamodb.flatMap((op) =>
              op === 'Query' ? access.indexes.map((index) => `Allow dynamodb:Query on table/index/${index}`) : IAM_ACTIONS[op].map((a) => `Allow ${a} on table`),
            ),
          ),
        ]),
        secrets: sorted(access.secrets.map((name) => `Allow secretsmanager:GetSecretValue on secret ${name}`)),
        rest: sorted([
          'Allow logs:CreateLogStream on own log group',
          'Allow logs:PutLogEvents on own log group',
          // Active tracing: X-Ray's two actions take no resource.
          'Allow xray:PutTraceSegments on "*"',
          'Allow xray:PutTelemetryRecords on "*"',
          ...(access.optionalEnv.includes('EVENT_BUS_NAME') ? ['Allow events:PutEvents on event bus'] : []),
          ...(onStream
            ? [
                'Allow dynamodb:DescribeStream on table stream',
                'Allow dynamodb:GetShardIterator on table stream',
                'Allow dynamodb:GetRecords on table stream',
                'Allow sqs:SendMessage on stream failures queue',
                'Allow sqs:GetQueueAttributes on stream failures queue',
                'Allow sqs:GetQueueUrl on stream failures queue',
              ]
            : []),
        ]),
      };
    }
    expect(actual).toEqual(expected);
    // Only the events function puts events on the bus and reads the stream.
    expect(allFunctions().filter((fn) => functionAccess(fn).optionalEnv.includes('EVENT_BUS_NAME'))).toEqual(['events']);
    expect(streamFunctions).toEqual(['events']);
  });

  it("has no wildcard action anywhere in the stack, and no wildcard resource but X-Ray's (its actions take none)", () => {
    const all: Statement[] = [];
    for (const [, p] of [...ofType(base, 'AWS::IAM::Policy'), ...ofType(base, 'AWS::IAM::Role')]) {
      if (p.Properties!.PolicyDocument) all.push(...(p.Properties!.PolicyDocument.Statement as Statement[]));
      for (const x of (p.Properties!.Policies ?? []) as { PolicyDocument: { Statement: Statement[] } }[]) {
        all.push(...x.PolicyDocument.Statement);
      }
    }
    expect(all.length).toBeGreaterThan(allFunctions().length);
    expect(all.flatMap(actionsOf).filter((a) => a.includes('*'))).toEqual([]);
    const xray = (st: Statement) => actionsOf(st).every((a) => a === 'xray:PutTraceSegments' || a === 'xray:PutTelemetryRecords');
    expect(all.filter((st) => !xray(st)).flatMap(resourcesOf).filter((r) => typeof r === 'string' && r.includes('*'))).toEqual([]);
    expect(all.filter(xray).flatMap(resourcesOf)).toEqual(all.filter(xray).map(() => '*'));
  });
});

describe('environment', () => {
  const placeholder = (key: string): string =>
    key === 'PUBLIC_BASE_URL'
      ? 'https://abc123.execute-api.ap-northeast-2.amazonaws.com'
      : key === 'COGNITO_ENDPOINT'
        ? 'https://cognito-idp.ap-northeast-2.amazonaws.com/'
        : key.endsWith('_ARN')
        ? 'arn:aws:secretsmanager:ap-northeast-2:111122223333:secret:x-AbCdEf'
        : 'resolved-at-deploy';
  // A function without variables (config `none`) has no Environment at all.
  const envOf = (s: Synth, fn: string): Record<string, unknown> =>
    (lambdaOf(s, fn)[1].Properties!.Environment?.Variables ?? {}) as Record<string, unknown>;
  /** What a function of config `none` parses: nothing, so it is given nothing. */
  const noConfig = z.strictObject({});
  const resolved = (env: Record<string, unknown>) =>
    Object.fromEntries(Object.entries(env).map(([k, v]) => [k, typeof v === 'string' ? v : placeholder(k)]));

  it('sets only variables shared/config.ts parses, and every required one (both configurations)', () => {
    const schemas = { app: appConfigSchema, auth: authConfigSchema, events: eventsConfigSchema, console: consoleConfigSchema, none: noConfig } as const;
    for (const s of [base, full]) {
      const unknown: string[] = [];
      const unparsable: string[] = [];
      for (const fn of allFunctions()) {
        const env = envOf(s, fn);
        const schema = schemas[functionAccess(fn).config];
        const allowed = new Set<string>([...Object.keys(schema.shape), ...platformVariables]);
        unknown.push(...Object.keys(env).filter((k) => !allowed.has(k) || k === 'AWS_REGION').map((k) => `${fn}: ${k}`));
        // Parses: every required variable is there, every value the stack fixes is valid.
        const r = schema.safeParse(resolved(env));
        if (!r.success) unparsable.push(`${fn}: ${r.error.message}`);
      }
      expect(unknown).toEqual([]);
      expect(unparsable).toEqual([]);
    }
    expect(Object.keys(schemas.app.shape)).toContain('PUBLIC_BASE_URL');
    expect(Object.keys(schemas.auth.shape)).toContain('MERCHANT_TOKENS_SECRET_ARN');
    expect(Object.keys(schemas.events.shape)).toContain('EVENT_BUS_NAME');
  });

  it('gives payment functions the table, the Toss key secret ARN and the API URL', () => {
    const apiId = apiIdOf(base);
    for (const fn of allFunctions().filter((f) => functionAccess(f).config === 'app')) {
      const env = envOf(base, fn);
      expect(env.STAGE).toBe('dev');
      expect(env.TOSS_BASE_URL).toBe('https://pay.toss.im');
      expect(refOf(env.TABLE_NAME)).toBe(only(base, 'AWS::DynamoDB::Table')[0]);
      expect(env.PUBLIC_BASE_URL).toEqual({ 'Fn::GetAtt': [apiId, 'ApiEndpoint'] });
      expect(refOf(env.TOSS_API_KEY_SECRET_ARN)).toMatch(/^TossApiKeySecret/);
      expect(env.TOSS_API_KEY).toBeUndefined();
      expect(env.MERCHANT_RESULT_URL).toBeUndefined();
      for (const k of ['RECONCILE_CONCURRENCY', 'RECONCILE_FLAG_AFTER_MINUTES', 'RETENTION_DAYS']) {
        expect(env[k]).toBeUndefined();
      }
    }
    expect(Object.keys(envOf(base, 'authorizer')).sort()).toEqual(['COGNITO_CLIENT_ID', 'COGNITO_USER_POOL_ID', 'MERCHANT_TOKENS_SECRET_ARN', 'STAGE']);
    expect(refOf(envOf(base, 'authorizer').COGNITO_USER_POOL_ID)).toMatch(/^ConsoleUsers/);
    expect(Object.keys(envOf(base, 'console')).sort()).toEqual(['COGNITO_CLIENT_ID', 'COGNITO_ENDPOINT', 'STAGE']);
    expect(refOf(envOf(base, 'authorizer').MERCHANT_TOKENS_SECRET_ARN)).toMatch(/^MerchantTokensSecret/);
  });

  it("tells each function the ARN of each secret its entry lists, and of those its schema requires of all, and of no other", () => {
    for (const s of [base, full]) {
      const secretIdOf = (needle: string) =>
        ofType(s, 'AWS::SecretsManager::Secret').find(([, x]) => String(x.Properties!.Description).includes(needle))![0];
      const ids: Record<SecretName, string> = {
        tossApiKey: secretIdOf('Toss Pay apiKey'),
        merchantTokens: secretIdOf('Merchant bearer tokens'),
        webhookSecret: secretIdOf('Webhook signing secret'),
      };
      const secretVariables = (fn: string) => {
        const env = envOf(s, fn);
        return Object.fromEntries(Object.keys(env).filter((k) => k.endsWith('_SECRET_ARN')).map((k) => [k, refOf(env[k])]));
      };
      expect(Object.fromEntries(allFunctions().map((fn) => [fn, secretVariables(fn)]))).toEqual(
        Object.fromEntries(
          allFunctions().map((fn) => {
            const access = functionAccess(fn);
            const told = [...SCHEMA_REQUIRED_SECRETS[access.config], ...access.secrets];
            return [fn, Object.fromEntries(told.map((name) => [secretArnVariable[name], ids[name]]))];
          }),
        ),
      );
    }
    // Told, not granted: the IAM test above checks that only the secrets an entry lists are readable.
    expect(allFunctions().filter((fn) => !functionAccess(fn).secrets.includes('tossApiKey'))).toEqual(
      expect.arrayContaining(['events', 'webhook-retrier', 'events-api']),
    );
  });

  it('tells a function the ARN of a secret it does not read only while its schema refuses to start without it', () => {
    // SCHEMA_REQUIRED_SECRETS exists because appConfigSchema requires a Toss key reference of every
    // function that parses it: once a schema stops requiring one, its entry there must go.
    const schemas = { app: appConfigSchema, auth: authConfigSchema, events: eventsConfigSchema, console: consoleConfigSchema, none: noConfig } as const;
    for (const s of [base, full]) {
      for (const fn of allFunctions()) {
        const access = functionAccess(fn);
        for (const secret of SCHEMA_REQUIRED_SECRETS[access.config]) {
          const env = resolved(envOf(s, fn));
          expect(schemas[access.config].safeParse(env).success, `${fn}`).toBe(true);
          delete env[secretArnVariable[secret]];
          expect(schemas[access.config].safeParse(env).success, `${fn} without ${secretArnVariable[secret]}`).toBe(false);
        }
      }
    }
  });

  it("sets each optional variable on exactly the functions whose entry lists it, when the deployment configures it", () => {
    const optional: readonly OptionalVariable[] = [
      'MERCHANT_RESULT_URL',
      'MERCHANT_SHOP_URL',
      'MERCHANT_NAME',
      'MERCHANT_SUPPORT',
      'MERCHANT_COMPANY',
      'MERCHANT_REPRESENTATIVE',
      'MERCHANT_BUSINESS_NUMBER',
      'MERCHANT_MAIL_ORDER_NUMBER',
      'MERCHANT_ADDRESS',
      'CALLBACK_ALLOWED_IPS',
      'RECONCILE_CONCURRENCY',
      'RECONCILE_FLAG_AFTER_MINUTES',
      'MERCHANT_WEBHOOK_URL',
      'WEBHOOK_RETRY_SCHEDULE',
      'WEBHOOK_SECRET_ROTATION_HOURS',
      'WEBHOOK_DISABLE_AFTER_DAYS',
      'EVENT_BUS_NAME',
    ];
    // base: the defaults (only the callback allowlist is on, the bus is always there, and the
    // merchant's name is required); full: every other one set.
    const shop = ['MERCHANT_SHOP_URL', 'MERCHANT_NAME', 'MERCHANT_SUPPORT', 'MERCHANT_COMPANY', 'MERCHANT_REPRESENTATIVE', 'MERCHANT_BUSINESS_NUMBER', 'MERCHANT_MAIL_ORDER_NUMBER', 'MERCHANT_ADDRESS'];
    for (const [s, configured] of [
      [base, ['CALLBACK_ALLOWED_IPS', 'EVENT_BUS_NAME', 'MERCHANT_NAME']],
      [
        full,
        ['MERCHANT_RESULT_URL', ...shop, 'RECONCILE_CONCURRENCY', 'RECONCILE_FLAG_AFTER_MINUTES', 'MERCHANT_WEBHOOK_URL', 'WEBHOOK_RETRY_SCHEDULE', 'WEBHOOK_SECRET_ROTATION_HOURS', 'WEBHOOK_DISABLE_AFTER_DAYS', 'EVENT_BUS_NAME'],
      ],
    ] as const) {
      const actual = Object.fromEntries(allFunctions().map((fn) => [fn, optional.filter((v) => envOf(s, fn)[v] !== undefined)]));
      const expected = Object.fromEntries(
        allFunctions().map((fn) => [fn, optional.filter((v) => functionAccess(fn).optionalEnv.includes(v) && (configured as readonly string[]).includes(v))]),
      );
      expect(actual).toEqual(expected);
    }
    // Every optional variable is read by some function.
    expect(new Set(Object.values(FUNCTION_ACCESS).flatMap((a) => a.optionalEnv))).toEqual(new Set(optional));
  });

  it("gives the landings the shop as the pages show it, and nothing of it to any other function", () => {
    for (const fn of ['return-landing', 'cancel-landing']) {
      expect(envOf(base, fn).MERCHANT_NAME).toBe('테스트 상점');
      expect(envOf(full, fn)).toMatchObject({ MERCHANT_NAME: '예시 상점', MERCHANT_SUPPORT: 'https://shop.example.com/help', MERCHANT_BUSINESS_NUMBER: '1234567890', MERCHANT_ADDRESS: '서울특별시 강남구 테헤란로 1' });
      // What the landing's cold start parses.
      expect(parseEnv(appConfigSchema, resolved(envOf(full, fn))).MERCHANT_BUSINESS_NUMBER).toBe('123-45-67890');
    }
    for (const fn of allFunctions().filter((f) => f !== 'return-landing' && f !== 'cancel-landing')) expect([fn, envOf(full, fn).MERCHANT_NAME]).toEqual([fn, undefined]);
  });

  it("allows callbacks only from Toss's published addresses by default, and not when switched off", () => {
    expect(envOf(base, 'callback').CALLBACK_ALLOWED_IPS).toBe(TOSS_CALLBACK_IPS);
    const parsed = parseEnv(appConfigSchema, resolved(envOf(base, 'callback')));
    expect(parsed.CALLBACK_ALLOWED_IPS).toEqual([
      '117.52.3.4',
      '117.52.3.11',
      '117.52.3.80-117.52.3.87',
      '211.115.96.4',
      '211.115.96.11',
      '211.115.96.80-211.115.96.87',
    ]);
    const withAllowlist = (s: Synth) => allFunctions().filter((fn) => envOf(s, fn).CALLBACK_ALLOWED_IPS !== undefined);
    expect(withAllowlist(base)).toEqual(['callback']);
    expect(withAllowlist(full)).toEqual([]);
  });

  it('passes optional settings only when configured, and only to the functions that read them', () => {
    for (const fn of ['return-landing', 'cancel-landing']) {
      expect(envOf(full, fn).MERCHANT_RESULT_URL).toBe(FULL_CONTEXT.merchantResultUrl);
    }
    for (const fn of ['create-payment', 'callback', 'get-payment', 'reconciler', 'authorizer']) {
      expect(envOf(full, fn).MERCHANT_RESULT_URL).toBeUndefined();
    }
    expect(envOf(full, 'reconciler')).toMatchObject({ RECONCILE_CONCURRENCY: '4', RECONCILE_FLAG_AFTER_MINUTES: '90' });
    expect(envOf(full, 'callback').RECONCILE_CONCURRENCY).toBeUndefined();
    expect(envOf(full, 'create-payment')).toMatchObject({ STAGE: 'prod', RETENTION_DAYS: '400', TOSS_BASE_URL: 'https://pay.toss.im' });
  });

  it("tells the events functions the webhook URL and retry schedule when configured, the endpoints' settings to those that use them, and the events function the bus's name", () => {
    const webhookFunctions = allFunctions().filter((fn) => functionAccess(fn).optionalEnv.includes('MERCHANT_WEBHOOK_URL'));
    expect(webhookFunctions.sort()).toEqual(['events', 'events-api', 'webhook-endpoints', 'webhook-retrier']);
    for (const fn of webhookFunctions) {
      const parsed = parseEnv(eventsConfigSchema, resolved(envOf(full, fn)));
      expect(parsed.MERCHANT_WEBHOOK_URL).toBe(FULL_CONTEXT.merchantWebhookUrl);
      expect(refOf(envOf(full, fn).MERCHANT_WEBHOOK_SECRET_ARN)).toBe(
        ofType(full, 'AWS::SecretsManager::Secret').find(([, x]) => String(x.Properties!.Description).includes('Webhook signing secret'))![0],
      );
      // Unset: no configured endpoint, the code's defaults.
      expect(envOf(base, fn).MERCHANT_WEBHOOK_URL).toBeUndefined();
      expect(envOf(base, fn).WEBHOOK_RETRY_SCHEDULE).toBeUndefined();
    }
    // Those that schedule attempts, and those that disable a failing endpoint.
    for (const fn of ['events', 'events-api', 'webhook-retrier']) {
      expect(envOf(full, fn)).toMatchObject({ WEBHOOK_RETRY_SCHEDULE: '10,60,600', WEBHOOK_DISABLE_AFTER_DAYS: '3' });
      expect(parseEnv(eventsConfigSchema, resolved(envOf(full, fn)))).toMatchObject({ WEBHOOK_RETRY_SCHEDULE: [10, 60, 600], WEBHOOK_DISABLE_AFTER_DAYS: 3 });
    }
    // The one that rotates secrets.
    expect(envOf(full, 'webhook-endpoints').WEBHOOK_SECRET_ROTATION_HOURS).toBe('48');
    expect(parseEnv(eventsConfigSchema, resolved(envOf(full, 'webhook-endpoints'))).WEBHOOK_SECRET_ROTATION_HOURS).toBe(48);
    for (const s of [base, full]) {
      expect(envOf(s, 'events').EVENT_BUS_NAME).toEqual({ Ref: only(s, 'AWS::Events::EventBus')[0] });
    }
  });
});

describe('secrets', () => {
  it('creates the three secrets (Toss apiKey, merchant tokens, webhook signing secret) with a generated placeholder and no value in the template', () => {
    const secrets = ofType(base, 'AWS::SecretsManager::Secret');
    expect(secrets).toHaveLength(3);
    const descriptions = secrets.map(([, x]) => String(x.Properties!.Description));
    for (const needle of ['Toss Pay apiKey', 'Merchant bearer tokens', 'Webhook signing secret (dev)']) {
      expect(descriptions.filter((d) => d.includes(needle)), `${needle}`).toHaveLength(1);
    }
    for (const [, s] of secrets) {
      expect(s.Properties!.SecretString).toBeUndefined();
      expect(s.Properties!.GenerateSecretString).toBeDefined();
    }
  });
});

describe('schedules', () => {
  /** The one rule whose one target is functions/<fn>. */
  const ruleOf = (s: Synth, fn: string) => {
    const found = ofType(s, 'AWS::Events::Rule').filter(([, r]) =>
      (r.Properties!.Targets as { Arn: unknown }[]).some((t) => refOf(t.Arn) === lambdaOf(s, fn)[0]),
    );
    expect(found).toHaveLength(1);
    return found[0]![1];
  };

  it('runs the reconciler at the configured rate (default every 5 minutes) and the webhook retrier every minute', () => {
    for (const [s, reconcile] of [
      [base, { expr: 'rate(5 minutes)', seconds: 300 }],
      [full, { expr: 'rate(15 minutes)', seconds: 900 }],
    ] as const) {
      for (const [fn, expr, seconds] of [
        ['reconciler', reconcile.expr, reconcile.seconds],
        ['webhook-retrier', 'rate(1 minute)', 60],
      ] as const) {
        const rule = ruleOf(s, fn);
        expect(rule.Properties!.ScheduleExpression).toBe(expr);
        expect(rule.Properties!.State).toBe('ENABLED');
        expect(rule.Properties!.Targets).toHaveLength(1);
        // A refused delivery is retried, but never once the next run is due.
        expect(rule.Properties!.Targets[0].RetryPolicy).toEqual({ MaximumRetryAttempts: 2, MaximumEventAgeInSeconds: seconds });
      }
      expect(ofType(s, 'AWS::Events::Rule')).toHaveLength(scheduledFunctions.length);
    }
    for (const fn of scheduledFunctions) {
      base.template.hasResourceProperties('AWS::Lambda::Permission', {
        Action: 'lambda:InvokeFunction',
        Principal: 'events.amazonaws.com',
        FunctionName: { 'Fn::GetAtt': [lambdaOf(base, fn)[0], 'Arn'] },
      });
    }
  });

  it('never retries a scheduled run asynchronously (a retry could overlap the next run)', () => {
    const configs = ofType(base, 'AWS::Lambda::EventInvokeConfig');
    expect(configs.map(([, c]) => refOf(c.Properties!.FunctionName)).sort()).toEqual(scheduledFunctions.map((fn) => lambdaOf(base, fn)[0]).sort());
    for (const [, c] of configs) expect(c.Properties!.MaximumRetryAttempts).toBe(0);
  });
});

describe('events: the stream, the bus, webhooks', () => {
  it('feeds the events function from the table\'s stream, oldest first, in batches, reporting the records that failed', () => {
    const [, mapping] = only(base, 'AWS::Lambda::EventSourceMapping');
    expect(refOf(mapping.Properties!.FunctionName)).toBe(lambdaOf(base, 'events')[0]);
    expect(mapping.Properties!.EventSourceArn).toEqual({ 'Fn::GetAtt': [only(base, 'AWS::DynamoDB::Table')[0], 'StreamArn'] });
    expect(mapping.Properties).toMatchObject({
      StartingPosition: 'TRIM_HORIZON',
      BatchSize: 100,
      MaximumBatchingWindowInSeconds: 1,
      FunctionResponseTypes: ['ReportBatchItemFailures'],
      BisectBatchOnFunctionError: true,
      ParallelizationFactor: 1,
    });
    // Retries are bounded by count and by age; the age is within the stream's 24 h.
    expect(mapping.Properties!.MaximumRetryAttempts).toBeGreaterThan(0);
    expect(mapping.Properties!.MaximumRetryAttempts).toBeLessThanOrEqual(10_000);
    expect(mapping.Properties!.MaximumRecordAgeInSeconds).toBeGreaterThanOrEqual(3_600);
    expect(mapping.Properties!.MaximumRecordAgeInSeconds).toBeLessThan(86_400);
    expect(streamFunctions).toEqual(['events']);
  });

  it('passes the events function only orders and the webhook endpoints inserted or modified: the filter of shared/store/stream-filter.ts', () => {
    const [, mapping] = only(base, 'AWS::Lambda::EventSourceMapping');
    const filters = mapping.Properties!.FilterCriteria.Filters as { Pattern: string }[];
    expect(filters).toHaveLength(1);
    expect(JSON.parse(filters[0]!.Pattern)).toEqual(EVENTS_STREAM_FILTER);
    // The pattern, as Lambda reads it, against stream records of each kind of item.
    const record = (eventName: string, pk: string) => ({ eventName, dynamodb: { Keys: { pk: { S: pk } } } });
    const passes = (r: unknown) => matchesStreamFilter(EVENTS_STREAM_FILTER, r);
    expect(passes(record('INSERT', orderKey('A-1')))).toBe(true);
    expect(passes(record('MODIFY', orderKey('A-1')))).toBe(true);
    expect(passes(record('REMOVE', orderKey('A-1')))).toBe(false);
    expect(passes(record('INSERT', eventKey('evt_1')))).toBe(false);
    expect(passes(record('MODIFY', eventKey('evt_1')))).toBe(false);
    // The ledger's rows (written by the events function itself) never come back to it.
    expect(passes(record('INSERT', ledgerKey('t-1')))).toBe(false);
    expect(passes(record('MODIFY', ledgerKey('t-1')))).toBe(false);
    // The webhook endpoints' item does (an endpoint disabled for failing is an event); the
    // deliveries, their pointers and the endpoints' health, written by the events functions, do not.
    expect(passes(record('MODIFY', ENDPOINTS_KEY))).toBe(true);
    expect(passes(record('INSERT', ENDPOINTS_KEY))).toBe(true);
    expect(passes(record('REMOVE', ENDPOINTS_KEY))).toBe(false);
    for (const pk of [deliveryKey('evt_1', 'we_a'), healthKey('we_a'), 'HOOKOPEN#evt_1#we_a', `${ENDPOINTS_KEY}X`]) expect({ pk, passes: passes(record('MODIFY', pk)) }).toEqual({ pk, passes: false });
    expect(passes({ eventName: 'INSERT', dynamodb: { Keys: { pk: { N: '1' } } } })).toBe(false);
    expect(passes({ eventName: 'INSERT' })).toBe(false);
    // The key prefix is the store's: an order's key passes, and what passes is an order item.
    expect(isOrderItem({ pk: orderKey('A-1') })).toBe(true);
    expect(isOrderItem({ pk: eventKey('evt_1') })).toBe(false);
    expect(isOrderItem({ pk: ledgerKey('t-1') })).toBe(false);
  });

  it('sends what the mapping gives up to an encrypted, TLS-only queue, and alarms while it holds messages', () => {
    const [queueId, queue] = only(base, 'AWS::SQS::Queue');
    const [, mapping] = only(base, 'AWS::Lambda::EventSourceMapping');
    expect(refOf(mapping.Properties!.DestinationConfig.OnFailure.Destination)).toBe(queueId);
    expect(queue.Properties!.SqsManagedSseEnabled).toBe(true);
    base.template.hasResourceProperties('AWS::SQS::QueuePolicy', {
      Queues: [{ Ref: queueId }],
      PolicyDocument: {
        Statement: Match.arrayWith([Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } })]),
      },
    });
    // The mapping is created once its role may read the stream and send to the queue (Lambda checks both).
    const json = base.template.toJSON() as { Resources: Record<string, { DependsOn?: string[] }> };
    const [mappingId] = only(base, 'AWS::Lambda::EventSourceMapping');
    const policyOfEvents = ofType(base, 'AWS::IAM::Policy').find(([, p]) =>
      (p.Properties!.Roles as unknown[]).some((r) => refOf(r) === refOf(lambdaOf(base, 'events')[1].Properties!.Role)),
    )![0];
    expect(json.Resources[mappingId]!.DependsOn).toEqual(expect.arrayContaining([policyOfEvents]));
  });

  it('creates the custom event bus toss-pay-<stage>', () => {
    expect(only(base, 'AWS::Events::EventBus')[1].Properties!.Name).toBe('toss-pay-dev');
    expect(only(full, 'AWS::Events::EventBus')[1].Properties!.Name).toBe('toss-pay-prod');
    // No bus policy: only roles of this account, given PutEvents, put events on it.
    expect(ofType(base, 'AWS::Events::EventBusPolicy')).toEqual([]);
  });

  it('serves the event log routes from the one events-api function, through one integration', () => {
    const eventRoutes = routes.filter((r) => r.fn === 'events-api');
    expect(eventRoutes.map(routeKey).sort()).toEqual(
      ['GET /events', 'GET /events/failed', 'GET /payments/{orderNo}/events', 'GET /events/{id}', 'POST /events/{id}/redeliver', 'POST /events/redeliver'].sort(),
    );
    const targets = ofType(base, 'AWS::ApiGatewayV2::Route')
      .filter(([, r]) => eventRoutes.some((e) => routeKey(e) === r.Properties!.RouteKey))
      .map(([, r]) => refOf((r.Properties!.Target['Fn::Join'][1] as unknown[])[1]));
    expect(targets).toHaveLength(eventRoutes.length);
    expect(new Set(targets).size).toBe(1);
    // Every route may invoke it.
    const permissions = ofType(base, 'AWS::Lambda::Permission').filter(
      ([, p]) => refOf(p.Properties!.FunctionName) === lambdaOf(base, 'events-api')[0],
    );
    expect(permissions).toHaveLength(eventRoutes.length);
  });
});

describe('alarms', () => {
  const topicId = () => only(base, 'AWS::SNS::Topic')[0];
  const alarms = (s: Synth) => ofType(s, 'AWS::CloudWatch::Alarm').map(([, a]) => a.Properties!);

  it('alarms on errors of every function, notifying the topic', () => {
    const errorAlarmOf = (fn: string) => {
      const fnId = lambdaOf(base, fn)[0];
      return alarms(base).find(
        (x) => x.MetricName === 'Errors' && refOf((x.Dimensions as { Value: unknown }[])[0]!.Value) === fnId,
      );
    };
    for (const fn of allFunctions()) {
      const a = errorAlarmOf(fn);
      expect(a).toMatchObject({
        Namespace: 'AWS/Lambda',
        Statistic: 'Sum',
        Threshold: 0,
        ComparisonOperator: 'GreaterThanThreshold',
        TreatMissingData: 'notBreaching',
      });
      expect(refOf(a!.AlarmActions[0])).toBe(topicId());
    }
  });

  it('alarms on reconciler failures, flagged orders, writes DynamoDB refused for good and security events from the service metrics', () => {
    for (const name of [MetricName.ReconcileErrors, MetricName.OrdersFlagged, MetricName.OrderWritesRejected, MetricName.SecurityEvents]) {
      const a = alarms(base).find((x) => x.MetricName === name);
      expect(a).toMatchObject({
        Namespace: METRICS_NAMESPACE,
        Dimensions: [{ Name: 'service', Value: SERVICE_NAME }],
        Statistic: 'Sum',
        Threshold: 0,
        ComparisonOperator: 'GreaterThanThreshold',
      });
      expect(refOf(a!.AlarmActions[0])).toBe(topicId());
    }
  });

  it('alarms within a minute on a write DynamoDB refused for good (OrderWritesRejected: the order is flagged, the change not recorded)', () => {
    for (const [s, stage] of [
      [base, 'dev'],
      [full, 'prod'],
    ] as const) {
      const rejected = alarms(s).filter((x) => x.MetricName === MetricName.OrderWritesRejected);
      expect(rejected).toHaveLength(1);
      expect(rejected[0]).toMatchObject({
        AlarmName: `toss-pay-${stage}-order-writes-rejected`,
        Namespace: METRICS_NAMESPACE,
        Dimensions: [{ Name: MetricDimension.Service, Value: SERVICE_NAME }],
        Statistic: 'Sum',
        Period: 60,
        Threshold: 0,
        ComparisonOperator: 'GreaterThanThreshold',
        TreatMissingData: 'notBreaching',
      });
      const topic = only(s, 'AWS::SNS::Topic')[0];
      expect(rejected[0]!.AlarmActions.map(refOf)).toEqual([topic]);
    }
  });

  it('alarms on errors nobody expected: the UnhandledErrors metric and the API stage\'s 5xx replies', () => {
    for (const [s, stage] of [
      [base, 'dev'],
      [full, 'prod'],
    ] as const) {
      const topic = only(s, 'AWS::SNS::Topic')[0];
      const unhandled = alarms(s).filter((x) => x.MetricName === MetricName.UnhandledErrors);
      expect(unhandled).toHaveLength(1);
      expect(unhandled[0]).toMatchObject({
        AlarmName: `toss-pay-${stage}-unhandled-errors`,
        Namespace: METRICS_NAMESPACE,
        Dimensions: [{ Name: MetricDimension.Service, Value: SERVICE_NAME }],
        Statistic: 'Sum',
        Period: 60,
        Threshold: 0,
        ComparisonOperator: 'GreaterThanThreshold',
        EvaluationPeriods: 1,
        TreatMissingData: 'notBreaching',
      });
      const [, stageResource] = only(s, 'AWS::ApiGatewayV2::Stage');
      const serverErrors = alarms(s).filter((x) => x.Namespace === 'AWS/ApiGateway');
      expect(serverErrors).toHaveLength(1);
      expect(serverErrors[0]).toMatchObject({
        AlarmName: `toss-pay-${stage}-api-5xx`,
        MetricName: '5xx',
        Dimensions: [
          { Name: 'ApiId', Value: { Ref: apiIdOf(s) } },
          { Name: 'Stage', Value: stageResource.Properties!.StageName },
        ],
        Statistic: 'Sum',
        Period: 60,
        Threshold: 0,
        ComparisonOperator: 'GreaterThanThreshold',
        EvaluationPeriods: 1,
        TreatMissingData: 'notBreaching',
      });
      for (const a of [...unhandled, ...serverErrors]) {
        expect(a.AlarmActions.map(refOf)).toEqual([topic]);
        expect(a.OKActions.map(refOf)).toEqual([topic]);
      }
    }
  });

  it('alarms on webhooks given up, on an endpoint disabled for failing, on stream records given up, and on the stream falling behind', () => {
    for (const [s, stage] of [
      [base, 'dev'],
      [full, 'prod'],
    ] as const) {
      const topic = only(s, 'AWS::SNS::Topic')[0];
      const named = (suffix: string) => {
        const found = alarms(s).filter((a) => a.AlarmName === `toss-pay-${stage}-${suffix}`);
        expect(found).toHaveLength(1);
        return found[0]!;
      };
      const common = { ComparisonOperator: 'GreaterThanThreshold', EvaluationPeriods: 1, TreatMissingData: 'notBreaching' };
      expect(named('webhook-failures')).toMatchObject({
        ...common,
        Namespace: METRICS_NAMESPACE,
        MetricName: MetricName.WebhookFailures,
        Dimensions: [{ Name: MetricDimension.Service, Value: SERVICE_NAME }],
        Statistic: 'Sum',
        Threshold: 0,
      });
      expect(named('webhook-endpoint-disabled')).toMatchObject({
        ...common,
        Namespace: METRICS_NAMESPACE,
        MetricName: MetricName.WebhookEndpointsDisabled,
        Dimensions: [{ Name: MetricDimension.Service, Value: SERVICE_NAME }],
        Statistic: 'Sum',
        Period: 300,
        Threshold: 0,
      });
      expect(named('events-stream-failures')).toMatchObject({
        ...common,
        Namespace: 'AWS/SQS',
        MetricName: 'ApproximateNumberOfMessagesVisible',
        Dimensions: [{ Name: 'QueueName', Value: { 'Fn::GetAtt': [only(s, 'AWS::SQS::Queue')[0], 'QueueName'] } }],
        Statistic: 'Maximum',
        Threshold: 0,
      });
      expect(named('events-iterator-age')).toMatchObject({
        ...common,
        Namespace: 'AWS/Lambda',
        MetricName: 'IteratorAge',
        Dimensions: [{ Name: 'FunctionName', Value: { Ref: lambdaOf(s, 'events')[0] } }],
        Statistic: 'Maximum',
        Period: 60,
        Threshold: 5 * 60 * 1000,
      });
      expect(ITERATOR_AGE_LIMIT.toMinutes()).toBe(5);
      for (const suffix of ['webhook-failures', 'webhook-endpoint-disabled', 'events-stream-failures', 'events-iterator-age']) {
        expect(named(suffix).AlarmActions.map(refOf)).toEqual([topic]);
      }
    }
  });

  it('has exactly these alarms, every one notifying the topic on alarm and on recovery', () => {
    for (const s of [base, full]) {
      const topic = only(s, 'AWS::SNS::Topic')[0];
      expect(alarms(s)).toHaveLength(allFunctions().length + 10);
      for (const a of alarms(s)) {
        expect(a.AlarmActions.map(refOf)).toEqual([topic]);
        expect(a.OKActions.map(refOf)).toEqual([topic]);
      }
    }
  });

  it('sends to an encrypted, TLS-only topic; e-mail only when configured', () => {
    const [, topic] = only(base, 'AWS::SNS::Topic');
    expect(refOf(topic.Properties!.KmsMasterKeyId)).toBe(only(base, 'AWS::KMS::Key')[0]);
    expect(only(base, 'AWS::KMS::Key')[1].Properties!.EnableKeyRotation).toBe(true);
    base.template.hasResourceProperties('AWS::SNS::TopicPolicy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
          Match.objectLike({ Effect: 'Allow', Principal: { Service: 'cloudwatch.amazonaws.com' }, Action: 'sns:Publish' }),
        ]),
      },
    });
    expect(ofType(base, 'AWS::SNS::Subscription')).toHaveLength(0);
    full.template.hasResourceProperties('AWS::SNS::Subscription', { Protocol: 'email', Endpoint: 'ops@example.com' });
  });
});

describe('dashboard', () => {
  interface GraphedMetric {
    readonly title: string;
    readonly namespace?: string;
    readonly name?: string;
    readonly dimensions?: Record<string, unknown>;
    readonly stat?: string;
    readonly expression?: string;
  }
  const bodyOf = (s: Synth) => dashboardBodyOf(only(s, 'AWS::CloudWatch::Dashboard')[1]);
  /** Every metric line of every graph: `[namespace, name, dim, value, ..., options]` or `[{ expression }]`. */
  const graphed = (s: Synth): GraphedMetric[] =>
    bodyOf(s)
      .widgets.filter((w: DashboardWidget) => w.type === 'metric')
      .flatMap((w) =>
        (w.properties.metrics ?? []).map((line): GraphedMetric => {
          const title = w.properties.title ?? '';
          const last = line.at(-1);
          const options = (typeof last === 'object' && last !== null ? last : {}) as { stat?: string; expression?: string };
          if (options.expression !== undefined) return { title, expression: options.expression };
          const [namespace, name, ...rest] = line.filter((x) => typeof x !== 'object') as string[];
          const dimensions: Record<string, unknown> = {};
          for (let i = 0; i + 1 < rest.length; i += 2) dimensions[rest[i]!] = rest[i + 1];
          return { title, namespace: namespace!, name: name!, dimensions, ...(options.stat !== undefined ? { stat: options.stat } : {}) };
        }),
      );

  it('is one dashboard named toss-pay-<stage>', () => {
    expect(only(base, 'AWS::CloudWatch::Dashboard')[1].Properties!.DashboardName).toBe('toss-pay-dev');
    expect(only(full, 'AWS::CloudWatch::Dashboard')[1].Properties!.DashboardName).toBe('toss-pay-prod');
  });

  it("shows the state of every alarm", () => {
    const widgets = bodyOf(base).widgets.filter((w) => w.type === 'alarm');
    expect(widgets).toHaveLength(1);
    const alarmIds = ofType(base, 'AWS::CloudWatch::Alarm').map(([id]) => `ref:${id}`);
    expect([...widgets[0]!.properties.alarms!].sort()).toEqual(alarmIds.sort());
  });

  it('graphs the service metrics: flagged orders, writes refused for good, security events, unhandled errors, the reconciler summary, events and webhooks', () => {
    const service = graphed(base).filter((m) => m.namespace === METRICS_NAMESPACE);
    const names = [
      MetricName.OrdersFlagged,
      MetricName.OrderWritesRejected,
      MetricName.SecurityEvents,
      MetricName.UnhandledErrors,
      MetricName.ReconcileExamined,
      MetricName.ReconcileChanged,
      MetricName.ReconcileUnchanged,
      MetricName.ReconcileErrors,
      MetricName.WebhooksDelivered,
      MetricName.WebhookFailures,
      MetricName.WebhookEndpointsDisabled,
      MetricName.EventsPublished,
    ];
    expect(service.map((m) => ({ name: m.name, dimensions: m.dimensions, stat: m.stat })).sort((a, b) => a.name!.localeCompare(b.name!))).toEqual(
      [...names].sort((a, b) => a.localeCompare(b)).map((name) => ({ name, dimensions: { [MetricDimension.Service]: SERVICE_NAME }, stat: 'Sum' })),
    );
  });

  it('graphs callbacks by outcome and Toss latency and errors by API, one line per dimension value', () => {
    const expressions = graphed(base).flatMap((m) => (m.expression !== undefined ? [m.expression] : []));
    const search = (name: string, dimension: string, stat: string) =>
      `SEARCH('{${METRICS_NAMESPACE},${MetricDimension.Service},${dimension}} MetricName="${name}" ` +
      `${MetricDimension.Service}="${SERVICE_NAME}"', '${stat}', 300)`;
    expect(expressions.sort()).toEqual(
      [
        search(MetricName.CallbackOutcome, MetricDimension.Outcome, 'Sum'),
        search(MetricName.TossLatency, MetricDimension.Api, 'p99'),
        search(MetricName.TossErrors, MetricDimension.Api, 'Sum'),
      ].sort(),
    );
  });

  it("graphs the API stage's requests, 4xx, 5xx and latency", () => {
    const stageName = only(base, 'AWS::ApiGatewayV2::Stage')[1].Properties!.StageName as string;
    const api = graphed(base).filter((m) => m.namespace === 'AWS/ApiGateway');
    expect(api.every((m) => JSON.stringify(m.dimensions) === JSON.stringify({ ApiId: `ref:${apiIdOf(base)}`, Stage: stageName }))).toBe(true);
    expect(new Set(api.map((m) => `${m.name} ${m.stat}`))).toEqual(
      new Set(['Count Sum', '4xx Sum', '5xx Sum', 'Latency p50', 'Latency p99', 'IntegrationLatency p99']),
    );
  });

  it("graphs the events function's iterator age (how far behind the table's stream it is)", () => {
    const lines = graphed(base).filter((m) => m.namespace === 'AWS/Lambda' && m.name === 'IteratorAge');
    expect(lines.map((m) => ({ fn: m.dimensions!.FunctionName, stat: m.stat }))).toEqual([
      { fn: `ref:${lambdaOf(base, 'events')[0]}`, stat: 'Maximum' },
    ]);
  });

  it('graphs errors, throttles and duration of every function', () => {
    const lambda = graphed(base).filter((m) => m.namespace === 'AWS/Lambda' && m.name !== 'IteratorAge');
    const functionIds = allFunctions().map((fn) => `ref:${lambdaOf(base, fn)[0]}`).sort();
    const byMetric = (lines: GraphedMetric[]) =>
      Object.fromEntries(
        ['Errors Sum', 'Throttles Sum', 'Duration p99'].map((k) => [
          k,
          lines.filter((m) => `${m.name} ${m.stat}` === k).map((m) => m.dimensions!.FunctionName).sort(),
        ]),
      );
    expect(byMetric(lambda)).toEqual({ 'Errors Sum': functionIds, 'Throttles Sum': functionIds, 'Duration p99': functionIds });
    expect(lambda).toHaveLength(3 * allFunctions().length);
  });

  it('graphs DynamoDB throttling of the table and each of its indexes, and throttled requests of every operation a function makes', () => {
    const tableRef = `ref:${only(base, 'AWS::DynamoDB::Table')[0]}`;
    const ddb = graphed(base).filter((m) => m.namespace === 'AWS/DynamoDB');
    expect(ddb.every((m) => m.dimensions!.TableName === tableRef && m.stat === 'Sum')).toBe(true);
    const events = ddb.filter((m) => m.name !== 'ThrottledRequests').map((m) => `${m.name} ${String(m.dimensions!.GlobalSecondaryIndexName ?? 'table')}`);
    expect(events.sort()).toEqual(
      [
        'ReadThrottleEvents table',
        'WriteThrottleEvents table',
        ...tableDefinition.globalSecondaryIndexes.map((g) => g.indexName).flatMap((index) => [`ReadThrottleEvents ${index}`, `WriteThrottleEvents ${index}`]),
      ].sort(),
    );
    const operations = ddb.filter((m) => m.name === 'ThrottledRequests').map((m) => m.dimensions!.Operation);
    expect(operations.sort()).toEqual([...new Set(allFunctions().flatMap((fn) => functionAccess(fn).dynamodb))].sort());
  });
});

describe("the console's user pool", () => {
  const envOf = (s: Synth, fn: string): Record<string, unknown> => (lambdaOf(s, fn)[1].Properties!.Environment?.Variables ?? {}) as Record<string, unknown>;
  it('lets only an admin add users, to the groups viewer, operator and admin; a password policy, MFA (TOTP) available, threat protection', () => {
    const [, pool] = only(base, 'AWS::Cognito::UserPool');
    expect(pool.Properties).toMatchObject({
      AdminCreateUserConfig: { AllowAdminCreateUserOnly: true },
      UsernameAttributes: ['email'],
      MfaConfiguration: 'OPTIONAL',
      EnabledMfas: ['SOFTWARE_TOKEN_MFA'],
      Policies: { PasswordPolicy: { MinimumLength: 12, RequireLowercase: true, RequireUppercase: true, RequireNumbers: true, RequireSymbols: true, TemporaryPasswordValidityDays: 3 } },
      UserPoolTier: 'PLUS',
      UserPoolAddOns: { AdvancedSecurityMode: 'ENFORCED' },
      DeletionProtection: 'ACTIVE',
    });
    expect(pool.DeletionPolicy).toBe('Retain');
    expect(ofType(base, 'AWS::Cognito::UserPoolGroup').map(([, g]) => g.Properties!.GroupName).sort()).toEqual(['admin', 'operator', 'viewer']);
    // A region without threat protection: the Essentials plan (acknowledged in cdk-nag).
    expect(only(full, 'AWS::Cognito::UserPool')[1].Properties).toMatchObject({ UserPoolTier: 'ESSENTIALS' });
    expect(only(full, 'AWS::Cognito::UserPool')[1].Properties!.UserPoolAddOns).toBeUndefined();
  });

  it("has one app client for the console's browser code: no secret, the password flow and refresh, short tokens, revocation, no OAuth", () => {
    const [, client] = only(base, 'AWS::Cognito::UserPoolClient');
    expect(client.Properties).toMatchObject({
      GenerateSecret: false,
      ExplicitAuthFlows: expect.arrayContaining(['ALLOW_USER_PASSWORD_AUTH', 'ALLOW_USER_SRP_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH']),
      AccessTokenValidity: 15,
      IdTokenValidity: 15,
      RefreshTokenValidity: 480,
      TokenValidityUnits: { AccessToken: 'minutes', IdToken: 'minutes', RefreshToken: 'minutes' },
      EnableTokenRevocation: true,
      PreventUserExistenceErrors: 'ENABLED',
    });
    expect(client.Properties!.AllowedOAuthFlows).toBeUndefined();
    // The authorizer verifies this pool's tokens for this client; the console's page names both.
    expect(refOf(envOf(base, 'authorizer').COGNITO_CLIENT_ID)).toBe(only(base, 'AWS::Cognito::UserPoolClient')[0]);
    expect(envOf(base, 'console').COGNITO_ENDPOINT).toEqual({ 'Fn::Join': ['', ['https://cognito-idp.', { Ref: 'AWS::Region' }, '.amazonaws.com/']] });
  });
});

describe('outputs and acknowledgements', () => {
  it('outputs the URLs to register, the secret ARNs, the table, the topic, the event bus and the stream failures queue', () => {
    const apiId = apiIdOf(base);
    expect(base.outputs.ConsoleUrl!.Value).toEqual({ 'Fn::Join': ['', [{ 'Fn::GetAtt': [apiId, 'ApiEndpoint'] }, '/console']] });
    expect(Object.keys(base.outputs).sort()).toEqual(
      [
        'AlarmTopicArn',
        'ApiUrl',
        'CallbackUrl',
        'CancelUrl',
        'ConsoleClientId',
        'ConsoleUrl',
        'ConsoleUserPoolId',
        'EventBusArn',
        'EventBusName',
        'EventsStreamFailuresQueueUrl',
        'MerchantTokensSecretArn',
        'ReturnUrl',
        'TableName',
        'TossApiKeySecretArn',
        'WebhookSecretArn',
      ].sort(),
    );
    const busId = only(base, 'AWS::Events::EventBus')[0];
    expect(base.outputs.EventBusName!.Value).toEqual({ Ref: busId });
    expect(base.outputs.EventBusArn!.Value).toEqual({ 'Fn::GetAtt': [busId, 'Arn'] });
    expect(refOf(base.outputs.WebhookSecretArn!.Value)).toBe(
      ofType(base, 'AWS::SecretsManager::Secret').find(([, x]) => String(x.Properties!.Description).includes('Webhook signing secret'))![0],
    );
    expect(base.outputs.EventsStreamFailuresQueueUrl!.Value).toEqual({ Ref: only(base, 'AWS::SQS::Queue')[0] });
    expect(base.outputs.ApiUrl!.Value).toEqual({ 'Fn::GetAtt': [apiId, 'ApiEndpoint'] });
    expect(base.outputs.CallbackUrl!.Value).toEqual({
      'Fn::Join': ['', [{ 'Fn::GetAtt': [apiId, 'ApiEndpoint'] }, '/payments/callback']],
    });
    expect(base.outputs.ReturnUrl!.Value).toEqual({
      'Fn::Join': ['', [{ 'Fn::GetAtt': [apiId, 'ApiEndpoint'] }, '/payments/return']],
    });
  });

  it('states a reason for every cdk-nag acknowledgement', () => {
    const acks: { id: string; reason: string }[] = [];
    for (const c of base.stack.node.findAll()) {
      for (const m of c.node.metadata) {
        if (m.type === 'aws:cdk:acknowledged-rules') {
          for (const [id, reason] of Object.entries(m.data as Record<string, string>)) acks.push({ id, reason });
        }
      }
    }
    expect(acks.map((a) => a.id.replace(/^annotation::/i, '')).sort()).toEqual(
      [
        ...routes.filter((r) => r.auth === 'public').map(() => 'AwsSolutions-APIG4'),
        // One per secret: none rotates automatically.
        'AwsSolutions-SMG4',
        'AwsSolutions-SMG4',
        'AwsSolutions-SMG4',
        // The stream's on-failure queue is itself a dead-letter queue.
        'AwsSolutions-SQS3',
        // The console's user pool: MFA available, not required.
        'AwsSolutions-COG2',
        // One per function: active tracing's X-Ray actions take no resource.
        ...allFunctions().map(() => 'AwsSolutions-IAM5[Resource::*]'),
      ].sort(),
    );
    expect(acks.filter((a) => a.reason.length < 150)).toEqual([]);
  });
});

describe('GET /docs (functions/api-docs)', () => {
  it('is a public route of its own function, which reads nothing: no variable, no table, no secret, only its log group and its traces', () => {
    const docsRoutes = routes.filter((r) => r.fn === 'api-docs');
    expect(docsRoutes.map((r) => `${routeKey(r)} ${r.auth}`)).toEqual(['GET /docs public', 'GET /docs/{asset} public']);
    const fn = lambdaOf(base, 'api-docs')[1];
    expect(fn.Properties!.MemorySize).toBe(128);
    expect(fn.Properties!.Environment).toBeUndefined();
    const { statements } = statementsOf(base, 'api-docs');
    // Active tracing, as every function: X-Ray's two actions, which take no resource.
    expect(statements.flatMap(actionsOf).sort()).toEqual(['logs:CreateLogStream', 'logs:PutLogEvents', 'xray:PutTelemetryRecords', 'xray:PutTraceSegments']);
  });
});
