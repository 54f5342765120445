import { appConfig } from '../config.ts';
import { apiKeyProvider } from './api-key.ts';
import { createTossClient, type TossClient } from './client.ts';

export * from './errors.ts';
export * from './schemas.ts';
export * from './client.ts';
export { apiKeyProvider } from './api-key.ts';

let singleton: TossClient | undefined;
/** The container's Toss client, built from appConfig(). */
export function tossClient(): TossClient {
  if (singleton === undefined) {
    const c = appConfig();
    singleton = createTossClient({ baseUrl: c.TOSS_BASE_URL, apiKey: apiKeyProvider(c), timeoutMs: c.TOSS_TIMEOUT_MS });
  }
  return singleton;
}
export function resetTossClient(): void {
  singleton = undefined;
}
export * from './time.ts';
