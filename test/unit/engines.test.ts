/**
 * What the guide to running it locally (docs/guides/run-locally.md) says of the Node that runs `npm ci`: on the versions it names, no package of the
 * lockfile (nor the project) asks for another Node in its `engines` (npm's EBADENGINE warnings),
 * nor for a newer npm than the one that Node comes with; on the ones it names as warning, some do.
 * Checked with the same rule npm uses (semver ranges), over every package of package-lock.json.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import semver from 'semver';
import { describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../../infra/paths.ts';

/** The guide's sentence, which these versions test. */
const CLAIM = '`npm ci` prints no engine warnings on Node 24 (any 24.x) or Node 26 and later, each with the npm it comes with (10 or newer)';
const QUIET = ['24.0.0', '24.21.0', '26.0.0'];
const WARNED = ['20.20.2', '22.22.2', '25.9.0'];
const NPM = '10.0.0';

interface Lock {
  packages: Record<string, { engines?: { node?: string; npm?: string } | string[]; optional?: boolean }>;
}
const lock = JSON.parse(readFileSync(join(PROJECT_ROOT, 'package-lock.json'), 'utf8')) as Lock;
const ranges = (key: 'node' | 'npm') =>
  Object.entries(lock.packages).flatMap(([name, p]) => {
    const range = p.engines !== undefined && !Array.isArray(p.engines) ? p.engines[key] : undefined;
    return range === undefined ? [] : [{ name: name === '' ? '(the project)' : name, range }];
  });
const unmet = (version: string, key: 'node' | 'npm') => ranges(key).filter((r) => !semver.satisfies(version, r.range)).map((r) => `${r.name}: ${r.range}`);

describe('npm ci and the engines of its packages', () => {
  it('the guide to running it locally says on which Node npm ci prints no engine warnings', () => {
    expect(readFileSync(join(PROJECT_ROOT, 'docs/guides/run-locally.md'), 'utf8').replace(/\s+/g, ' ')).toContain(CLAIM);
  });

  it('on those versions no package asks for another Node, nor for a newer npm', () => {
    expect(ranges('node').length).toBeGreaterThan(50);
    for (const v of QUIET) expect([v, unmet(v, 'node')]).toEqual([v, []]);
    expect(unmet(NPM, 'npm')).toEqual([]);
  });

  it('on the others some do (so the guide names a version, not any Node)', () => {
    for (const v of WARNED) expect([v, unmet(v, 'node').length > 0]).toEqual([v, true]);
  });
});
