/**
 * Who made a request, from the context the authorizer (functions/authorizer) gave API Gateway,
 * which passes it to the function as `requestContext.authorizer.lambda` (the local gateway does
 * the same). Context values are strings, as simple responses carry them:
 *   a merchant token   { principal: 'merchant:<token id>', merchantTokenId }
 *   a console user     { principal: 'user:<sub>', role: 'viewer' | 'operator' | 'admin', email? }
 * A context with a merchantTokenId alone (the authorizer before console users, still cached for up
 * to its TTL during a deployment) is that merchant token.
 */
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import type { Actor } from '../domain/order.ts';
import { ROLES, type Principal, type Role } from '../roles.ts';

/** The context the authorizer returns (and functions receive). */
export type AuthorizerContext =
  | { principal: string; merchantTokenId: string }
  | { principal: string; role: Role; email?: string };

export type { Actor };

export const MERCHANT_PREFIX = 'merchant:';
export const USER_PREFIX = 'user:';

const str = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined);

/** The context the authorizer gives for `p`. */
export function authorizerContextOf(p: Principal): AuthorizerContext {
  if (p.kind === 'merchant') return { principal: p.id, merchantTokenId: p.id.slice(MERCHANT_PREFIX.length) };
  return { principal: p.id, role: p.role, ...(p.email !== undefined ? { email: p.email } : {}) };
}

/** The principal of a request; undefined when its context names none (a route without the authorizer). */
export function principalOf(event: Pick<APIGatewayProxyEventV2, 'requestContext'>): Principal | undefined {
  const ctx = (event.requestContext as { authorizer?: { lambda?: Record<string, unknown> } }).authorizer?.lambda;
  if (ctx === undefined || ctx === null) return undefined;
  const principal = str(ctx.principal);
  const tokenId = str(ctx.merchantTokenId);
  if (principal === undefined) return tokenId !== undefined ? { kind: 'merchant', id: `${MERCHANT_PREFIX}${tokenId}` } : undefined;
  if (principal.startsWith(MERCHANT_PREFIX)) return { kind: 'merchant', id: principal };
  const role = str(ctx.role);
  if (!principal.startsWith(USER_PREFIX) || role === undefined || !(ROLES as readonly string[]).includes(role)) return undefined;
  return { kind: 'user', id: principal, email: str(ctx.email), role: role as Role };
}

/** The actor a change made by `p` records. */
export const actorOf = (p: Principal): Actor => (p.kind === 'user' && p.email !== undefined ? { id: p.id, email: p.email } : { id: p.id });

/** The actor of a request the route check let through (shared/http/route-permission.ts). */
export function actorOfRequest(event: Pick<APIGatewayProxyEventV2, 'requestContext'>): Actor {
  const p = principalOf(event);
  if (p === undefined) throw new Error('a request without a principal reached a handler that records its actor');
  return actorOf(p);
}
