/**
 * The scheduled reconciler (EventBridge, every `reconcileRate` minutes; locally every
 * RECONCILE_INTERVAL_SECONDS inside `npm start`): one reconcilePass within the invocation's time
 * budget. The pass's counts are flushed once, by the logMetrics middleware; the summary is logged
 * and returned. Errors on single orders are counted, never thrown: they stay due for the next pass.
 */
import type { ScheduledEvent } from 'aws-lambda';
import { reconcilerContainer, reconcileOptions } from '../../shared/deps.ts';
import { lambdaFunction } from '../../shared/lambda-chain.ts';
import { reconcilePass } from '../../shared/payments/reconcile/pass.ts';
import { summaryMetrics, type ReconcileSummary } from '../../shared/payments/reconcile/summary.ts';

const c = reconcilerContainer('reconciler');

export const handler = lambdaFunction(c, async (_event: ScheduledEvent, context): Promise<ReconcileSummary> => {
  const summary = await reconcilePass({ ...c.deps, due: c.due }, reconcileOptions(c.config, Date.now(), context.getRemainingTimeInMillis()));
  for (const [name, n] of summaryMetrics(summary)) c.meter.count(name, n);
  // An idle pass is routine: only a pass that did something is worth an INFO line.
  if (summary.examined > 0 || summary.errors > 0) c.logger.info('reconcile pass', { summary });
  else c.logger.debug('reconcile pass', { summary });
  return summary;
});
