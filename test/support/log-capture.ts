/**
 * Output capture and the log-leak check for the integration suite.
 *
 * The functions run in-process inside the local gateway and log JSON lines (Powertools Logger) to
 * process.stdout/process.stderr. `captureOutput()` records every line written to either stream
 * while it is on, and still passes everything through unchanged. `findLeaks` / `assertNoLeaks`
 * look for secrets in those lines: every value of each secret kind given (the Toss apiKey, the
 * merchant token, each full payToken, card and account numbers, the console users' tokens and
 * passwords) and any run of 15–19 digits.
 *
 * startStack (stack.ts) installs a capture and checks it at `stop()`, so every integration file
 * that starts the stack is checked.
 */

/** One line written to a stream (or any labelled text, e.g. `reply` for HTTP replies). */
export interface CapturedLine {
  readonly stream: string;
  /** The line without its trailing newline. */
  readonly text: string;
}

export interface OutputCapture {
  /** The complete lines recorded so far. */
  lines(): readonly CapturedLine[];
  /** Stops recording and returns every line, an unfinished last line included. Idempotent. */
  stop(): readonly CapturedLine[];
}

type Write = typeof process.stdout.write;

interface Recorder {
  take(stream: string, text: string): void;
}

const active = new Set<Recorder>();
const installed = new Map<NodeJS.WriteStream, { original: Write; patched: Write }>();

function textOf(chunk: unknown, encoding: unknown): string {
  if (typeof chunk === 'string') {
    return typeof encoding === 'string' && encoding !== 'utf8' && encoding !== 'utf-8' && Buffer.isEncoding(encoding)
      ? Buffer.from(chunk, encoding).toString('utf8')
      : chunk;
  }
  if (chunk instanceof Uint8Array) return Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength).toString('utf8');
  return String(chunk);
}

/** Puts one shared hook on each stream while any capture is on; it feeds every active recorder. */
function install(stream: NodeJS.WriteStream, name: string): void {
  if (installed.has(stream)) return;
  const original = stream.write;
  const patched = function (this: unknown, chunk: unknown, ...rest: unknown[]): boolean {
    if (active.size > 0) {
      const text = textOf(chunk, rest[0]);
      for (const r of active) r.take(name, text);
    }
    return (original as (...a: unknown[]) => boolean).apply(stream, [chunk, ...rest]);
  } as Write;
  stream.write = patched;
  installed.set(stream, { original, patched });
}

function uninstallIfIdle(): void {
  if (active.size > 0) return;
  for (const [stream, { original, patched }] of installed) {
    // Someone wrapped the stream after us: leave the chain alone (our hook passes through when idle).
    if (stream.write !== patched) continue;
    stream.write = original;
    installed.delete(stream);
  }
}

/** Starts recording every line written to process.stdout and process.stderr. */
export function captureOutput(): OutputCapture {
  const lines: CapturedLine[] = [];
  const partial = new Map<string, string>();
  const recorder: Recorder = {
    take(stream, text) {
      const parts = `${partial.get(stream) ?? ''}${text}`.split('\n');
      partial.set(stream, parts.pop() ?? '');
      for (const p of parts) lines.push({ stream, text: p });
    },
  };
  active.add(recorder);
  install(process.stdout, 'stdout');
  install(process.stderr, 'stderr');
  let stopped = false;
  return {
    lines: () => [...lines],
    stop() {
      if (!stopped) {
        stopped = true;
        active.delete(recorder);
        uninstallIfIdle();
        for (const [stream, rest] of partial) if (rest !== '') lines.push({ stream, text: rest });
        partial.clear();
      }
      return [...lines];
    },
  };
}

// ------------------------------------------------------------------------------------ the check

/** The values that must never appear in full, by kind (the kind names the finding). */
export type Secrets = Readonly<Record<string, readonly string[]>>;

