/**
 * The DynamoDB operations each function really made during the test run, and the indexes its
 * Query requests read. Every stack of the integration suite (startStack) routes the functions
 * through a proxy that tells them apart by their user agent; at stop, the stack adds what it saw
 * to a file here. test/audit reads them all once the suite is over and compares them with each
 * function's grants.
 */
import { createHash, randomUUID } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { CACHE_DIR } from '../../infra/paths.ts';
import type { FunctionIndexes, FunctionOps } from '../../local/dynamodb-proxy.ts';

const checkout = join(import.meta.dirname, '..', '..');
/**
 * Where the run's records go (cleared when a run starts: test/global-setup.ts): one folder per
 * checkout, so that two checkouts sharing one node_modules (git worktrees) never mix their runs.
 */
export const FUNCTION_OPS_DIR = join(CACHE_DIR, 'function-ops', createHash('sha256').update(checkout).digest('hex').slice(0, 12));

export function clearFunctionOps(): void {
  rmSync(FUNCTION_OPS_DIR, { recursive: true, force: true });
  mkdirSync(FUNCTION_OPS_DIR, { recursive: true });
}

/** One stack's record: what the proxy's `functions()` and `indexes()` gave at its stop. */
interface StackRecord {
  ops: FunctionOps;
  indexes: FunctionIndexes;
}

export function recordFunctionOps(ops: FunctionOps, indexes: FunctionIndexes): Promise<void> {
  mkdirSync(FUNCTION_OPS_DIR, { recursive: true });
  writeFileSync(join(FUNCTION_OPS_DIR, `${randomUUID()}.json`), JSON.stringify({ ops, indexes } satisfies StackRecord));
  return Promise.resolve();
}

/**
 * Every record of the run, merged: function -> the operations it made, and function -> the
 * indexes its Query (or Scan) requests read (BASE_TABLE for the table itself).
 */
export function readFunctionOps(): { stacks: number; ops: Record<string, Set<string>>; indexes: Record<string, Set<string>> } {
  const files = readdirSync(FUNCTION_OPS_DIR, { withFileTypes: true }).filter((f) => f.isFile() && f.name.endsWith('.json'));
  const ops: Record<string, Set<string>> = {};
  const indexes: Record<string, Set<string>> = {};
  const merge = (into: Record<string, Set<string>>, from: Record<string, Record<string, number>>): void => {
    for (const [fn, byName] of Object.entries(from)) for (const name of Object.keys(byName)) (into[fn] ??= new Set()).add(name);
  };
  for (const f of files) {
    const record = JSON.parse(readFileSync(join(FUNCTION_OPS_DIR, f.name), 'utf8')) as StackRecord;
    merge(ops, record.ops);
    merge(indexes, record.indexes);
  }
  return { stacks: files.length, ops, indexes };
}
