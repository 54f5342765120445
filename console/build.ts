/**
 * The operator console's build: console/src/main.ts (Preact + htm, TypeScript) and
 * console/src/console.css bundled and minified by esbuild for the browsers of today, each named
 * by a hash of its content (cached for a year, a new build gets new names). The page itself is
 * made per deployment by functions/console (it names the user pool).
 *
 * Who calls it: infra/bundle.ts, which builds the console function with these files in it (no
 * CDN, no bucket); locally the console function, on its first request; the tests (the first-load
 * size, test/infra/console-bundle.test.ts).
 */
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { build } from 'esbuild';

const ROOT = join(import.meta.dirname, '..');

export interface ConsoleFile {
  contentType: string;
  body: string;
}

export interface ConsoleBuild {
  /** The files under /console/, by name (`app-<hash>.js`, `app-<hash>.css`). */
  files: Record<string, ConsoleFile>;
  /** The names of the page's script (a module) and style sheet. */
  script: string;
  style: string;
}

const hashed = (stem: string, ext: string, body: string): string => `${stem}-${createHash('sha256').update(body).digest('base64url').slice(0, 12)}.${ext}`;

export async function buildConsole(): Promise<ConsoleBuild> {
  const r = await build({
    absWorkingDir: ROOT,
    entryPoints: { app: 'console/src/main.ts', style: 'console/src/console.css' },
    bundle: true,
    minify: true,
    format: 'esm',
    platform: 'browser',
    target: ['chrome120', 'firefox120', 'safari16'],
    write: false,
    outdir: 'console/out',
    legalComments: 'none',
    logLevel: 'warning',
    charset: 'utf8',
  });
  const js = r.outputFiles.find((f) => f.path.endsWith('app.js'))?.text;
  const css = r.outputFiles.find((f) => f.path.endsWith('style.css'))?.text;
  if (js === undefined || css === undefined) throw new Error('the console build made no app.js or style.css');
  const script = hashed('app', 'js', js);
  const style = hashed('app', 'css', css);
  return {
    files: {
      [script]: { contentType: 'text/javascript; charset=utf-8', body: js },
      [style]: { contentType: 'text/css; charset=utf-8', body: css },
    },
    script,
    style,
  };
}

let built: Promise<ConsoleBuild> | undefined;
/** The console built once per process (its names and its files are two modules that both ask for it). */
export const consoleBuild = (): Promise<ConsoleBuild> => (built ??= buildConsole());
