/**
 * The store's one update-expression helper (shared/store/update-expression.ts): the names and
 * values sent are exactly those the expressions use, a `#word` is the attribute `word` unless
 * aliased, and a placeholder without a value is a bug found before DynamoDB refuses it.
 */
import { describe, expect, it } from 'vitest';
import { UpdateExpression } from '../../shared/store/update-expression.ts';

describe('UpdateExpression', () => {
  it('builds SET, REMOVE and ADD in that order, the conditions ANDed, with the names and values they use', () => {
    const u = new UpdateExpression()
      .set('#status = :to', { ':to': 'PAY_COMPLETE' })
      .set('#refunds.#rn.#rstatus = :done', { ':done': 'SUCCEEDED' })
      .remove('#dueShard', '#dueAt')
      .add('#version :one', { ':one': 1 })
      .names({ '#rn': 'rf_1', '#rstatus': 'status' })
      .when('#status IN (:from0)', { ':from0': 'PAY_STANDBY', ':unused': 'never sent' });
    expect(u.build()).toEqual({
      UpdateExpression: 'SET #status = :to, #refunds.#rn.#rstatus = :done REMOVE #dueShard, #dueAt ADD #version :one',
      ConditionExpression: '#status IN (:from0)',
      ExpressionAttributeNames: { '#status': 'status', '#refunds': 'refunds', '#rn': 'rf_1', '#rstatus': 'status', '#dueShard': 'dueShard', '#dueAt': 'dueAt', '#version': 'version' },
      ExpressionAttributeValues: { ':to': 'PAY_COMPLETE', ':done': 'SUCCEEDED', ':one': 1, ':from0': 'PAY_STANDBY' },
    });
  });

  it('sets the defined fields of a record, each its own placeholders, under a path or only where none is yet', () => {
    expect(new UpdateExpression().setFields({ status: 'pending', attempts: [], nextAt: undefined }).build()).toEqual({
      UpdateExpression: 'SET #f_status = :f_status, #f_attempts = :f_attempts',
      ExpressionAttributeNames: { '#f_status': 'status', '#f_attempts': 'attempts' },
      ExpressionAttributeValues: { ':f_status': 'pending', ':f_attempts': [] },
    });
    const nested = new UpdateExpression().names({ '#epId': 'we_1' }).setFields({ url: 'https://a.example' }, { under: '#endpoints.#epId' }).build();
    expect([nested.UpdateExpression, nested.ExpressionAttributeNames]).toEqual(['SET #endpoints.#epId.#f_url = :f_url', { '#endpoints': 'endpoints', '#epId': 'we_1', '#f_url': 'url' }]);
    expect(new UpdateExpression().setFields({ amount: 5 }, { keep: true }).build().UpdateExpression).toBe('SET #f_amount = if_not_exists(#f_amount, :f_amount)');
  });

  it('copies with or without the conditions, and leaves the original as it was', () => {
    const u = new UpdateExpression().set('#a = :a', { ':a': 1 }).when('#b = :b', { ':b': 2 });
    const bare = u.copy(false).when('attribute_exists(pk)').when(`(${u.condition()})`);
    expect(bare.build().ConditionExpression).toBe('attribute_exists(pk) AND (#b = :b)');
    expect(u.copy().set('#c = :c', { ':c': 3 }).build().UpdateExpression).toBe('SET #a = :a, #c = :c');
    expect(u.build().UpdateExpression).toBe('SET #a = :a');
  });

  it('refuses a placeholder it has no value for', () => {
    expect(() => new UpdateExpression().set('#a = :missing').build()).toThrow('no value for :missing');
  });
});
