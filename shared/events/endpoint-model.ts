/**
 * Webhook endpoints: where events are POSTed. A merchant manages up to MAX_ENDPOINTS of them
 * through the API (`POST /webhook-endpoints` …); MERCHANT_WEBHOOK_URL, where set, is one more, read
 * only (ENV_ENDPOINT_ID), signed with the configured secret as before. Pure: the types, the ids
 * and secrets, and which events an endpoint gets.
 */
import { randomBytes } from 'node:crypto';
import type { EventType } from './event-shape.ts';
import type { SigningSecrets } from '../signing-secrets.ts';
import type { DisabledReason, Endpoint, StoredEndpoint } from './ports.ts';

export type { DisabledReason, Endpoint, StoredEndpoint };

export { ENDPOINT_ID_RE, ENV_ENDPOINT_ID, MAX_DESCRIPTION_LENGTH, MAX_ENDPOINTS, MAX_KEPT_ATTEMPTS, MAX_URL_LENGTH } from './event-shape.ts';

/** A new endpoint id: `we_` and 24 random base62 characters. */
export function newEndpointId(): string {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
  const bytes = randomBytes(48);
  let id = '';
  // Rejection sampling: 248 is the largest multiple of 62 under 256, so every character is equally likely.
  for (const b of bytes) {
    if (b >= 248) continue;
    id += alphabet[b % 62];
    if (id.length === 24) break;
  }
  return `we_${id}`;
}

/** A new signing secret: `whsec_` and the base64 of 32 random bytes (Standard Webhooks: 24 to 64). */
export const newSigningSecret = (): string => `whsec_${randomBytes(32).toString('base64')}`;

/** The secrets a stored endpoint signs with at `now`: its own, and the previous one until its time. */
export function signingSecretsOf(e: Pick<StoredEndpoint, 'secret' | 'previousSecret' | 'previousUntil'>): SigningSecrets {
  return e.previousSecret !== undefined && e.previousUntil !== undefined
    ? { current: e.secret, previous: e.previousSecret, previousUntil: e.previousUntil }
    : { current: e.secret };
}

/** Whether `e` wants events of `type` (all when it names none). */
export const wants = (e: { eventTypes?: readonly EventType[] | undefined }, type: EventType): boolean => e.eventTypes === undefined || e.eventTypes.includes(type);

/**
 * Who gets an event of `type` as it is logged: every endpoint that wants it and takes events
 * (`waiting`: one disabled for failing, which keeps what it misses until it is enabled again); an
 * endpoint the merchant disabled gets nothing. `except`: the endpoint an event is about
 * (endpoint.disabled is told to the others).
 */
export function fanOut(endpoints: readonly Endpoint[], type: EventType, except?: string): Array<{ endpointId: string; waiting: boolean }> {
  return endpoints
    .filter((e) => e.id !== except && wants(e, type) && (e.enabled || e.disabledReason === 'failing'))
    .map((e) => ({ endpointId: e.id, waiting: !e.enabled }));
}

/** The API-managed endpoint `s` as a delivery sees it. */
export const endpointOf = (s: StoredEndpoint): Endpoint => ({
  id: s.id,
  url: s.url,
  eventTypes: s.eventTypes,
  enabled: s.enabled,
  disabledReason: s.disabledReason,
  managed: 'api',
  secrets: () => Promise.resolve(signingSecretsOf(s)),
});
