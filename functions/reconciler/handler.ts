/**
 * The scheduled reconciler (EventBridge, every `reconcileRate` minutes; locally every
 * RECONCILE_INTERVAL_SECONDS inside `npm start`): one reconcilePass within the invocation's time
 * budget. Counts are flushed once per pass as Powertools Metrics (EMF); the summary is logged and
 * returned. Errors on single orders are counted, never thrown: they stay due for the next pass.
 */
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import middy from '@middy/core';
import type { Context, ScheduledEvent } from 'aws-lambda';
import { appConfig } from '../../shared/config.ts';
import { paymentDeps } from '../../shared/http/handler.ts';
import { logger, metrics } from '../../shared/http/observability.ts';
import { passOptions, reconcilePass, summaryMetrics, type ReconcileSummary } from '../../shared/payments/reconcile.ts';
import { dueStore } from '../../shared/store/due.ts';

export const handler = middy(async (_event: ScheduledEvent, context: Context): Promise<ReconcileSummary> => {
  const options = passOptions(appConfig(), Date.now(), context.getRemainingTimeInMillis());
  // Counts raised during the pass (OrdersFlagged, SecurityEvents) are flushed with the pass's own.
  const counts = new Map<string, number>();
  const deps = {
    ...paymentDeps(),
    due: dueStore(),
    count: (name: string) => counts.set(name, (counts.get(name) ?? 0) + 1),
  };
  const flush = (summary?: ReconcileSummary): void => {
    for (const [name, n] of counts) metrics.addMetric(name, MetricUnit.Count, n);
    if (summary !== undefined) for (const [name, n] of summaryMetrics(summary)) metrics.addMetric(name, MetricUnit.Count, n);
    metrics.publishStoredMetrics();
  };
  let summary: ReconcileSummary;
  try {
    summary = await reconcilePass(deps, options);
  } catch (e) {
    flush();
    throw e;
  }
  flush(summary);
  logger.info('reconcile pass', { summary });
  return summary;
}).use(injectLambdaContext(logger, { resetKeys: true }));
