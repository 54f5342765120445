/**
 * The HTTP API: the `$default` stage with its throttling and JSON access log, the routes of
 * shared/routes.ts (each integrated with its function), the merchant authorizer in front of the
 * merchant routes, the public routes' own throttling, and the optional custom domain.
 */
import { Duration, RemovalPolicy, Validations } from 'aws-cdk-lib';
import { AccessLogFormat } from 'aws-cdk-lib/aws-apigateway';
import { HttpApi, HttpMethod, HttpNoneAuthorizer, HttpStage, LogGroupLogDestination } from 'aws-cdk-lib/aws-apigatewayv2';
import type { CfnRoute, CfnStage, IHttpRouteAuthorizer } from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpLambdaAuthorizer, HttpLambdaResponseType } from 'aws-cdk-lib/aws-apigatewayv2-authorizers';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { LogGroup } from 'aws-cdk-lib/aws-logs';
import type { RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { routeKey, routes, type Route } from '../../shared/routes.ts';
import type { StackConfig } from '../config.ts';
import { pascal } from '../names.ts';
import { ApiDomain } from './api-domain.ts';

/**
 * Authorizer decisions are cached per Authorization header for this long: the authorizer then
 * runs once per merchant token per minute instead of on every request, and a revoked token stops
 * working at most this long after the tokens secret is updated.
 */
export const AUTHORIZER_CACHE_TTL = Duration.seconds(60);

/** One JSON line per request. No headers (Authorization) and no query strings are logged. */
const ACCESS_LOG_FORMAT = AccessLogFormat.custom(
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

/** Why a public route has no authorizer (cdk-nag AwsSolutions-APIG4). */
function publicRouteReason(route: Route): string {
  if (route.fn === 'console')
    return `${route.method} ${route.path} is the operator console's page and files, built into its function: they hold no data. ` +
      "People sign in with the stack's Cognito user pool in the page, and every API call it makes carries their token, checked by the " +
      'authorizer and, per route, against their role.';
  if (route.fn === 'api-docs')
    return `${route.method} ${route.path} renders the API's description for people (Swagger UI, its files built into its function): ` +
      'it holds no data, reads nothing, and calls the API only with the token a reader types into it.';
  if (route.fn === 'openapi')
    return `${route.method} ${route.path} is the API's description (docs/openapi.json, built into its function): it holds no data and ` +
      'takes no input, and merchants and their tools read it without a credential.';
  return (
    `${route.method} ${route.path} is reached by parties that cannot hold a merchant credential: the buyer's ` +
    "browser (Toss redirects it to the return/cancel landings) or Toss's servers (resultCallback). The handler " +
    'trusts nothing in the request: it confirms every payment with the Toss status API using the secret apiKey ' +
    'and checks orderNo, payToken and amount against the stored order; callbacks are also restricted to ' +
    "Toss's published source addresses when callbackIpAllowlist is on."
  );
}

export interface PaymentsHttpApiProps {
  readonly config: StackConfig;
}

export class PaymentsHttpApi extends Construct {
  readonly api: HttpApi;
  readonly stage: HttpStage;
  readonly accessLogs: LogGroup;
  /**
   * Base URL of the API (PUBLIC_BASE_URL): `https://<domainName>` with a custom domain, else the
   * execute-api URL. The functions build every URL they give Toss and buyers from it.
   */
  readonly url: string;
  /** The API's own execute-api URL; served with or without a custom domain. */
  readonly executeApiUrl: string;
  /** The custom domain, when `domainName` and `certificateArn` are configured. */
  readonly domain: ApiDomain | undefined;
  private readonly config: StackConfig;

  constructor(scope: Construct, id: string, { config }: PaymentsHttpApiProps) {
    super(scope, id);
    this.config = config;
    // `Default`: the API, its routes, integrations and authorizer keep the logical ids they were
    // deployed with. A new API would have a new URL, the one Toss and the merchant call.
    this.api = new HttpApi(this, 'Default', {
      apiName: `toss-pay-${config.stage}`,
      description: `Toss Pay integration (${config.stage})`,
      createDefaultStage: false,
    });
    this.executeApiUrl = this.api.apiEndpoint;
    this.accessLogs = new LogGroup(this, 'AccessLogs', {
      retention: config.logRetentionDays as RetentionDays,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    // The stage default throttles every route; the public routes get their own, lower limits
    // (route settings, set by addRoutes).
    this.stage = new HttpStage(this, 'Stage', {
      httpApi: this.api,
      stageName: '$default',
      autoDeploy: true,
      throttle: { rateLimit: config.throttleRateLimit, burstLimit: config.throttleBurstLimit },
      accessLogSettings: { destination: new LogGroupLogDestination(this.accessLogs), format: ACCESS_LOG_FORMAT },
    });
    // The execute-api URL stays served with a custom domain: payments created before the domain
    // was added still return and call back there.
    this.domain =
      config.domainName !== undefined && config.certificateArn !== undefined
        ? new ApiDomain(this, 'Domain', {
            api: this.api,
            stage: this.stage,
            domainName: config.domainName,
            certificateArn: config.certificateArn,
            hostedZoneId: config.hostedZoneId,
          })
        : undefined;
    this.url = this.domain?.url ?? this.executeApiUrl;
  }

  /**
   * Adds every route of shared/routes.ts, served by `functionOf(route.fn)`; merchant routes are
   * authorized by `authorizer`. Call once, with every function created.
   */
  addRoutes(functionOf: (fn: string) => IFunction, authorizer: IFunction): void {
    const merchantAuthorizer = new HttpLambdaAuthorizer('MerchantAuthorizer', authorizer, {
      authorizerName: 'merchant-bearer-token',
      responseTypes: [HttpLambdaResponseType.SIMPLE],
      identitySource: ['$request.header.Authorization'],
      resultsCacheTtl: AUTHORIZER_CACHE_TTL,
    });
    const publicAccess = new HttpNoneAuthorizer();
    const integrations = new Map<string, HttpLambdaIntegration>();
    const cfnStage = this.stage.node.defaultChild as CfnStage;
    for (const route of routes) {
      let integration = integrations.get(route.fn);
      if (integration === undefined) {
        integration = new HttpLambdaIntegration(`${pascal(route.fn)}Integration`, functionOf(route.fn));
        integrations.set(route.fn, integration);
      }
      const authorizer: IHttpRouteAuthorizer = route.auth === 'merchant' ? merchantAuthorizer : publicAccess;
      const [created] = this.api.addRoutes({ path: route.path, methods: [HttpMethod[route.method]], integration, authorizer });
      if (route.auth !== 'public' || created === undefined) continue;
      Validations.of(created).acknowledge({ id: 'AwsSolutions-APIG4', reason: publicRouteReason(route) });
      // CloudFormation refuses route settings for a route key that does not exist yet, so the
      // stage waits for the public routes (their AWS::ApiGatewayV2::Route only).
      cfnStage.addResourceDependency(created.node.defaultChild as CfnRoute);
    }
    // Per-route throttling of the public routes (buyers' landings, Toss's callback), so that a flood
    // of them is refused on their own limits. HttpStage has no property for route settings: they
    // are set on its CfnStage.
    cfnStage.routeSettings = Object.fromEntries(
      routes
        .filter((r) => r.auth === 'public')
        .map((r) => [
          routeKey(r),
          {
            ThrottlingRateLimit: this.config.publicThrottleRateLimit,
            ThrottlingBurstLimit: this.config.publicThrottleBurstLimit,
          },
        ]),
    );
  }
}
