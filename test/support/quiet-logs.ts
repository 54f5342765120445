/**
 * Quiet tests (a vitest setup file): the functions' log lines (Powertools JSON and EMF, and the
 * lines of the local gateway, the stream consumer, the demo shop and the EventBridge stand-in) are held back instead of printed, and shown only for a test that fails,
 * below its result. Everything else written to stdout/stderr passes through. SHOW_LOGS=1 prints
 * everything as it happens. Tests that read the logs (the log-leak check, the log tests) still
 * see every line: they hook the streams on top of this.
 */
import { beforeEach } from 'vitest';

type Write = typeof process.stdout.write;

/**
 * One hold per process: a worker runs several files one after the other (`isolate: false` in
 * vitest.config.ts) and this file before each of them, which must not wrap the streams again.
 */
const QUIET = Symbol.for('toss-pay.quiet-logs');
const state = ((globalThis as Record<symbol, unknown>)[QUIET] ??= { held: [] as string[], out: undefined as Write | undefined }) as {
  held: string[];
  out: Write | undefined;
};
const held = state.held;
const isFunctionLog = (text: string): boolean => /^\s*\{"(level|_aws)"/.test(text) || /^\[(gateway|stream|demo-shop|eventbridge)\]/.test(text);

function hold(stream: NodeJS.WriteStream): Write {
  const original = stream.write.bind(stream) as Write;
  stream.write = function (chunk: unknown, ...rest: unknown[]): boolean {
    const text = typeof chunk === 'string' ? chunk : chunk instanceof Uint8Array ? Buffer.from(chunk).toString('utf8') : '';
    if (isFunctionLog(text)) {
      held.push(text.endsWith('\n') ? text : `${text}\n`);
      const done = rest.find((r) => typeof r === 'function') as (() => void) | undefined;
      done?.();
      return true;
    }
    return (original as (...a: unknown[]) => boolean)(chunk, ...rest);
  } as Write;
  return original;
}

if (process.env.SHOW_LOGS === undefined || process.env.SHOW_LOGS === '' || process.env.SHOW_LOGS === '0') {
  if (state.out === undefined) {
    state.out = hold(process.stdout);
    hold(process.stderr);
  }
  const out = state.out;
  // Each test starts with an empty hold (failure handlers run after the afterEach hooks).
  beforeEach(({ onTestFailed }) => {
    held.length = 0;
    onTestFailed(() => {
      if (held.length > 0) out(`\n--- the functions' log lines of this failing test (${held.length}) ---\n${held.join('')}--- end ---\n`);
    });
  });
}
