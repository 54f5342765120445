/**
 * What a cold start loads from a deployed function folder: the entry file and every file it
 * imports statically, transitively (`import … from "./chunk-X.mjs"`, `import "./x.mjs"`,
 * `export … from "./x.mjs"`). Files reached only through `import("./x.mjs")` load on demand and
 * are not counted. Read from the files themselves (esbuild's output), as Node would follow them.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

const STATIC = /(?:^|[;}\n])\s*(?:import|export)\s*(?:[\w$*{},\s]+?\s*from\s*)?["'](\.\/[^"']+)["']/g;

/** The relative files `code` imports (or re-exports from) statically. */
export function staticImportsOf(code: string): string[] {
  return [...code.matchAll(STATIC)].map((m) => m[1]!.slice(2));
}

/** `entry` and every file of `dir` it loads statically, transitively, sorted. */
export function loadedAtImport(dir: string, entry = 'index.mjs'): string[] {
  const seen = new Set<string>();
  const stack = [entry];
  while (stack.length > 0) {
    const file = stack.pop()!;
    if (seen.has(file)) continue;
    seen.add(file);
    stack.push(...staticImportsOf(readFileSync(join(dir, file), 'utf8')));
  }
  return [...seen].sort();
}