/** Secret kinds the stack checks; other kinds may be added freely. */
export const SecretKind = {
  apiKey: 'Toss apiKey',
  merchantToken: 'merchant token',
  payToken: 'payToken',
  cardNumber: 'card number',
  accountNumber: 'account number',
  /** A card's BIN (its first 6 digits): found only as a number of its own, not inside a longer one (a time in ms). */
  cardBin: 'card BIN',
  userToken: 'console user token',
  userPassword: 'console user password',
  digitRun: '15–19 digit run',
  /** A webhook signing secret: its key (the base64 after `whsec_`), the configured one's or an endpoint's. */
  webhookSecret: 'webhook secret',
} as const;

/** Kinds whose values are digits that only count as a number of their own. */
const WHOLE_NUMBER_KINDS: ReadonlySet<string> = new Set([SecretKind.cardBin]);
const isDigit = (c: string | undefined): boolean => c !== undefined && c >= '0' && c <= '9';

/** What to do about a finding of each kind, for the error message. */
const ADVICE: Record<string, string> = {
  [SecretKind.apiKey]: 'the Toss apiKey must never be logged',
  [SecretKind.merchantToken]: 'a merchant bearer token must never be logged',
  [SecretKind.payToken]: 'a full payToken the sandbox issued; log it masked, first 4 + "…" + last 4',
  [SecretKind.cardNumber]: 'a card number Toss reported; it must never be logged',
  [SecretKind.accountNumber]: 'an account number Toss reported; it must never be logged',
  [SecretKind.cardBin]: "a card's BIN Toss reported; it must never be logged",
  [SecretKind.userToken]: "a console user's token from the user pool (ID, access or refresh); log its subject, never the token",
  [SecretKind.userPassword]: "a console user's password; it must never be logged",
  [SecretKind.digitRun]: 'looks like a card or account number',
  [SecretKind.webhookSecret]: 'a webhook signing secret must never be logged',
};

/** A card-number-like run of digits, not part of a longer one. */
const DIGIT_RUN = /(?<!\d)\d{15,19}(?!\d)/g;

export const REDACTED = '<redacted>';

export interface Leak {
  readonly kind: string;
  readonly stream: string;
  /** 1-based, among the lines checked. */
  readonly lineNo: number;
  /** The offending line with every secret found in it replaced by `<redacted>`. */
  readonly line: string;
  /** JSON fields holding the secret (`a.b[0]`), when the line is a JSON object. */
  readonly fields: readonly string[];
  /** The `message` of a JSON log line. */
  readonly message: string | undefined;
}

/** Paths of every string or number in `v` for which `hit` is true. */
function fieldsWhere(v: unknown, hit: (s: string) => boolean, path = ''): string[] {
  if (typeof v === 'string' || typeof v === 'number') return hit(String(v)) ? [path === '' ? '(value)' : path] : [];
  if (Array.isArray(v)) return v.flatMap((x, i) => fieldsWhere(x, hit, `${path}[${i}]`));
  if (v !== null && typeof v === 'object') {
    return Object.entries(v).flatMap(([k, x]) => fieldsWhere(x, hit, path === '' ? k : `${path}.${k}`));
  }
  return [];
}

/**
 * Every (line, kind) pair where a value of that kind, or a 15–19 digit run, occurs. The lines are
 * searched as one text, value by value, so thousands of payTokens stay cheap.
 */
