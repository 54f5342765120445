/**
 * A setup file of every test file (vitest.config.ts). The files of a worker run one after the
 * other in its one process (`isolate: false`: node_modules, the AWS SDK and aws-cdk-lib among them,
 * loads once per worker), and after each file the process is put back as the file found it, so
 * that no file sees what another left behind: the environment restored (variables the file set,
 * changed or deleted), `vi.stubEnv`, spies and fake timers undone, the functions' containers
 * (built once per process from the environment: shared/deps.ts) dropped, and the project's own
 * modules forgotten (`vi.resetModules`; a handler builds its container when first imported), so
 * that the next file evaluates them afresh. Two things are kept on purpose, each the same for
 * every file: the OpenAPI document's compiled validators (test/support/openapi-replies.ts), reused
 * only for the same document, compared whole; and the one hold of the output streams that
 * test/support/quiet-logs.ts puts in place (its held lines are emptied before each test).
 */
import { afterAll, vi } from 'vitest';
import { resetContainers } from '../../shared/deps.ts';

/** Makes `env` hold exactly the variables of `before` again, with their values. */
export function restoreEnv(env: NodeJS.ProcessEnv, before: Readonly<Record<string, string | undefined>>): void {
  for (const name of Object.keys(env)) if (!(name in before)) delete env[name];
  Object.assign(env, before);
}

const before = { ...process.env };

afterAll(() => {
  vi.unstubAllEnvs();
  vi.restoreAllMocks();
  vi.useRealTimers();
  restoreEnv(process.env, before);
  resetContainers();
  vi.resetModules();
});
