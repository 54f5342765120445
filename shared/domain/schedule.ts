/**
 * When the reconciler should next look at an unfinished order. Pure.
 */
import { isPaid, isTerminal, isUnfinished, type OrderStatus } from './states.ts';

const MINUTE = 60_000;
/** Delays between checks: 1, 2, 5, 10, then every 30 minutes. */
export const CHECK_DELAYS_MS: readonly number[] = [1 * MINUTE, 2 * MINUTE, 5 * MINUTE, 10 * MINUTE, 30 * MINUTE];
/** How long after Toss's expiry a waiting order is checked (Toss cancels it at expiry). */
export const EXPIRY_GRACE_MS = 30_000;

/** Epoch ms of the next check after `checks` checks so far (0 = never checked), from `now`. */
export function nextCheckAt(checks: number, now: number): number {
  const i = Math.min(Math.max(0, Math.floor(checks)), CHECK_DELAYS_MS.length - 1);
  return now + (CHECK_DELAYS_MS[i] ?? 30 * MINUTE);
}

const WAITING: readonly OrderStatus[] = ['PAY_STANDBY', 'PAY_APPROVED', 'EXECUTE_FAILED', 'CREATING'];

/**
 * The next check for an order in `status`: the backoff, but for orders that wait on the buyer
 * (standby, approved, execute failed, creating) never later than just after Toss's expiry, so
 * an expired order is settled soon after it expires.
 */
export function dueAtFor(o: { status: OrderStatus; checks: number; expiresAt?: string | undefined }, now: number): number {
  const next = nextCheckAt(o.checks, now);
  if (o.expiresAt === undefined || !WAITING.includes(o.status)) return next;
  const afterExpiry = Date.parse(o.expiresAt) + EXPIRY_GRACE_MS;
  return Number.isFinite(afterExpiry) && afterExpiry > now && afterExpiry < next ? afterExpiry : next;
}

const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
/**
 * A paid order can still change at Toss without telling us (Toss sends no callback for refunds):
 * a refund in Toss's console, settlement. It is checked again at these ages after payment, so
 * the work grows with recent payments, never with the table.
 */
export const RECHECKS_AFTER_PAYMENT_MS: readonly number[] = [1 * HOUR, 1 * DAY, 7 * DAY, 30 * DAY];

/** The next re-check of an order paid at `paidAtMs`, strictly after `now`; undefined past the last one. */
export function recheckAt(paidAtMs: number, now: number): number | undefined {
  for (const age of RECHECKS_AFTER_PAYMENT_MS) if (paidAtMs + age > now) return paidAtMs + age;
  return undefined;
}

/**
 * When an order that just moved to `status` is next looked at by the reconciler: unfinished orders
 * by the backoff, resting paid ones by the re-checks after payment, others never. Pure.
 */
export function dueAfterChange(
  o: { status: OrderStatus; expiresAt?: string | undefined; paidAt?: string | undefined },
  now: number,
): number | undefined {
  if (isUnfinished(o.status)) return dueAtFor({ status: o.status, checks: 0, expiresAt: o.expiresAt }, now);
  if (isPaid(o.status) && !isTerminal(o.status)) {
    const paidAt = o.paidAt === undefined ? now : Date.parse(o.paidAt);
    return recheckAt(Number.isFinite(paidAt) ? paidAt : now, now);
  }
  return undefined;
}
