/**
 * The retrier reads each endpoint's due deliveries apart (their own shards of the `due` index):
 * an endpoint with a backlog of due deliveries, older than another endpoint's and more than a run
 * reads, never keeps that other endpoint's due delivery from being read in the same run.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDeliveryStore } from '../../../shared/store/deliveries.ts';
import { createEventStore } from '../../../shared/store/events.ts';
import { freshTable, testDocumentClient } from '../../support/dynamo.ts';

const client = testDocumentClient();
let tableName: string;
beforeAll(async () => {
  tableName = await freshTable('due-shards');
});
afterAll(() => client.destroy());

describe("each endpoint's due deliveries", () => {
  it('are read apart: a backlog of one endpoint never hides another', async () => {
    let now = 1_000_000;
    const clock = () => now;
    const log = createEventStore({ client, tableName, retentionDays: 1, clock });
    const deliveries = createDeliveryStore({ client, tableName, retentionDays: 1, clock });
    const event = (id: string, endpointId: string) => ({ id, type: 'payment.completed' as const, timestamp: new Date(now).toISOString(), orderNo: id, body: '{}', deliveries: [{ endpointId, waiting: false }] });
    // The backlog: 12 due deliveries to a dead endpoint, logged first (due first).
    for (let i = 0; i < 12; i++) {
      now += 10;
      await log.logEvents([event(`evt_backlog${i}`, 'we_dead')]);
    }
    now += 10;
    await log.logEvents([event('evt_healthy', 'we_healthy')]);
    // A run that reads 5 deliveries per endpoint still reads the healthy endpoint's.
    const keys = await deliveries.due(['we_dead', 'we_healthy'], now, 5);
    expect(keys.filter((k) => k.kind === 'delivery' && k.endpointId === 'we_dead')).toHaveLength(5);
    expect(keys).toContainEqual({ kind: 'delivery', eventId: 'evt_healthy', endpointId: 'we_healthy' });
    // An endpoint the run does not name is not read.
    expect(await deliveries.due(['we_dead'], now, 100)).not.toContainEqual(expect.objectContaining({ endpointId: 'we_healthy' }));
    expect(await deliveries.anyDue('we_healthy')).toBe(true);
    expect(await deliveries.anyDue('we_nobody')).toBe(false);
  });
});
