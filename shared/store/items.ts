/**
 * What every store does with the table's items, written once: an item without the attributes
 * only the store reads (its keys, index keys, leases, ttl), and a BatchGetItem of any number of
 * keys whose unprocessed keys are asked again.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { BatchGetCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { StoreUnavailableError } from './errors.ts';

/** The item as the rest of the code reads it: every attribute but the store's own (`internal`). */
export function withoutAttributes(item: Record<string, unknown>, internal: ReadonlySet<string>): Record<string, unknown> {
  const o: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(item)) if (!internal.has(k)) o[k] = v;
  return o;
}

/** BatchGetItem's limit of keys per request. */
const BATCH_KEYS = 100;

export interface BatchGetOptions {
  /** Only these attributes (their names, each sent as a placeholder); unset: the whole item. */
  attributes?: readonly string[];
  /** Consistent reads (default true). */
  consistent?: boolean;
  /** Requests per chunk of keys before giving up (StoreUnavailableError), backing off 2^n × `backoffMs` between them. */
  attempts?: number;
  backoffMs?: number;
}

/**
 * The items of these partition keys (`pk`), by pk: absent keys have no item. Sent 100 keys at a
 * time; the keys DynamoDB leaves unprocessed (its throughput, its 16 MB) are asked again.
 */
export async function batchGetItems(
  send: DynamoDBDocumentClient['send'],
  tableName: string,
  pks: readonly string[],
  o: BatchGetOptions = {},
): Promise<Map<string, Record<string, unknown>>> {
  const attempts = o.attempts ?? 8;
  const backoffMs = o.backoffMs ?? 20;
  const projection =
    o.attributes === undefined
      ? {}
      : { ProjectionExpression: ['pk', ...o.attributes].map((_, i) => `#a${i}`).join(', '), ExpressionAttributeNames: Object.fromEntries(['pk', ...o.attributes].map((a, i) => [`#a${i}`, a])) };
  const found = new Map<string, Record<string, unknown>>();
  for (let i = 0; i < pks.length; i += BATCH_KEYS) {
    let want: Record<string, unknown>[] = pks.slice(i, i + BATCH_KEYS).map((pk) => ({ pk }));
    for (let attempt = 0; want.length > 0; attempt++) {
      if (attempt === attempts) throw new StoreUnavailableError(`DynamoDB left keys of a BatchGetItem unprocessed ${attempts} times`);
      if (attempt > 0) await sleep(backoffMs * 2 ** attempt);
      const r = await send(new BatchGetCommand({ RequestItems: { [tableName]: { Keys: want, ConsistentRead: o.consistent ?? true, ...projection } } }));
      for (const item of r.Responses?.[tableName] ?? []) found.set(String(item.pk), item);
      want = (r.UnprocessedKeys?.[tableName]?.Keys ?? []) as Record<string, unknown>[];
    }
  }
  return found;
}
