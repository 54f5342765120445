/**
 * The events of one committed change of the webhook endpoints (their item's images before and
 * after, as the table's stream carries them), as order-events.ts derives the orders'. Pure: the
 * same change always gives the same events with the same ids.
 *
 *   endpoint.disabled   an endpoint was disabled because every attempt to it failed for
 *                       WEBHOOK_DISABLE_AFTER_DAYS; told to the other endpoints (not to itself:
 *                       its own events wait for it to be enabled again)
 */
import { createHash } from 'node:crypto';
import type { StoredEndpoint } from './endpoint-model.ts';
import type { EndpointEvent } from './reply-schemas.ts';

const iso = (ms: number): string => new Date(ms).toISOString();

export const endpointEventId = (endpointId: string, at: number, type: EndpointEvent['type']): string =>
  `evt_${createHash('sha256').update(`endpoint\n${endpointId}\n${at}\n${type}`).digest('base64url').slice(0, 26)}`;

/** The events of a change from `before` to `after` (every endpoint, each time). */
export function endpointEvents(before: readonly StoredEndpoint[], after: readonly StoredEndpoint[]): EndpointEvent[] {
  const was = new Map(before.map((e) => [e.id, e]));
  return after.flatMap((e): EndpointEvent[] => {
    const b = was.get(e.id);
    if (b?.enabled !== true || e.enabled || e.disabledReason !== 'failing' || e.disabledAt === undefined) return [];
    return [
      {
        id: endpointEventId(e.id, e.disabledAt, 'endpoint.disabled'),
        type: 'endpoint.disabled',
        timestamp: iso(e.disabledAt),
        data: {
          endpointId: e.id,
          url: e.url,
          ...(e.description !== undefined ? { description: e.description } : {}),
          reason: 'failing',
          failingSince: iso(e.failingSince ?? e.disabledAt),
          disabledAt: iso(e.disabledAt),
        },
      },
    ];
  });
}
