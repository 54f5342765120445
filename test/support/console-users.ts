/**
 * The console's users in tests: one per role (and one in no console group), signing in through
 * the user pool's API as the console does, and an authenticator app's codes (RFC 6238).
 */
import { createHmac } from 'node:crypto';
import { cognitoCall, type ConsoleUser, type LocalUserPool } from '../../local/cognito.ts';

export const VIEWER: ConsoleUser = { role: 'viewer', email: 'viewer@example.com', password: 'Viewer-pass-0001!' };
export const OPERATOR: ConsoleUser = { role: 'operator', email: 'operator@example.com', password: 'Operator-pass-0002!' };
export const ADMIN: ConsoleUser = { role: 'admin', email: 'admin@example.com', password: 'Admin-pass-0003!' };
export const CONSOLE_USERS: readonly ConsoleUser[] = [VIEWER, OPERATOR, ADMIN];

export interface Tokens {
  IdToken: string;
  AccessToken: string;
  RefreshToken?: string;
}

/** InitiateAuth USER_PASSWORD_AUTH with the console's app client (or `clientId`): the tokens. */
export async function signIn(pool: Pick<LocalUserPool, 'endpoint' | 'clientId'>, u: Pick<ConsoleUser, 'email' | 'password'>, clientId = pool.clientId): Promise<Tokens> {
  const r = await cognitoCall<{ AuthenticationResult?: Tokens; ChallengeName?: string }>(pool.endpoint, 'InitiateAuth', {
    AuthFlow: 'USER_PASSWORD_AUTH',
    ClientId: clientId,
    AuthParameters: { USERNAME: u.email, PASSWORD: u.password },
  });
  if (r.AuthenticationResult === undefined) throw new Error(`sign-in of ${u.email} asked for ${r.ChallengeName ?? 'nothing'}`);
  return r.AuthenticationResult;
}

/** The claims of a token (unverified: for the test to read `sub`). */
export const claimsOf = (jwt: string): Record<string, unknown> => JSON.parse(Buffer.from(jwt.split('.')[1] ?? '', 'base64url').toString('utf8')) as Record<string, unknown>;

const BASE32 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
const base32 = (s: string): Buffer => {
  let bits = '';
  for (const c of s.replace(/=+$/, '').toUpperCase()) bits += BASE32.indexOf(c).toString(2).padStart(5, '0');
  return Buffer.from(bits.match(/.{8}/g)?.map((b) => parseInt(b, 2)) ?? []);
};

/** The 6-digit TOTP code (SHA-1, 30 s) of a base32 `secret` at `ms`, as an authenticator app shows it. */
export function totp(secret: string, ms: number = Date.now()): string {
  const counter = Buffer.alloc(8);
  counter.writeBigUInt64BE(BigInt(Math.floor(ms / 30_000)));
  const h = createHmac('sha1', base32(secret)).update(counter).digest();
  const offset = (h[h.length - 1] ?? 0) & 0xf;
  return String((h.readUInt32BE(offset) & 0x7fffffff) % 1_000_000).padStart(6, '0');
}
