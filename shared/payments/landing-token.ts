/**
 * The landing token: what tells the buyer who comes back from Toss's checkout from anyone who
 * merely knows (or guesses) an orderNo. The retUrl and retCancelUrl given to Toss carry it
 * (`?t=<token>`), so only the buyer's browser, sent back by Toss, and Toss have it. A result page
 * shows the order (product, amount, method, time) only to a request that carries it; without it, or
 * with a wrong one, the page says only whether the order is done. The cancel landing counts a
 * buyer's quit only on a request that carries it (shared/payments/landing.ts).
 *
 * A token is `<orderNo, base64url>.<mac>`: the orderNo it is for (so the landing needs nothing
 * else in the URL: Toss appends its own `orderNo` to retUrl, and ours would be a second one) and
 * the first 128 bits of HMAC-SHA256 of the orderNo under a key derived from the Toss apiKey with
 * HKDF for this purpose alone (the key itself signs nothing, and no other signature of this
 * service can be taken for a token). A new apiKey makes the tokens of payments created under the
 * old one wrong: their buyers, for the hour such a payment can still be open, get the short page.
 */
import { createHmac, hkdfSync, timingSafeEqual } from 'node:crypto';
import type { LandingTokens } from './ports.ts';

export type { LandingTokens };

/** The HKDF label of the key: a key for nothing else. */
const PURPOSE = 'toss-pay landing token v1';
const MAC_BYTES = 16;

/** A token's parts as the URL carries them. */
export const tokenOf = (orderNo: string, mac: Buffer): string => `${Buffer.from(orderNo, 'utf8').toString('base64url')}.${mac.toString('base64url')}`;

/** The orderNo a token names, whether or not its mac is right; undefined when it is no token. */
export function orderNoOfToken(token: string): string | undefined {
  const m = /^([A-Za-z0-9_-]{1,70})\.([A-Za-z0-9_-]{22})$/.exec(token);
  if (m === null) return undefined;
  const orderNo = Buffer.from(m[1] as string, 'base64url').toString('utf8');
  return tokenOf(orderNo, Buffer.from(m[2] as string, 'base64url')) === token ? orderNo : undefined;
}

/** Tokens under the key derived from `secret` (the Toss apiKey: every function making or reading landing URLs has it). */
export function landingTokens(secret: () => Promise<string>): LandingTokens {
  let cached: { secret: string; key: Buffer } | undefined;
  const keyOf = async (): Promise<Buffer> => {
    const s = await secret();
    if (cached?.secret !== s) cached = { secret: s, key: Buffer.from(hkdfSync('sha256', s, Buffer.alloc(0), PURPOSE, 32)) };
    return cached.key;
  };
  const macOf = async (orderNo: string): Promise<Buffer> => createHmac('sha256', await keyOf()).update(orderNo, 'utf8').digest().subarray(0, MAC_BYTES);
  return {
    async tokenFor(orderNo) {
      return tokenOf(orderNo, await macOf(orderNo));
    },
    async verify(token) {
      const orderNo = orderNoOfToken(token);
      if (orderNo === undefined) return false;
      const given = Buffer.from(token.slice(token.indexOf('.') + 1), 'base64url');
      const expected = await macOf(orderNo);
      return given.length === expected.length && timingSafeEqual(given, expected);
    },
  };
}
