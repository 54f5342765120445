/**
 * CloudWatch metric names (Powertools Metrics, EMF). The stack's alarms watch these exact names,
 * so they are declared once here and imported by both the functions and infra/.
 */
export const METRICS_NAMESPACE = 'TossPay';
export const SERVICE_NAME = 'toss-pay';

export const MetricName = {
  /** An order needs a person: recovered from Toss, contradicted by Toss, or unresolved too long. */
  OrdersFlagged: 'OrdersFlagged',
  /** A callback or landing was refused as forged, contradicted or from a disallowed address. */
  SecurityEvents: 'SecurityEvents',
  ReconcileExamined: 'ReconcileExamined',
  ReconcileChanged: 'ReconcileChanged',
  ReconcileUnchanged: 'ReconcileUnchanged',
  ReconcileErrors: 'ReconcileErrors',
  /** An error no code path expected (a bug): logged with its stack and answered 500. */
  UnhandledErrors: 'UnhandledErrors',
} as const;
