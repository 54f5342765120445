/** What a reconciler pass did, one check at a time, and the metrics it reports. Pure. */
import type { OrderStatus } from '../../domain/states.ts';
import { MetricName } from '../../metrics.ts';

export interface ReconcileSummary {
  /** Orders checked (a Toss status call was made or attempted). */
  examined: number;
  /** Orders whose state changed, by the state they were left in. */
  changed: Partial<Record<OrderStatus, number>>;
  /** Orders checked whose state did not change (incl. contradictions and lost races). */
  unchanged: number;
  /** Orders flagged for a person in this pass (unresolved too long, or contradicted by Toss). */
  flagged: number;
  /** Orders (or index pages) that could not be checked: Toss or DynamoDB errors. They stay due. */
  errors: number;
  /** Of the errors: writes DynamoDB refused for good (the order flagged; OrderWritesRejected, alarmed). */
  rejected: number;
  /** True when the pass stopped (time budget, or an unreadable shard) with due orders left. */
  leftDue: boolean;
  /** Items the due-index queries returned: what the pass read from the table. */
  itemsRead: number;
  /** Items DynamoDB evaluated for those queries (ScannedCount). */
  scannedCount: number;
  /** Read capacity units the queries consumed (as DynamoDB reports it). */
  consumedCapacity: number;
  durationMs: number;
}

export type CheckOutcome =
  | { kind: 'changed'; from: OrderStatus; to: OrderStatus }
  | { kind: 'unchanged'; reason: string }
  | { kind: 'error'; error: string };

export interface CheckResult {
  orderNo: string;
  outcome: CheckOutcome;
  /** This check set `attention` because the order stayed unresolved past the flag age. */
  flaggedUnresolved: boolean;
}

/** The Reconcile* metric values of a pass summary (OrdersFlagged is counted where it happens). Pure. */
export function summaryMetrics(s: ReconcileSummary): [name: string, value: number][] {
  const changed = Object.values(s.changed).reduce((a, n) => a + n, 0);
  return [
    [MetricName.ReconcileExamined, s.examined],
    [MetricName.ReconcileChanged, changed],
    [MetricName.ReconcileUnchanged, s.unchanged],
    [MetricName.ReconcileErrors, s.errors],
  ];
}

export const emptySummary = (): ReconcileSummary => ({
  examined: 0,
  changed: {},
  unchanged: 0,
  flagged: 0,
  errors: 0,
  rejected: 0,
  leftDue: false,
  itemsRead: 0,
  scannedCount: 0,
  consumedCapacity: 0,
  durationMs: 0,
});

/** Adds one check's result to a summary. Pure (mutates `s`). */
export function record(s: ReconcileSummary, r: CheckResult): void {
  if (r.outcome.kind === 'changed') s.changed[r.outcome.to] = (s.changed[r.outcome.to] ?? 0) + 1;
  else if (r.outcome.kind === 'unchanged') s.unchanged++;
  else s.errors++;
}
