/**
 * Who may call what: the permission table (shared/roles.ts), the principal read from the
 * authorizer's context (shared/http/principal.ts) and the one check in the HTTP chain
 * (shared/http/route-permission.ts): every authorized route names a permission, merchants may do
 * everything, a role only its own, and a refusal happens before the handler, as 403 FORBIDDEN_ROLE,
 * logged as a security event and counted.
 */
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import middy from '@middy/core';
import { describe, expect, it } from 'vitest';
import { errorReplies } from '../../shared/http/error-replies.ts';
import { actorOf, authorizerContextOf, principalOf } from '../../shared/http/principal.ts';
import { refusal, routePermission } from '../../shared/http/route-permission.ts';
import { MetricName } from '../../shared/metrics.ts';
import { allows, PERMISSIONS, ROLE_PERMISSIONS, roleOfGroups, type Principal } from '../../shared/roles.ts';
import { routes, type Route } from '../../shared/routes.ts';

const viewer: Principal = { kind: 'user', id: 'user:v-1', email: 'v@example.com', role: 'viewer' };
const operator: Principal = { kind: 'user', id: 'user:o-1', role: 'operator' };
const admin: Principal = { kind: 'user', id: 'user:a-1', role: 'admin' };
const merchant: Principal = { kind: 'merchant', id: 'merchant:0123abcd' };

const eventOf = (routeKey: string, lambda?: Record<string, unknown>): APIGatewayProxyEventV2 =>
  ({
    version: '2.0',
    routeKey,
    rawPath: '/',
    rawQueryString: '',
    headers: {},
    isBase64Encoded: false,
    requestContext: { routeKey, requestId: 'r', http: { method: 'GET', path: '/', protocol: 'HTTP/1.1', sourceIp: '127.0.0.1', userAgent: 't' }, ...(lambda !== undefined ? { authorizer: { lambda } } : {}) },
  }) as unknown as APIGatewayProxyEventV2;

describe('the permission table', () => {
  it('viewers read; operators also refund, cancel and redeliver; admins also manage webhooks; nobody but a merchant creates payments', () => {
    expect(ROLE_PERMISSIONS.viewer).toEqual(['payments:read', 'events:read']);
    expect([...ROLE_PERMISSIONS.operator].sort()).toEqual(['events:read', 'events:redeliver', 'payments:cancel', 'payments:read', 'payments:refund']);
    expect(ROLE_PERMISSIONS.admin).toContain('webhooks:manage');
    for (const p of PERMISSIONS) expect(allows(merchant, p)).toBe(true);
    for (const role of [viewer, operator, admin]) expect(allows(role, 'payments:create')).toBe(false);
    expect(allows(viewer, 'payments:refund')).toBe(false);
    expect(allows(operator, 'payments:refund')).toBe(true);
    expect(allows(operator, 'webhooks:manage')).toBe(false);
    expect(allows(admin, 'webhooks:manage')).toBe(true);
  });

  it('every authorized route names a permission; the refund, cancel and redelivery routes need more than reading', () => {
    const authorized = (routes as readonly Route[]).flatMap((r) => (r.auth === 'merchant' ? [r] : []));
    expect(authorized.filter((r) => !(PERMISSIONS as readonly string[]).includes(r.permission))).toEqual([]);
    const need = (key: string) => (routes as readonly Route[]).find((r) => `${r.method} ${r.path}` === key)?.permission;
    expect(need('POST /payments/{orderNo}/refunds')).toBe('payments:refund');
    expect(need('POST /payments/{orderNo}/cancel')).toBe('payments:cancel');
    expect(need('POST /events/{id}/redeliver')).toBe('events:redeliver');
    expect(need('POST /events/redeliver')).toBe('events:redeliver');
    expect(need('POST /payments')).toBe('payments:create');
  });

  it('a role is the strongest console group; other groups are no role', () => {
    expect(roleOfGroups(['viewer', 'admin', 'operator'])).toBe('admin');
    expect(roleOfGroups(['operator', 'viewer'])).toBe('operator');
    expect(roleOfGroups(['staff', 'Admin'])).toBeUndefined();
    expect(roleOfGroups([])).toBeUndefined();
  });
});

