/**
 * test/support/sequencer.ts names the files that start first by path: a path that no longer names
 * a test file or a folder of them would silently put that file back in vitest's own order (on a
 * fresh clone, by size), the last of a run.
 */
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { LONGEST_FIRST } from '../support/sequencer.ts';

const root = join(import.meta.dirname, '..', '..');

describe('the files that start first', () => {
  it('are each a test file or a folder holding some', () => {
    const missing = LONGEST_FIRST.filter((path) => {
      const at = join(root, path);
      try {
        const st = statSync(at);
        if (st.isFile()) return !path.endsWith('.test.ts');
        return !(readdirSync(at, { recursive: true }) as string[]).some((f) => f.endsWith('.test.ts'));
      } catch {
        return true;
      }
    });
    expect(missing).toEqual([]);
  });
});
