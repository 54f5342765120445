/**
 * `npm run stacktrace`: turns a stack trace logged by a deployed function back into TypeScript
 * source positions. The functions run minified, without --enable-source-maps (a cold start would
 * read megabytes of maps); their source maps stay with the build, in
 * `<cloud assembly>/sourcemaps/<function>/` (infra/bundle.ts), one `.map` per deployed `.mjs`.
 *
 *   npm run stacktrace -- [--maps cdk.out/sourcemaps] [--function callback] [log-file]
 *
 * Reads the file, or stdin: a plain stack trace, or the function's log lines as CloudWatch shows
 * them (Powertools JSON: the `error.stack` and `error.location` fields are found and printed
 * unescaped). Every frame in a deployed file (`/var/task/index.mjs:1:52345`, `.../chunk-X.mjs:…`)
 * becomes its source position (`shared/payments/callback.ts:51:22`), and the minified function
 * name the name it was called by (as --enable-source-maps does: the caller's call site names
 * it); other lines pass unchanged. Chunk names carry a content hash, so a chunk's map is found in
 * whichever function has it; `index.mjs` is in every function: give `--function` (the log
 * group's function) unless a chunk in the same trace tells which.
 *
 * The maps must be those of the code that logged the trace: deploy and map from the same
 * checkout, or check out the deployed commit and run `npx cdk synth -q` (the build is
 * deterministic: the same commit gives the same files and maps).
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { SourceMap } from 'node:module';
import { join } from 'node:path';
import { parseArgs } from 'node:util';

/** A frame position in a deployed file: `<anything>/<name>.mjs:<line>:<column>`. */
const FRAME = /(?:[\w.+-]+:\/\/)?(?:[^\s()'"]*\/)?([\w.-]+\.mjs):(\d+):(\d+)/g;
const HAS_FRAME = new RegExp(FRAME.source);
/** A V8 stack frame line: `at name (position)` or `at position`. */
const AT = /^(\s*at\s+)(?:(.+?)\s+\((.+)\)|(.+))$/;

export interface MapperOptions {
  /** The folder holding one folder of maps per function. */
  mapsRoot: string;
  /** The function whose files the trace comes from; inferred from the trace's chunks when undefined. */
  fn?: string | undefined;
}

interface Position {
  file: string;
  line: number;
  column: number;
}

export class StackMapper {
  readonly #root: string;
  readonly #fn: string | undefined;
  readonly #maps = new Map<string, SourceMap | undefined>();

  constructor(o: MapperOptions) {
    if (!existsSync(o.mapsRoot)) throw new Error(`no source maps at ${o.mapsRoot}: run \`npx cdk synth -q\` (or give --maps)`);
    this.#root = o.mapsRoot;
    this.#fn = o.fn;
    if (o.fn !== undefined && !existsSync(join(o.mapsRoot, o.fn))) throw new Error(`no source maps for function ${o.fn} in ${o.mapsRoot}`);
  }

  /** The functions whose maps folder holds `<file>.map`. */
  #functionsWith(file: string): string[] {
    return readdirSync(this.#root, { withFileTypes: true })
      .filter((d) => d.isDirectory() && existsSync(join(this.#root, d.name, `${file}.map`)))
      .map((d) => d.name)
      .sort();
  }

  /** The function the trace's files come from: --function, or the one function holding all of them. */
  #functionFor(files: readonly string[]): string | undefined {
    if (this.#fn !== undefined) return this.#fn;
    let candidates: string[] | undefined;
    for (const file of new Set(files)) {
      const holding = this.#functionsWith(file);
      candidates = candidates === undefined ? holding : candidates.filter((f) => holding.includes(f));
    }
    if (candidates === undefined || candidates.length === 1) return candidates?.[0];
    if (candidates.length === 0) throw new Error(`no function's maps hold all of ${[...new Set(files)].join(', ')} (maps of another build?)`);
    // Several functions hold these files: fine when their maps are the same (a shared chunk).
    const texts = new Set(files.flatMap((file) => candidates.map((fn) => readFileSync(join(this.#root, fn, `${file}.map`), 'utf8'))));
    if (texts.size === new Set(files).size) return candidates[0];
    const unique = [...new Set(files)];
    throw new Error(`${unique.join(', ')} ${unique.length === 1 ? 'is' : 'are'} in several functions (${candidates.join(', ')}): say which with --function`);
  }

  #map(fn: string, file: string): SourceMap | undefined {
    const key = `${fn}/${file}`;
    if (!this.#maps.has(key)) {
      const path = join(this.#root, fn, `${file}.map`);
      this.#maps.set(key, existsSync(path) ? new SourceMap(JSON.parse(readFileSync(path, 'utf8')) as ConstructorParameters<typeof SourceMap>[0]) : undefined);
    }
    return this.#maps.get(key);
  }

  /** The source position of a position in a deployed file (1-based line and column, as in traces). */
  #origin(fn: string, p: Position): { source: string; line: number; column: number; name: string | undefined } | undefined {
    const o = this.#map(fn, p.file)?.findOrigin(p.line, p.column);
    if (o === undefined || !('fileName' in o)) return undefined;
    return { source: o.fileName, line: o.lineNumber, column: o.columnNumber, name: o.name };
  }

  /** One stack trace (its lines), every frame in a deployed file mapped. */
  mapTrace(text: string): string {
    const lines = text.split('\n');
    const positions = lines.map((l) => [...l.matchAll(FRAME)].map((m) => ({ file: m[1]!, line: Number(m[2]), column: Number(m[3]) })));
    const files = positions.flat().map((p) => p.file);
    if (files.length === 0) return text;
    const fn = this.#functionFor(files);
    if (fn === undefined) return text;
    const mapped = lines.map((line, i) => {
      const here = positions[i]!;
      if (here.length === 0) return line;
      const at = AT.exec(line);
      // A frame line: the name of its function is the name its caller called it by.
      if (at !== null && here.length === 1) {
        const origin = this.#origin(fn, here[0]!);
        if (origin === undefined) return line;
        // The next frame (the caller), when it is in a deployed file too.
        let j = i + 1;
        while (j < lines.length && !AT.test(lines[j]!)) j++;
        const caller = positions[j]?.[0];
        const calledAs = caller !== undefined ? this.#origin(fn, caller)?.name : undefined;
        const name = calledAs ?? at[2];
        const where = `${origin.source}:${origin.line}:${origin.column}`;
        return name === undefined ? `${at[1]}${where}` : `${at[1]}${name} (${where})`;
      }
      return line.replace(FRAME, (whole, file: string, l: string, c: string) => {
        const origin = this.#origin(fn, { file, line: Number(l), column: Number(c) });
        return origin === undefined ? whole : `${origin.source}:${origin.line}:${origin.column}`;
      });
    });
    return mapped.join('\n');
  }

  /**
   * Log text: a JSON log line's stack traces (any string field holding one, e.g. Powertools'
   * `error.stack`) are printed unescaped and mapped, with the message above them; other lines
   * are mapped as they are.
   */
  mapLog(text: string): string {
    const out: string[] = [];
    let plain: string[] = [];
    const flush = (): void => {
      if (plain.length > 0) out.push(this.mapTrace(plain.join('\n')));
      plain = [];
    };
    for (const line of text.split('\n')) {
      const json = parseJsonLine(line);
      if (json === undefined) {
        plain.push(line);
        continue;
      }
      flush();
      const traces = stringsOf(json).filter((s) => /\n\s*at\s/.test(s) || HAS_FRAME.test(s));
      if (traces.length === 0) {
        out.push(line);
        continue;
      }
      const { message, timestamp } = json as { message?: unknown; timestamp?: unknown };
      out.push([timestamp, message].filter((x) => typeof x === 'string').join(' '));
      for (const t of traces) out.push(this.mapTrace(t));
    }
    flush();
    return out.join('\n');
  }
}

/** The object of a JSON log line (CloudWatch may prefix it with a timestamp and request id). */
function parseJsonLine(line: string): object | undefined {
  const start = line.indexOf('{');
  if (start < 0) return undefined;
  try {
    const v = JSON.parse(line.slice(start)) as unknown;
    return typeof v === 'object' && v !== null ? v : undefined;
  } catch {
    return undefined;
  }
}

/** Every string in a JSON value, depth first. */
function stringsOf(v: unknown): string[] {
  if (typeof v === 'string') return [v];
  if (Array.isArray(v)) return v.flatMap(stringsOf);
  if (typeof v === 'object' && v !== null) return Object.values(v).flatMap(stringsOf);
  return [];
}

async function main(): Promise<void> {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: { maps: { type: 'string', default: 'cdk.out/sourcemaps' }, function: { type: 'string' } },
  });
  const [file] = positionals;
  let text: string;
  if (file !== undefined && file !== '-') text = readFileSync(file, 'utf8');
  else {
    const chunks: Buffer[] = [];
    for await (const c of process.stdin) chunks.push(c as Buffer);
    text = Buffer.concat(chunks).toString('utf8');
  }
  const mapper = new StackMapper({ mapsRoot: values.maps, fn: values.function });
  process.stdout.write(`${mapper.mapLog(text.replace(/\n$/, ''))}\n`);
}

if (import.meta.main) {
  main().catch((e: unknown) => {
    console.error(`stacktrace: ${e instanceof Error ? e.message : String(e)}`);
    process.exitCode = 1;
  });
}
