/**
 * Who may do what: THE permission table. Pure data and functions, read by the route table (each
 * merchant route names the permission it needs), the HTTP chain's route check
 * (shared/http/route-permission.ts), the authorizer (a user's role from the pool's groups) and the
 * console (which actions it offers). A merchant token holds every permission, as before users
 * existed; a console user holds those of their role.
 *
 *   viewer    reads: payments, their events and webhook attempts, the overview
 *   operator  also refunds, cancels and redelivers
 *   admin     also manages webhook endpoints (the `/webhook-endpoints` routes: `webhooks:manage`)
 */

/** Each thing a request may do. */
export const PERMISSIONS = [
  'payments:create',
  'payments:read',
  'payments:refund',
  'payments:cancel',
  'events:read',
  'events:redeliver',
  'webhooks:manage',
] as const;
export type Permission = (typeof PERMISSIONS)[number];

/** The console's roles, weakest first: the groups of the user pool of the same names. */
export const ROLES = ['viewer', 'operator', 'admin'] as const;
export type Role = (typeof ROLES)[number];

const VIEWER: readonly Permission[] = ['payments:read', 'events:read'];
const OPERATOR: readonly Permission[] = [...VIEWER, 'payments:refund', 'payments:cancel', 'events:redeliver'];
const ADMIN: readonly Permission[] = [...OPERATOR, 'webhooks:manage'];

/**
 * What each role may do. Creating payments is the merchant's server's alone: no person signs in
 * to take a buyer's money.
 */
export const ROLE_PERMISSIONS: Readonly<Record<Role, readonly Permission[]>> = { viewer: VIEWER, operator: OPERATOR, admin: ADMIN };

/** Who made a request, as the authorizer's context tells it (shared/http/principal.ts reads it). */
export type Principal =
  /** A merchant bearer token: every permission. `id`: `merchant:<8 hex of the token's SHA-256>`. */
  | { kind: 'merchant'; id: string }
  /** A person signed in to the user pool. `id`: `user:<sub>`. */
  | { kind: 'user'; id: string; email?: string | undefined; role: Role };

export function allows(p: Principal, permission: Permission): boolean {
  return p.kind === 'merchant' || ROLE_PERMISSIONS[p.role].includes(permission);
}

const isRole = (g: string): g is Role => (ROLES as readonly string[]).includes(g);

/** A user's role: the strongest of the pool groups they are in that is a role; undefined when none is. */
export function roleOfGroups(groups: readonly string[]): Role | undefined {
  let best: Role | undefined;
  for (const g of groups) if (isRole(g) && (best === undefined || ROLES.indexOf(g) > ROLES.indexOf(best))) best = g;
  return best;
}
