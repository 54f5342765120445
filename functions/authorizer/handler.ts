/**
 * Merchant authorizer: an API Gateway HTTP API Lambda authorizer (payload 2.0, simple
 * responses), identity source `$request.header.Authorization`. Accepts `Bearer <token>` when the
 * token is one of the configured merchant tokens: MERCHANT_TOKENS locally, or the Secrets
 * Manager secret MERCHANT_TOKENS_SECRET_ARN names when deployed (same comma-separated format,
 * cached 60 s so a rotated token takes effect within a minute). On success the context carries
 * `merchantTokenId` (8 hex chars of the token's SHA-256), never the token; nothing here logs a
 * token. The local gateway runs this same handler.
 */
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import type { APIGatewayRequestAuthorizerEventV2, Context } from 'aws-lambda';
import { authorizerContainer } from '../../shared/authorizer-container.ts';
import { getSecret } from '../../shared/secrets.ts';
import { parseBearer, splitTokens, tokenSet, type TokenSet } from './tokens.ts';

export interface MerchantAuthorizerContext {
  merchantTokenId: string;
}

export type AuthorizerResult = { isAuthorized: true; context: MerchantAuthorizerContext } | { isAuthorized: false };

// Built once per cold start: a missing or invalid variable fails the init, naming it.
const { config, logger, tracer } = authorizerContainer();

const SECRET_MAX_AGE_SECONDS = 60;

let localTokens: TokenSet | undefined;
let secretTokens: { value: string; set: TokenSet } | undefined;

/** The accepted tokens: the secret (when configured) wins over MERCHANT_TOKENS. */
async function acceptedTokens(): Promise<TokenSet> {
  if (config.MERCHANT_TOKENS_SECRET_ARN !== undefined) {
    const value = await getSecret(config.MERCHANT_TOKENS_SECRET_ARN, { maxAge: SECRET_MAX_AGE_SECONDS });
    if (typeof value !== 'string') throw new Error('the merchant tokens secret has no string value');
    if (secretTokens?.value !== value) secretTokens = { value, set: tokenSet(splitTokens(value)) };
    return secretTokens.set;
  }
  return (localTokens ??= tokenSet(config.MERCHANT_TOKENS ?? []));
}

async function authorize(event: APIGatewayRequestAuthorizerEventV2): Promise<AuthorizerResult> {
  const header = event.headers?.authorization ?? event.identitySource?.[0];
  const token = parseBearer(header);
  if (token === undefined) {
    logger.warn('merchant request refused', { reason: 'not a Bearer token', routeKey: event.routeKey });
    return { isAuthorized: false };
  }
  const tokens = await acceptedTokens();
  if (tokens.size === 0) logger.error('no merchant tokens are configured');
  const id = tokens.match(token);
  if (id === undefined) {
    logger.warn('merchant request refused', {
      reason: 'unknown token',
      routeKey: event.routeKey,
      sourceIp: event.requestContext.http.sourceIp,
    });
    return { isAuthorized: false };
  }
  logger.debug('merchant request authorized', { merchantTokenId: id, routeKey: event.routeKey });
  return { isAuthorized: true, context: { merchantTokenId: id } };
}

const chain = middy<APIGatewayRequestAuthorizerEventV2, AuthorizerResult, Error, Context>();
if (tracer.on) chain.use(tracer.middleware());
export const handler = chain.use(injectLambdaContext(logger)).handler(authorize);
