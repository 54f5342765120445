/**
 * The payments table, declared once. infra/ turns it into a CDK Table; local/dynamodb.ts turns
 * it into a CreateTable call for DynamoDB Local. Only shared/store knows what the keys mean.
 *
 * - One item per order: pk = `ORDER#<orderNo>`. Its state history lives on the item, so a
 *   state change and its history entry are ONE conditional UpdateItem.
 * - `due` is a sparse GSI: only orders the reconciler must look at carry `dueShard`/`dueAt`
 *   (unfinished ones, paid ones within their re-checks after payment, a refund in flight); the
 *   write that finishes an order, or its last re-check, removes them. "Due for a check now" is the key condition
 *   `dueShard = :s AND dueAt <= :now`. Orders are spread over DUE_SHARDS partition keys so
 *   that index writes never concentrate on one partition. The index projects the attributes a
 *   reconciler pass needs, so a pass reads index items only (no GetItem per order).
 * - `ttl`: set only when an order reaches a terminal state, to the retention period ahead.
 */
/** What a listed order shows (GET /payments): the indexes that list orders project these. */
const LIST_ATTRIBUTES = ['orderNo', 'status', 'amount', 'productDesc', 'mode', 'paidAt', 'attention', 'cancelReason', 'refunds', 'version', 'updatedAt'];

export const tableDefinition = {
  partitionKey: { name: 'pk', type: 'S' },
  globalSecondaryIndexes: [
    {
      indexName: 'due',
      partitionKey: { name: 'dueShard', type: 'S' },
      sortKey: { name: 'dueAt', type: 'N' },
      // What a reconciler pass needs to decide and to write conditionally, without a GetItem per
      // order: the pass reads only index items (orders that are unfinished AND due).
      projection: 'INCLUDE',
      nonKeyAttributes: [
        'orderNo',
        'status',
        'payToken',
        'amount',
        'mode',
        'checks',
        'expiresAt',
        'createdAt',
        'autoExecute',
        'attention',
        // Whether a create or an execute is in flight (a pass leaves it alone) or may be retried.
        'leaseUntil',
        'execLockId',
        'execUntil',
        'supersededPayTokens',
        // Paid orders: when they were paid (the re-checks after payment), and a refund in flight.
        'paidAt',
        'refundInFlight',
      ],
    },
    {
      // Orders by the Korea-time day they were created, newest first: GET /payments (no Scan).
      indexName: 'byDay',
      partitionKey: { name: 'createdDay', type: 'S' },
      sortKey: { name: 'createdAt', type: 'S' },
      projection: 'INCLUDE',
      nonKeyAttributes: LIST_ATTRIBUTES,
    },
    {
      // Sparse: only orders flagged for a person carry `flaggedList` (GET /payments?attention=true).
      indexName: 'flagged',
      partitionKey: { name: 'flaggedList', type: 'S' },
      sortKey: { name: 'createdAt', type: 'S' },
      projection: 'INCLUDE',
      nonKeyAttributes: LIST_ATTRIBUTES,
    },
    {
      // An order's events, oldest first (GET /payments/{orderNo}/events): only event items carry
      // both `orderNo` and a numeric `loggedAt` (orders have no loggedAt, the log's pointers no
      // orderNo). Written once per event: its later delivery updates change neither key nor `type`.
      indexName: 'byOrder',
      partitionKey: { name: 'orderNo', type: 'S' },
      sortKey: { name: 'loggedAt', type: 'N' },
      projection: 'INCLUDE',
      nonKeyAttributes: ['type'],
    },
    {
      // The event log, oldest first: GET /events reads it, never a Scan (shared/store/events.ts).
      indexName: 'events',
      partitionKey: { name: 'eventLog', type: 'S' },
      sortKey: { name: 'eventSeq', type: 'S' },
      projection: 'INCLUDE',
      nonKeyAttributes: ['id', 'type', 'timestamp', 'orderNo', 'body', 'loggedAt', 'delivery'],
    },
  ],
  ttlAttribute: 'ttl',
  /** The change stream the events function reads (shared/events): every committed change, with both images. */
  stream: 'NEW_AND_OLD_IMAGES',
} as const;

export const DUE_INDEX = 'due';
export const EVENTS_INDEX = 'events';
export const BY_DAY_INDEX = 'byDay';
export const FLAGGED_INDEX = 'flagged';
export const BY_ORDER_INDEX = 'byOrder';
/** The partition of the `flagged` index (every flagged order). */
export const FLAGGED_LIST = 'FLAGGED';
export const DUE_SHARDS = 8;
