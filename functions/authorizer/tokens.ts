/**
 * The merchant bearer-token check, kept pure so it can be unit-tested. Tokens are compared as
 * SHA-256 digests with crypto.timingSafeEqual (equal lengths, so the token's length does not
 * leak) against EVERY configured token without stopping at the first match (so the matching
 * token's position does not leak either).
 */
import { createHash, timingSafeEqual } from 'node:crypto';

const sha256 = (s: string): Buffer => createHash('sha256').update(s, 'utf8').digest();

/** The token in `Bearer <token>` (scheme case-insensitive, as RFC 9110 says); undefined otherwise. */
export function parseBearer(authorization: string | undefined): string | undefined {
  if (authorization === undefined) return undefined;
  const m = /^Bearer[ \t]+(\S+)[ \t]*$/i.exec(authorization.trim());
  return m?.[1];
}

/** A safe identifier for a token in logs and in the authorizer context: 8 hex chars of its SHA-256. */
export const tokenId = (token: string): string => sha256(token).toString('hex').slice(0, 8);

/** A set of accepted tokens, held only as digests. */
export interface TokenSet {
  /** The matching token's id, or undefined when `presented` is not one of the tokens. */
  match(presented: string): string | undefined;
  readonly size: number;
}

export function tokenSet(tokens: readonly string[]): TokenSet {
  const digests = tokens.filter((t) => t.length > 0).map(sha256);
  return {
    size: digests.length,
    match(presented) {
      const d = sha256(presented);
      let found = false;
      for (const known of digests) {
        // Non-short-circuiting: every digest is compared whatever the earlier results were.
        found = timingSafeEqual(d, known) || found;
      }
      return found ? d.toString('hex').slice(0, 8) : undefined;
    },
  };
}

/** Splits the comma-separated token list held in the secret (the same format as MERCHANT_TOKENS). */
export const splitTokens = (value: string): string[] =>
  value
    .split(',')
    .map((t) => t.trim())
    .filter((t) => t.length > 0);
