/**
 * Console users over HTTP against the real stack with cognito-local as the user pool: the
 * authorizer takes the pool's real tokens and nothing like them (expired, of another issuer or
 * client, tampered, of a user in no console group), each role may do what shared/roles.ts says
 * and no more (a viewer's refund is 403 FORBIDDEN_ROLE, nothing written, a security event; the
 * webhook endpoints are the admin's alone), and
 * every refund, cancel and redelivery records who asked: on the refund, the history, the events.
 * Also the console's own routes (its page and its security headers) and the routes it reads:
 * an order by payToken, an order's events, failed deliveries, the overview.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cognitoCall, startLocalUserPool, type LocalUserPool } from '../../../local/cognito.ts';
import { approve, setFault } from '../../../local/toss-sandbox/control-client.ts';
import { tokenId } from '../../../functions/authorizer/tokens.ts';
import { ADMIN, claimsOf, CONSOLE_USERS, OPERATOR, signIn, VIEWER, type Tokens } from '../../support/console-users.ts';
import { eventually, newOrderNo, startStack, type HttpReply, type Stack } from '../../support/stack.ts';

const NO_GROUP = { role: 'viewer' as const, email: 'nogroup@example.com', password: 'Nogroup-pass-0004!' };

let s: Stack;
let pool: LocalUserPool;
/** When cognito-local issues tokens, relative to now. */
let issuedAgoMs = 0;
const tokens: Record<string, Tokens> = {};

beforeAll(async () => {
  s = await startStack({}, { webhooks: { retrySchedule: '1' }, console: { users: [...CONSOLE_USERS, NO_GROUP], clock: () => Date.now() - issuedAgoMs } });
  pool = s.userPool as LocalUserPool;
  // The user in no console group: taken out of the group the pool's set-up put them in.
  await cognitoCall(pool.endpoint, 'AdminRemoveUserFromGroup', { UserPoolId: pool.userPoolId, Username: NO_GROUP.email, GroupName: 'viewer' });
  for (const u of [VIEWER, OPERATOR, ADMIN, NO_GROUP]) tokens[u.email] = await signIn(pool, u);
});
afterAll(async () => {
  await s?.stop();
});

const as = (token: string, init: RequestInit & { json?: unknown } = {}): RequestInit => {
  const { json, headers, ...rest } = init;
  return {
    ...rest,
    headers: { authorization: `Bearer ${token}`, ...(json !== undefined ? { 'content-type': 'application/json' } : {}), ...(headers as Record<string, string> | undefined) },
    ...(json !== undefined ? { body: JSON.stringify(json) } : {}),
  };
};
const id = (u: { email: string }): string => tokens[u.email]?.IdToken ?? '';
const code = (r: HttpReply) => (r.json.error as { code?: string } | undefined)?.code;
const subOf = (u: { email: string }) => String(claimsOf(id(u)).sub);

/** A paid order (its callback dropped: the return landing settles it). */
async function paid(amount = 20_000): Promise<{ orderNo: string; payToken: string }> {
  const orderNo = newOrderNo('cu');
  await setFault(s.sandbox.url, { target: 'callback', kind: 'drop', orderNo });
  const c = await s.createPayment({ orderNo, amount, amountTaxFree: 0, productDesc: '콘솔 테스트' });
  expect(c.status).toBe(201);
  const payToken = String(c.json.payToken);
  const { redirect } = await approve(s.sandbox.url, payToken, 'CARD');
  expect((await s.visit(redirect)).text).toContain('결제 완료');
  return { orderNo, payToken };
}

