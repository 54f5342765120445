/**
 * The merchant's Toss apiKey: TOSS_API_KEY locally, Secrets Manager (TOSS_API_KEY_SECRET_ARN)
 * when deployed. Fetched once per container. The secret may be the key itself or JSON
 * `{"apiKey": "..."}`. A failure is not kept: the next call tries again, reading the secret
 * afresh (Powertools would otherwise serve the same bad value from its cache for a day). No
 * error carries the secret or a piece of it.
 */
import { getSecret } from '../secrets.ts';
import type { AppConfig } from '../config.ts';

export function apiKeyProvider(c: Pick<AppConfig, 'TOSS_API_KEY' | 'TOSS_API_KEY_SECRET_ARN'>): () => Promise<string> {
  const local = c.TOSS_API_KEY;
  if (local !== undefined) return () => Promise.resolve(local);
  const arn = c.TOSS_API_KEY_SECRET_ARN;
  if (arn === undefined) throw new Error('no Toss apiKey configured');
  let pending: Promise<string> | undefined;
  let failed = false;
  return () => {
    pending ??= (async () => {
      const v = await getSecret(arn, { maxAge: 86_400, forceFetch: failed });
      if (typeof v !== 'string' || v.trim() === '') throw new Error('the Toss apiKey secret is empty or not a string');
      const s = v.trim();
      if (!s.startsWith('{')) return s;
      let parsed: { apiKey?: unknown };
      try {
        parsed = JSON.parse(s) as { apiKey?: unknown };
      } catch {
        // Not the SyntaxError itself: its message quotes the text around the error, i.e. the key.
        throw new Error('the Toss apiKey secret starts with "{" but is not valid JSON');
      }
      if (typeof parsed.apiKey !== 'string') throw new Error('the Toss apiKey secret JSON has no apiKey');
      return parsed.apiKey;
    })().catch((e: unknown) => {
      pending = undefined;
      failed = true;
      throw e;
    });
    return pending;
  };
}
