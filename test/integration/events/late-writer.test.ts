/**
 * A slow writer never makes a polling merchant skip an event. Two instances of the events
 * function (as AWS runs one per stream shard; here two fresh copies of functions/events, each with
 * its own container and DynamoDB client) publish changes of different orders. Instance B's
 * event-log write is held in flight by the DynamoDB proxy (a `hold` fault, let go by the test:
 * no clock involved) while instance A logs two events and a poller following GET /events cursors
 * moves past them; then B's write lands. The poller sees every event exactly once, B's included,
 * and the log lists the same events in the same order.
 */
import { marshall } from '@aws-sdk/util-dynamodb';
import type { DynamoDBBatchResponse, DynamoDBRecord, DynamoDBStreamEvent } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { invoke, type LambdaHandler } from '../../../local/gateway/lambda.ts';
import type { Order } from '../../../shared/domain/order.ts';
import { eventId } from '../../../shared/events/order-events.ts';
import { eventKey } from '../../../shared/store/events.ts';
import { eventually, startStack, type Stack } from '../../support/stack.ts';
import type { LoggedEvent } from './support.ts';

let s: Stack;
beforeAll(async () => {
  // The held write must not time out at the client while it is held.
  s = await startStack({ DYNAMODB_REQUEST_TIMEOUT_MS: '60000' });
});
afterAll(() => s.stop());

/** A new instance of the events function: the handler module imported afresh, with its own container. */
async function instance(): Promise<LambdaHandler> {
  vi.resetModules();
  const mod = (await import('../../../functions/events/handler.ts')) as { handler: LambdaHandler };
  return mod.handler;
}

const at = new Date().toISOString();
const order = (orderNo: string, status: Order['status'], version: number): Order & { pk: string } => ({
  pk: `ORDER#${orderNo}`,
  orderNo,
  status,
  amount: 12_000,
  amountTaxFree: 0,
  productDesc: '토스 양말',
  autoExecute: true,
  expiresAt: at,
  mode: 'TEST',
  history: [],
  createdAt: at,
  updatedAt: at,
  checks: 0,
  version,
});

let seq = 0;
/** The stream record of an order becoming paid, as Lambda gives it. */
function paid(orderNo: string): { record: DynamoDBRecord; id: string } {
  const image = (o: object) => marshall(o, { removeUndefinedValues: true }) as NonNullable<DynamoDBRecord['dynamodb']>['NewImage'];
  const record: DynamoDBRecord = {
    eventName: 'MODIFY',
    eventSource: 'aws:dynamodb',
    dynamodb: {
      Keys: { pk: { S: `ORDER#${orderNo}` } },
      OldImage: image(order(orderNo, 'PAY_STANDBY', 2)),
      NewImage: image(order(orderNo, 'PAY_COMPLETE', 3)),
      SequenceNumber: String(++seq).padStart(21, '0'),
      StreamViewType: 'NEW_AND_OLD_IMAGES',
    },
  };
  return { record, id: eventId(orderNo, 3, 'payment.completed') };
}

const publish = async (fn: LambdaHandler, record: DynamoDBRecord): Promise<void> => {
  const r = await invoke(fn, 'events', { Records: [record] } satisfies DynamoDBStreamEvent, 60);
  expect(r).toEqual({ ok: true, value: { batchItemFailures: [] } satisfies DynamoDBBatchResponse });
};

/** A merchant polling GET /events, following cursors: every event it was shown, in order. */
function poller() {
  const seen: string[] = [];
  let cursor: string | undefined;
  const poll = async (): Promise<void> => {
    for (;;) {
      const r = await s.merchantRequest(`/events?limit=100${cursor !== undefined ? `&after=${encodeURIComponent(cursor)}` : ''}`);
      expect(r.status).toBe(200);
      const page = r.json as { events: LoggedEvent[]; next?: string };
      for (const e of page.events) seen.push(e.id);
      cursor = page.next ?? page.events.at(-1)?.cursor ?? cursor;
      if (page.next === undefined) return;
    }
  };
  /** Polls until `ids` have all been shown (or fails after `ms`). */
  const until = (ids: string[], ms = 10_000) =>
    eventually(async () => {
      await poll();
      return ids.every((id) => seen.includes(id)) ? true : undefined;
    }, ms);
  return { seen, until };
}

describe('a slow writer', () => {
  it('two instances, one whose log write lands late: a poller following cursors sees every event exactly once', async () => {
    const [a, b] = [await instance(), await instance()];
    const x = paid('late-x');
    const y1 = paid('late-y1');
    const y2 = paid('late-y2');

    // B's log write of x is held in flight.
    const hold = await s.proxy.addFault({ kind: 'hold', operation: 'TransactWriteItems', key: eventKey(x.id) });
    const slow = publish(b, x.record);
    await eventually(async () => ((await s.proxy.faults()).find((f) => f.id === hold.id)?.hits === 1 ? true : undefined));

    // Meanwhile A logs y1 and y2, and the poller moves past both.
    const p = poller();
    await publish(a, y1.record);
    await p.until([y1.id]);
    await publish(a, y2.record);
    await p.until([y2.id]);
    expect(p.seen).toEqual([y1.id, y2.id]);

    // B's write lands, late.
    await s.proxy.clearFaults(hold.id);
    await slow;
    await p.until([x.id]);
    expect(p.seen).toEqual([y1.id, y2.id, x.id]);

    // Nothing more, and the log from the start is what the poller saw.
    await p.until([]);
    expect(p.seen).toEqual([y1.id, y2.id, x.id]);
    const all = (await s.merchantRequest('/events?limit=100')).json as { events: LoggedEvent[] };
    expect(all.events.map((e) => e.id)).toEqual(p.seen);
    expect(all.events.map((e) => e.data.orderNo)).toEqual(['late-y1', 'late-y2', 'late-x']);
  });
});
