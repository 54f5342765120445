/**
 * What one order may hold, so that its DynamoDB item (400 KB at most, names and values counted)
 * can always be written: every write that records a change must fit, whatever happened before.
 * Pure.
 *
 * Everything an order stores is bounded, by our API's validation, by a cap below, or by the
 * store clipping what Toss says:
 *
 * | part | bound | worst case (bytes as DynamoDB counts them) |
 * |---|---|---|
 * | the order's own fields | orderNo 50, productDesc 255 and metadata 2,000 characters (≤ 3 bytes each in UTF-8), Toss's ids and URLs | ≈ 10 KB |
 * | refunds | MAX_REFUNDS_PER_ORDER, each: reason ≤ 100 characters, Toss's refusal ≤ 64 + 100 characters, our ids and times, a lease | 100 × ≈ 1.3 KB ≈ 128 KB |
 * | Toss's transactions | one per payment and refund (Toss's own fields) | 101 × ≈ 0.2 KB ≈ 17 KB |
 * | history | HISTORY_KEPT entries (older ones dropped, counted in `historyDropped`) | 101 × ≈ 0.2 KB ≈ 23 KB |
 *
 * ≈ 178 KB: under half of the item's 400 KB, leaving room for what Toss may add to its replies
 * and for refunds made in Toss's console beyond our cap (we cannot refuse those; each costs
 * ≈ 0.8 KB with its transaction and history). test/unit/order-size.test.ts builds this worst
 * case and measures it as DynamoDB does; test/integration/payments/refund-limits.test.ts drives a
 * real order to these limits.
 */
import type { Failure, HistoryEntry } from './order.ts';
import { isSettlement } from './states.ts';

/**
 * Refunds one order may hold (through our API, counting refused ones; the ones Toss made in its
 * console count too but are always recorded). Toss publishes no limit on partial refunds that we
 * know of: this is ours, from the size arithmetic above (docs/toss-pay.md).
 */
export const MAX_REFUNDS_PER_ORDER = 100;

/** A refund's `reason` (our API's limit; Toss takes it as the refund's reason). */
export const REFUND_REASON_MAX = 100;

/** History entries an order keeps; older ones are dropped and counted (`historyDropped`). */
export const HISTORY_KEPT = 100;

/** Toss's errorCode and msg as an order stores them (Toss's messages are short; a longer one is cut). */
export const FAILURE_CODE_MAX = 64;
export const FAILURE_MSG_MAX = 100;

const clip = (s: string, max: number): string => (s.length <= max ? s : `${s.slice(0, max - 1)}…`);

/** Toss's refusal as an order stores it: within FAILURE_CODE_MAX and FAILURE_MSG_MAX characters. */
export const boundedFailure = (f: Failure): Failure => ({ errorCode: clip(f.errorCode, FAILURE_CODE_MAX), msg: clip(f.msg, FAILURE_MSG_MAX) });

/**
 * The history an order keeps once `entry` is appended: the last HISTORY_KEPT entries, and the
 * first one that recorded it settled (when it would be dropped): `settled` and `settledSeenAt`
 * are read from it (./settlement.ts). `dropped`: how many entries were left out.
 */
export function keptHistory(history: readonly HistoryEntry[], entry: HistoryEntry): { kept: HistoryEntry[]; dropped: number } {
  const all = [...history, entry];
  if (all.length <= HISTORY_KEPT) return { kept: all, dropped: 0 };
  const firstSettled = all.findIndex((h) => isSettlement(h.to));
  const keepSettled = firstSettled >= 0 && firstSettled < all.length - (HISTORY_KEPT - 1);
  const tail = all.slice(-(HISTORY_KEPT - (keepSettled ? 1 : 0)));
  const kept = keepSettled ? [all[firstSettled] as HistoryEntry, ...tail] : tail;
  return { kept, dropped: all.length - kept.length };
}
