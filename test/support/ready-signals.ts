/**
 * Preloaded (`node --import`, READY_SIGNALS_PRELOAD) into a script a test starts, to tell whether
 * the script could be stopped by a signal when it said it was ready: the first time it writes
 * READY_SIGNALS_TEXT to stdout, its SIGTERM listeners are counted, and when it exits it reports on
 * stderr how many it added after that (`[ready-signals] SIGTERM listeners added after ready: N`).
 * A script that announces itself first and listens after would be killed, not stopped, by a
 * supervisor that signals it the moment it reads the announcement.
 */
import type { ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export const READY_SIGNALS_PRELOAD = fileURLToPath(import.meta.url);
export const READY_SIGNALS_LINE = '[ready-signals] SIGTERM listeners added after ready: ';

/**
 * Sends `signal` to `child` the moment `text` appears in what it printed so far (`output()`), from
 * the handler that reads it: as a supervisor would that stops a script as soon as it is ready.
 */
export function signalWhen(child: ChildProcess, output: () => string, text: string, signal: NodeJS.Signals): void {
  const check = (): void => {
    if (!output().includes(text)) return;
    child.stdout?.off('data', check);
    child.stderr?.off('data', check);
    child.kill(signal);
  };
  child.stdout?.on('data', check);
  child.stderr?.on('data', check);
}

const text = process.env.READY_SIGNALS_TEXT;
if (text !== undefined && text !== '') {
  let atReady: number | undefined;
  const write = process.stdout.write.bind(process.stdout) as (...args: unknown[]) => boolean;
  process.stdout.write = ((chunk: unknown, ...rest: unknown[]) => {
    if (atReady === undefined && String(chunk).includes(text)) atReady = process.listenerCount('SIGTERM');
    return write(chunk, ...rest);
  }) as typeof process.stdout.write;
  process.on('exit', () => {
    if (atReady !== undefined) process.stderr.write(`${READY_SIGNALS_LINE}${process.listenerCount('SIGTERM') - atReady}\n`);
  });
}
