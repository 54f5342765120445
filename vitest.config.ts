import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    globalSetup: ['test/global-setup.ts'],
    // The functions' logs are shown only for failing tests (SHOW_LOGS=1 shows them all).
    setupFiles: ['test/support/quiet-logs.ts'],
    pool: 'forks',
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // Files run in parallel on 2 cores; each integration file starts its own servers on free ports.
    fileParallelism: true,
  },
});
