/**
 * The console's files (console/build.ts): the names the page gives its script and style sheet,
 * and the files themselves. Deployed, this module is replaced by what the build made:
 * infra/bundle.ts builds the files into the function (no I/O at run time), the names in this
 * module and the files in a chunk of their own, which the first request for a file loads (the page
 * needs only the names). Run from the source (npm start, the tests), it builds them on first use.
 */
import type { ConsoleBuild } from '../../console/build.ts';

let built: Promise<ConsoleBuild> | undefined;
const build = (): Promise<ConsoleBuild> => (built ??= import('../../console/build.ts').then((m) => m.buildConsole()));

/** The names of the page's script and style sheet. */
export async function consoleNames(): Promise<Pick<ConsoleBuild, 'script' | 'style'>> {
  const { script, style } = await build();
  return { script, style };
}

/** The files under /console/, by name. */
export async function consoleFiles(): Promise<ConsoleBuild['files']> {
  return (await build()).files;
}