describe('the principal of a request', () => {
  it('round-trips through the authorizer context, and an older context of a merchant token reads as that merchant', () => {
    for (const p of [viewer, operator, admin, merchant]) expect(principalOf(eventOf('GET /payments', authorizerContextOf(p)))).toEqual(p);
    expect(principalOf(eventOf('GET /payments', { merchantTokenId: '0123abcd' }))).toEqual(merchant);
    expect(actorOf(viewer)).toEqual({ id: 'user:v-1', email: 'v@example.com' });
    expect(actorOf(merchant)).toEqual({ id: 'merchant:0123abcd' });
  });

  it('a context that names no known role or prefix is no principal', () => {
    expect(principalOf(eventOf('GET /payments'))).toBeUndefined();
    expect(principalOf(eventOf('GET /payments', { principal: 'user:x', role: 'root' }))).toBeUndefined();
    expect(principalOf(eventOf('GET /payments', { principal: 'someone', role: 'admin' }))).toBeUndefined();
  });
});

describe('the route check', () => {
  it('refuses what a role may not do, a missing principal and an unknown route; lets public routes through', () => {
    expect(refusal(eventOf('POST /payments/{orderNo}/refunds', authorizerContextOf(viewer)))).toMatchObject({ reason: 'ROLE' });
    expect(refusal(eventOf('POST /payments/{orderNo}/refunds', authorizerContextOf(operator)))).toBeUndefined();
    expect(refusal(eventOf('POST /payments', authorizerContextOf(admin)))).toMatchObject({ reason: 'ROLE' });
    expect(refusal(eventOf('GET /payments/{orderNo}', authorizerContextOf(viewer)))).toBeUndefined();
    expect(refusal(eventOf('GET /payments/{orderNo}'))).toEqual({ reason: 'NO_PRINCIPAL' });
    expect(refusal(eventOf('GET /nope', authorizerContextOf(merchant)))).toEqual({ reason: 'UNKNOWN_ROUTE' });
    expect(refusal(eventOf('GET /payments/return'))).toBeUndefined();
  });

  it('answers 403 FORBIDDEN_ROLE before the handler runs, logs a security event and counts it', async () => {
    const logged: Array<[string, unknown]> = [];
    const counted: string[] = [];
    const logger = {
      info: () => undefined,
      debug: () => undefined,
      error: () => undefined,
      warn: (m: string, ...f: unknown[]) => void logged.push([m, f[0]]),
    };
    let ran = false;
    const handler = middy<APIGatewayProxyEventV2, unknown>(async () => {
      ran = true;
      return { statusCode: 201 };
    })
      .use(errorReplies({ logger, count: (n) => void counted.push(n) }))
      .use(routePermission({ logger, count: (n) => void counted.push(n) }));
    const r = (await handler(eventOf('POST /payments/{orderNo}/refunds', authorizerContextOf(viewer)), {} as never)) as { statusCode: number; body: string };
    expect(ran).toBe(false);
    expect(r.statusCode).toBe(403);
    expect(JSON.parse(r.body)).toEqual({ error: { code: 'FORBIDDEN_ROLE', message: 'the viewer role may not call POST /payments/{orderNo}/refunds' } });
    expect(logged).toEqual([['security event', { securityEvent: 'FORBIDDEN_ROLE', reason: 'ROLE', routeKey: 'POST /payments/{orderNo}/refunds', principal: 'user:v-1', role: 'viewer' }]]);
    expect(counted).toEqual([MetricName.SecurityEvents]);
    const ok = (await handler(eventOf('POST /payments/{orderNo}/refunds', authorizerContextOf(operator)), {} as never)) as { statusCode: number };
    expect([ok.statusCode, ran]).toEqual([201, true]);
  });
});
