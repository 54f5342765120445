/**
 * GET /stats: the overview of the console, for any merchant tool too. Per Korea-time day of
 * creation: the orders, those paid and their amount, refunds, cancels (by the merchant) and
 * abandoned ones (the buyer quit, or it expired), failed and still open; the orders flagged for a
 * person; and how the latest webhook deliveries went.
 *
 * Bounded in cost: at most MAX_STATS_DAYS days, and at most MAX_STATS_ORDERS orders read from the
 * `byDay` index (only the attributes counted); past that the reply says `complete: false` and
 * `countedFrom`, the oldest day counted in full. The flagged orders are counted up to
 * MAX_FLAGGED_COUNT, the webhooks over the latest WEBHOOK_SAMPLE events of the log.
 */
import { moneyOf } from '../domain/refunds.ts';
import { isPaid } from '../domain/states.ts';
import { DAY_MS, kstDayOf } from '../domain/toss-time.ts';
import type { DeliveryStatus } from '../events/event-shape.ts';
import { InvalidRequestError } from './errors.ts';
import type { CountedOrder, OrderFigures } from './ports.ts';
import type { StatsReply } from './reply-schemas.ts';
import type { StatsQuery } from './request-schemas.ts';

export const MAX_STATS_DAYS = 31;
export const DEFAULT_STATS_DAYS = 7;
export const MAX_STATS_ORDERS = 10_000;
export const MAX_FLAGGED_COUNT = 1_000;
export const WEBHOOK_SAMPLE = 200;

/** The days from `from` to `to` (YYYY-MM-DD, Korea time), oldest first. */
export function daysFrom(from: string, to: string): string[] {
  const out: string[] = [];
  for (let t = Date.parse(`${from}T12:00:00+09:00`); kstDayOf(t) <= to; t += DAY_MS) out.push(kstDayOf(t));
  return out;
}

type DayFigures = StatsReply['totals'];
const none = (): DayFigures => ({ orders: 0, paid: 0, paidAmount: 0, refunds: 0, refundedAmount: 0, cancelled: 0, abandoned: 0, failed: 0, open: 0 });

/** Adds one order to a day's figures. Pure. */
export function count(f: DayFigures, o: CountedOrder): void {
  f.orders++;
  if (isPaid(o.status)) {
    f.paid++;
    f.paidAmount += o.amount;
    const money = moneyOf({ status: o.status, amount: o.amount, refunds: o.refunds ?? {} });
    f.refundedAmount += money.refundedAmount;
    f.refunds += Object.values(o.refunds ?? {}).filter((r) => r.status === 'SUCCEEDED').length;
  } else if (o.status === 'PAY_CANCEL') {
    if (o.cancelReason === 'MERCHANT') f.cancelled++;
    else f.abandoned++;
  } else if (o.status === 'CREATE_FAILED' || o.status === 'EXECUTE_FAILED') f.failed++;
  else f.open++;
}

const add = (into: DayFigures, f: DayFigures): void => {
  for (const k of Object.keys(into) as Array<keyof DayFigures>) into[k] += f[k];
};

/**
 * How the latest deliveries went, from each event's deliveries summed up (the furthest behind of
 * its endpoints'): delivered and failed among events with a webhook; pending ones (and those
 * waiting for a disabled endpoint) are still to be sent. Events none was to get, or whose every
 * endpoint was deleted, are not counted.
 */
export function webhookFigures(statuses: readonly DeliveryStatus[]): StatsReply['webhooks'] {
  const withHook = statuses.filter((st) => st !== 'none' && st !== 'cancelled');
  const delivered = withHook.filter((st) => st === 'delivered').length;
  const failed = withHook.filter((st) => st === 'failed').length;
  return {
    sampled: withHook.length,
    delivered,
    failed,
    pending: withHook.length - delivered - failed,
    ...(delivered + failed > 0 ? { successRate: Math.round((delivered / (delivered + failed)) * 10_000) / 10_000 } : {}),
  };
}

export async function stats(
  q: StatsQuery,
  deps: { figures: OrderFigures; recentDeliveries: (limit: number) => Promise<DeliveryStatus[]>; clock: () => number },
): Promise<StatsReply> {
  const to = q.to ?? kstDayOf(deps.clock());
  const from = q.from ?? kstDayOf(Date.parse(`${to}T12:00:00+09:00`) - (DEFAULT_STATS_DAYS - 1) * DAY_MS);
  const days = daysFrom(from, to);
  if (days.length > MAX_STATS_DAYS)
    throw new InvalidRequestError('the request is invalid', [{ path: 'from', message: `at most ${MAX_STATS_DAYS} days, to included`, code: 'custom' }]);
  const byDay = new Map(days.map((d) => [d, none()]));
  let budget = MAX_STATS_ORDERS;
  let countedFrom: string | undefined;
  // Newest first: when the budget ends, the recent days are the ones counted.
  for (const d of [...days].reverse()) {
    if (budget === 0) break;
    const r = await deps.figures.ordersOfDay(d, budget);
    const f = byDay.get(d) as DayFigures;
    for (const o of r.orders) count(f, o);
    budget -= r.orders.length;
    if (!r.complete) break;
    countedFrom = d;
  }
  const [flagged, recent] = await Promise.all([deps.figures.flaggedCount(MAX_FLAGGED_COUNT), deps.recentDeliveries(WEBHOOK_SAMPLE)]);
  const totals = none();
  for (const f of byDay.values()) add(totals, f);
  return {
    from,
    to,
    complete: countedFrom === from,
    ...(countedFrom !== undefined && countedFrom !== from ? { countedFrom } : {}),
    days: days.map((d) => ({ day: d, ...(byDay.get(d) as DayFigures) })),
    totals,
    attention: { orders: flagged.count, ...(flagged.more ? { more: true } : {}) },
    webhooks: webhookFigures(recent),
  };
}
