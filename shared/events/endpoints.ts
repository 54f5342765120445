/**
 * The webhook endpoints API's use cases: create, list, read (with its health), change, delete,
 * rotate the secret, and send a test event. Every change is one conditional write of the endpoints'
 * item (shared/store/webhook-endpoints.ts); nothing is written for a request refused. The
 * configured endpoint (MERCHANT_WEBHOOK_URL, `we_env`) is listed and read, and tested, but a
 * deployment changes it: PATCH, DELETE and rotate-secret answer 409.
 */
import type { Actor } from '../domain/order.ts';
import { randomBytes } from 'node:crypto';
import { newEndpointId, newSigningSecret, ENV_ENDPOINT_ID, MAX_ENDPOINTS, type StoredEndpoint } from './endpoint-model.ts';
import {
  WebhookEndpointLimitError,
  WebhookEndpointManagedError,
  WebhookEndpointNotFoundError,
  WebhookUrlCheckUnavailableError,
  WebhookUrlNotAllowedError,
} from './endpoint-errors.ts';
import { healthView } from './endpoint-health.ts';
import type { CreateEndpointRequest, UpdateEndpointRequest } from './request-schemas.ts';
import type { CreateEndpointReply, DeleteEndpointReply, EndpointDetail, EndpointView, ListEndpointsReply, RotateSecretReply, TestEndpointReply } from './reply-schemas.ts';
import { envelopeOf } from './envelope.ts';
import { TEST_EVENT_TYPE } from './event-shape.ts';
import type { EventsDeps } from './ports.ts';
import { checkEndpointUrl, DnsUnavailableError, WebhookUrlError } from './webhook-url.ts';
import { attemptOnce, loadEndpoints } from './webhooks.ts';

const HOUR = 3_600_000;
const iso = (ms: number): string => new Date(ms).toISOString();

/** An endpoint as the API shows it: never its secrets. */
export function endpointView(e: StoredEndpoint, now: number): EndpointView {
  return {
    id: e.id,
    url: e.url,
    ...(e.description !== undefined ? { description: e.description } : {}),
    ...(e.eventTypes !== undefined ? { eventTypes: e.eventTypes } : {}),
    enabled: e.enabled,
    ...(e.disabledReason !== undefined ? { disabledReason: e.disabledReason } : {}),
    ...(e.disabledAt !== undefined ? { disabledAt: iso(e.disabledAt) } : {}),
    managedBy: 'api',
    createdAt: iso(e.createdAt),
    updatedAt: iso(e.updatedAt),
    ...(e.previousUntil !== undefined && e.previousUntil > now ? { previousSecretExpiresAt: iso(e.previousUntil) } : {}),
  };
}

const configuredView = (url: string): EndpointView => ({ id: ENV_ENDPOINT_ID, url, enabled: true, managedBy: 'configuration' });

/** The URL as this stage takes it (normalized), or the refusal. */
async function checkedUrl(raw: string, deps: Pick<EventsDeps, 'webhooks'>): Promise<string> {
  try {
    return await checkEndpointUrl(raw, deps.webhooks.policy, deps.webhooks.resolve);
  } catch (e) {
    if (e instanceof WebhookUrlError) throw new WebhookUrlNotAllowedError(e.reason, e.message);
    if (e instanceof DnsUnavailableError) throw new WebhookUrlCheckUnavailableError(e.message);
    throw e;
  }
}

/** The stored endpoint `id`: 409 for the configured one, 404 for none. */
async function stored(id: string, deps: Pick<EventsDeps, 'endpoints' | 'configured'>): Promise<StoredEndpoint> {
  if (id === ENV_ENDPOINT_ID && deps.configured !== undefined) throw new WebhookEndpointManagedError();
  const e = (await deps.endpoints.list()).find((x) => x.id === id);
  if (e === undefined) throw new WebhookEndpointNotFoundError('no such webhook endpoint');
  return e;
}

export async function createEndpoint(req: CreateEndpointRequest, deps: EventsDeps, actor?: Actor): Promise<CreateEndpointReply> {
  const url = await checkedUrl(req.url, deps);
  const now = deps.clock();
  const enabled = req.enabled ?? true;
  const e: StoredEndpoint = {
    id: newEndpointId(),
    url,
    ...(req.description !== undefined ? { description: req.description } : {}),
    ...(req.eventTypes !== undefined ? { eventTypes: req.eventTypes } : {}),
    enabled,
    ...(enabled ? {} : { disabledReason: 'merchant' as const, disabledAt: now }),
    createdAt: now,
    updatedAt: now,
    secret: newSigningSecret(),
  };
  if ((await deps.endpoints.create(e, MAX_ENDPOINTS)) === 'limit')
    throw new WebhookEndpointLimitError(`at most ${MAX_ENDPOINTS} webhook endpoints: delete one first`);
  deps.logger.info('webhook endpoint created', { endpointId: e.id, enabled, actor: actor?.id });
  return { ...endpointView(e, now), secret: e.secret };
}

