/**
 * A file the tools make from the code (docs/openapi.json, clients/typescript/schema.ts): written,
 * or with `--check` compared with what is there, failing (exit 1) when it is stale or missing.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';

export function writeOrCheck(root: string, path: string, text: string, remedy: string): void {
  const { values } = parseArgs({ options: { check: { type: 'boolean', default: false } } });
  const file = join(root, path);
  if (!values.check) {
    writeFileSync(file, text);
    console.log(`wrote ${path}`);
    return;
  }
  let current = '';
  try {
    current = readFileSync(file, 'utf8');
  } catch {
    // missing: stale
  }
  if (current !== text) {
    console.error(`${path} is stale: run ${remedy}`);
    process.exit(1);
  }
  console.log(`${path} is up to date`);
}
