/**
 * Webhook endpoints: where events are POSTed. A merchant manages up to MAX_ENDPOINTS of them
 * through the API (`POST /webhook-endpoints` …); MERCHANT_WEBHOOK_URL, where set, is one more, read
 * only (ENV_ENDPOINT_ID), signed with the configured secret as before. Pure: the types, the ids
 * and secrets, and which events an endpoint gets.
 */
import { randomBytes } from 'node:crypto';
import type { EventType } from './order-events.ts';
import type { SigningSecrets } from './webhook-signing.ts';

/** Endpoints the API manages (the configured one is not counted: it is not the API's to create or remove). */
export const MAX_ENDPOINTS = 20;
/** The endpoint MERCHANT_WEBHOOK_URL configures: listed, delivered to, and read only through the API. */
export const ENV_ENDPOINT_ID = 'we_env';
export const ENDPOINT_ID_RE = /^we_[A-Za-z0-9]{1,32}$/;
/** The longest endpoint URL taken. */
export const MAX_URL_LENGTH = 2_048;
export const MAX_DESCRIPTION_LENGTH = 256;
/** Attempts a delivery keeps (the latest), so that its item stays small whatever happens; `attemptCount` counts them all. */
export const MAX_KEPT_ATTEMPTS = 10;

/** Why an endpoint is disabled: its attempts failed for WEBHOOK_DISABLE_AFTER_DAYS (it still collects what it misses), or the merchant said so. */
export type DisabledReason = 'failing' | 'merchant';

/** An endpoint the API manages, as the table keeps it (shared/store/webhook-endpoints.ts). */
export interface StoredEndpoint {
  id: string;
  url: string;
  description?: string | undefined;
  /** The event types it gets; absent: every type. */
  eventTypes?: EventType[] | undefined;
  enabled: boolean;
  disabledReason?: DisabledReason | undefined;
  /** Epoch ms. */
  disabledAt?: number | undefined;
  /** When its failing began, for an endpoint disabled for failing (epoch ms). */
  failingSince?: number | undefined;
  createdAt: number;
  updatedAt: number;
  /** `whsec_…`: never shown but at creation and rotation, never logged. */
  secret: string;
  /** The secret before the last rotation, and until when it still signs (epoch ms). */
  previousSecret?: string | undefined;
  previousUntil?: number | undefined;
  /**
   * Set when it is enabled again: its undelivered events are queued again by the retrier, which
   * walks them oldest first from `after` (a place in its open deliveries, '' from the start) and
   * removes this when done.
   */
  catchUp?: { after: string } | undefined;
}

/** Every endpoint, as one delivery needs it: where, how it is signed, whether it takes events now. */
export interface Endpoint {
  id: string;
  url: string;
  eventTypes?: readonly EventType[] | undefined;
  enabled: boolean;
  disabledReason?: DisabledReason | undefined;
  /** The configured endpoint (MERCHANT_WEBHOOK_URL): read only through the API, never disabled. */
  managed: 'api' | 'configuration';
  secrets: () => Promise<SigningSecrets>;
}

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