export async function listEndpoints(deps: Pick<EventsDeps, 'endpoints' | 'configured' | 'clock'>): Promise<ListEndpointsReply> {
  const now = deps.clock();
  const all = await deps.endpoints.list();
  return { endpoints: [...(deps.configured !== undefined ? [configuredView(deps.configured.url)] : []), ...all.map((e) => endpointView(e, now))] };
}

export async function getEndpoint(id: string, deps: EventsDeps): Promise<EndpointDetail> {
  const now = deps.clock();
  const view = id === ENV_ENDPOINT_ID && deps.configured !== undefined ? configuredView(deps.configured.url) : endpointView(await stored(id, deps), now);
  const [health, open] = await Promise.all([deps.health.read(id), deps.deliveries.openDeliveries(id, '', 1)]);
  return { ...view, health: healthView(health, now, open.items[0]) };
}

export async function updateEndpoint(id: string, req: UpdateEndpointRequest, deps: EventsDeps, actor?: Actor): Promise<EndpointView> {
  const current = await stored(id, deps);
  const now = deps.clock();
  const set: Partial<StoredEndpoint> = { updatedAt: now };
  const remove: Array<keyof StoredEndpoint> = [];
  if (req.url !== undefined) set.url = await checkedUrl(req.url, deps);
  if (req.description === null) remove.push('description');
  else if (req.description !== undefined) set.description = req.description;
  if (req.eventTypes === null) remove.push('eventTypes');
  else if (req.eventTypes !== undefined) set.eventTypes = req.eventTypes;
  // Enabled again: what it missed (and what failed) goes out again, and its failing streak starts afresh.
  const enabling = req.enabled === true && !current.enabled;
  if (enabling) {
    Object.assign(set, { enabled: true, catchUp: { after: '' } });
    remove.push('disabledReason', 'disabledAt', 'failingSince');
  } else if (req.enabled === false && current.enabled) {
    Object.assign(set, { enabled: false, disabledReason: 'merchant', disabledAt: now });
    remove.push('catchUp');
  }
  const updated = await deps.endpoints.update(id, set, remove);
  if (updated === undefined) throw new WebhookEndpointNotFoundError('no such webhook endpoint');
  if (enabling) await deps.health.resetStreak(id);
  deps.logger.info('webhook endpoint changed', { endpointId: id, fields: Object.keys(req), ...(enabling ? { enabled: true } : {}), actor: actor?.id });
  return endpointView(updated, now);
}

export async function deleteEndpoint(id: string, deps: EventsDeps, actor?: Actor): Promise<DeleteEndpointReply> {
  await stored(id, deps);
  if (!(await deps.endpoints.remove(id))) throw new WebhookEndpointNotFoundError('no such webhook endpoint');
  deps.logger.info('webhook endpoint deleted', { endpointId: id, actor: actor?.id });
  return { id, deleted: true };
}

/**
 * A new secret for endpoint `id`. For WEBHOOK_SECRET_ROTATION_HOURS the previous one still signs
 * too (every delivery carries both signatures), so the receiver can switch without losing one; a
 * second rotation within that time drops the first secret at once.
 */
export async function rotateSecret(id: string, deps: EventsDeps, actor?: Actor): Promise<RotateSecretReply> {
  const current = await stored(id, deps);
  const now = deps.clock();
  const secret = newSigningSecret();
  const until = now + deps.webhooks.rotationHours * HOUR;
  const updated =
    until > now
      ? await deps.endpoints.update(id, { secret, previousSecret: current.secret, previousUntil: until, updatedAt: now }, [])
      : await deps.endpoints.update(id, { secret, updatedAt: now }, ['previousSecret', 'previousUntil']);
  if (updated === undefined) throw new WebhookEndpointNotFoundError('no such webhook endpoint');
  deps.logger.info('webhook endpoint secret rotated', { endpointId: id, previousUntil: iso(until), actor: actor?.id });
  return { ...endpointView(updated, now), secret };
}

/** Sends a signed webhook.test to endpoint `id` now (enabled or not; not logged, not counted in its health) and tells what came of it. */
export async function testEndpoint(id: string, deps: EventsDeps): Promise<TestEndpointReply> {
  const endpoint = (await loadEndpoints(deps)).get(id);
  if (endpoint === undefined) throw new WebhookEndpointNotFoundError('no such webhook endpoint');
  const eventId = `evt_${randomBytes(16).toString('base64url')}`;
  const body = envelopeOf({
    id: eventId,
    type: TEST_EVENT_TYPE,
    timestamp: iso(deps.clock()),
    data: { endpointId: id, message: 'A test event from POST /webhook-endpoints/{id}/test: answer 2xx.' },
  });
  const { attempt, ok } = await attemptOnce(endpoint, eventId, body, deps);
  deps.logger.info('webhook endpoint tested', { endpointId: id, eventId, httpStatus: attempt.status, error: attempt.error, latencyMs: attempt.latencyMs });
  return { eventId, ok, ...(attempt.status !== undefined ? { status: attempt.status } : {}), ...(attempt.error !== undefined ? { error: attempt.error } : {}), latencyMs: attempt.latencyMs };
}
