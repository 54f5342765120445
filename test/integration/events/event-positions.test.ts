/**
 * The event log's positions (shared/store/event-log.ts) on DynamoDB Local, with several writers at
 * once as AWS runs one events function per shard: every event is logged once and gets one
 * position; the positions are 1, 2, 3… above the base with no gap and no repeat; an event logged
 * again keeps its place and takes none; and a listing at any moment is a prefix of the final log
 * (a reader never sees a later position before an earlier one is there).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EventStore, EventToLog } from '../../../shared/events/ports.ts';
import { InvalidCursorError } from '../../../shared/paging.ts';
import { POSITION_BASE } from '../../../shared/store/event-log.ts';
import { createEventStore } from '../../../shared/store/events.ts';
import { freshTable, testDocumentClient } from '../../support/dynamo.ts';

const client = testDocumentClient();
let tableName: string;
beforeAll(async () => {
  tableName = await freshTable('positions');
});
afterAll(() => client.destroy());

/** A writer of its own, as another events function instance would be (its own idea of the counter). */
const writer = (): EventStore => createEventStore({ client, tableName, retentionDays: 1 });
const event = (id: string): EventToLog => ({ id, type: 'payment.completed', timestamp: new Date().toISOString(), orderNo: id, body: JSON.stringify({ id }), deliveries: [] });
const positionOf = (cursor: string): number => Number(cursor.slice(0, cursor.indexOf('#')));

async function listAll(reader: EventStore): Promise<string[]> {
  const out: string[] = [];
  let after: string | undefined;
  for (;;) {
    const r = await reader.listEvents({ after, limit: 100, maxBytes: 1 << 20, legacyUntil: Date.now() });
    for (const e of r.events) expect(positionOf(e.eventSeq)).toBe(POSITION_BASE + 1 + out.push(e.id) - 1);
    if (r.next === undefined) return out;
    after = r.next;
  }
}

describe('event log positions', () => {
  it('four writers at once: each event logged once, positions dense and unique, every listing meanwhile a prefix of the log', async () => {
    const writers = [writer(), writer(), writer(), writer()];
    const reader = writer();
    const snapshots: string[][] = [];
    let writing = true;
    const watching = (async () => {
      while (writing) snapshots.push(await listAll(reader));
    })();
    const results = await Promise.all(
      writers.map(async (w, k) => {
        const logged: string[] = [];
        for (let i = 0; i < 15; i++) {
          // One or two events per change, as the stream gives them.
          const ids = Array.from({ length: 1 + (i % 2) }, (_, j) => `evt_w${k}_${i}_${j}`);
          const r = await w.logEvents(ids.map(event));
          expect(r.map((x) => x.kind)).toEqual(ids.map(() => 'logged'));
          logged.push(...ids);
        }
        return logged;
      }),
    );
    writing = false;
    await watching;

    const all = await listAll(reader);
    expect(all.toSorted()).toEqual(results.flat().toSorted());
    // Each writer's events in the order it logged them.
    for (const ids of results) expect(all.filter((id) => ids.includes(id))).toEqual(ids);
    // A reader never saw a later position before an earlier one: every listing was a prefix of the final log.
    expect(snapshots.length).toBeGreaterThan(0);
    for (const snap of snapshots) expect(all.slice(0, snap.length)).toEqual(snap);
    // Four writers contend for one counter and back off when they collide: on a loaded 2-core
    // machine that takes a while, and the property, not the time, is what this test checks.
  }, 120_000);

  it('an event logged again (the stream delivers its change again) keeps its place and takes no position', async () => {
    const w = writer();
    const before = await listAll(w);
    const [first] = await w.logEvents([event('evt_again')]);
    expect(first?.kind).toBe('logged');
    // Again, with a new event after it: the old one exists, the new one takes the next position.
    const again = await writer().logEvents([event('evt_again'), event('evt_after')]);
    expect(again.map((r) => r.kind)).toEqual(['exists', 'logged']);
    const all = await listAll(w);
    expect(all).toEqual([...before, 'evt_again', 'evt_after']);
  });

  it('lists after a cursor, by type, and refuses a place past the end', async () => {
    const w = writer();
    const all = await listAll(w);
    const mid = await w.listEvents({ limit: 3, maxBytes: 1 << 20, legacyUntil: 0 });
    expect(mid.events.map((e) => e.id)).toEqual(all.slice(0, 3));
    const rest = await w.listEvents({ after: mid.next, limit: 100, maxBytes: 1 << 20, legacyUntil: 0 });
    expect(rest.events.map((e) => e.id)).toEqual(all.slice(3));
    expect(rest.next).toBeUndefined();
    // Past the end: no place the log handed out (a 400 INVALID_CURSOR over HTTP).
    await expect(w.listEvents({ after: `${POSITION_BASE + 1_000_000}#evt_x`, limit: 10, maxBytes: 1 << 20, legacyUntil: 0 })).rejects.toBeInstanceOf(InvalidCursorError);
    expect((await w.listEvents({ limit: 100, type: 'refund.failed', maxBytes: 1 << 20, legacyUntil: 0 })).events).toEqual([]);
  });
});
