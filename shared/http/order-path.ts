/**
 * The orderNo a route's path names (`/payments/{orderNo}/…`), checked in this one place: a value
 * that breaks Toss's rule names no order (404 ORDER_NOT_FOUND, nothing read), and the one it names
 * is on every later log line of the invocation.
 */
import { ORDER_NO_RE } from '../domain/order-no.ts';
import { OrderNotFoundError } from '../payments/errors.ts';
import type { HttpEvent } from './chain.ts';

export function pathOrderNo(event: Pick<HttpEvent, 'pathParameters'>, logger: { appendKeys(keys: Record<string, unknown>): void }): string {
  const orderNo = event.pathParameters?.orderNo ?? '';
  if (!ORDER_NO_RE.test(orderNo)) throw new OrderNotFoundError(orderNo);
  logger.appendKeys({ orderNo });
  return orderNo;
}
