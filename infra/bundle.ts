/**
 * The functions' build, with esbuild's API: one folder per function, deployed as it is
 * (infra/constructs/payment-function.ts hands it to Lambda), and its source maps written beside
 * the cloud assembly, never into the folder.
 *
 * - ESM, minified, `target: node24`, `platform: node`, the AWS SDK bundled (nothing external: the
 *   pinned version, tree-shaken, not the runtime's), `mainFields: module, main`.
 * - Code splitting: `index.mjs` (Lambda's `index.handler`) and the chunks it imports statically
 *   are what a cold start loads; the Secrets Manager client (shared/secrets.ts imports it) is in
 *   a chunk loaded on its first use, sharing the rest of the SDK with `index.mjs`, and so are the
 *   files the console and `GET /docs` serve (loaded by the first request for one: their pages
 *   need only the files' names).
 * - What the dependencies themselves import() (the AWS SDK's credential providers past the
 *   environment's, which a Lambda never reaches as its credentials are in its environment, with
 *   their nested STS/SSO clients; event streams; a browser user-agent parser) is built apart,
 *   into `apart-*.mjs` files of its own, loaded only if ever imported. In the same build,
 *   esbuild would put all the code they share with the DynamoDB client (down to the barrel files'
 *   query and XML protocols) into chunks that every cold start loads, and add a file per
 *   combination: more bytes and more files to load at import. Most functions import the same
 *   ones, so that build is the same for them: it is kept (node_modules/.cache, `apartBuild`) and
 *   reused while none of its inputs changed, instead of being made again for each function.
 * - Our own modules are declared free of side effects at import (`"sideEffects"` in package.json
 *   lists the one exception, shared/zod.ts, which configures zod's messages): a module none of
 *   whose exports a function uses is left out whole, its top-level calls (a zod schema is built
 *   by calls, which esbuild otherwise keeps, as a call may have effects) included. A module that
 *   must run for its effect alone goes on that list.
 * - Node's built-in modules are loaded with `require` (the ESM_REQUIRE_BANNER's), not `import`:
 *   importing `node:http` as an ES module builds its ESM facade, which reads every export,
 *   lazy ones included, and so loads Node's own fetch (undici), ~25 ms of every cold start.
 * - A `*.build-time.ts` module is run by the build and bundled as its value (buildTimeValues).
 * - An AWS SDK client's package.json, which it imports for its version alone (its user agent
 *   names it), is bundled as that version, not the whole manifest (sdkPackageVersions).
 * - Source maps: written to `mapsDir` (`<cloud assembly>/sourcemaps/<function>/`, one `.map` per
 *   `.mjs`), their `sources` relative to the repository root. The deployed code has no
 *   `sourceMappingURL` and runs without `--enable-source-maps`; `npm run stacktrace`
 *   (tools/stacktrace.ts) maps a logged stack trace back with these files.
 *
 * Runs in-process (`bundleFunction`, the bench) or as a command (`node infra/bundle.ts <entry>
 * <outdir> [mapsDir]`), which is how the CDK construct calls it during a synth: a construct
 * cannot wait for esbuild's asynchronous API, and its plugins need that API.
 */
import { build, version as esbuildVersion, type BuildOptions, type Metafile, type OutputFile, type Plugin } from 'esbuild';
import { createHash } from 'node:crypto';
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { isBuiltin } from 'node:module';
import { basename, dirname, join, relative, resolve, sep } from 'node:path';
import { pathToFileURL } from 'node:url';
import { CACHE_DIR, PROJECT_ROOT } from './paths.ts';

/**
 * ESM bundles: `require` does not exist in an ES module, but CommonJS dependencies bundled into
 * it call `require('node:...')`, and so do the built-in modules loaded through `require` (above).
 * Every output file starts with it.
 */
export const ESM_REQUIRE_BANNER = "import { createRequire } from 'module'; const require = createRequire(import.meta.url);";

/** Lambda's handler setting for these folders: `index.mjs`, export `handler`. */
export const ENTRY_FILE = 'index.mjs';
export const HANDLER = 'index.handler';

/** Where the source maps of the cloud assembly in `assemblyDir` go (a folder per function). */
export const sourceMapsDir = (assemblyDir: string, fn: string): string => join(assemblyDir, 'sourcemaps', fn);

export interface BundleOptions {
  /** The entry module (functions/<name>/handler.ts). */
  entry: string;
  /** The folder to deploy: `index.mjs` and its chunks. Created; emptied first. */
  outdir: string;
  /** Where the `.map` files go (created); none written when undefined. */
  mapsDir?: string | undefined;
  /** Where the builds of the dependencies apart are kept (`apartBuild`); APART_CACHE when undefined. */
  cacheDir?: string | undefined;
}

export interface BundledFile {
  /** File name in `outdir`. */
  name: string;
  bytes: number;
}

