/**
 * The console's user pool, declared once: infra/ makes the Amazon Cognito user pool and its app
 * client from it, and local/cognito.ts makes the same in cognito-local for `npm start` and the
 * tests. Pure data.
 */
import { ROLES } from './roles.ts';

/** The pool's groups: one per role (shared/roles.ts), the same names. */
export const USER_POOL_GROUPS = ROLES;

/** What a password must hold (Cognito's password policy; local users are checked against it too). */
export const PASSWORD_POLICY = {
  minLength: 12,
  requireLowercase: true,
  requireUppercase: true,
  requireDigits: true,
  requireSymbols: true,
  /** Days a temporary password (a new user's, set by an admin) may be used to sign in. */
  tempPasswordValidityDays: 3,
} as const;

/**
 * How long a session lasts. A token is sent with every API call and cannot be revoked at the API
 * (the authorizer verifies it on its own, and API Gateway caches its answer a minute): so it lives
 * 15 minutes. The refresh token gets new ones for a working day; signing out revokes it.
 */
export const TOKEN_VALIDITY = { accessMinutes: 15, idMinutes: 15, refreshHours: 8 } as const;

/** Cognito's symbols a password may use (its password policy's list). */
const SYMBOLS = `^$*.[]{}()?"!@#%&/\\,><':;|_~\`=+-`;

/** What is wrong with `password` under PASSWORD_POLICY (Korean, for the console), or [] when nothing. */
export function passwordProblems(password: string): string[] {
  const p = PASSWORD_POLICY;
  const out: string[] = [];
  if (password.length < p.minLength) out.push(`${p.minLength}자 이상`);
  if (p.requireLowercase && !/[a-z]/.test(password)) out.push('영문 소문자');
  if (p.requireUppercase && !/[A-Z]/.test(password)) out.push('영문 대문자');
  if (p.requireDigits && !/[0-9]/.test(password)) out.push('숫자');
  if (p.requireSymbols && ![...password].some((c) => SYMBOLS.includes(c))) out.push('특수문자');
  return out;
}
