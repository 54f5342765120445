/** shared/store/items.ts: the item without the store's attributes, and BatchGetItem with its unprocessed keys asked again. */
import type { BatchGetCommand, DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { describe, expect, it } from 'vitest';
import { StoreUnavailableError } from '../../shared/store/errors.ts';
import { batchGetItems, withoutAttributes } from '../../shared/store/items.ts';

type Input = BatchGetCommand['input'];

/** A table of `pks` answering BatchGetItem; `leave(n)`: how many keys of the n-th request to leave unprocessed. */
function table(pks: string[], leave: (n: number) => number = () => 0) {
  const requests: Input[] = [];
  const send = (async (cmd: BatchGetCommand) => {
    const input = cmd.input;
    requests.push(input);
    const [name, req] = Object.entries(input.RequestItems ?? {})[0]!;
    const keys = (req.Keys ?? []) as Array<{ pk: string }>;
    const left = leave(requests.length);
    const done = keys.slice(0, keys.length - left);
    return {
      Responses: { [name]: done.filter((k) => pks.includes(k.pk)).map((k) => ({ pk: k.pk, v: `item ${k.pk}`, dueShard: 'x' })) },
      UnprocessedKeys: left > 0 ? { [name]: { Keys: keys.slice(keys.length - left) } } : {},
    };
  }) as unknown as DynamoDBDocumentClient['send'];
  return { send, requests };
}

describe('store items', () => {
  it('an item without the attributes only the store reads', () => {
    expect(withoutAttributes({ pk: 'ORDER#1', dueShard: 3, orderNo: '1', amount: 10 }, new Set(['pk', 'dueShard']))).toEqual({ orderNo: '1', amount: 10 });
  });

  it('reads any number of keys, 100 a request, consistent by default; an absent key has no item', async () => {
    const pks = Array.from({ length: 150 }, (_, i) => `K#${i}`);
    const t = table(pks.slice(0, 149));
    const found = await batchGetItems(t.send, 'payments', pks);
    expect(t.requests.map((r) => [r.RequestItems?.payments?.Keys?.length, r.RequestItems?.payments?.ConsistentRead])).toEqual([
      [100, true],
      [50, true],
    ]);
    expect(found.size).toBe(149);
    expect(found.get('K#7')).toEqual({ pk: 'K#7', v: 'item K#7', dueShard: 'x' });
    expect(found.has('K#149')).toBe(false);
  });

  it('asks the unprocessed keys again, and only them', async () => {
    const t = table(['A', 'B', 'C'], (n) => (n === 1 ? 2 : 0));
    const found = await batchGetItems(t.send, 'payments', ['A', 'B', 'C'], { backoffMs: 0 });
    expect(t.requests.map((r) => r.RequestItems?.payments?.Keys)).toEqual([[{ pk: 'A' }, { pk: 'B' }, { pk: 'C' }], [{ pk: 'B' }, { pk: 'C' }]]);
    expect([...found.keys()].sort()).toEqual(['A', 'B', 'C']);
  });

  it('gives up after its attempts: DynamoDB unavailable, a retry may succeed', async () => {
    const t = table(['A'], () => 1);
    await expect(batchGetItems(t.send, 'payments', ['A'], { attempts: 3, backoffMs: 0 })).rejects.toBeInstanceOf(StoreUnavailableError);
    expect(t.requests).toHaveLength(3);
  });

  it('reads only the attributes asked for (and pk), eventually consistent when asked', async () => {
    const t = table(['A']);
    await batchGetItems(t.send, 'payments', ['A'], { attributes: ['tossMoney', 'transactions'], consistent: false });
    const req = t.requests[0]?.RequestItems?.payments;
    expect(req?.ConsistentRead).toBe(false);
    expect(req?.ProjectionExpression).toBe('#a0, #a1, #a2');
    expect(req?.ExpressionAttributeNames).toEqual({ '#a0': 'pk', '#a1': 'tossMoney', '#a2': 'transactions' });
  });
});