export interface BundleResult {
  files: BundledFile[];
  /** `index.mjs` and every chunk it imports statically, transitively: what a cold start loads. */
  loadedAtImport: string[];
}

/** The esbuild options every function shares (the bench's "before" variant starts from them too). */
export const COMMON_OPTIONS = {
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node24',
  minify: true,
  mainFields: ['module', 'main'],
  external: [],
  banner: { js: ESM_REQUIRE_BANNER },
  logLevel: 'warning',
} as const satisfies BuildOptions;

const REQUIRED_BUILTIN = 'node-builtin-require';

/** Node's built-in modules through `require` (see the header): `import x from 'node:http'` becomes a CommonJS require of it. */
const builtinsViaRequire: Plugin = {
  name: 'builtins-via-require',
  setup(b) {
    b.onResolve({ filter: /^[a-z][a-z0-9_:/]*$/ }, (args) => {
      if (!isBuiltin(args.path)) return undefined;
      // The require inside the stub below: left to the banner's `require` at run time.
      if (args.namespace === REQUIRED_BUILTIN) return { path: args.path, external: true };
      // `import()` and `require()` of a built-in stay as they are (esbuild leaves them to Node).
      if (args.kind !== 'import-statement') return undefined;
      return { path: args.path.startsWith('node:') ? args.path : `node:${args.path}`, namespace: REQUIRED_BUILTIN };
    });
    b.onLoad({ filter: /.*/, namespace: REQUIRED_BUILTIN }, (args) => ({
      contents: `module.exports = require(${JSON.stringify(args.path)});`,
      loader: 'js',
    }));
  },
};

/**
 * A module named `*.build-time.ts` is run once by the build, and its default export (JSON) is
 * bundled in its place: files a function serves (functions/api-docs/assets.build-time.ts, the
 * console's built script and style, functions/console/files.build-time.ts) are made here, not at
 * run time, while the same module makes them when run from source. A function that imports one
 * with `import()` has it in a chunk of its own, loaded by the first request that needs it.
 */
const BUILD_TIME = /\.build-time\.ts$/;
const buildTimeValues: Plugin = {
  name: 'build-time-values',
  setup(b) {
    b.onLoad({ filter: BUILD_TIME }, async (args) => {
      const m = (await import(pathToFileURL(args.path).href)) as { default?: unknown };
      if (m.default === undefined) throw new Error(`${args.path} has no default export to bundle`);
      return { contents: `export default ${JSON.stringify(m.default)};`, loader: 'js' };
    });
  },
};

/**
 * An AWS SDK client imports its package.json for one field, its version (its user agent names
 * it): the file is bundled as that field alone, not the whole manifest (~2 KiB a client). The
 * build fails if the importing module reads anything else of it.
 */
const SDK_PACKAGE_VERSION = 'sdk-package-version';
function sdkPackageVersions(): Plugin {
  const versionOnly = new Set<string>();
  return {
    name: SDK_PACKAGE_VERSION,
    setup(b) {
      b.onResolve({ filter: /(^|[\\/])package\.json$/ }, async (args) => {
        if (args.pluginData === SDK_PACKAGE_VERSION || !/[\\/]node_modules[\\/]@aws-sdk[\\/]/.test(args.importer)) return undefined;
        const source = await readFile(args.importer, 'utf8');
        const from = args.path.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
        const name = new RegExp(`^import (\\w+) from ["']${from}["'];?$`, 'm').exec(source)?.[1];
        // Every use of the imported name past the import itself reads `.version`.
        const uses = name === undefined ? [] : [...source.matchAll(new RegExp(`\\b${name}\\b(\\.\\w+)?`, 'g'))].slice(1);
        if (name === undefined || uses.length === 0 || uses.some((u) => u[1] !== '.version'))
          throw new Error(`${args.importer} reads more of ${args.path} than its version: bundle it whole`);
        const r = await b.resolve(args.path, { resolveDir: args.resolveDir, kind: args.kind, importer: args.importer, pluginData: SDK_PACKAGE_VERSION });
        if (r.errors.length === 0) versionOnly.add(r.path);
        return r;
      });
      b.onLoad({ filter: /(^|[\\/])package\.json$/ }, async (args) => {
        if (!versionOnly.has(args.path)) return undefined;
        const { version } = JSON.parse(await readFile(args.path, 'utf8')) as { version: string };
        return { contents: `export default ${JSON.stringify({ version })};`, loader: 'js' };
      });
    },
  };
}

const APART = 'dependencies-apart';
const APART_PREFIX = 'apart-';

/** The output name of a module built apart: its path under node_modules, in one file name. */
function apartName(path: string): string {
  const i = path.lastIndexOf(`${sep}node_modules${sep}`);
  const under = i < 0 ? relative(PROJECT_ROOT, path) : path.slice(i + `${sep}node_modules${sep}`.length);
  return `${APART_PREFIX}${under.replace(/\.[cm]?js$/, '').replace(/[^A-Za-z0-9]+/g, '-').replace(/^-+|-+$/g, '')}`;
}

