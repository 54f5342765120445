/**
 * The order test files start in: vitest's own (files that failed last time, then the longest by
 * the previous run's times, or the largest on a fresh clone), except that the checks (the typecheck
 * and the linters), the browser tests and the reliability suite, the longest files, start first.
 * When they start decides when the run can end: started last, one of them would run on alone for a
 * minute after everything else is done.
 */
import { BaseSequencer, type TestSpecification } from 'vitest/node';

/**
 * The folders and files that go first, in this order. After the longest folders, the files whose
 * time is not their size's (a fresh clone has no times, and vitest orders it by size): the bundling
 * synth, `npm start` run as a child, DynamoDB Local restarted; a small file of those, ordered by its
 * size, was the last of a fresh clone's run, alone for its last seconds.
 */
export const LONGEST_FIRST = [
  'test/checks/',
  'test/e2e/',
  'test/reliability/',
  'test/infra/cli.test.ts',
  'test/integration/start/',
  'test/integration/events/npm-start.test.ts',
  'test/integration/dynamodb-local.test.ts',
];

const rank = (spec: TestSpecification): number => {
  const relative = spec.moduleId.slice(spec.project.config.root.length).replace(/^[\\/]+/, '').replaceAll('\\', '/');
  const i = LONGEST_FIRST.findIndex((dir) => relative.startsWith(dir));
  return i === -1 ? LONGEST_FIRST.length : i;
};

export class LongestFirstSequencer extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const sorted = await super.sort(files);
    const at = new Map(sorted.map((spec, i) => [spec, i]));
    const group = (spec: TestSpecification): number => spec.project.config.sequence.groupOrder;
    return [...sorted].sort((a, b) => group(a) - group(b) || rank(a) - rank(b) || (at.get(a) ?? 0) - (at.get(b) ?? 0));
  }
}
