/**
 * The merchant's Toss apiKey: TOSS_API_KEY locally, Secrets Manager (TOSS_API_KEY_SECRET_ARN)
 * when deployed. Fetched once per container. The secret may be the key itself or JSON
 * `{"apiKey": "..."}`.
 */
import { getSecret } from '@aws-lambda-powertools/parameters/secrets';
import type { AppConfig } from '../config.ts';

export function apiKeyProvider(c: Pick<AppConfig, 'TOSS_API_KEY' | 'TOSS_API_KEY_SECRET_ARN'>): () => Promise<string> {
  const local = c.TOSS_API_KEY;
  if (local !== undefined) return () => Promise.resolve(local);
  const arn = c.TOSS_API_KEY_SECRET_ARN;
  if (arn === undefined) throw new Error('no Toss apiKey configured');
  let pending: Promise<string> | undefined;
  return () => {
    pending ??= (async () => {
      const v = await getSecret(arn, { maxAge: 86_400 });
      if (typeof v !== 'string' || v.trim() === '') throw new Error('the Toss apiKey secret is empty or not a string');
      const s = v.trim();
      if (!s.startsWith('{')) return s;
      const parsed = JSON.parse(s) as { apiKey?: unknown };
      if (typeof parsed.apiKey !== 'string') throw new Error('the Toss apiKey secret JSON has no apiKey');
      return parsed.apiKey;
    })().catch((e: unknown) => {
      pending = undefined;
      throw e;
    });
    return pending;
  };
}
