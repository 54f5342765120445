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
 * - One item per Toss transaction (pk `TX#<transactionId>`, shared/store/ledger.ts): the ledger of
 *   GET /transactions, derived from the orders' changes by the events function. A transaction
 *   cannot be indexed as an element of its order's list, hence an item of its own.
 * - One item per event (pk `EVENT#<id>`, shared/store/events.ts) and the log's own items
 *   (shared/store/event-log.ts).
 * - `lists` is one overloaded GSI for the listings of those items (an order's events, the ledger):
 *   see its definition. Adding a listing adds a `listKey` prefix, never an index: CloudFormation
 *   creates at most one index per stack update, so every index beyond the released ones costs the
 *   merchants who upgrade a deploy of its own.
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
      // The event log, oldest first: GET /events reads it, never a Scan (shared/store/events.ts).
      indexName: 'events',
      partitionKey: { name: 'eventLog', type: 'S' },
      sortKey: { name: 'eventSeq', type: 'S' },
      projection: 'INCLUDE',
      nonKeyAttributes: ['id', 'type', 'timestamp', 'orderNo', 'body', 'loggedAt', 'delivery'],
    },
    {
      // The listings that are neither orders nor the log, overloaded on one index: a stack update
      // may add one index at most (CloudFormation), so the listings added since the last release
      // share this one, and a listing added later takes a partition of it, not an index.
      // `listKey` names the listing and its partition, `listSeq` sorts it (listKeys below; only the
      // items a listing holds carry both):
      // - `LEDGER#<yyyy-mm>`: the ledger by Korea-time month, in time order (GET /transactions,
      //   shared/store/ledger.ts): one partition per month, so a range reads only its rows.
      // - `ORDER_EVENTS#<orderNo>`: an order's events in log order (GET /payments/{orderNo}/events,
      //   shared/store/events.ts); `listSeq` is the event's place in the log, written once with it.
      // ALL: a deployed index's projection cannot change (it would have to be rebuilt under a new
      // name), and a ledger item is the row it lists.
      indexName: 'lists',
      partitionKey: { name: 'listKey', type: 'S' },
      sortKey: { name: 'listSeq', type: 'S' },
      projection: 'ALL',
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
export const LISTS_INDEX = 'lists';
/** The partitions of the `lists` index, one per listing (and per month, or per order). */
export const listKeys = {
  ledgerMonth: (month: string): string => `LEDGER#${month}`,
  orderEvents: (orderNo: string): string => `ORDER_EVENTS#${orderNo}`,
} as const;
/** The partition of the `flagged` index (every flagged order). */
export const FLAGGED_LIST = 'FLAGGED';
export const DUE_SHARDS = 8;
