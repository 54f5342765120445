/**
 * The order state machine. Pure: no I/O, no clock.
 *
 * Our states mirror Toss's `payStatus` values plus the ones we need around our own calls:
 * CREATING (recorded, Toss create not answered yet), CREATE_FAILED (Toss refused the create),
 * EXECUTING (we hold the lock and called / are calling v2/execute), EXECUTE_FAILED (Toss
 * refused the execute with code -1; Toss keeps the payment PAY_APPROVED until it expires, so
 * the order may still move to PAY_CANCEL, or to PAY_COMPLETE when Toss's status says so).
 *
 * `nextStates` lists, for each state, every state a verified change may take it to (transitively
 * closed over Toss's own machine, so an order whose callback was lost can jump straight from
 * PAY_STANDBY to, say, REFUND_SUCCESS). Before payment states only move forward; terminal states
 * never change. Once money moved, the order is in Toss's paid family (PAY_COMPLETE, the refund and
 * the settlement states): Toss's pages list those states and no transitions between them, and a
 * settled payment can still be refunded, so any member may follow any other. Which of those moves
 * Toss's money facts allow (never back to PAY_COMPLETE after a refund or a settlement) is decide()'s
 * rule (shared/domain/decide.ts), and whether a refund may start is the money's, never a state's.
 */
export const ORDER_STATUSES = [
  'CREATING',
  'CREATE_FAILED',
  'PAY_STANDBY',
  'PAY_APPROVED',
  'EXECUTING',
  'EXECUTE_FAILED',
  'PAY_PROGRESS',
  'PAY_COMPLETE',
  'PAY_CANCEL',
  'REFUND_PROGRESS',
  'REFUND_SUCCESS',
  'SETTLEMENT_COMPLETE',
  'SETTLEMENT_REFUND_COMPLETE',
] as const;
export type OrderStatus = (typeof ORDER_STATUSES)[number];

/** Toss `payStatus` values that map 1:1 onto an order state. */
export const TOSS_PAY_STATUSES = [
  'PAY_STANDBY',
  'PAY_APPROVED',
  'PAY_PROGRESS',
  'PAY_COMPLETE',
  'PAY_CANCEL',
  'REFUND_PROGRESS',
  'REFUND_SUCCESS',
  'SETTLEMENT_COMPLETE',
  'SETTLEMENT_REFUND_COMPLETE',
] as const;
export type TossPayStatus = (typeof TOSS_PAY_STATUSES)[number];

/** Toss's paid family: money moved (paid, then refunds and settlements in any order). */
export const PAID_STATUSES = [
  'PAY_COMPLETE',
  'REFUND_PROGRESS',
  'REFUND_SUCCESS',
  'SETTLEMENT_COMPLETE',
  'SETTLEMENT_REFUND_COMPLETE',
] as const satisfies readonly OrderStatus[];
/** Every paid state but `s`. */
const paidBut = (s: OrderStatus): OrderStatus[] => PAID_STATUSES.filter((x) => x !== s);

/** Toss paid the money out to the merchant (정산 완료, 환불 정산 완료): still a paid state, refunds may follow. */
export const SETTLEMENT_STATUSES = ['SETTLEMENT_COMPLETE', 'SETTLEMENT_REFUND_COMPLETE'] as const satisfies readonly OrderStatus[];

export const nextStates: Readonly<Record<OrderStatus, readonly OrderStatus[]>> = {
  CREATING: ['PAY_STANDBY', 'PAY_APPROVED', 'PAY_PROGRESS', 'PAY_CANCEL', ...PAID_STATUSES, 'CREATE_FAILED'],
  CREATE_FAILED: [],
  PAY_STANDBY: ['PAY_APPROVED', 'EXECUTING', 'PAY_PROGRESS', 'PAY_CANCEL', ...PAID_STATUSES],
  PAY_APPROVED: ['EXECUTING', 'PAY_PROGRESS', 'PAY_CANCEL', ...PAID_STATUSES],
  EXECUTING: ['PAY_PROGRESS', 'EXECUTE_FAILED', 'PAY_CANCEL', ...PAID_STATUSES],
  EXECUTE_FAILED: ['PAY_PROGRESS', 'PAY_CANCEL', ...PAID_STATUSES],
  PAY_PROGRESS: [...PAID_STATUSES],
  PAY_COMPLETE: paidBut('PAY_COMPLETE'),
  PAY_CANCEL: [],
  REFUND_PROGRESS: paidBut('REFUND_PROGRESS'),
  REFUND_SUCCESS: paidBut('REFUND_SUCCESS'),
  SETTLEMENT_COMPLETE: paidBut('SETTLEMENT_COMPLETE'),
  SETTLEMENT_REFUND_COMPLETE: paidBut('SETTLEMENT_REFUND_COMPLETE'),
};