export function findLeaks(lines: readonly CapturedLine[], secrets: Secrets): Leak[] {
  const starts: number[] = [];
  let offset = 0;
  for (const l of lines) {
    starts.push(offset);
    offset += l.text.length + 1;
  }
  const all = lines.map((l) => l.text).join('\n');
  const lineAt = (index: number): number => {
    let lo = 0;
    let hi = starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (starts[mid]! <= index) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  };

  // line index -> kind -> values found
  const found = new Map<number, Map<string, Set<string>>>();
  const note = (i: number, kind: string, value: string): void => {
    let kinds = found.get(i);
    if (kinds === undefined) found.set(i, (kinds = new Map()));
    let values = kinds.get(kind);
    if (values === undefined) kinds.set(kind, (values = new Set()));
    values.add(value);
  };
  for (const [kind, values] of Object.entries(secrets)) {
    for (const value of new Set(values)) {
      if (value === '' || value.includes('\n')) continue;
      const whole = WHOLE_NUMBER_KINDS.has(kind);
      for (let at = all.indexOf(value); at !== -1; at = all.indexOf(value, at + 1)) {
        if (whole && (isDigit(all[at - 1]) || isDigit(all[at + value.length]))) continue;
        note(lineAt(at), kind, value);
      }
    }
  }
  lines.forEach((l, i) => {
    for (const m of l.text.matchAll(DIGIT_RUN)) note(i, SecretKind.digitRun, m[0]);
  });

  const leaks: Leak[] = [];
  for (const i of [...found.keys()].sort((a, b) => a - b)) {
    const kinds = found.get(i)!;
    const { stream, text } = lines[i]!;
    // Every secret of the line goes, longest first, whatever kind is being reported.
    const everyValue = [...new Set([...kinds.values()].flatMap((v) => [...v]))].sort((a, b) => b.length - a.length);
    let redacted = text;
    for (const v of everyValue) redacted = redacted.split(v).join(REDACTED);
    redacted = redacted.replace(DIGIT_RUN, REDACTED);
    let json: unknown;
    if (text.startsWith('{')) {
      try {
        json = JSON.parse(text);
      } catch {
        json = undefined;
      }
    }
    const message =
      json !== null && typeof json === 'object' && typeof (json as { message?: unknown }).message === 'string'
        ? (json as { message: string }).message
        : undefined;
    for (const [kind, values] of kinds) {
      const fields = json === undefined ? [] : fieldsWhere(json, (s) => [...values].some((v) => s.includes(v)));
      leaks.push({ kind, stream, lineNo: i + 1, line: redacted, fields, message });
    }
  }
  return leaks;
}

const MAX_GROUPS = 20;
const MAX_LINE = 2_000;

/** A readable report: one entry per kind, log message and fields, with a count and one example line. */
export function describeLeaks(leaks: readonly Leak[], what = 'the logs'): string {
  const groups = new Map<string, Leak[]>();
  for (const l of leaks) {
    const key = JSON.stringify([l.kind, l.message ?? null, l.fields]);
    groups.set(key, [...(groups.get(key) ?? []), l]);
  }
  const lineCount = new Set(leaks.map((l) => l.lineNo)).size;
  const kinds = [...new Set(leaks.map((l) => l.kind))];
  const out = [
    `secrets in ${what}: ${kinds.join(', ')} (${lineCount} line${lineCount === 1 ? '' : 's'}; each secret is shown as ${REDACTED})`,
  ];
  for (const g of [...groups.values()].slice(0, MAX_GROUPS)) {
    const first = g[0]!;
    const where = [
      first.fields.length > 0 ? `field ${first.fields.map((f) => `"${f}"`).join(', ')}` : undefined,
      first.message !== undefined ? `of log message "${first.message}"` : undefined,
    ]
      .filter((x) => x !== undefined)
      .join(' ');
    const advice = ADVICE[first.kind];
    const line = first.line.length > MAX_LINE ? `${first.line.slice(0, MAX_LINE)}…` : first.line;
    out.push(
      `- ${first.kind}${advice !== undefined ? ` (${advice})` : ''}${where !== '' ? ` in ${where}` : ''}: ` +
        `${g.length} line${g.length === 1 ? '' : 's'}, first at ${first.stream} line ${first.lineNo}:`,
      `    ${line}`,
    );
  }
  if (groups.size > MAX_GROUPS) out.push(`- … and ${groups.size - MAX_GROUPS} more kinds of finding`);
  return out.join('\n');
}

export class LogLeakError extends Error {
  override name = 'LogLeakError';
  readonly leaks: readonly Leak[];
  constructor(leaks: readonly Leak[], what: string) {
    super(describeLeaks(leaks, what));
    this.leaks = leaks;
  }
}

/** Throws a LogLeakError naming every kind of secret found in `lines`. */
export function assertNoLeaks(lines: readonly CapturedLine[], secrets: Secrets, what = 'the logs'): void {
  const leaks = findLeaks(lines, secrets);
  if (leaks.length > 0) throw new LogLeakError(leaks, what);
}
