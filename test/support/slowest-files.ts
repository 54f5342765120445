/**
 * The ten slowest test files, printed at the end of every run (vitest.config.ts adds this reporter
 * to whatever reporters the command line chose, `.ci/run`'s among them). A file's time is what its
 * worker spent on it: preparing the environment, importing the file (collect), the setup files,
 * and every test and hook. The files run several at once, so the times add up to more than the
 * run's wall time; the last line says how many ran at once on average.
 */
import type { Reporter, TestModule } from 'vitest/node';

export interface FileTime {
  /** Relative to the project root. */
  file: string;
  /** Everything the worker spent on the file, in ms. */
  totalMs: number;
  /** Importing the file and what it imports, in ms. */
  importMs: number;
}

/** The time of one finished file, from vitest's diagnostic. */
export function fileTime(m: TestModule): FileTime {
  const d = m.diagnostic();
  return {
    file: m.relativeModuleId,
    totalMs: d.environmentSetupDuration + d.prepareDuration + d.collectDuration + d.setupDuration + d.duration,
    importMs: d.collectDuration,
  };
}

const seconds = (ms: number): string => (ms / 1000).toFixed(1);

/** The summary's lines: the `count` slowest files, then the sum of all files against the run's wall time. */
export function slowestFilesSummary(times: readonly FileTime[], wallMs: number, count = 10): string[] {
  if (times.length === 0) return [];
  const slowest = [...times].sort((a, b) => b.totalMs - a.totalMs).slice(0, count);
  const width = Math.max(...slowest.map((t) => seconds(t.totalMs).length));
  const sum = times.reduce((a, t) => a + t.totalMs, 0);
  return [
    `Slowest test files (${slowest.length} of ${times.length}; seconds, of which importing):`,
    ...slowest.map((t) => `  ${seconds(t.totalMs).padStart(width)} s  (${seconds(t.importMs)} s)  ${t.file}`),
    `All ${times.length} files: ${seconds(sum)} s in ${seconds(wallMs)} s of wall time (${(sum / Math.max(wallMs, 1)).toFixed(1)} at once on average).`,
  ];
}

export class SlowestFilesReporter implements Reporter {
  private startedAt = Date.now();

  onTestRunStart(): void {
    this.startedAt = Date.now();
  }

  onTestRunEnd(modules: readonly TestModule[]): void {
    const times = modules.filter((m) => m.state() !== 'skipped' && m.state() !== 'queued').map(fileTime);
    const lines = slowestFilesSummary(times, Date.now() - this.startedAt);
    if (lines.length > 0) process.stdout.write(`\n${lines.join('\n')}\n`);
  }
}
