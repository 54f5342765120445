/** bench/sections/storm.ts: what a storm run's vitest report says, and a run that wrote none. */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { testsOf } from '../../bench/sections/storm.ts';

const dir = mkdtempSync(join(tmpdir(), 'toss-pay-storm-report-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("the storm section's reading of vitest's report", () => {
  it('reads each test: its name, verdict, seconds and the first line of its failure', async () => {
    const path = join(dir, 'report.json');
    writeFileSync(
      path,
      JSON.stringify({
        testResults: [
          {
            assertionResults: [
              { title: 'first storm', status: 'passed', duration: 1500 },
              { title: 'second storm', status: 'failed', duration: 250, failureMessages: ['AssertionError: expected 2 to be 1\n    at …'] },
            ],
          },
        ],
      }),
    );
    expect(await testsOf(path)).toEqual([
      { name: 'first storm', status: 'passed', seconds: 1.5 },
      { name: 'second storm', status: 'failed', seconds: 0.25, failure: 'AssertionError: expected 2 to be 1' },
    ]);
  });

  it('finds no test when vitest wrote no report (a failed run), and throws when the report cannot be read', async () => {
    expect(await testsOf(join(dir, 'never-written.json'))).toEqual([]);
    await expect(testsOf(dir)).rejects.toThrow(/EISDIR/);
  });
});
