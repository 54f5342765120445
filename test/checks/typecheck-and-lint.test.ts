/**
 * `npm run typecheck` and `npm run lint` (ESLint, dependency-cruiser's layers and cycles, Redocly),
 * as a file of the suite: they run beside the other test files instead of before them all (the
 * typecheck alone takes about 20 s of one core, which the run spent with the other core mostly
 * idle), and either failing fails `npm test` with its whole output. `npm run checks` runs the
 * same two at once without the tests.
 */
import { describe, expect, it } from 'vitest';
import { runCheck } from '../../tools/checks.ts';

describe('the checks (npm run checks)', () => {
  // Both at once, each on one core: their time is the typecheck's, longer while test files run beside them.
  const outcomes = Promise.all([runCheck('typecheck'), runCheck('lint')]);
  for (const [i, script] of ['typecheck', 'lint'].entries()) {
    it(`npm run ${script} passes`, { timeout: 240_000 }, async () => {
      const o = (await outcomes)[i]!;
      expect(o.code, `npm run ${script} failed (exit ${o.code ?? 'none'}):\n${o.output}`).toBe(0);
    });
  }
});
