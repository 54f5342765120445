/**
 * `npm run checks`: `npm run typecheck` and `npm run lint` at once (each uses one core; the
 * machine has two), their output shown whole, one after the other, once both are done; exits 1
 * when either failed. `npm test` runs the same two as a file of the suite
 * (test/checks/typecheck-and-lint.test.ts, `runCheck`), beside the other test files.
 */
import { spawn } from 'node:child_process';

export interface Outcome {
  script: string;
  code: number | null;
  output: string;
  ms: number;
}

/** Runs `npm run <script>` silently; its exit code and its output (stdout and stderr as they came). */
export function runCheck(script: string): Promise<Outcome> {
  const started = Date.now();
  return new Promise((resolve) => {
    const child = spawn('npm', ['run', '--silent', script], { stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (b: Buffer) => (output += b.toString()));
    child.stderr.on('data', (b: Buffer) => (output += b.toString()));
    child.once('error', (e) => resolve({ script, code: null, output: `${output}${e.message}\n`, ms: Date.now() - started }));
    child.once('close', (code) => resolve({ script, code, output, ms: Date.now() - started }));
  });
}

if (import.meta.main) {
  const outcomes = await Promise.all(['typecheck', 'lint'].map(runCheck));
  for (const o of outcomes) {
    process.stdout.write(`> npm run ${o.script}: ${o.code === 0 ? 'ok' : `FAILED (exit ${o.code ?? 'none'})`} in ${(o.ms / 1000).toFixed(1)} s\n`);
    if (o.output.trim() !== '') process.stdout.write(`${o.output.replace(/\n?$/, '\n')}`);
  }
  if (outcomes.some((o) => o.code !== 0)) process.exit(1);
}
