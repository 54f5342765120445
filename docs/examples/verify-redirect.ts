import { createHmac, hkdfSync, timingSafeEqual } from 'node:crypto';

/** How far the redirect's timestamp may be from now, in seconds. */
export const REDIRECT_TOLERANCE_SECONDS = 5 * 60;

/**
 * Verifies the redirect to MERCHANT_RESULT_URL. `url`: the full URL your result page was requested
 * with; `secret`: the webhook secret (`whsec_...`). Returns its orderNo and result when one of its
 * signatures is valid and its timestamp recent, else undefined. Even then it only says what to show
 * the buyer: confirm the payment (GET /payments/{orderNo}, or an event) before you fulfil.
 */
export function verifyRedirect(url: string, secret: string, nowMs: number = Date.now()): { orderNo: string; result: string } | undefined {
  const query = new URL(url).searchParams;
  const orderNo = query.get('orderNo');
  const result = query.get('result');
  const timestamp = query.get('timestamp');
  const signatures = query.get('signature');
  if (orderNo === null || result === null || timestamp === null || signatures === null) return undefined;
  if (!/^\d{1,12}$/.test(timestamp) || Math.abs(nowMs / 1000 - Number(timestamp)) > REDIRECT_TOLERANCE_SECONDS) return undefined;
  // The redirect's own key, derived from the webhook secret's: a webhook signature is never a redirect's, nor the other way round.
  const key = Buffer.from(hkdfSync('sha256', Buffer.from(secret.slice('whsec_'.length), 'base64'), Buffer.alloc(0), 'toss-pay merchant result redirect v1', 32));
  const expected = Buffer.from(`v1,${createHmac('sha256', key).update(`${orderNo}.${timestamp}.${result}`).digest('base64')}`);
  // During a secret rotation the redirect carries two signatures, space-separated: either will do.
  const valid = signatures.split(' ').some((signature) => {
    const given = Buffer.from(signature);
    return given.length === expected.length && timingSafeEqual(given, expected);
  });
  return valid ? { orderNo, result } : undefined;
}
