/**
 * THE route table. The CDK stack (infra/) and the local gateway (local/gateway) both read it;
 * a route exists only if it is listed here. `fn` names the folder under functions/ whose
 * handler.ts serves the route. `auth: 'merchant'` puts the route behind the Lambda authorizer
 * (functions/authorizer: a merchant bearer token, or a console user's token from the user pool),
 * and `permission` is what the caller must hold (shared/roles.ts): the HTTP chain checks it on
 * every request (shared/http/route-permission.ts). `public` routes are reached by buyers'
 * browsers and by Toss; `GET /openapi.json` (the API's description, docs/openapi.json), `GET /docs`
 * (that document rendered, with its files under `/docs/`) and the console's page and files
 * (`/console`: it signs people in itself) by anyone.
 */
import type { Permission } from './roles.ts';

export type AuthKind = 'merchant' | 'public';
export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

interface RouteBase {
  readonly method: HttpMethod;
  /** API Gateway path syntax: `{name}` is a path parameter, `{name+}` takes the rest of the path. */
  readonly path: string;
  /** Folder name under functions/. */
  readonly fn: string;
  /**
   * The largest body the route takes, in bytes (decoded): a bigger one is refused 413
   * BODY_TOO_LARGE before anything reads it (shared/http/body.ts, in every HTTP function's chain).
   * Absent: the route reads no body. The README lists these limits (a test keeps it in step).
   */
  readonly maxBodyBytes?: number;
}
export type Route = RouteBase & ({ readonly auth: 'merchant'; readonly permission: Permission } | { readonly auth: 'public'; readonly permission?: undefined });

const KiB = 1024;

export const routes = [
  { method: 'POST', path: '/payments', fn: 'create-payment', auth: 'merchant', permission: 'payments:create', maxBodyBytes: 16 * KiB },
  { method: 'GET', path: '/payments', fn: 'list-payments', auth: 'merchant', permission: 'payments:read' },
  { method: 'GET', path: '/payments/return', fn: 'return-landing', auth: 'public' },
  { method: 'GET', path: '/payments/cancel', fn: 'cancel-landing', auth: 'public' },
  { method: 'POST', path: '/payments/callback', fn: 'callback', auth: 'public', maxBodyBytes: 16 * KiB },
  { method: 'GET', path: '/payments/{orderNo}', fn: 'get-payment', auth: 'merchant', permission: 'payments:read' },
  { method: 'GET', path: '/payments/by-pay-token/{payToken}', fn: 'get-payment', auth: 'merchant', permission: 'payments:read' },
  { method: 'POST', path: '/payments/{orderNo}/refunds', fn: 'refund-payment', auth: 'merchant', permission: 'payments:refund', maxBodyBytes: 16 * KiB },
  { method: 'POST', path: '/payments/{orderNo}/cancel', fn: 'cancel-payment', auth: 'merchant', permission: 'payments:cancel', maxBodyBytes: 4 * KiB },
  { method: 'GET', path: '/payments/{orderNo}/events', fn: 'events-api', auth: 'merchant', permission: 'events:read' },
  { method: 'GET', path: '/stats', fn: 'stats', auth: 'merchant', permission: 'payments:read' },
  { method: 'GET', path: '/events', fn: 'events-api', auth: 'merchant', permission: 'events:read' },
  { method: 'GET', path: '/events/failed', fn: 'events-api', auth: 'merchant', permission: 'events:read' },
  { method: 'GET', path: '/events/{id}', fn: 'events-api', auth: 'merchant', permission: 'events:read' },
  { method: 'POST', path: '/events/{id}/redeliver', fn: 'events-api', auth: 'merchant', permission: 'events:redeliver', maxBodyBytes: 4 * KiB },
  { method: 'POST', path: '/events/redeliver', fn: 'events-api', auth: 'merchant', permission: 'events:redeliver', maxBodyBytes: 4 * KiB },
  // The ledger is a reading of payments: a viewer may reconcile with it.
  { method: 'GET', path: '/transactions', fn: 'list-transactions', auth: 'merchant', permission: 'payments:read' },
  // The webhook endpoints: their secrets, and where every event goes. An admin's (or the merchant's token).
  // An endpoint's body: a URL of up to 2,048 characters and a description of up to 256, each of
  // which JSON may escape (\uXXXX: 6 bytes a character), so 8 KiB rather than the usual 4.
  { method: 'POST', path: '/webhook-endpoints', fn: 'webhook-endpoints', auth: 'merchant', permission: 'webhooks:manage', maxBodyBytes: 8 * KiB },
  { method: 'GET', path: '/webhook-endpoints', fn: 'webhook-endpoints', auth: 'merchant', permission: 'webhooks:manage' },
  { method: 'GET', path: '/webhook-endpoints/{id}', fn: 'webhook-endpoints', auth: 'merchant', permission: 'webhooks:manage' },
  { method: 'PATCH', path: '/webhook-endpoints/{id}', fn: 'webhook-endpoints', auth: 'merchant', permission: 'webhooks:manage', maxBodyBytes: 8 * KiB },
  { method: 'DELETE', path: '/webhook-endpoints/{id}', fn: 'webhook-endpoints', auth: 'merchant', permission: 'webhooks:manage' },
  { method: 'POST', path: '/webhook-endpoints/{id}/rotate-secret', fn: 'webhook-endpoints', auth: 'merchant', permission: 'webhooks:manage', maxBodyBytes: 4 * KiB },
  { method: 'POST', path: '/webhook-endpoints/{id}/test', fn: 'webhook-endpoints', auth: 'merchant', permission: 'webhooks:manage', maxBodyBytes: 4 * KiB },
  { method: 'GET', path: '/openapi.json', fn: 'openapi', auth: 'public' },
  { method: 'GET', path: '/console', fn: 'console', auth: 'public' },
  { method: 'GET', path: '/console/{asset+}', fn: 'console', auth: 'public' },
  { method: 'GET', path: '/docs', fn: 'api-docs', auth: 'public' },
  { method: 'GET', path: '/docs/{asset}', fn: 'api-docs', auth: 'public' },
] as const satisfies readonly Route[];

/** The route of a route key (`GET /payments/{orderNo}`), as API Gateway names the matched route. */
export const routeByKey: ReadonlyMap<string, Route> = new Map(routes.map((r: Route) => [`${r.method} ${r.path}`, r]));

/** The body limit of the route API Gateway names `key` (`POST /payments`); undefined when it reads no body, or is no route. */
export const maxBodyBytesOf = (key: string): number | undefined => routeByKey.get(key)?.maxBodyBytes;

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
 * Path segments after `/payments/` that are routes of their own (`return`, `cancel`, `callback`,
 * `by-pay-token`): API Gateway takes the route with the literal segment, so an order with such an
 * orderNo could not be read back at `GET /payments/{orderNo}` (or its events listed), and create
 * refuses them.
 */
export const reservedOrderNos = (): string[] => [
  ...new Set(routes.map((r) => /^\/payments\/([^/{}]+)(?:\/|$)/.exec(r.path)?.[1]).filter((s): s is string => s !== undefined)),
];
