/**
 * The reset between the files of a worker (test/support/shared-worker.ts): a file's environment
 * does not reach the next file, and what the next file imports of the project is evaluated afresh.
 */
import { describe, expect, it, vi } from 'vitest';
import { restoreEnv } from '../support/shared-worker.ts';

describe('the process between two files of a worker', () => {
  it('gets back the environment the file found: variables set, changed and deleted by the file', () => {
    const env: NodeJS.ProcessEnv = { KEPT: 'a', CHANGED: 'b', DELETED: 'c' };
    const before = { ...env };
    env.CHANGED = 'changed';
    delete env.DELETED;
    env.ADDED = 'added';
    restoreEnv(env, before);
    expect(env).toEqual({ KEPT: 'a', CHANGED: 'b', DELETED: 'c' });
  });

  it("evaluates the project's modules afresh after vi.resetModules, as the next file does", async () => {
    const path = '../../shared/tracer.ts';
    const first = (await import(path)) as Record<string, unknown>;
    expect(await import(path)).toBe(first);
    vi.resetModules();
    expect(await import(path)).not.toBe(first);
  });
});