/**
 * A dependency's own `import()` (the AWS SDK's credential providers past the environment's and
 * its nested clients, its event streams, its browser user-agent parser): the module becomes
 * `./apart-<its path>.mjs`, built apart with whatever it needs; `found` collects them. The
 * functions' own `import()`s (shared/secrets.ts) are split as usual, sharing code.
 */
function dependenciesApart(found: Map<string, string>): Plugin {
  return {
    name: APART,
    setup(b) {
      b.onResolve({ filter: /.*/ }, async (args) => {
        if (args.kind !== 'dynamic-import' || args.pluginData === APART || isBuiltin(args.path)) return undefined;
        if (!args.importer.includes(`${sep}node_modules${sep}`)) return undefined;
        const r = await b.resolve(args.path, { resolveDir: args.resolveDir, kind: args.kind, pluginData: APART });
        if (r.errors.length > 0) return { errors: r.errors };
        const name = apartName(r.path);
        const known = found.get(name);
        if (known !== undefined && known !== r.path) throw new Error(`two modules built apart as ${name}: ${known} and ${r.path}`);
        found.set(name, r.path);
        return { path: `./${name}.mjs`, external: true };
      });
    },
  };
}

/** What the build writes of an output file: where (under VIRTUAL_OUTDIR), its bytes and, for a map, its text. */
type BuiltFile = Pick<OutputFile, 'path' | 'contents' | 'text'>;

/** A build's files and metafile (nothing written yet). */
async function run(options: BuildOptions): Promise<{ files: OutputFile[]; metafile: Metafile }> {
  const r = await build({ ...options, write: false, metafile: true });
  return { files: r.outputFiles, metafile: r.metafile };
}

/**
 * esbuild writes nothing (write: false) and is told this fixed folder as its outdir, so the code
 * and maps never depend on where the caller's folder is (a synth's temporary directory).
 */
const VIRTUAL_OUTDIR = join(PROJECT_ROOT, '.bundle');

/** The map with its `sources` relative to the repository root (as esbuild wrote them: relative to VIRTUAL_OUTDIR). */
function rootRelativeMap(text: string): string {
  const map = JSON.parse(text) as { sources: string[] };
  map.sources = map.sources.map((s) => relative(PROJECT_ROOT, resolve(VIRTUAL_OUTDIR, s)).split('\\').join('/'));
  return JSON.stringify(map);
}

/**
 * Where the builds of the dependencies apart are kept: a folder per build, named by what defines
 * it (its entries, esbuild's version, Node's, and this file, which holds the options and the
 * plugins), holding its files and the digest of every input file it read.
 */
export const APART_CACHE = join(CACHE_DIR, 'apart-builds');
/** In each kept build's folder: its ApartRecord. */
export const APART_RECORD = 'inputs.json';

export interface ApartRecord {
  /** Each input file (relative to the repository root) and the SHA-256 of its contents. */
  inputs: Record<string, string>;
  /** The output files, by name (each stored under it in the folder). */
  files: string[];
}

const sha256 = (data: string | Uint8Array): string => createHash('sha256').update(data).digest('hex');

/**
 * The dependencies apart, built with `options`, or their kept build when it was made from the
 * same definition and every input file it read is unchanged (esbuild's output depends on nothing
 * else). A build is written to a folder of its own and then renamed into place, so a reader never
 * sees half of one; of two processes making the same build at once, the first rename stays.
 */
async function apartBuild(options: BuildOptions, cacheDir: string): Promise<BuiltFile[]> {
  const definition = JSON.stringify({ entries: options.entryPoints, esbuild: esbuildVersion, node: process.version, bundler: sha256(await readFile(import.meta.filename)) });
  const dir = join(cacheDir, sha256(definition).slice(0, 32));
  const kept = await keptBuild(dir);
  if (kept !== undefined) return kept;
  const built = await run(options);
  const inputs: Record<string, string> = {};
  // Inputs of plugins' own namespaces (`node-builtin-require:…`) are made from their names alone.
  for (const path of Object.keys(built.metafile.inputs).filter((p) => !/^[\w-]+:/.test(p))) {
    const contents = await readFile(join(PROJECT_ROOT, path)).catch(() => undefined);
    if (contents === undefined) return built.files; // an input this code cannot read again: not kept
    inputs[path] = sha256(contents);
  }
  const record: ApartRecord = { inputs, files: built.files.map((f) => relative(VIRTUAL_OUTDIR, f.path)) };
  const temp = `${dir}.${process.pid}-${Date.now()}`;
  await mkdir(temp, { recursive: true });
  for (const f of built.files) await writeFile(join(temp, relative(VIRTUAL_OUTDIR, f.path)), f.contents);
  await writeFile(join(temp, APART_RECORD), JSON.stringify(record));
  await rm(dir, { recursive: true, force: true });
  await rename(temp, dir).catch(() => rm(temp, { recursive: true, force: true }));
  return built.files;
}

