/**
 * The EventBridge custom bus (`toss-pay-<stage>`): every event, source `toss-pay`, detail-type
 * its type, detail the envelope, so merchants route events with rules to anything AWS offers.
 * Locally EVENTBRIDGE_ENDPOINT points at the stand-in that npm start runs.
 *
 * PutEvents takes at most 10 entries whose sizes, as EventBridge counts them (entrySize), add up
 * to at most 256 KB; a call over either limit is refused whole (ValidationException). The events
 * are put in calls within both, in order.
 */
import { EventBridgeClient, PutEventsCommand, type PutEventsRequestEntry } from '@aws-sdk/client-eventbridge';
import { endpointSettings } from '../aws-endpoint.ts';
import { envelopeOf } from './envelope.ts';
import { EventBusError } from './errors.ts';
import type { EventBus } from './ports.ts';
import type { LoggedEvent } from './reply-schemas.ts';

export const EVENT_SOURCE = 'toss-pay';
/** Entries per PutEvents call. */
export const MAX_PUT_EVENTS_ENTRIES = 10;
/** The entries of one PutEvents call, in bytes as entrySize counts them. */
export const MAX_PUT_EVENTS_BYTES = 256 * 1024;

/**
 * An entry's size as EventBridge counts it ("Calculating PutEvents event entry size"): 14 bytes
 * for a Time, and the UTF-8 bytes of Source, DetailType, Detail and each of Resources.
 */
export function entrySize(e: Pick<PutEventsRequestEntry, 'Time' | 'Source' | 'DetailType' | 'Detail' | 'Resources'>): number {
  let size = e.Time !== undefined ? 14 : 0;
  for (const s of [e.Source, e.DetailType, e.Detail, ...(e.Resources ?? [])]) if (s !== undefined) size += Buffer.byteLength(s, 'utf8');
  return size;
}


/** The entries in calls: each at most MAX_PUT_EVENTS_ENTRIES entries and MAX_PUT_EVENTS_BYTES, in order. */
export function putEventsCalls<E extends Parameters<typeof entrySize>[0]>(entries: readonly E[]): E[][] {
  const calls: E[][] = [];
  let call: E[] = [];
  let bytes = 0;
  for (const e of entries) {
    const size = entrySize(e);
    if (size > MAX_PUT_EVENTS_BYTES) throw new Error(`an event entry of ${size} bytes is over PutEvents' ${MAX_PUT_EVENTS_BYTES}`);
    if (call.length === MAX_PUT_EVENTS_ENTRIES || bytes + size > MAX_PUT_EVENTS_BYTES) {
      calls.push(call);
      call = [];
      bytes = 0;
    }
    call.push(e);
    bytes += size;
  }
  if (call.length > 0) calls.push(call);
  return calls;
}

export function createEventBus(o: {
  busName: string;
  region: string;
  endpoint?: string | undefined;
  /** Instruments the client before use (the composition root traces its calls). */
  instrument?: (client: EventBridgeClient) => EventBridgeClient;
}): EventBus {
  const made = new EventBridgeClient({ region: o.region, ...endpointSettings(o.endpoint), maxAttempts: 3 });
  const client = o.instrument === undefined ? made : o.instrument(made);
  const entryOf = (e: LoggedEvent): PutEventsRequestEntry => ({
    EventBusName: o.busName,
    Source: EVENT_SOURCE,
    DetailType: e.type,
    Detail: envelopeOf(e),
    Time: new Date(e.timestamp),
    Resources: [],
  });
  return {
    async put(events) {
      let put = 0;
      for (const batch of putEventsCalls(events.map(entryOf))) {
        let r;
        try {
          r = await client.send(new PutEventsCommand({ Entries: batch }));
        } catch (e) {
          throw new EventBusError(`EventBridge refused the call (${(e as Error).name})`, put, { cause: e });
        }
        // Partial failures are not thrown by the SDK: all of them are retried with the change.
        if ((r.FailedEntryCount ?? 0) > 0) {
          const codes = (r.Entries ?? []).map((x) => x.ErrorCode).filter((c) => c !== undefined);
          throw new EventBusError(`EventBridge refused ${r.FailedEntryCount} of ${batch.length} events (${[...new Set(codes)].join(', ')})`, put);
        }
        put += batch.length;
      }
    },
  };
}
