/**
 * The order an invocation is about: on every later log line of the invocation (`orderNo`) and an
 * annotation of its trace, so that X-Ray finds a payment's traces by its orderNo (aboutOrder). The
 * orderNo a route's path names (`/payments/{orderNo}/…`) is checked in this one place: a value that
 * breaks Toss's rule names no order (404 ORDER_NOT_FOUND, nothing read).
 */
import { ORDER_NO_RE } from '../domain/order-no.ts';
import { OrderNotFoundError } from '../payments/errors.ts';
import { processTracing } from '../tracer.ts';
import type { HttpEvent } from './chain.ts';

/** What the invocation is about takes a logger that keeps keys for its later lines (Powertools'). */
export interface KeyedLogger {
  appendKeys(keys: Record<string, unknown>): void;
}

/** This invocation is about order `orderNo`: its later log lines and its trace say so. */
export function aboutOrder(logger: KeyedLogger, orderNo: string): void {
  logger.appendKeys({ orderNo });
  processTracing().annotate('orderNo', orderNo);
}

/** The orderNo the path names, checked; the invocation is about it from now on. */
export function pathOrderNo(event: Pick<HttpEvent, 'pathParameters'>, logger: KeyedLogger): string {
  const orderNo = event.pathParameters?.orderNo ?? '';
  if (!ORDER_NO_RE.test(orderNo)) throw new OrderNotFoundError(orderNo);
  aboutOrder(logger, orderNo);
  return orderNo;
}
