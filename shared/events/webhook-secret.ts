/**
 * The webhook signing secret: MERCHANT_WEBHOOK_SECRET locally, the Secrets Manager secret
 * MERCHANT_WEBHOOK_SECRET_ARN names when deployed, read again every minute so that a rotation
 * (webhook-signing.ts) takes effect without a deploy. No error carries the secret.
 */
import { getSecret } from '../secrets.ts';
import type { AppConfig } from '../config.ts';
import { parseSigningSecrets, type SigningSecrets } from './webhook-signing.ts';

const MAX_AGE_SECONDS = 60;

export function webhookSecretsProvider(c: Pick<AppConfig, 'MERCHANT_WEBHOOK_SECRET' | 'MERCHANT_WEBHOOK_SECRET_ARN'>): () => Promise<SigningSecrets> {
  const local = c.MERCHANT_WEBHOOK_SECRET;
  if (local !== undefined && local !== '') {
    const parsed = parseSigningSecrets(local);
    return () => Promise.resolve(parsed);
  }
  const arn = c.MERCHANT_WEBHOOK_SECRET_ARN;
  if (arn === undefined) return () => Promise.reject(new Error('no webhook signing secret configured'));
  return async () => {
    const v = await getSecret(arn, { maxAge: MAX_AGE_SECONDS });
    if (typeof v !== 'string') throw new Error('the webhook secret has no string value');
    return parseSigningSecrets(v);
  };
}