/** Nothing can happen to the money any more: it never moved, and never will. */
export const TERMINAL_STATUSES: readonly OrderStatus[] = ['CREATE_FAILED', 'PAY_CANCEL'];

/** States the reconciler must keep checking (they carry the due-index attributes). */
export const UNFINISHED_STATUSES: readonly OrderStatus[] = [
  'CREATING',
  'PAY_STANDBY',
  'PAY_APPROVED',
  'EXECUTING',
  'EXECUTE_FAILED',
  'PAY_PROGRESS',
  'REFUND_PROGRESS',
];

/** States an execute lock may be taken from (then -> EXECUTING). */
export const EXECUTE_LOCKABLE: readonly OrderStatus[] = ['PAY_STANDBY', 'PAY_APPROVED'];

export const isOrderStatus = (s: unknown): s is OrderStatus =>
  typeof s === 'string' && (ORDER_STATUSES as readonly string[]).includes(s);
export const isTossPayStatus = (s: unknown): s is TossPayStatus =>
  typeof s === 'string' && (TOSS_PAY_STATUSES as readonly string[]).includes(s);
export const isTerminal = (s: OrderStatus): boolean => TERMINAL_STATUSES.includes(s);
export const isUnfinished = (s: OrderStatus): boolean => UNFINISHED_STATUSES.includes(s);
/** Money was taken: PAY_COMPLETE or any refund/settlement state after it. */
export const isPaid = (s: OrderStatus): boolean => (PAID_STATUSES as readonly OrderStatus[]).includes(s);
export const isSettlement = (s: OrderStatus): boolean => (SETTLEMENT_STATUSES as readonly OrderStatus[]).includes(s);

/** May an order in `from` move to `to` (one step of the closed table)? Never to itself. */
export const canTransition = (from: OrderStatus, to: OrderStatus): boolean => nextStates[from].includes(to);

/** Every state that may move directly to `to`: the `from` set a conditional write expects. */
export const predecessorsOf = (to: OrderStatus): OrderStatus[] =>
  ORDER_STATUSES.filter((s) => canTransition(s, to));

/**
 * Is `later` at or beyond `earlier` (reachable by zero or more moves of the table)? Used to tell a
 * duplicate ("already there or further") from a contradiction. Within the paid family every state
 * is at or beyond every other: which one is Toss's latest word is decided on the money (decide()).
 */
export function isAtOrBeyond(later: OrderStatus, earlier: OrderStatus): boolean {
  if (later === earlier) return true;
  const seen = new Set<OrderStatus>([earlier]);
  const queue: OrderStatus[] = [earlier];
  for (let s = queue.shift(); s !== undefined; s = queue.shift()) {
    for (const n of nextStates[s]) {
      if (n === later) return true;
      if (!seen.has(n)) {
        seen.add(n);
        queue.push(n);
      }
    }
  }
  return false;
}

/** What a buyer is told about an order: the result pages (and the merchant redirect's `result`). */
export type BuyerResult = 'paid' | 'refunded' | 'failed' | 'cancelled' | 'pending';
/** From the status alone; a fully refunded order is `refunded` (shared/domain/refunds.ts paymentStateOf). */
export function buyerResult(s: OrderStatus): BuyerResult {
  if (isPaid(s)) return 'paid';
  if (s === 'PAY_CANCEL') return 'cancelled';
  if (s === 'CREATE_FAILED' || s === 'EXECUTE_FAILED') return 'failed';
  return 'pending';
}
