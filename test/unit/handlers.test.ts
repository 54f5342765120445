/**
 * docs/ARCHITECTURE.md says a handler catches nothing: every error goes to the chain's one onError
 * (shared/http/error-replies.ts), which answers it. Kept true here: no handler has a try, a catch
 * or a `.catch(`.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../../infra/paths.ts';

const dir = join(PROJECT_ROOT, 'functions');
const handlers = readdirSync(dir).map((fn) => [fn, readFileSync(join(dir, fn, 'handler.ts'), 'utf8')] as const);

describe('handlers', () => {
  it('are every function`s', () => {
    expect(handlers.length).toBeGreaterThan(10);
  });

  it.each(handlers)('%s catches nothing', (_fn, code) => {
    expect(code.match(/\btry\s*\{|\bcatch\s*[({]|\.catch\(/g)).toBeNull();
  });

  it('docs/ARCHITECTURE.md says so', () => {
    expect(readFileSync(join(PROJECT_ROOT, 'docs', 'ARCHITECTURE.md'), 'utf8').replace(/\s+/g, ' ')).toContain("It catches nothing: every error goes to the chain's one `onError`");
  });
});
