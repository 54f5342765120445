/**
 * One Logger and one Metrics per container (Powertools). Structured JSON logs carry the request id
 * and function name (injectLambdaContext) and the orderNo (appendKeys). Nothing here ever logs a
 * body, a Toss reply, the apiKey or a merchant token.
 */
import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import { METRICS_NAMESPACE, SERVICE_NAME } from '../metrics.ts';

export const logger = new Logger({ serviceName: SERVICE_NAME });
export const metrics = new Metrics({ namespace: METRICS_NAMESPACE, serviceName: SERVICE_NAME });

/** Emits one Count of `name` at once (EMF on stdout). */
export function countMetric(name: string): void {
  metrics.addMetric(name, MetricUnit.Count, 1);
  metrics.publishStoredMetrics();
}
