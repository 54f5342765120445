/**
 * Toss's money facts on the order (shared/domain/money-facts.ts), kept as fresh as the last
 * verified status: a state change records them in its own write; a status that changes no state
 * but says something new about the money (a payment we executed learns what Toss's execute reply
 * does not say; a refund at Toss lists a new transaction) is recorded by one conditional write on
 * the order as read, or, by the reconciler, in the write that schedules its next check.
 */
import { pickTransactions } from '../domain/decide.ts';
import { moneyOfStatus, sameMoney, sameTransactions, type TossMoney } from '../domain/money-facts.ts';
import type { Order, TossTransaction } from '../domain/order.ts';
import type { TossStatusReply } from '../toss/schemas.ts';
import type { PaymentDeps } from './ports.ts';

export interface MoneyFacts {
  tossMoney: TossMoney;
  /** Absent when the status lists none (the stored list is then kept). */
  transactions?: TossTransaction[] | undefined;
}

/** The facts of a verified status that is about `order`'s payment; undefined when it is about another. */
export function moneyFactsOf(order: Pick<Order, 'orderNo' | 'payToken' | 'amount' | 'mode'>, status: TossStatusReply): MoneyFacts | undefined {
  const same = status.orderNo === order.orderNo && status.payToken === order.payToken && status.amount === order.amount && status.mode === order.mode;
  return same ? { tossMoney: moneyOfStatus(status), transactions: pickTransactions(status.transactions) } : undefined;
}

/** Does the order already hold these facts? */
export const holds = (order: Pick<Order, 'tossMoney' | 'transactions'>, f: MoneyFacts): boolean =>
  sameMoney(order.tossMoney, f.tossMoney) && (f.transactions === undefined || sameTransactions(order.transactions, f.transactions));

/** Records what `status` (verified, read just now) says about `order`'s money when the order does not hold it yet. */
export async function recordMoneyFacts(order: Order, status: TossStatusReply, deps: Pick<PaymentDeps, 'store' | 'logger'>): Promise<Order> {
  const facts = moneyFactsOf(order, status);
  if (facts === undefined || holds(order, facts)) return order;
  const r = await deps.store.recordTossFacts(order.orderNo, facts, order);
  if (r.kind !== 'recorded') return r.kind === 'stale' ? r.order : order;
  deps.logger.info("Toss's money facts recorded", { orderNo: order.orderNo });
  return r.order;
}
