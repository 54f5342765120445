import { join } from 'node:path';
import { defineConfig } from 'vitest/config';
import { CACHE_DIR } from './infra/paths.ts';
import { LongestFirstSequencer } from './test/support/sequencer.ts';
import { SlowestFilesReporter } from './test/support/slowest-files.ts';

/**
 * Test files run several at once: most of an integration file's time is spent waiting (on the
 * sandbox, on DynamoDB Local, on a lease or a retry to come due), so more files than cores keep
 * the 2 cores of the machine the suite is timed on busy (vitest's default, cores - 1, would run one
 * at a time there). Each file starts its own servers on ports the OS picks, and uses its worker's
 * own DynamoDB Local (test/global-setup.ts). CONTRIBUTING.md and BENCHMARKS.md state this number and
 * the suite's time; test/unit/suite-time.test.ts keeps them in step.
 */
export const MAX_WORKERS = 3;

const shared = {
  pool: 'forks' as const,
  // A worker runs file after file instead of starting a process for each: the modules of
  // node_modules (the AWS SDK, aws-cdk-lib, Playwright) load once per worker, not once per file.
  // Between files, test/support/shared-worker.ts puts the process back (environment, the project's
  // own modules, the functions' containers), so that no file sees what another left behind.
  isolate: false,
  testTimeout: 30_000,
  hookTimeout: 60_000,
  // The functions' logs are shown only for failing tests (SHOW_LOGS=1 shows them all).
  setupFiles: ['test/support/quiet-logs.ts', 'test/support/shared-worker.ts'],
  // Every Node process of the run (workers, `npm start`, `cdk synth`, the bundler) keeps the
  // code it compiled here, and the next one loads it from there.
  env: { NODE_COMPILE_CACHE: join(CACHE_DIR, 'node-compile-cache') },
};

export default defineConfig({
  plugins: [
    {
      // The ten slowest files at the end of every run, whatever reporters the command line chose
      // (`--reporter` replaces the configured ones; .ci/run passes its own).
      name: 'slowest-files',
      configureVitest({ vitest }) {
        if (!vitest.config.reporters.some((r) => r instanceof SlowestFilesReporter)) vitest.config.reporters.push(new SlowestFilesReporter());
      },
    },
  ],
  test: {
    maxWorkers: MAX_WORKERS,
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
        },
      },
      {
        // After the whole suite: checks what the suite recorded (see test/audit).
        test: { ...shared, name: 'audit', include: ['test/audit/**/*.test.ts'], sequence: { groupOrder: 2 } },
      },
    ],
  },
});
