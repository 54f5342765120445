/**
 * What a person is told of, each logged and counted in an alarmed metric: a security event
 * (SecurityEvents), an order flagged for attention (OrdersFlagged), a write DynamoDB refused for
 * good (OrderWritesRejected).
 */
import { MetricName } from '../metrics.ts';
import { OrderWriteRejectedError } from '../store/errors.ts';
import type { PaymentDeps } from './ports.ts';

/** Logs a security event (key `securityEvent`) and counts it. Never pass bodies or Toss replies. */
export function securityEvent(
  deps: Pick<PaymentDeps, 'logger' | 'count'>,
  event: string,
  fields: Record<string, string | number | boolean | undefined>,
): void {
  deps.logger.warn('security event', { securityEvent: event, ...fields });
  deps.count(MetricName.SecurityEvents);
}

/** Flags an order for a person and counts it. */
export async function flag(deps: Pick<PaymentDeps, 'store' | 'logger' | 'count'>, orderNo: string, reason: string): Promise<void> {
  const ok = await deps.store.flagOrder(orderNo, reason);
  if (ok) {
    deps.logger.warn('order flagged for attention', { orderNo, attention: reason });
    deps.count(MetricName.OrdersFlagged);
  }
}

/**
 * A write to an order DynamoDB refused for good (the store flagged the order when it could):
 * logged as an error and counted (OrderWritesRejected, alarmed; OrdersFlagged when flagged).
 * Every place an error ends (an HTTP reply, a reconciler check) calls this; none skips it.
 * True when `e` was such a refusal.
 */
export function reportRejectedWrite(deps: Pick<PaymentDeps, 'logger' | 'count'>, e: unknown): e is OrderWriteRejectedError {
  if (!(e instanceof OrderWriteRejectedError)) return false;
  deps.logger.error('DynamoDB refused a write to the order for good: the change is not recorded; the order needs a person', {
    orderNo: e.orderNo,
    reason: e.reason,
    flagged: e.flagged,
    error: e,
  });
  deps.count(MetricName.OrderWritesRejected);
  if (e.flagged) deps.count(MetricName.OrdersFlagged);
  return true;
}
