/** The Standard Webhooks envelope of an event: the exact bytes every delivery, the bus entry's Detail and the log carry. */
import type { LoggedEvent, TestEvent } from './reply-schemas.ts';

export const envelopeOf = (e: LoggedEvent | TestEvent): string => JSON.stringify({ id: e.id, type: e.type, timestamp: e.timestamp, data: e.data });
