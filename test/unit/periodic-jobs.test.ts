import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { runPeriodicJobs, type PeriodicJob } from '../../local/start.ts';

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});

/** A job whose runs take `runMs` each and are recorded. */
function slowJob(intervalSeconds: number, runMs: number) {
  let active = 0;
  const seen = { runs: 0, maxActive: 0, finished: 0 };
  const job: PeriodicJob = {
    name: 'slow',
    intervalSeconds,
    async run() {
      seen.runs++;
      active++;
      seen.maxActive = Math.max(seen.maxActive, active);
      await new Promise((r) => setTimeout(r, runMs));
      active--;
      seen.finished++;
    },
  };
  return { job, seen };
}

describe('npm start: periodic jobs', () => {
  it('runs a job every interval after its previous run ended, never two runs at once', async () => {
    const { job, seen } = slowJob(1, 2_500);
    const jobs = runPeriodicJobs([job]);
    await vi.advanceTimersByTimeAsync(999);
    expect(seen.runs).toBe(0);
    await vi.advanceTimersByTimeAsync(1);
    expect(seen.runs).toBe(1);
    // The run lasts 2.5 intervals: no second run starts meanwhile; the next one is 1 s after it ends.
    await vi.advanceTimersByTimeAsync(2_500);
    expect(seen).toMatchObject({ runs: 1, finished: 1 });
    await vi.advanceTimersByTimeAsync(1_000);
    expect(seen.runs).toBe(2);
    expect(seen.maxActive).toBe(1);
    const stopping = jobs.stop();
    await vi.advanceTimersByTimeAsync(2_500);
    await stopping;
  });

  it('stop waits for the run in flight and starts no more', async () => {
    const { job, seen } = slowJob(1, 2_000);
    const jobs = runPeriodicJobs([job]);
    await vi.advanceTimersByTimeAsync(1_000);
    expect(seen.runs).toBe(1);
    let stopped = false;
    const stopping = jobs.stop().then(() => (stopped = true));
    await vi.advanceTimersByTimeAsync(1_000);
    expect(stopped).toBe(false);
    await vi.advanceTimersByTimeAsync(1_000);
    await stopping;
    expect(stopped).toBe(true);
    expect(seen.finished).toBe(1);
    await vi.advanceTimersByTimeAsync(10_000);
    expect(seen.runs).toBe(1);
  });

  it('keeps running after a failed run', async () => {
    const errors = vi.spyOn(console, 'error').mockImplementation(() => undefined);
    let runs = 0;
    const jobs = runPeriodicJobs([
      {
        name: 'flaky',
        intervalSeconds: 1,
        run: () => {
          runs++;
          return runs === 1 ? Promise.reject(new Error('boom')) : Promise.resolve();
        },
      },
    ]);
    await vi.advanceTimersByTimeAsync(2_000);
    expect(runs).toBe(2);
    expect(errors).toHaveBeenCalledWith('[flaky] periodic run failed:', expect.any(Error));
    await jobs.stop();
    errors.mockRestore();
  });
});
