/** What `npm run bench` writes to bench/results.json: each section's figures, and when and where they were measured. */
import type { Machine } from './machine.ts';
import type { Sizes } from './sizes.ts';
import type { BundlesResult } from '../sections/bundles.ts';
import type { EventsResult } from '../sections/events.ts';
import type { OpsResult } from '../sections/ops.ts';
import type { ReconcilerResult } from '../sections/reconciler.ts';
import type { RefundsResult } from '../sections/refunds.ts';
import type { StormResult } from '../sections/storm.ts';
import type { ThroughputResult } from '../sections/throughput.ts';
import type { WarmResult } from '../sections/warm.ts';

export interface Results {
  mode: 'full' | 'quick';
  startedAt: string;
  finishedAt: string;
  durationSeconds: number;
  machine: Machine;
  /** Load averages when the run ended. */
  loadAverageAtEnd: number[];
  /** Load averages when each section started (the machine is shared: read them with the times). */
  loadAverageBySection?: Record<string, number[]>;
  /**
   * When each section ran: `--only` runs some sections and keeps the others' figures from the
   * results.json it finds (of the same mode), so one file holds the latest figures of every section.
   */
  sectionRanAt?: Record<string, string>;
  sizes: Sizes;
  bundles?: BundlesResult;
  ops?: OpsResult;
  throughput?: ThroughputResult;
  reconciler?: ReconcilerResult;
  warm?: WarmResult;
  refunds?: RefundsResult;
  events?: EventsResult;
  storm?: StormResult;
}
