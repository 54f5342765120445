/**
 * The DynamoDB operations each function really made during the test run. Every stack of the
 * integration suite (startStack) routes the functions through a proxy that tells them apart by
 * their user agent; at stop, the stack adds what it saw to a file here. test/audit reads them all
 * once the suite is over and compares them with each function's grants.
 */
import { createHash, randomUUID } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { FunctionOps } from '../../local/dynamodb-proxy.ts';

const checkout = join(import.meta.dirname, '..', '..');
/**
 * Where the run's records go (cleared when a run starts: test/global-setup.ts): one folder per
 * checkout, so that two checkouts sharing one node_modules (git worktrees) never mix their runs.
 */
export const FUNCTION_OPS_DIR = join(checkout, 'node_modules', '.cache', 'toss-pay', 'function-ops', createHash('sha256').update(checkout).digest('hex').slice(0, 12));

export function clearFunctionOps(): void {
  rmSync(FUNCTION_OPS_DIR, { recursive: true, force: true });
  mkdirSync(FUNCTION_OPS_DIR, { recursive: true });
}

export function recordFunctionOps(ops: FunctionOps): Promise<void> {
  mkdirSync(FUNCTION_OPS_DIR, { recursive: true });
  writeFileSync(join(FUNCTION_OPS_DIR, `${randomUUID()}.json`), JSON.stringify(ops));
  return Promise.resolve();
}

/** Every record of the run, merged: function -> the operations it made, with how many stacks saw each. */
export function readFunctionOps(): { stacks: number; ops: Record<string, Set<string>> } {
  const files = readdirSync(FUNCTION_OPS_DIR, { withFileTypes: true }).filter((f) => f.isFile() && f.name.endsWith('.json'));
  const ops: Record<string, Set<string>> = {};
  for (const f of files) {
    const record = JSON.parse(readFileSync(join(FUNCTION_OPS_DIR, f.name), 'utf8')) as FunctionOps;
    for (const [fn, byOp] of Object.entries(record)) for (const op of Object.keys(byOp)) (ops[fn] ??= new Set()).add(op);
  }
  return { stacks: files.length, ops };
}