describe('the authorizer and console users', () => {
  it('accepts the pool’s ID and access tokens of the console client; reaches the function as the user', async () => {
    for (const t of [tokens[VIEWER.email]?.IdToken, tokens[VIEWER.email]?.AccessToken]) {
      const r = await s.request('/payments', as(String(t)));
      expect(r.status).toBe(200);
    }
  });

  it('refuses an expired token, one of another issuer, one of another client, a tampered one, and a user in no console group', async () => {
    // Expired: a real token, issued 20 minutes ago (tokens last 15).
    issuedAgoMs = 20 * 60_000;
    const expired = await signIn(pool, VIEWER);
    issuedAgoMs = 0;
    // Another issuer: a second cognito-local (the same signing key, a different `iss`).
    const other = await startLocalUserPool({ users: [VIEWER] });
    const foreign = await signIn(other, VIEWER).finally(() => other.close());
    // Another client of the same pool.
    const client = await cognitoCall<{ UserPoolClient: { ClientId: string } }>(pool.endpoint, 'CreateUserPoolClient', {
      UserPoolId: pool.userPoolId,
      ClientName: 'not-the-console',
      ExplicitAuthFlows: ['ALLOW_USER_PASSWORD_AUTH'],
    });
    const otherClient = await signIn(pool, VIEWER, client.UserPoolClient.ClientId);
    // Tampered: the viewer's token claiming the admin group, its signature kept.
    const [h, p, sig] = id(VIEWER).split('.');
    const claims = { ...JSON.parse(Buffer.from(String(p), 'base64url').toString()), 'cognito:groups': ['admin'] };
    const tampered = `${h}.${Buffer.from(JSON.stringify(claims)).toString('base64url')}.${sig}`;
    for (const [what, t] of [
      ['expired', expired.IdToken],
      ['expired access', expired.AccessToken],
      ['other issuer', foreign.IdToken],
      ['other client', otherClient.IdToken],
      ['other client access', otherClient.AccessToken],
      ['tampered', tampered],
      ['no group', id(NO_GROUP)],
    ] as const) {
      const r = await s.request('/payments', as(t));
      expect([what, r.status, r.json]).toEqual([what, 403, { message: 'Forbidden' }]);
    }
    const refused = s.logs().filter((l) => l.text.includes('user request refused')).map((l) => (JSON.parse(l.text) as { reason: string }).reason);
    expect(refused).toEqual(['expired', 'expired', 'another issuer', 'another client', 'another client', 'bad signature', 'in no console group']);
  });

  it('a viewer reads everything and changes nothing: refund, cancel, redeliver and create are 403 FORBIDDEN_ROLE, nothing written, a security event each', async () => {
    const o = await paid();
    const before = await s.readOrder(o.orderNo);
    const reads = ['/payments', `/payments/${o.orderNo}`, `/payments/${o.orderNo}/events`, '/events', '/events/failed', '/stats', `/payments/by-pay-token/${o.payToken}`];
    for (const path of reads) expect([path, (await s.request(path, as(id(VIEWER)))).status]).toEqual([path, 200]);
    const writes: Array<[string, RequestInit]> = [
      [`/payments/${o.orderNo}/refunds`, as(id(VIEWER), { method: 'POST', json: { amount: 1000 }, headers: { 'idempotency-key': 'viewer-1' } })],
      [`/payments/${o.orderNo}/cancel`, as(id(VIEWER), { method: 'POST', json: {} })],
      ['/events/evt_x/redeliver', as(id(VIEWER), { method: 'POST' })],
      ['/events/redeliver', as(id(VIEWER), { method: 'POST', json: { failedSince: new Date(0).toISOString() } })],
      ['/payments', as(id(ADMIN), { method: 'POST', json: { amount: 1000, amountTaxFree: 0, productDesc: 'x' } })],
    ];
    for (const [path, init] of writes) {
      const r = await s.request(path, init);
      expect([path, r.status, code(r)]).toEqual([path, 403, 'FORBIDDEN_ROLE']);
    }
    expect(await s.readOrder(o.orderNo)).toEqual(before);
    const events = s.logs().filter((l) => l.text.includes('"securityEvent":"FORBIDDEN_ROLE"')).map((l) => JSON.parse(l.text) as Record<string, unknown>);
    expect(events.filter((e) => e.principal === `user:${subOf(VIEWER)}` && e.role === 'viewer')).toHaveLength(4);
    expect(events.some((e) => e.principal === `user:${subOf(ADMIN)}` && e.routeKey === 'POST /payments')).toBe(true);
    expect(s.logs().some((l) => l.text.includes('"_aws"') && l.text.includes('SecurityEvents'))).toBe(true);
  });

  it('webhook endpoints are the admin\'s: a viewer and an operator get 403 FORBIDDEN_ROLE on every endpoint route, nothing written; an admin manages them, each change logged with who made it', async () => {
    const before = (await s.merchantRequest('/webhook-endpoints')).json;
    const routes = (endpointId: string): Array<[string, string, unknown]> => [
      ['GET', '/webhook-endpoints', undefined],
      ['POST', '/webhook-endpoints', { url: 'http://127.0.0.1:9/hooks' }],
      ['GET', `/webhook-endpoints/${endpointId}`, undefined],
      ['PATCH', `/webhook-endpoints/${endpointId}`, { enabled: false }],
      ['DELETE', `/webhook-endpoints/${endpointId}`, undefined],
      ['POST', `/webhook-endpoints/${endpointId}/rotate-secret`, undefined],
      ['POST', `/webhook-endpoints/${endpointId}/test`, undefined],
    ];
    // The admin's own endpoint: the others may not read, change, rotate, test or delete it.
    const created = await s.request('/webhook-endpoints', as(id(ADMIN), { method: 'POST', json: { url: 'http://127.0.0.1:9/admin-hooks', description: 'admin' } }));
    expect([created.status, String(created.json.secret).startsWith('whsec_')]).toEqual([201, true]);
    const endpointId = String(created.json.id);
    const stored = (await s.merchantRequest(`/webhook-endpoints/${endpointId}`)).json;
    for (const u of [VIEWER, OPERATOR]) {
      for (const [method, path, json] of routes(endpointId)) {
        const r = await s.request(path, as(id(u), { method, ...(json !== undefined ? { json } : {}) }));
        expect([u.role, method, path, r.status, code(r)]).toEqual([u.role, method, path, 403, 'FORBIDDEN_ROLE']);
      }
    }
    const after = (await s.merchantRequest('/webhook-endpoints')).json as { endpoints: unknown[] };
    expect(after.endpoints).toHaveLength((before as { endpoints: unknown[] }).endpoints.length + 1);
    expect((await s.merchantRequest(`/webhook-endpoints/${endpointId}`)).json).toEqual(stored);
    const refused = s.logs().filter((l) => l.text.includes('"securityEvent":"FORBIDDEN_ROLE"') && l.text.includes('webhook-endpoints'));
    expect(refused).toHaveLength(2 * routes(endpointId).length);
    // The admin reads, rotates, tests and deletes it.
    expect((await s.request(`/webhook-endpoints/${endpointId}`, as(id(ADMIN)))).status).toBe(200);
    const rotated = await s.request(`/webhook-endpoints/${endpointId}/rotate-secret`, as(id(ADMIN), { method: 'POST' }));
    expect([rotated.status, rotated.json.secret === created.json.secret]).toEqual([200, false]);
    expect((await s.request(`/webhook-endpoints/${endpointId}/test`, as(id(ADMIN), { method: 'POST' }))).status).toBe(200);
    expect((await s.request(`/webhook-endpoints/${endpointId}`, as(id(ADMIN), { method: 'DELETE' }))).status).toBe(200);
    const changes = s
      .logs()
      .filter((l) => l.text.includes('"message":"webhook endpoint') && l.text.includes(endpointId))
      .map((l) => JSON.parse(l.text) as { message: string; actor?: string });
    expect(changes.filter((c) => c.message !== 'webhook endpoint tested').map((c) => [c.message, c.actor])).toEqual([
      ['webhook endpoint created', `user:${subOf(ADMIN)}`],
      ['webhook endpoint secret rotated', `user:${subOf(ADMIN)}`],
      ['webhook endpoint deleted', `user:${subOf(ADMIN)}`],
    ]);
  });

  it('an operator refunds: the refund, its history entry and payment.refunded name the operator; the same key again refunds once', async () => {
    const o = await paid(20_000);
    const refund = () =>
      s.request(`/payments/${o.orderNo}/refunds`, as(id(OPERATOR), { method: 'POST', json: { amount: 5000, reason: '고객 요청' }, headers: { 'idempotency-key': 'console-k1' } }));
    const first = await refund();
    const again = await refund();
    expect([first.status, again.status, again.json.refundNo]).toEqual([201, 200, first.json.refundNo]);
    const view = (await s.request(`/payments/${o.orderNo}`, as(id(OPERATOR)))).json as { refunds: Array<{ actor?: unknown }>; history: Array<{ actor?: unknown; note?: string }>; refundedAmount: number };
    const actor = { id: `user:${subOf(OPERATOR)}`, email: OPERATOR.email };
    expect(view.refundedAmount).toBe(5000);
    expect(view.refunds).toHaveLength(1);
    expect(view.refunds[0]?.actor).toEqual(actor);
    expect(view.history.find((h) => h.note?.startsWith('refund '))?.actor).toEqual(actor);
    await s.streams.caughtUp();
    const events = (await s.request(`/payments/${o.orderNo}/events`, as(id(VIEWER)))).json as { events: Array<{ type: string; data: { refund?: { actor?: unknown } } }> };
    expect(events.events.find((e) => e.type === 'payment.refunded')?.data.refund?.actor).toEqual(actor);
    await eventually(async () => (s.webhooks?.accepted().some((e) => e.type === 'payment.refunded' && JSON.stringify(e.data).includes(OPERATOR.email)) === true ? true : undefined));
  });

  it('an operator cancels and redelivers; a merchant token is named by its token id', async () => {
    const orderNo = newOrderNo('cc');
    expect((await s.createPayment({ orderNo, amount: 1000, amountTaxFree: 0, productDesc: '취소 테스트' })).status).toBe(201);
    const r = await s.request(`/payments/${orderNo}/cancel`, as(id(OPERATOR), { method: 'POST', json: { reason: '재고 없음' } }));
    expect(r.status).toBe(200);
    const actor = { id: `user:${subOf(OPERATOR)}`, email: OPERATOR.email };
    expect(r.json.cancelledBy).toEqual(actor);
    expect((r.json.history as Array<{ to: string; actor?: unknown }>).find((h) => h.to === 'PAY_CANCEL')?.actor).toEqual(actor);
    await s.streams.caughtUp();
    const events = (await s.request(`/payments/${orderNo}/events`, as(id(OPERATOR)))).json as { events: Array<{ id: string; type: string; data: { cancelledBy?: unknown } }> };
    const cancelled = events.events.find((e) => e.type === 'payment.cancelled');
    expect(cancelled?.data.cancelledBy).toEqual(actor);
    const again = await s.request(`/events/${cancelled?.id}/redeliver`, as(id(OPERATOR), { method: 'POST' }));
    expect(again.status).toBe(200);
    expect((again.json.delivery as { rounds?: unknown[] }).rounds).toEqual([{ from: expect.any(Number), at: expect.any(String), actor }]);
    // A merchant's refund: `merchant:<token id>`.
    const o = await paid(3000);
    const m = await s.merchantRequest(`/payments/${o.orderNo}/refunds`, { method: 'POST', json: { amount: 1000 }, headers: { 'idempotency-key': 'm-1' } });
    expect(m.status).toBe(201);
    expect((await s.readOrder(o.orderNo))?.refunds?.[String(m.json.refundNo)]?.actor).toEqual({ id: `merchant:${tokenId(s.token)}` });
  });

  it('sign-out revokes the refresh token at the pool: it renews nothing after', async () => {
    const t = await signIn(pool, ADMIN);
    const renew = () => cognitoCall(pool.endpoint, 'InitiateAuth', { AuthFlow: 'REFRESH_TOKEN_AUTH', ClientId: pool.clientId, AuthParameters: { REFRESH_TOKEN: t.RefreshToken } });
    await expect(renew()).resolves.toHaveProperty('AuthenticationResult');
    await cognitoCall(pool.endpoint, 'RevokeToken', { ClientId: pool.clientId, Token: t.RefreshToken });
    await expect(renew()).rejects.toThrow(/NotAuthorized/);
  });
});

