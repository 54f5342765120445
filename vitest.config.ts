import { defineConfig } from 'vitest/config';
import { LongestFirstSequencer } from './test/support/sequencer.ts';

const shared = {
  pool: 'forks' as const,
  testTimeout: 30_000,
  hookTimeout: 60_000,
  // The functions' logs are shown only for failing tests (SHOW_LOGS=1 shows them all).
  setupFiles: ['test/support/quiet-logs.ts'],
};

export default defineConfig({
  test: {
    // The browser tests and the reliability suite, the longest files, first.
    sequence: { sequencer: LongestFirstSequencer },
    projects: [
      {
        test: {
          ...shared,
          name: 'suite',
          include: ['test/**/*.test.ts'],
          exclude: ['test/audit/**'],
          globalSetup: ['test/global-setup.ts'],
          // Not 0: vitest moves a group 0 of single-worker files to the end, after the audit.
          sequence: { groupOrder: 1 },
          // Files run in parallel on 2 cores; each integration file starts its own servers on free ports.
          fileParallelism: true,
        },
      },
      {
        // After the whole suite: checks what the suite recorded (see test/audit).
        test: { ...shared, name: 'audit', include: ['test/audit/**/*.test.ts'], sequence: { groupOrder: 2 } },
      },
    ],
  },
});
