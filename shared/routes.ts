/**
 * THE route table. The CDK stack (infra/) and the local gateway (local/gateway) both read it;
 * a route exists only if it is listed here. `fn` names the folder under functions/ whose
 * handler.ts serves the route. `auth: 'merchant'` puts the route behind the Lambda authorizer
 * (functions/authorizer); `public` routes are reached by buyers' browsers and by Toss, and
 * `GET /openapi.json` (the API's description, docs/openapi.json) by anyone.
 */
export type AuthKind = 'merchant' | 'public';
export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

export interface Route {
  readonly method: HttpMethod;
  /** API Gateway path syntax: `{name}` is a path parameter. */
  readonly path: string;
  /** Folder name under functions/. */
  readonly fn: string;
  readonly auth: AuthKind;
}

export const routes = [
  { method: 'POST', path: '/payments', fn: 'create-payment', auth: 'merchant' },
  { method: 'GET', path: '/payments', fn: 'list-payments', auth: 'merchant' },
  { method: 'GET', path: '/payments/return', fn: 'return-landing', auth: 'public' },
  { method: 'GET', path: '/payments/cancel', fn: 'cancel-landing', auth: 'public' },
  { method: 'POST', path: '/payments/callback', fn: 'callback', auth: 'public' },
  { method: 'GET', path: '/payments/{orderNo}', fn: 'get-payment', auth: 'merchant' },
  { method: 'POST', path: '/payments/{orderNo}/refunds', fn: 'refund-payment', auth: 'merchant' },
  { method: 'POST', path: '/payments/{orderNo}/cancel', fn: 'cancel-payment', auth: 'merchant' },
  { method: 'GET', path: '/events', fn: 'events-api', auth: 'merchant' },
  { method: 'GET', path: '/events/{id}', fn: 'events-api', auth: 'merchant' },
  { method: 'POST', path: '/events/{id}/redeliver', fn: 'events-api', auth: 'merchant' },
  { method: 'POST', path: '/events/redeliver', fn: 'events-api', auth: 'merchant' },
  { method: 'GET', path: '/transactions', fn: 'list-transactions', auth: 'merchant' },
  // The webhook endpoints: their secrets, and where every event goes. Role: admin (issue 21's
  // shared/roles.ts gives each route its role; these are the admin's, not the viewer's or operator's).
  { method: 'POST', path: '/webhook-endpoints', fn: 'webhook-endpoints', auth: 'merchant' }, // role: admin
  { method: 'GET', path: '/webhook-endpoints', fn: 'webhook-endpoints', auth: 'merchant' }, // role: admin
  { method: 'GET', path: '/webhook-endpoints/{id}', fn: 'webhook-endpoints', auth: 'merchant' }, // role: admin
  { method: 'PATCH', path: '/webhook-endpoints/{id}', fn: 'webhook-endpoints', auth: 'merchant' }, // role: admin
  { method: 'DELETE', path: '/webhook-endpoints/{id}', fn: 'webhook-endpoints', auth: 'merchant' }, // role: admin
  { method: 'POST', path: '/webhook-endpoints/{id}/rotate-secret', fn: 'webhook-endpoints', auth: 'merchant' }, // role: admin
  { method: 'POST', path: '/webhook-endpoints/{id}/test', fn: 'webhook-endpoints', auth: 'merchant' }, // role: admin
  { method: 'GET', path: '/openapi.json', fn: 'openapi', auth: 'public' },
] as const satisfies readonly Route[];

/** Functions that are not behind a route. */
export const authorizerFunction = 'authorizer';
export const scheduledFunctions = ['reconciler', 'webhook-retrier'] as const;
/** Functions fed by the orders table's change stream. */
export const streamFunctions = ['events'] as const;

/** `GET /payments/{orderNo}`, as API Gateway writes a route key. */
export const routeKey = (r: Pick<Route, 'method' | 'path'>): string => `${r.method} ${r.path}`;

/** Every function folder the stack deploys, each once. */
export const allFunctions = (): string[] => [
  ...new Set<string>([...routes.map((r) => r.fn), authorizerFunction, ...scheduledFunctions, ...streamFunctions]),
];

/**
 * Path segments after `/payments/` that are routes of their own (`return`, `cancel`, `callback`):
 * an order with such an orderNo could not be read back at `GET /payments/{orderNo}`, so create
 * refuses them.
 */
export const reservedOrderNos = (): string[] => [
  ...new Set(routes.map((r) => /^\/payments\/([^/{}]+)$/.exec(r.path)?.[1]).filter((s): s is string => s !== undefined)),
];
