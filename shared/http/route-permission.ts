/**
 * The one check of what a caller may do, in the HTTP chain of every function (shared/http/chain.ts):
 * the route's permission (shared/routes.ts) against the principal the authorizer put in the
 * request's context (./principal.ts, shared/roles.ts). Merchant tokens hold every permission;
 * a console user holds their role's. A refusal is 403 FORBIDDEN_ROLE before the handler runs (so
 * nothing is read or written), logged as a security event and counted (SecurityEvents).
 *
 * Fails closed: an authorized route whose request carries no principal, or a route key the table
 * does not have, is refused the same way. The authorizer cannot decide this itself: API Gateway
 * caches its answer per Authorization header, for every route alike.
 */
import type middy from '@middy/core';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { MetricName } from '../metrics.ts';
import type { PaymentLogger } from '../payments/ports.ts';
import { allows, type Principal } from '../roles.ts';
import { routeByKey } from '../routes.ts';
import { ERROR_STATUS } from './error-codes.ts';
import { principalOf } from './principal.ts';
import { RequestError } from './request-errors.ts';

export class ForbiddenRoleError extends RequestError {
  override name = 'ForbiddenRoleError';
  readonly status = ERROR_STATUS.FORBIDDEN_ROLE;
  readonly code = 'FORBIDDEN_ROLE';
}

/** Who may call the route of `event`: undefined when allowed, else why not. */
export function refusal(event: Pick<APIGatewayProxyEventV2, 'routeKey' | 'requestContext'>): { reason: string; principal?: Principal } | undefined {
  const route = routeByKey.get(event.routeKey);
  if (route === undefined) return { reason: 'UNKNOWN_ROUTE' };
  if (route.auth === 'public') return undefined;
  const principal = principalOf(event);
  if (principal === undefined) return { reason: 'NO_PRINCIPAL' };
  return allows(principal, route.permission) ? undefined : { reason: 'ROLE', principal };
}

export function routePermission(o: { logger: PaymentLogger; count: (name: string) => void }): middy.MiddlewareObj<APIGatewayProxyEventV2> {
  return {
    before: (request) => {
      const r = refusal(request.event);
      if (r === undefined) return;
      const p = r.principal;
      o.logger.warn('security event', {
        securityEvent: 'FORBIDDEN_ROLE',
        reason: r.reason,
        routeKey: request.event.routeKey,
        ...(p !== undefined ? { principal: p.id, ...(p.kind === 'user' ? { role: p.role } : {}) } : {}),
      });
      o.count(MetricName.SecurityEvents);
      throw new ForbiddenRoleError(
        r.reason === 'ROLE' && p?.kind === 'user' ? `the ${p.role} role may not call ${request.event.routeKey}` : 'this caller may not call this route',
      );
    },
  };
}
