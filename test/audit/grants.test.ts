/**
 * Exact permissions: each function is granted exactly the DynamoDB operations its code really
 * makes, and Query on exactly the indexes it really queries. The integration suite's stacks route
 * the functions through a proxy that records every operation, and the index of every Query (or
 * Scan: `(table)` when it reads the table itself, which no grant names), by the function that
 * made it (test/support/function-ops.ts); this file runs after the whole suite (vitest project
 * `audit`, see vitest.config.ts) and compares the records with the grants in shared/functions.ts,
 * which the stack turns into IAM policies (test/infra checks that).
 * A grant no code uses, or a call no grant covers, fails here.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { functionAccess } from '../../shared/functions.ts';
import { allFunctions } from '../../shared/routes.ts';
import { readFunctionOps } from '../support/function-ops.ts';

describe('DynamoDB grants equal what the integration suite saw each function do', () => {
  // Read when the tests run, not when the file is collected: the suite has finished by then.
  let recorded: ReturnType<typeof readFunctionOps>;
  beforeAll(() => {
    recorded = readFunctionOps();
  });

  it('has the records of the whole integration suite (run `npm test`, not this file alone)', () => {
    const stackFiles = readdirSync(join(import.meta.dirname, '..'), { recursive: true, encoding: 'utf8' }).filter(
      (f) => f.endsWith('.test.ts') && !f.startsWith('audit') && readFileSync(join(import.meta.dirname, '..', f), 'utf8').includes('startStack('),
    );
    expect(recorded.stacks).toBeGreaterThanOrEqual(stackFiles.length);
  });

  it.each(allFunctions())('%s', (fn) => {
    expect([...(recorded.ops[fn] ?? [])].sort()).toEqual([...functionAccess(fn).dynamodb].sort());
  });

  it.each(allFunctions())('%s: the indexes it queries', (fn) => {
    expect([...(recorded.indexes[fn] ?? [])].sort()).toEqual([...functionAccess(fn).indexes].sort());
  });
});
