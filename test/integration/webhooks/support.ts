/**
 * Helpers for the webhook endpoints tests: receivers of our own (test/support/webhook-receiver.ts,
 * verifying with the independent standardwebhooks package) registered through the API, each
 * verifying with the secret the API handed out for it.
 */
import { expect } from 'vitest';
import type { Stack } from '../../support/stack.ts';
import { startWebhookReceiver, type WebhookReceiver } from '../../support/webhook-receiver.ts';
import type { LoggedEvent } from '../events/support.ts';

export interface EndpointReply {
  id: string;
  url: string;
  description?: string;
  eventTypes?: string[];
  enabled: boolean;
  disabledReason?: string;
  disabledAt?: string;
  managedBy: string;
  createdAt?: string;
  updatedAt?: string;
  previousSecretExpiresAt?: string;
  secret?: string;
  health?: {
    lastAttempt?: { at: string; eventId: string; ok: boolean; status?: number; error?: string; latencyMs: number };
    lastSuccessAt?: string;
    failingSince?: string;
    consecutiveFailures: number;
    lastDay: { attempts: number; succeeded: number; failed: number; successRate?: number };
    oldestUndelivered?: { eventId: string; loggedAt: string };
  };
}

/** POST /webhook-endpoints: 201 with the endpoint and its secret. */
export async function createEndpoint(s: Stack, body: Record<string, unknown>): Promise<EndpointReply & { secret: string }> {
  const r = await s.merchantRequest('/webhook-endpoints', { method: 'POST', json: body });
  expect({ status: r.status, body: r.json }).toMatchObject({ status: 201 });
  return r.json as unknown as EndpointReply & { secret: string };
}

export const getEndpoint = async (s: Stack, id: string): Promise<EndpointReply> => {
  const r = await s.merchantRequest(`/webhook-endpoints/${id}`);
  expect({ status: r.status, body: r.json }).toMatchObject({ status: 200 });
  return r.json as unknown as EndpointReply;
};

export const listEndpoints = async (s: Stack): Promise<EndpointReply[]> => {
  const r = await s.merchantRequest('/webhook-endpoints');
  expect(r.status).toBe(200);
  return (r.json as unknown as { endpoints: EndpointReply[] }).endpoints;
};

/** A receiver of our own, registered as an endpoint (`body`: the rest of the create request); it verifies with the endpoint's secret. */
export async function endpointReceiver(s: Stack, body: Record<string, unknown> = {}): Promise<{ receiver: WebhookReceiver; endpoint: EndpointReply & { secret: string } }> {
  const receiver = await startWebhookReceiver();
  const endpoint = await createEndpoint(s, { url: receiver.url, ...body });
  receiver.setSecret(endpoint.secret);
  return { receiver, endpoint };
}

export const getEvent = async (s: Stack, id: string): Promise<LoggedEvent> => {
  const r = await s.merchantRequest(`/events/${id}`);
  expect(r.status).toBe(200);
  return r.json as unknown as LoggedEvent;
};

/** The delivery of event `id` to `endpointId`, as GET /events/{id} shows it. */
export const deliveryOf = async (s: Stack, id: string, endpointId: string): Promise<LoggedEvent['deliveries'][number] | undefined> =>
  (await getEvent(s, id)).deliveries.find((d) => d.endpointId === endpointId);

/** Waits until the deliveries' next attempts are due (their nextAt, the stack's short schedule), then runs the retrier once. */
export async function retryWhenDue(s: Stack, ids: string | readonly string[], endpointId: string): Promise<void> {
  let latest = 0;
  for (const id of typeof ids === 'string' ? [ids] : ids) {
    const next = (await deliveryOf(s, id, endpointId))?.nextAt;
    expect({ id, endpointId, next }).toEqual({ id, endpointId, next: expect.any(String) });
    latest = Math.max(latest, Date.parse(next ?? ''));
  }
  const wait = latest - Date.now() + 50;
  if (wait > 0) await new Promise((r) => setTimeout(r, wait));
  await s.runWebhookRetrier();
}

/** The deliveries of one event (by webhook-id) at a receiver. */
export const at = (receiver: WebhookReceiver, eventId: string) => receiver.deliveriesOf(eventId);
