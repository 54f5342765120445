/**
 * Each endpoint's health, in the payments table: one small item per endpoint
 * (`WEBHOOK_HEALTH#<endpointId>`), written once per invocation that made attempts to it (their
 * counts and streak summed up: ./../events/endpoint-health.ts), apart from the endpoints' item so
 * that attempts never contend with changes to the endpoints (nor pay for its size). It keeps the
 * last attempt, the failing streak (`failingSince`: its first failure since the last success), and
 * 24 hourly counters, slot `hour % 24`: `h<k>` the hour a slot counts, `ok<k>` and `f<k>` its
 * attempts. A slot still holding an older hour is taken over by the write that finds it so (its
 * condition), then counted into with ADD, so concurrent attempts never lose a count.
 */
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { GetCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { HealthRecord, HealthStore, HourCount } from '../events/ports.ts';
import { storeSend } from './errors.ts';

export const healthKey = (endpointId: string): string => `WEBHOOK_HEALTH#${endpointId}`;
export const HOUR_SLOTS = 24;
const HOUR = 3_600_000;
/** A health item outlives a quiet endpoint this long (the day's counters are all it shows besides its streak). */
const KEEP_DAYS = 90;

function toHealth(item: Record<string, unknown> | undefined): HealthRecord {
  const hours: HourCount[] = [];
  for (let k = 0; k < HOUR_SLOTS; k++) {
    const hour = item?.[`h${k}`];
    if (typeof hour === 'number') hours.push({ hour, ok: Number(item?.[`ok${k}`] ?? 0), failed: Number(item?.[`f${k}`] ?? 0) });
  }
  return {
    ...(item?.lastAttempt !== undefined ? { lastAttempt: item.lastAttempt as NonNullable<HealthRecord['lastAttempt']> } : {}),
    ...(typeof item?.lastSuccessAt === 'number' ? { lastSuccessAt: item.lastSuccessAt } : {}),
    ...(typeof item?.failingSince === 'number' ? { failingSince: item.failingSince } : {}),
    consecutiveFailures: Number(item?.consecutiveFailures ?? 0),
    hours: hours.sort((a, b) => a.hour - b.hour),
  };
}

export function createHealthStore(opts: { client: DynamoDBDocumentClient; tableName: string }): HealthStore {
  const { client, tableName } = opts;
  const send = storeSend(client);

  const read = async (endpointId: string): Promise<HealthRecord> => {
    const r = await send(new GetCommand({ TableName: tableName, Key: { pk: healthKey(endpointId) }, ConsistentRead: true }));
    return toHealth(r.Item);
  };

  return {
    async recordAttempts(endpointId, a, now) {
      const hour = Math.floor(now / HOUR);
      const k = hour % HOUR_SLOTS;
      const names: Record<string, string> = { '#last': 'lastAttempt', '#cf': 'consecutiveFailures', '#fs': 'failingSince', '#ls': 'lastSuccessAt', '#h': `h${k}`, '#ok': `ok${k}`, '#f': `f${k}`, '#ttl': 'ttl' };
      const values: Record<string, unknown> = {
        ':a': a.last,
        ':hour': hour,
        ':ttl': Math.floor(now / 1000) + KEEP_DAYS * 86_400,
        ':okn': a.ok,
        ':fn': a.failed,
        ':cfv': a.failsAfter,
        ':ff': a.firstFailAfter ?? now,
        ':lastOk': a.lastOkAt ?? now,
      };
      const sets = ['#last = :a', '#h = :hour', '#ttl = :ttl'];
      const adds: string[] = [];
      const removes: string[] = [];
      // The streak: since a success in these attempts, the failures after it; else the failures go on.
      if (a.lastOkAt !== undefined) {
        sets.push('#ls = :lastOk', '#cf = :cfv');
        if (a.failsAfter > 0) sets.push('#fs = :ff');
        else removes.push('#fs');
      } else {
        sets.push('#fs = if_not_exists(#fs, :ff)');
        adds.push('#cf :cfv');
      }
      const expr = (set: string[], add: string[]): string =>
        [`SET ${set.join(', ')}`, ...(add.length > 0 ? [`ADD ${add.join(', ')}`] : []), ...(removes.length > 0 ? [`REMOVE ${removes.join(', ')}`] : [])].join(' ');
      // Counting into the slot of this hour, or taking the slot over from an older hour.
      const add = { expr: expr(sets, [...adds, '#ok :okn', '#f :fn']), cond: 'attribute_not_exists(#h) OR #h = :hour' };
      const reset = { expr: expr([...sets, '#ok = :okn', '#f = :fn'], adds), cond: '#h < :hour' };
      // Only the names and values a write uses (DynamoDB refuses others).
      const used = <T>(o: Record<string, T>, text: string): Record<string, T> => Object.fromEntries(Object.entries(o).filter(([n]) => new RegExp(`${n}(?![A-Za-z0-9_])`).test(text)));
      for (let attempt = 0; attempt < 4; attempt++) {
        const w = attempt % 2 === 0 ? add : reset;
        const text = `${w.expr} ${w.cond}`;
        try {
          const r = await send(
              new UpdateCommand({
                TableName: tableName,
                Key: { pk: healthKey(endpointId) },
                UpdateExpression: w.expr,
                ConditionExpression: w.cond,
                ExpressionAttributeNames: used(names, text),
                ExpressionAttributeValues: used(values, text),
                ReturnValues: 'ALL_NEW',
              })
          );
          return toHealth(r.Attributes);
        } catch (e) {
          if (!(e instanceof ConditionalCheckFailedException)) throw e;
        }
      }
      // Another writer moved the slot on between each of our tries: the count is theirs to keep.
      return read(endpointId);
    },

    read,

    async resetStreak(endpointId) {
      await send(
          new UpdateCommand({
            TableName: tableName,
            Key: { pk: healthKey(endpointId) },
            UpdateExpression: 'SET #cf = :zero REMOVE #fs',
            ExpressionAttributeNames: { '#cf': 'consecutiveFailures', '#fs': 'failingSince' },
            ExpressionAttributeValues: { ':zero': 0 },
          })
      );
    },
  };
}