describe('what the console reads', () => {
  it('finds an order by its payToken (Toss names the orderNo), and nothing for a payToken of no order of ours', async () => {
    const o = await paid(1000);
    const r = await s.request(`/payments/by-pay-token/${o.payToken}`, as(id(VIEWER)));
    expect([r.status, r.json.orderNo]).toEqual([200, o.orderNo]);
    for (const t of ['unknown-pay-token-000', 'bad token!']) {
      const x = await s.request(`/payments/by-pay-token/${encodeURIComponent(t)}`, as(id(VIEWER)));
      expect([x.status, code(x)]).toEqual([404, 'ORDER_NOT_FOUND']);
    }
  });

  it('lists failed deliveries newest first, pages them, and the overview counts the days, the flagged orders and the webhooks', async () => {
    s.webhooks?.failNext(100, 500);
    const a = await paid(2000);
    const b = await paid(3000);
    await s.streams.caughtUp();
    // The schedule is one retry 1 s later; the retrier runs until both gave up.
    await eventually(async () => {
      await s.runWebhookRetrier();
      const f = (await s.request('/events/failed?limit=100', as(id(VIEWER)))).json as { events: Array<{ data: { orderNo: string } }> };
      const orders = f.events.map((e) => e.data.orderNo);
      return orders.includes(a.orderNo) && orders.includes(b.orderNo) ? true : undefined;
    }, 15_000);
    s.webhooks?.failNext(0, 500);
    const page = await s.request('/events/failed?limit=1', as(id(VIEWER)));
    expect((page.json.events as unknown[]).length).toBe(1);
    const next = await s.request(`/events/failed?limit=1&after=${encodeURIComponent(String(page.json.next))}`, as(id(VIEWER)));
    expect((next.json.events as Array<{ id: string }>)[0]?.id).not.toBe((page.json.events as Array<{ id: string }>)[0]?.id);
    const stats = (await s.request('/stats', as(id(VIEWER)))).json as { complete: boolean; totals: { paid: number; paidAmount: number }; days: unknown[]; webhooks: { failed: number; sampled: number } };
    expect(stats.complete).toBe(true);
    expect(stats.days).toHaveLength(7);
    expect(stats.totals.paid).toBeGreaterThanOrEqual(2);
    expect(stats.webhooks.failed).toBeGreaterThanOrEqual(2);
    const bad = await s.request('/stats?from=2026-01-01&to=2026-03-01', as(id(VIEWER)));
    expect([bad.status, code(bad)]).toEqual([400, 'VALIDATION_FAILED']);
  });

  it('serves the console page with a strict Content-Security-Policy and its files by name; nothing else', async () => {
    const page = await s.request('/console');
    expect(page.status).toBe(200);
    const csp = page.headers.get('content-security-policy') ?? '';
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).toContain(`connect-src 'self' ${new URL(pool.endpoint).origin}`);
    expect(csp).not.toContain('unsafe-inline');
    expect(page.headers.get('x-content-type-options')).toBe('nosniff');
    expect(page.headers.get('referrer-policy')).toBe('no-referrer');
    expect(page.text).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>|\sstyle=|\son[a-z]+=/i);
    const script = /src="\/console\/([^"]+\.js)"/.exec(page.text)?.[1];
    const js = await s.request(`/console/${script}`);
    expect([js.status, js.headers.get('content-type'), js.headers.get('cache-control')]).toEqual([200, 'text/javascript; charset=utf-8', 'public, max-age=31536000, immutable']);
    expect((await s.request('/console/nope.js')).status).toBe(404);
    expect((await s.request('/console/../openapi.json')).status).not.toBe(500);
  });
});
