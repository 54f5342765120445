/**
 * Two passes at once over the same orders change each order exactly once: one reconciler history
 * entry per change, at most one execute per payment at Toss, one rescheduling per unchanged order.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { approve, getPayment, quit, setFault } from '../../../local/toss-sandbox/control-client.ts';
import { startSandbox, type Sandbox } from '../../../local/toss-sandbox/server.ts';
import type { Order } from '../../../shared/domain/order.ts';
import { freshTable } from '../../support/dynamo.ts';
import { changedTotal, createOrders, documentClient, MINUTE, pass, reconcileDeps } from './support.ts';

let sandbox: Sandbox;
const client = documentClient();
beforeAll(async () => {
  sandbox = await startSandbox({ port: 0, quiet: true });
  // No callback ever reaches us: only the reconciler can settle these orders.
  await setFault(sandbox.url, { target: 'callback', kind: 'drop' });
});
afterAll(async () => {
  client.destroy();
  await sandbox.close();
});

describe('two reconciler passes at once', () => {
  it('change each order exactly once', async () => {
    const tableName = await freshTable();
    const real = reconcileDeps({ client, tableName, sandboxUrl: sandbox.url, offsetMs: 0 });
    const paid = await createOrders(real, 8);
    const executable = await createOrders(real, 8, { autoExecute: false });
    const quitted = await createOrders(real, 4);
    const waiting = await createOrders(real, 4);
    await Promise.all([
      ...paid.map((p) => approve(sandbox.url, p.payToken, 'CARD')),
      ...executable.map((p) => approve(sandbox.url, p.payToken, 'TOSS_MONEY')),
      ...quitted.map((p) => quit(sandbox.url, p.payToken)),
    ]);

    const a = reconcileDeps({ client, tableName, sandboxUrl: sandbox.url, offsetMs: 10 * MINUTE });
    const b = reconcileDeps({ client, tableName, sandboxUrl: sandbox.url, offsetMs: 10 * MINUTE });
    const now = a.clock();
    const [sa, sb] = await Promise.all([pass(a, { now, concurrency: 3 }), pass(b, { now, concurrency: 5 })]);

    const total = paid.length + executable.length + quitted.length + waiting.length;
    // The passes really raced: both took orders the other took too.
    expect(sa.examined + sb.examined).toBeGreaterThan(total);
    expect(sa.errors + sb.errors).toBe(0);
    expect(changedTotal(sa) + changedTotal(sb)).toBe(paid.length + executable.length + quitted.length);
    expect((sa.changed.PAY_COMPLETE ?? 0) + (sb.changed.PAY_COMPLETE ?? 0)).toBe(paid.length + executable.length);
    expect((sa.changed.PAY_CANCEL ?? 0) + (sb.changed.PAY_CANCEL ?? 0)).toBe(quitted.length);

    const order = async (orderNo: string): Promise<Order> => {
      const o = await real.store.getOrder(orderNo);
      if (o === undefined) throw new Error(orderNo);
      return o;
    };
    const entries = (o: Order) => o.history.filter((h) => h.source === 'reconciler').map((h) => [h.from, h.to]);
    for (const p of paid) {
      expect(entries(await order(p.orderNo))).toEqual([['PAY_STANDBY', 'PAY_COMPLETE']]);
      expect((await getPayment(sandbox.url, p.payToken)).calls.execute ?? 0).toBe(0);
    }
    for (const p of executable) {
      const o = await order(p.orderNo);
      expect(o.status).toBe('PAY_COMPLETE');
      expect(entries(o)).toEqual([
        ['PAY_STANDBY', 'EXECUTING'],
        ['EXECUTING', 'PAY_COMPLETE'],
      ]);
      expect((await getPayment(sandbox.url, p.payToken)).calls.execute).toBe(1);
    }
    for (const p of quitted) expect(entries(await order(p.orderNo))).toEqual([['PAY_STANDBY', 'PAY_CANCEL']]);
    for (const p of waiting) {
      const o = await order(p.orderNo);
      expect(o.status).toBe('PAY_STANDBY');
      expect(entries(o)).toEqual([]);
      // Both passes saw it due; only one moved its next check.
      expect(o.checks).toBe(1);
      expect(o.dueAt).toBeGreaterThan(now);
    }
    // Nothing is due any more at that time: the next pass reads nothing.
    const after = await pass(a, { now });
    expect(after.itemsRead).toBe(0);
    expect(after.examined).toBe(0);
  });
});
