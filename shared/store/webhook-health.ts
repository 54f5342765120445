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
import { UpdateExpression } from './update-expression.ts';
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
      const u = new UpdateExpression()
        .names({ '#h': `h${k}`, '#ok': `ok${k}`, '#f': `f${k}` })
        .set('#lastAttempt = :a, #h = :hour, #ttl = :ttl', { ':a': a.last, ':hour': hour, ':ttl': Math.floor(now / 1000) + KEEP_DAYS * 86_400 });
      // The streak: since a success in these attempts, the failures after it; else the failures go on.
      if (a.lastOkAt !== undefined) {
        u.set('#lastSuccessAt = :lastOk, #consecutiveFailures = :cfv', { ':lastOk': a.lastOkAt, ':cfv': a.failsAfter });
        if (a.failsAfter > 0) u.set('#failingSince = :ff', { ':ff': a.firstFailAfter ?? now });
        else u.remove('#failingSince');
      } else {
        u.set('#failingSince = if_not_exists(#failingSince, :ff)', { ':ff': a.firstFailAfter ?? now }).add('#consecutiveFailures :cfv', { ':cfv': a.failsAfter });
      }
      // Counting into the slot of this hour, or taking the slot over from an older hour.
      const counts = { ':okn': a.ok, ':fn': a.failed };
      const add = u.copy().add('#ok :okn, #f :fn', counts).when('attribute_not_exists(#h) OR #h = :hour');
      const reset = u.copy().set('#ok = :okn, #f = :fn', counts).when('#h < :hour');
      for (let attempt = 0; attempt < 4; attempt++) {
        const w = attempt % 2 === 0 ? add : reset;
        try {
          const r = await send(
              new UpdateCommand({
                TableName: tableName,
                Key: { pk: healthKey(endpointId) },
                ...w.build(),
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
            ...new UpdateExpression().set('#consecutiveFailures = :zero', { ':zero': 0 }).remove('#failingSince').build(),
          })
      );
    },
  };
}
