/** Where the code the stack deploys lives. */
import { join } from 'node:path';

/** The repository root: entries, the lock file and tsconfig.json are found from here. */
export const PROJECT_ROOT = join(import.meta.dirname, '..');

/** The project's own caches of derived files (`npm ci` empties node_modules, and them with it). */
export const CACHE_DIR = join(PROJECT_ROOT, 'node_modules', '.cache', 'toss-pay');

/** Where a function's code lives. */
export const entryOf = (fn: string): string => join(PROJECT_ROOT, 'functions', fn, 'handler.ts');
