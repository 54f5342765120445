/**
 * Which records of the payments table's change stream reach the events function: an order item
 * (pk `ORDER#…`, shared/store/orders.ts) or the webhook endpoints' item (`WEBHOOK_ENDPOINTS`,
 * shared/store/webhook-endpoints.ts: an endpoint disabled for failing is an event) that was
 * inserted or modified. The event log's, the deliveries' and the ledger's own items (pk `EVENT#…`,
 * `DELIVERY#…`, `TX#…`, written by the events functions themselves) and removals (TTL expiry)
 * never do.
 *
 * Written once, as a Lambda event filter pattern (the EventBridge pattern syntax, on the stream
 * record as Lambda sees it: `eventName`, `dynamodb.Keys`, …). infra/ puts EVENTS_STREAM_FILTER on
 * the event source mapping as it is; the local stream poller applies the same pattern with
 * matchesStreamFilter, so both pass exactly the same records.
 */

/**
 * The parts of Lambda's filter syntax this pattern uses: a field's list of allowed values, each an
 * exact value or `{ prefix }`, and nested fields as nested objects.
 */
export type StreamFilterPattern = { readonly [field: string]: StreamFilterPattern | readonly StreamFilterValue[] };
export type StreamFilterValue = string | { readonly prefix: string };

/** Orders and the webhook endpoints, inserted or modified: what the events function is given. */
export const EVENTS_STREAM_FILTER = {
  eventName: ['INSERT', 'MODIFY'],
  dynamodb: { Keys: { pk: { S: [{ prefix: 'ORDER#' }, 'WEBHOOK_ENDPOINTS'] } } },
} as const satisfies StreamFilterPattern;

/**
 * Whether `record` (a stream record as Lambda receives it, e.g. from DynamoDB Streams'
 * GetRecords) passes `pattern`, as Lambda event filtering decides: every field of the pattern must
 * be present in the record and match one of its values.
 */
export function matchesStreamFilter(pattern: StreamFilterPattern, record: unknown): boolean {
  if (typeof record !== 'object' || record === null) return false;
  const fields = record as Record<string, unknown>;
  return Object.entries(pattern).every(([field, expected]) => {
    const actual = fields[field];
    if (!isValueList(expected)) return matchesStreamFilter(expected, actual);
    return expected.some((v) => (typeof v === 'string' ? actual === v : typeof actual === 'string' && actual.startsWith(v.prefix)));
  });
}

const isValueList = (p: StreamFilterPattern | readonly StreamFilterValue[]): p is readonly StreamFilterValue[] => Array.isArray(p);
