/**
 * The redirect to MERCHANT_RESULT_URL: a 303 to the configured URL (never one from the request)
 * with `orderNo` and `result` appended, and, for the buyer (a request with the landing token)
 * when a webhook secret is in place, `timestamp` (seconds) and `signature`.
 *
 * The signature is `v1,` and the base64 HMAC-SHA256 of `{orderNo}.{timestamp}.{result}`, keyed with
 * a key derived from the webhook secret for this purpose alone (HKDF-SHA256 of the secret's key
 * bytes, empty salt, info REDIRECT_KEY_INFO, 32 bytes). Never the webhook key itself: a string
 * signed with it verifies as a webhook (Standard Webhooks signs `{id}.{timestamp}.{body}`), so a
 * redirect would have been a valid "webhook" whose id is the orderNo and whose body is the result.
 * docs/guides/integrate-your-shop.md shows how a shop verifies it (docs/examples/verify-redirect.ts). It says what to show
 * the buyer; a shop fulfils on an event or the API, never on this redirect.
 */
import { createHmac, hkdfSync } from 'node:crypto';
import type { APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import type { BuyerResult } from '../domain/states.ts';
import { secretKey, type SigningSecrets } from '../signing-secrets.ts';

/** The HKDF info of the redirect's key: what makes it a key for redirects and nothing else. */
export const REDIRECT_KEY_INFO = 'toss-pay merchant result redirect v1';

/** The redirect key of a `whsec_` secret. */
export const redirectKey = (secret: string): Buffer => Buffer.from(hkdfSync('sha256', secretKey(secret), Buffer.alloc(0), REDIRECT_KEY_INFO, 32));

const signWith = (secret: string, orderNo: string, timestamp: number, result: string): string =>
  `v1,${createHmac('sha256', redirectKey(secret)).update(`${orderNo}.${timestamp}.${result}`).digest('base64')}`;

/** `timestamp` and `signature` of a redirect at `nowMs`: during a rotation, both secrets' signatures, space-separated. */
export function redirectSignature(secrets: SigningSecrets, orderNo: string, result: string, nowMs: number): { timestamp: string; signature: string } {
  const timestamp = Math.floor(nowMs / 1000);
  const signatures = [signWith(secrets.current, orderNo, timestamp, result)];
  if (secrets.previous !== undefined && (secrets.previousUntil ?? 0) > nowMs) signatures.push(signWith(secrets.previous, orderNo, timestamp, result));
  return { timestamp: String(timestamp), signature: signatures.join(' ') };
}

export function merchantRedirect(
  merchantResultUrl: string,
  orderNo: string,
  result: BuyerResult,
  signing?: { secrets: SigningSecrets; now: number },
): APIGatewayProxyStructuredResultV2 {
  const u = new URL(merchantResultUrl);
  u.searchParams.set('orderNo', orderNo);
  u.searchParams.set('result', result);
  // Any timestamp or signature already in the configured URL goes: only ours may be there.
  u.searchParams.delete('timestamp');
  u.searchParams.delete('signature');
  if (signing !== undefined) {
    const s = redirectSignature(signing.secrets, orderNo, result, signing.now);
    u.searchParams.set('timestamp', s.timestamp);
    u.searchParams.set('signature', s.signature);
  }
  return { statusCode: 303, headers: { Location: u.toString(), 'Cache-Control': 'no-store', Pragma: 'no-cache', 'Referrer-Policy': 'no-referrer' }, body: '' };
}
