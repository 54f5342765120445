/**
 * The authorizer: an API Gateway HTTP API Lambda authorizer (payload 2.0, simple responses),
 * identity source `$request.header.Authorization`. It accepts `Bearer <token>` when the token is
 *  - one of the configured merchant tokens: MERCHANT_TOKENS locally, or the Secrets Manager secret
 *    MERCHANT_TOKENS_SECRET_ARN names when deployed (same comma-separated format, cached 60 s so a
 *    rotated token takes effect within a minute); or
 *  - a console user's token from the user pool (./users.ts), when one is configured.
 * The context names the principal (shared/http/principal.ts): `merchant:<8 hex of the token's
 * SHA-256>`, or `user:<sub>` with the role and email. What the principal may do is decided per
 * route in the HTTP chain (shared/http/route-permission.ts), not here: API Gateway caches this
 * answer per Authorization header for every route alike. Nothing here logs a token.
 * The local gateway runs this same handler.
 */
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import type { APIGatewayRequestAuthorizerEventV2, Context } from 'aws-lambda';
import { authorizerContainer } from '../../shared/authorizer-container.ts';
import { authorizerContextOf, MERCHANT_PREFIX, type AuthorizerContext } from '../../shared/http/principal.ts';
import { getSecret } from '../../shared/secrets.ts';
import { parseBearer, splitTokens, tokenSet, type TokenSet } from './tokens.ts';
import { looksLikeJwt, userVerifier } from './users.ts';

export type AuthorizerResult = { isAuthorized: true; context: AuthorizerContext } | { isAuthorized: false };

// Built once per cold start: a missing or invalid variable fails the init, naming it.
const { config, logger } = authorizerContainer();
const users = userVerifier(config);

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
  const refuse = (message: string, reason: string): AuthorizerResult => {
    logger.warn(message, { reason, routeKey: event.routeKey, sourceIp: event.requestContext.http.sourceIp });
    return { isAuthorized: false };
  };
  if (token === undefined) return refuse('merchant request refused', 'not a Bearer token');
  const tokens = await acceptedTokens();
  if (tokens.size === 0) logger.error('no merchant tokens are configured');
  const id = tokens.match(token);
  if (id !== undefined) {
    logger.debug('merchant request authorized', { merchantTokenId: id, routeKey: event.routeKey });
    return { isAuthorized: true, context: authorizerContextOf({ kind: 'merchant', id: `${MERCHANT_PREFIX}${id}` }) };
  }
  if (users === undefined || !looksLikeJwt(token)) return refuse('merchant request refused', 'unknown token');
  const r = await users.check(token);
  if (!r.ok) return refuse('user request refused', r.reason);
  logger.debug('user request authorized', { principal: r.principal.id, routeKey: event.routeKey });
  return { isAuthorized: true, context: authorizerContextOf(r.principal) };
}

export const handler = middy<APIGatewayRequestAuthorizerEventV2, AuthorizerResult, Error, Context>()
  .use(injectLambdaContext(logger))
  .handler(authorize);
