import { describe, expect, it } from 'vitest';
import { slowestFilesSummary, type FileTime } from '../support/slowest-files.ts';

const t = (file: string, totalMs: number, importMs = 0): FileTime => ({ file, totalMs, importMs });

describe('the slowest-files summary at the end of a run', () => {
  it('lists the ten slowest files, slowest first, with their import time, then all files against the wall time', () => {
    const times = Array.from({ length: 12 }, (_, i) => t(`test/f${i}.test.ts`, (i + 1) * 1_000, 100));
    expect(slowestFilesSummary(times, 26_000)).toEqual([
      'Slowest test files (10 of 12; seconds, of which importing):',
      '  12.0 s  (0.1 s)  test/f11.test.ts',
      '  11.0 s  (0.1 s)  test/f10.test.ts',
      '  10.0 s  (0.1 s)  test/f9.test.ts',
      '   9.0 s  (0.1 s)  test/f8.test.ts',
      '   8.0 s  (0.1 s)  test/f7.test.ts',
      '   7.0 s  (0.1 s)  test/f6.test.ts',
      '   6.0 s  (0.1 s)  test/f5.test.ts',
      '   5.0 s  (0.1 s)  test/f4.test.ts',
      '   4.0 s  (0.1 s)  test/f3.test.ts',
      '   3.0 s  (0.1 s)  test/f2.test.ts',
      'All 12 files: 78.0 s in 26.0 s of wall time (3.0 at once on average).',
    ]);
  });

  it('lists every file of a run of fewer, and nothing for a run of none', () => {
    expect(slowestFilesSummary([t('a.test.ts', 1_500, 200), t('b.test.ts', 2_500, 300)], 3_000, 10)).toEqual([
      'Slowest test files (2 of 2; seconds, of which importing):',
      '  2.5 s  (0.3 s)  b.test.ts',
      '  1.5 s  (0.2 s)  a.test.ts',
      'All 2 files: 4.0 s in 3.0 s of wall time (1.3 at once on average).',
    ]);
    expect(slowestFilesSummary([], 1_000)).toEqual([]);
  });
});
