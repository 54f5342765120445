/**
 * The pass's cost grows with unfinished orders, not with the table: over 100 unfinished orders
 * among 20 times as many finished ones it reads exactly the 100 (items returned and evaluated by
 * the due index queries). The property does not depend on the size; the bench (BENCHMARKS.md, d)
 * measures it over 110,000 orders. Items are seeded with BatchWriteItem in the store's own format
 * (keys, due attributes from dueShardOf); the unfinished ones point at payTokens the sandbox does
 * not know, so their checks end as errors and they are rescheduled, which is all this test needs.
 * The pass reads no stream, so the table has none (freshTable): DynamoDB Local would keep a stream
 * record of every seeded item, and slow down for the files after this one.
 */
import { DescribeTableCommand } from '@aws-sdk/client-dynamodb';
import { BatchWriteCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSandbox, type Sandbox } from '../../../local/toss-sandbox/server.ts';
import type { OrderStatus } from '../../../shared/domain/states.ts';
import { dueShardOf, orderKey } from '../../../shared/store/orders.ts';
import { freshTable } from '../../support/dynamo.ts';
import { documentClient, MINUTE, pass, reconcileDeps } from './support.ts';

const UNFINISHED = 100;
const FINISHED = 20 * UNFINISHED;

let sandbox: Sandbox;
const client = documentClient();
beforeAll(async () => {
  sandbox = await startSandbox({ port: 0, quiet: true });
});
afterAll(async () => {
  client.destroy();
  await sandbox.close();
});

/** An item as the store writes it: finished orders carry no due attributes, unfinished ones do. */
function item(orderNo: string, status: OrderStatus, now: number): Record<string, unknown> {
  const at = new Date(now).toISOString();
  const base: Record<string, unknown> = {
    pk: orderKey(orderNo),
    orderNo,
    status,
    payToken: `tok-${orderNo}`,
    amount: 1_000,
    amountTaxFree: 0,
    productDesc: 'seeded',
    autoExecute: true,
    expiresAt: new Date(now + 15 * MINUTE).toISOString(),
    mode: 'TEST',
    history: [{ from: null, to: status, source: 'create', at }],
    createdAt: at,
    updatedAt: at,
    checks: 0,
  };
  if (status === 'PAY_STANDBY') return { ...base, dueShard: dueShardOf(orderNo), dueAt: now + MINUTE };
  return { ...base, ttl: Math.floor(now / 1000) + 86_400 };
}

async function seed(tableName: string, items: Record<string, unknown>[]): Promise<void> {
  const batches: Record<string, unknown>[][] = [];
  for (let i = 0; i < items.length; i += 25) batches.push(items.slice(i, i + 25));
  let next = 0;
  const worker = async (): Promise<void> => {
    for (let b = batches[next++]; b !== undefined; b = batches[next++]) {
      let pending = b.map((Item) => ({ PutRequest: { Item } }));
      while (pending.length > 0) {
        const r = await client.send(new BatchWriteCommand({ RequestItems: { [tableName]: pending } }));
        pending = (r.UnprocessedItems?.[tableName] ?? []) as typeof pending;
      }
    }
  };
  await Promise.all(Array.from({ length: 24 }, worker));
}

describe('cost proportional to unfinished orders', () => {
  it(`a pass over ${UNFINISHED} unfinished among ${FINISHED} finished orders reads only the unfinished ones`, { timeout: 60_000 }, async () => {
    const tableName = await freshTable('payments', { stream: false });
    const now = Date.now();
    const finished: OrderStatus[] = ['PAY_COMPLETE', 'PAY_CANCEL', 'CREATE_FAILED', 'REFUND_SUCCESS'];
    const items = [
      ...Array.from({ length: FINISHED }, (_, i) => item(`done-${i}`, finished[i % finished.length] ?? 'PAY_COMPLETE', now)),
      ...Array.from({ length: UNFINISHED }, (_, i) => item(`open-${i}`, 'PAY_STANDBY', now)),
    ];
    await seed(tableName, items);
    const table = await client.send(new DescribeTableCommand({ TableName: tableName }));
    expect(table.Table?.ItemCount).toBe(FINISHED + UNFINISHED);

    const deps = reconcileDeps({ client, tableName, sandboxUrl: sandbox.url, offsetMs: 10 * MINUTE });
    const at = deps.clock();
    const s = await pass(deps, { now: at, concurrency: 32, pageSize: 200 });
    expect(s.itemsRead).toBe(UNFINISHED);
    expect(s.scannedCount).toBe(UNFINISHED);
    expect(s.examined).toBe(UNFINISHED);
    // Toss knows none of these payTokens: unknown, never failure; all rescheduled.
    expect(s.errors).toBe(UNFINISHED);
    expect(s.changed).toEqual({});
    expect(s.leftDue).toBe(false);
    // DynamoDB Local reports the queries' read units too: a fraction of what reading the whole table would cost.
    expect(s.consumedCapacity).toBeGreaterThan(0);
    expect(s.consumedCapacity).toBeLessThan(UNFINISHED);
    const again = await pass(deps, { now: at });
    expect(again.itemsRead).toBe(0);
  });
});
