/**
 * The webhook signing secret as it is kept (MERCHANT_WEBHOOK_SECRET, or the Secrets Manager secret):
 * `whsec_` + base64 of the key bytes, or, during a rotation, JSON naming the previous secret and
 * until when it still signs. Configuration checks it at the cold start (shared/config.ts); the
 * webhooks (shared/events/webhook-signing.ts) and the landings' redirects
 * (shared/http/merchant-redirect.ts) sign with it.
 */

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
