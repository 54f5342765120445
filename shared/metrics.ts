/**
 * CloudWatch metric names (Powertools Metrics, EMF). The stack's alarms and dashboard watch these
 * exact names, so they are declared once here and imported by both the functions and infra/.
 *
 * Every metric is in METRICS_NAMESPACE with the `service` dimension (SERVICE_NAME: Powertools adds
 * it to every metric it emits). A metric documented with a further dimension (MetricDimension) is
 * emitted with exactly those two, `service` and that one; every other metric with `service` alone.
 * CloudWatch keeps each set of dimensions as a metric of its own, so the alarms and the dashboard
 * find a metric only under its documented set.
 */
export const METRICS_NAMESPACE = 'TossPay';
export const SERVICE_NAME = 'toss-pay';

/** Dimension names beside `service`. */
export const MetricDimension = {
  Service: 'service',
  /** How a callback ended (CallbackOutcome). */
  Outcome: 'outcome',
  /** Which Toss API was called (TossLatency, TossErrors). */
  Api: 'api',
} as const;

export const MetricName = {
  /** An order needs a person: recovered from Toss, contradicted by Toss, or unresolved too long. */
  OrdersFlagged: 'OrdersFlagged',
  /**
   * DynamoDB refused a write to an order for good (a ValidationException, e.g. the item would
   * outgrow 400 KB): the change is not recorded and the order is flagged (alarmed).
   */
  OrderWritesRejected: 'OrderWritesRejected',
  /** A callback or landing was refused as forged, contradicted or from a disallowed address. */
  SecurityEvents: 'SecurityEvents',
  ReconcileExamined: 'ReconcileExamined',
  ReconcileChanged: 'ReconcileChanged',
  ReconcileUnchanged: 'ReconcileUnchanged',
  ReconcileErrors: 'ReconcileErrors',
  /** An error no code path expected (a bug): logged with its stack and answered 500. */
  UnhandledErrors: 'UnhandledErrors',
  /**
   * One Count per callback received, with dimension `outcome` (MetricDimension.Outcome): what the
   * callback came to, one short lower-case word per reply the callback function gives, e.g.
   * `applied`, `duplicate`, `recovered`, `rejected`, `retry` (answered 503 so that Toss sends it again).
   */
  CallbackOutcome: 'CallbackOutcome',
  /**
   * Milliseconds one call to Toss took, answered or not (unit Milliseconds), with dimension `api`
   * (MetricDimension.Api): the Toss API's last path segment, `payments` (create), `status` or `execute`.
   */
  TossLatency: 'TossLatency',
  /**
   * One Count per Toss call that did not give a usable reply (a timeout, a 5xx, a 429 or a reply
   * that does not parse), with dimension `api` as for TossLatency. A refusal Toss states
   * (`code: -1` with an errorCode) is an answer, not an error.
   */
  TossErrors: 'TossErrors',
  /** A webhook delivery answered 2xx. */
  WebhooksDelivered: 'WebhooksDelivered',
  /** A webhook delivery gave up after its last retry (alarmed; the event is listed as failed). */
  WebhookFailures: 'WebhookFailures',
  /** Events published from the table's stream (one per event, at its first logging). */
  EventsPublished: 'EventsPublished',
  /**
   * A webhook endpoint was disabled because every attempt to it failed for
   * WEBHOOK_DISABLE_AFTER_DAYS (alarmed; an endpoint.disabled event tells the other endpoints).
   */
  WebhookEndpointsDisabled: 'WebhookEndpointsDisabled',
} as const;
