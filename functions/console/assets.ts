/**
 * The console's files (console/build.ts). Deployed, this module is replaced by the files
 * themselves: infra/bundle.ts builds them into the function (no I/O at run time). Run from the
 * source (npm start, the tests), it builds them on first use.
 */
import type { ConsoleBuild } from '../../console/build.ts';

export async function consoleAssets(): Promise<ConsoleBuild> {
  const { buildConsole } = await import('../../console/build.ts');
  return buildConsole();
}
