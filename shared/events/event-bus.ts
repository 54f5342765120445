/**
 * The EventBridge custom bus (`toss-pay-<stage>`): every event, source `toss-pay`, detail-type
 * its type, detail the envelope, so merchants route events with rules to anything AWS offers.
 * Locally EVENTBRIDGE_ENDPOINT points at the stand-in that npm start runs.
 */
import { EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { endpointSettings } from '../store/client.ts';
import type { EventBus } from './ports.ts';

export const EVENT_SOURCE = 'toss-pay';
/** PutEvents takes at most 10 entries. */
const BATCH = 10;

export function createEventBus(o: { busName: string; region: string; endpoint?: string | undefined }): EventBus {
  const client = new EventBridgeClient({ region: o.region, ...endpointSettings(o.endpoint), maxAttempts: 3 });
  return {
    async put(events) {
      for (let i = 0; i < events.length; i += BATCH) {
        const batch = events.slice(i, i + BATCH);
        const r = await client.send(
          new PutEventsCommand({
            Entries: batch.map((e) => ({
              EventBusName: o.busName,
              Source: EVENT_SOURCE,
              DetailType: e.type,
              Detail: JSON.stringify({ id: e.id, type: e.type, timestamp: e.timestamp, data: e.data }),
              Time: new Date(e.timestamp),
              Resources: [],
            })),
          }),
        );
        // Partial failures are not thrown by the SDK: all of them are retried with the change.
        if ((r.FailedEntryCount ?? 0) > 0) {
          const codes = (r.Entries ?? []).map((x) => x.ErrorCode).filter((c) => c !== undefined);
          throw new Error(`EventBridge refused ${r.FailedEntryCount} of ${batch.length} events (${[...new Set(codes)].join(', ')})`);
        }
      }
    },
  };
}
