/**
 * Secrets Manager, loaded on first use. Deployed functions read their secrets (the Toss apiKey,
 * the merchant tokens, the webhook signing secret) through Powertools' `getSecret`, which brings
 * the Secrets Manager client with it: imported here only when a secret is first read, so a cold
 * start does not load it (the bundler puts it in a chunk of its own), and a function running
 * with local values (TOSS_API_KEY, MERCHANT_TOKENS, ...) never loads it at all. Powertools'
 * caching is unchanged: every call goes to the same module and its default provider.
 */
import type { getSecret as powertoolsGetSecret } from '@aws-lambda-powertools/parameters/secrets';

type GetSecret = typeof powertoolsGetSecret;

let loading: Promise<GetSecret> | undefined;

/** Powertools' getSecret(id, options): the secret's value (a string for a string secret). */
export async function getSecret(id: string, options: { maxAge?: number; forceFetch?: boolean }): Promise<unknown> {
  loading ??= import('@aws-lambda-powertools/parameters/secrets').then(
    (m) => m.getSecret,
    (e: unknown) => {
      // Not kept: the next read tries the import again.
      loading = undefined;
      throw e;
    },
  );
  const get = await loading;
  return get(id, options);
}
