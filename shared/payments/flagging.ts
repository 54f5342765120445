import { MetricName } from '../metrics.ts';
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
