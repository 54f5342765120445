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
import { secretKey, type SigningSecrets } from '../signing-secrets.ts';

// The secret's format is configuration's too (shared/config.ts checks it): it lives there, and is
// re-exported here beside the signing it is for.
export { parseSigningSecrets, secretKey, WebhookSecretError, type SigningSecrets } from '../signing-secrets.ts';

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
