/**
 * Webhook signatures, as the Standard Webhooks specification defines them: headers `webhook-id`,
 * `webhook-timestamp` (seconds) and `webhook-signature`: `v1,` + base64 HMAC-SHA256 of
 * `{id}.{timestamp}.{body}` under the secret's key (`whsec_` + base64 of the key bytes).
 *
 * Rotating the secret: the signing secret may name a previous secret and until when it is still
 * used (24 hours after the rotation, by the procedure in docs/guides/receive-webhooks.md); until then every delivery
 * carries both signatures, space-separated, so receivers can switch over without losing any.
 */
import { createHmac } from 'node:crypto';

export interface SigningSecrets {
  current: string;
  previous?: string | undefined;
  /** Epoch ms until which the previous secret signs too. */
  previousUntil?: number | undefined;
}

const WHSEC = /^whsec_[A-Za-z0-9+/]+={0,2}$/;

export class WebhookSecretError extends Error {
  override name = 'WebhookSecretError';
}

/**
 * The secret as kept (MERCHANT_WEBHOOK_SECRET, or the Secrets Manager secret): `whsec_…`, or JSON
 * `{"current": "whsec_…", "previous": "whsec_…", "previousUntil": "<ISO time>"}` during a rotation.
 * Throws WebhookSecretError naming what is wrong, never quoting the secret.
 */
export function parseSigningSecrets(raw: string): SigningSecrets {
  const v = raw.trim();
  if (!v.startsWith('{')) {
    if (!WHSEC.test(v)) throw new WebhookSecretError('the webhook secret must be whsec_ followed by base64');
    return { current: v };
  }
  let j: { current?: unknown; previous?: unknown; previousUntil?: unknown };
  try {
    j = JSON.parse(v) as typeof j;
  } catch {
    throw new WebhookSecretError('the webhook secret starts with "{" but is not valid JSON');
  }
  if (typeof j.current !== 'string' || !WHSEC.test(j.current)) throw new WebhookSecretError('the webhook secret JSON needs "current": "whsec_…"');
  if (j.previous === undefined) return { current: j.current };
  if (typeof j.previous !== 'string' || !WHSEC.test(j.previous)) throw new WebhookSecretError('"previous" must be "whsec_…"');
  const until = typeof j.previousUntil === 'string' ? Date.parse(j.previousUntil) : Number.NaN;
  if (!Number.isFinite(until)) throw new WebhookSecretError('"previousUntil" must be an ISO time when "previous" is given');
  return { current: j.current, previous: j.previous, previousUntil: until };
}

/** The key bytes of a `whsec_` secret (the base64 after the prefix). */
export const secretKey = (secret: string): Buffer => Buffer.from(secret.slice('whsec_'.length), 'base64');
const keyOf = secretKey;

export const sign = (secret: string, id: string, timestamp: number, body: string): string =>
  `v1,${createHmac('sha256', keyOf(secret)).update(`${id}.${timestamp}.${body}`).digest('base64')}`;

/** The three headers of one delivery at `nowMs`, signed with every secret in use. */
export function webhookHeaders(secrets: SigningSecrets, id: string, body: string, nowMs: number): Record<string, string> {
  const timestamp = Math.floor(nowMs / 1000);
  const signatures = [sign(secrets.current, id, timestamp, body)];
  if (secrets.previous !== undefined && (secrets.previousUntil ?? 0) > nowMs) signatures.push(sign(secrets.previous, id, timestamp, body));
  return { 'webhook-id': id, 'webhook-timestamp': String(timestamp), 'webhook-signature': signatures.join(' ') };
}