/** The build kept in `dir`, if there is one, whole, and none of its inputs changed since. */
async function keptBuild(dir: string): Promise<BuiltFile[] | undefined> {
  try {
    const record = JSON.parse(await readFile(join(dir, APART_RECORD), 'utf8')) as ApartRecord;
    for (const [path, digest] of Object.entries(record.inputs)) if (sha256(await readFile(join(PROJECT_ROOT, path))) !== digest) return undefined;
    const files: BuiltFile[] = [];
    for (const name of record.files) {
      const contents = new Uint8Array(await readFile(join(dir, name)));
      // Decoded only when read, as esbuild's own `text` is: only a source map's is.
      files.push({
        path: join(VIRTUAL_OUTDIR, name),
        contents,
        get text() {
          return new TextDecoder().decode(contents);
        },
      });
    }
    return files;
  } catch {
    return undefined; // none kept, or an input gone: built again
  }
}

/** `index.mjs` and the chunks it imports statically, transitively, from a build's metafile. */
function staticClosure(metafile: Metafile): string[] {
  const key = (name: string): string => relative(PROJECT_ROOT, join(VIRTUAL_OUTDIR, name)).split('\\').join('/');
  const byKey = new Map(Object.entries(metafile.outputs));
  const seen = new Set<string>();
  const stack = [key(ENTRY_FILE)];
  while (stack.length > 0) {
    const k = stack.pop()!;
    if (seen.has(k)) continue;
    seen.add(k);
    for (const i of byKey.get(k)?.imports ?? []) if (i.kind === 'import-statement' && !i.external) stack.push(i.path);
  }
  return [...seen].map((k) => basename(k)).sort();
}

/** Builds one function into `outdir` (see the header). */
export async function bundleFunction(o: BundleOptions): Promise<BundleResult> {
  const apart = new Map<string, string>();
  const shared: BuildOptions = {
    ...COMMON_OPTIONS,
    mainFields: [...COMMON_OPTIONS.mainFields],
    external: [],
    absWorkingDir: PROJECT_ROOT,
    outdir: VIRTUAL_OUTDIR,
    splitting: true,
    outExtension: { '.js': '.mjs' },
    sourcemap: 'external',
  };
  const main = await run({
    ...shared,
    entryPoints: { index: resolve(PROJECT_ROOT, o.entry) },
    plugins: [builtinsViaRequire, buildTimeValues, dependenciesApart(apart), sdkPackageVersions()],
  });
  const files: BuiltFile[] = [...main.files];
  if (apart.size > 0) {
    // In the order of their names: the order they were found in varies from build to build (esbuild
    // resolves in parallel), and so did the chunks built from them. The same modules, the same build.
    const entryPoints = Object.fromEntries([...apart].sort(([a], [b]) => (a < b ? -1 : 1)));
    files.push(...(await apartBuild({ ...shared, entryPoints, chunkNames: `${APART_PREFIX}chunk-[hash]`, plugins: [builtinsViaRequire, sdkPackageVersions()] }, o.cacheDir ?? APART_CACHE)));
  }
  await rm(o.outdir, { recursive: true, force: true });
  await mkdir(o.outdir, { recursive: true });
  if (o.mapsDir !== undefined) {
    await rm(o.mapsDir, { recursive: true, force: true });
    await mkdir(o.mapsDir, { recursive: true });
  }
  const written: BundledFile[] = [];
  const names = new Set<string>();
  for (const f of files) {
    const name = relative(VIRTUAL_OUTDIR, f.path);
    if (dirname(name) !== '.' || names.has(name)) throw new Error(`unexpected output file ${name}`);
    names.add(name);
    if (name.endsWith('.map')) {
      if (o.mapsDir !== undefined) await writeFile(join(o.mapsDir, name), rootRelativeMap(f.text));
    } else {
      await writeFile(join(o.outdir, name), f.contents);
      written.push({ name, bytes: f.contents.length });
    }
  }
  written.sort((a, b) => a.name.localeCompare(b.name));
  return { files: written, loadedAtImport: staticClosure(main.metafile) };
}

if (import.meta.main) {
  const [entry, outdir, mapsDir] = process.argv.slice(2);
  if (entry === undefined || outdir === undefined) {
    console.error('usage: node infra/bundle.ts <entry.ts> <outdir> [mapsDir]');
    process.exit(2);
  }
  bundleFunction({ entry, outdir, mapsDir }).catch((e: unknown) => {
    console.error(e instanceof Error ? e.message : e);
    process.exitCode = 1;
  });
}
