/**
 * `npm start` and `npm run reconcile` as a user runs them: child processes of the real scripts,
 * with the environment a test gives and none of the inherited variables that would change which
 * DynamoDB or secrets they use.
 */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { freePorts } from '../../../local/ports.ts';

const repo = fileURLToPath(new URL('../../../', import.meta.url));

/** Inherited values of these would change what the scripts do; a test sets them explicitly. */
const NOT_INHERITED = ['TOSS_API_KEY_SECRET_ARN', 'MERCHANT_TOKENS_SECRET_ARN', 'DYNAMODB_ENDPOINT', 'DYNAMODB_PORT', 'DATA_DIR'];

export interface Run {
  child: ChildProcessWithoutNullStreams;
  /** stdout and stderr, interleaved as they came. */
  output: () => string;
  stdout: () => string;
  stderr: () => string;
  exited: Promise<number | null>;
}

const children: ChildProcessWithoutNullStreams[] = [];

function run(script: string, env: Record<string, string>, execArgv: string[] = []): Run {
  const fullEnv: NodeJS.ProcessEnv = { ...process.env };
  for (const k of NOT_INHERITED) delete fullEnv[k];
  Object.assign(fullEnv, env);
  const child = spawn(process.execPath, [...execArgv, script], { cwd: repo, env: fullEnv });
  children.push(child);
  let out = '';
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (b: Buffer) => {
    out += b.toString();
    stdout += b.toString();
  });
  child.stderr.on('data', (b: Buffer) => {
    out += b.toString();
    stderr += b.toString();
  });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return { child, output: () => out, stdout: () => stdout, stderr: () => stderr, exited };
}

/** `npm start` (node local/start.ts); `execArgv` are Node's own options (a preload). */
export const start = (env: Record<string, string>, execArgv: string[] = []): Run => run('local/start.ts', env, execArgv);

/** `npm run reconcile` (node local/reconcile.ts). */
export const reconcile = (env: Record<string, string>): Run => run('local/reconcile.ts', env);

/** Kills every script a test left running (afterAll). */
export function killAll(): void {
  for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
}

export async function waitFor(r: Run, text: string, ms: number): Promise<void> {
  const deadline = Date.now() + ms;
  while (!r.output().includes(text)) {
    if (r.child.exitCode !== null) throw new Error(`exited ${r.child.exitCode} before "${text}":\n${r.output()}`);
    if (Date.now() > deadline) throw new Error(`no "${text}" within ${ms} ms:\n${r.output()}`);
    await new Promise((res) => setTimeout(res, 50));
  }
}

/** Free ports for the five services, each a different one. */
export async function ports(): Promise<Record<'DYNAMODB_PORT' | 'TOSS_SANDBOX_PORT' | 'EVENTBRIDGE_PORT' | 'COGNITO_PORT' | 'API_PORT', string>> {
  const [dynamo, sandbox, bus, cognito, api] = (await freePorts(5)).map(String);
  return { DYNAMODB_PORT: dynamo!, TOSS_SANDBOX_PORT: sandbox!, EVENTBRIDGE_PORT: bus!, COGNITO_PORT: cognito!, API_PORT: api! };
}
