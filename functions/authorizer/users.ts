/**
 * Console users: a token the user pool issued to the console's app client, verified with
 * aws-jwt-verify against the pool's keys (JWKS, fetched once and cached; a key the cache does not
 * know is fetched again, so the pool's key rotation needs nothing here). Signature, expiry, issuer,
 * `token_use` (id or access) and the client (`aud` of an ID token, `client_id` of an access token)
 * are all checked; the role is the strongest of the user's `cognito:groups` (shared/roles.ts).
 *
 * Amazon Cognito: CognitoJwtVerifier (issuer and JWKS from the pool id). Another issuer
 * (COGNITO_ISSUER: cognito-local, which `npm start` runs): JwtVerifier with that issuer and its
 * JWKS URI, and the same Cognito checks of the claims. Which one is configuration, nothing else.
 */
import { CognitoJwtVerifier, JwtVerifier } from 'aws-jwt-verify';
import { validateCognitoJwtFields } from 'aws-jwt-verify/cognito-verifier';
import {
  CognitoJwtInvalidClientIdError,
  CognitoJwtInvalidTokenUseError,
  FetchError,
  JwtExpiredError,
  JwtInvalidIssuerError,
  JwtInvalidSignatureAlgorithmError,
  JwtInvalidSignatureError,
  JwtNotBeforeError,
  JwtParseError,
  KidNotFoundInJwksError,
} from 'aws-jwt-verify/error';
import { SimpleJwksCache } from 'aws-jwt-verify/jwk';
import type { JwtPayload } from 'aws-jwt-verify/jwt-model';
import type { AuthConfig } from '../../shared/config.ts';
import { USER_PREFIX } from '../../shared/http/principal.ts';
import { roleOfGroups, type Principal } from '../../shared/roles.ts';

/** A JWT's shape: three base64url parts. Anything else is not offered to the verifier. */
const JWT_RE = /^[A-Za-z0-9_-]{10,}\.[A-Za-z0-9_-]{10,}\.[A-Za-z0-9_-]+$/;
/** An email as the context carries it (RFC 5321's longest path), or none. */
const MAX_EMAIL = 254;
const SUB_RE = /^[A-Za-z0-9-]{1,64}$/;
const JWKS_TIMEOUT_MS = 3_000;

export type UserCheck = { ok: true; principal: Principal } | { ok: false; reason: string };

export interface UserVerifier {
  check(token: string): Promise<UserCheck>;
}

export const looksLikeJwt = (token: string): boolean => JWT_RE.test(token);

/** The keys of an issuer given by configuration, over http or https (cognito-local serves http). */
const jwksFetcher = {
  async fetch(uri: string): Promise<ArrayBuffer> {
    const r = await fetch(uri, { signal: AbortSignal.timeout(JWKS_TIMEOUT_MS) });
    if (r.status !== 200) throw new Error(`JWKS ${uri}: HTTP ${r.status}`);
    return r.arrayBuffer();
  },
};

type Verify = (token: string) => Promise<JwtPayload>;

function verifierOf(c: AuthConfig & { COGNITO_USER_POOL_ID: string; COGNITO_CLIENT_ID: string }): Verify {
  const clientId = c.COGNITO_CLIENT_ID;
  if (c.COGNITO_ISSUER === undefined) {
    const v = CognitoJwtVerifier.create({ userPoolId: c.COGNITO_USER_POOL_ID, clientId, tokenUse: null });
    return (t) => v.verify(t);
  }
  const issuer = c.COGNITO_ISSUER.replace(/\/+$/, '');
  const v = JwtVerifier.create(
    {
      issuer,
      jwksUri: c.COGNITO_JWKS_URI ?? `${issuer}/.well-known/jwks.json`,
      audience: null,
      customJwtCheck: ({ payload }) => validateCognitoJwtFields(payload, { tokenUse: null, clientId }),
    },
    { jwksCache: new SimpleJwksCache({ fetcher: jwksFetcher }) },
  );
  return (t) => v.verify(t);
}

const REFUSALS: Array<[new (...a: never[]) => Error, string]> = [
  [JwtExpiredError, 'expired'],
  [JwtNotBeforeError, 'not yet valid'],
  [JwtInvalidIssuerError, 'another issuer'],
  [CognitoJwtInvalidClientIdError, 'another client'],
  [CognitoJwtInvalidTokenUseError, 'not an ID or access token'],
  [JwtInvalidSignatureError, 'bad signature'],
  [JwtInvalidSignatureAlgorithmError, 'bad signature algorithm'],
  [KidNotFoundInJwksError, 'unknown key'],
  [JwtParseError, 'malformed'],
  [FetchError, 'keys unavailable'],
];
const refusalOf = (e: unknown): string => REFUSALS.find(([type]) => e instanceof type)?.[1] ?? 'invalid';

const groupsOf = (p: JwtPayload): string[] => {
  const g = p['cognito:groups'];
  return Array.isArray(g) ? g.filter((x): x is string => typeof x === 'string') : [];
};

/** The verifier of console users' tokens; undefined when no user pool is configured. */
export function userVerifier(c: AuthConfig): UserVerifier | undefined {
  const { COGNITO_USER_POOL_ID: userPoolId, COGNITO_CLIENT_ID: clientId } = c;
  if (userPoolId === undefined || clientId === undefined) return undefined;
  const verify = verifierOf({ ...c, COGNITO_USER_POOL_ID: userPoolId, COGNITO_CLIENT_ID: clientId });
  return {
    async check(token) {
      let payload: JwtPayload;
      try {
        payload = await verify(token);
      } catch (e) {
        // Why, in a word that survives minification (class names do not); never the token.
        return { ok: false, reason: refusalOf(e) };
      }
      const sub = typeof payload.sub === 'string' && SUB_RE.test(payload.sub) ? payload.sub : undefined;
      if (sub === undefined) return { ok: false, reason: 'no usable sub' };
      const role = roleOfGroups(groupsOf(payload));
      if (role === undefined) return { ok: false, reason: 'in no console group' };
      const email = typeof payload.email === 'string' && payload.email.length <= MAX_EMAIL ? payload.email : undefined;
      return { ok: true, principal: { kind: 'user', id: `${USER_PREFIX}${sub}`, role, ...(email !== undefined ? { email } : {}) } };
    },
  };
}
