/**
 * `npm run toss-contract`: checks a Toss against what this project assumes of it, with the calls
 * that need no buyer (tools/toss-contract/calls.ts: create with each tax-part variant, status by
 * payToken and by orderNo, cancel, refund refusals of an unpaid payment, the error replies of a
 * bad key and an unknown payToken, unknown fields), and prints, call by call, where the replies
 * differ from Toss's documents, from our reply schemas and from the sandbox. Exit code 1 when
 * anything differs, 2 when the check could not run.
 *
 *   npm run toss-contract                                   the local sandbox (started here)
 *   TOSS_BASE_URL=https://pay.toss.im TOSS_API_KEY=sk_test_… npm run toss-contract
 *
 * Toss is found as the functions find it (shared/config.ts: TOSS_BASE_URL, and TOSS_API_KEY or
 * TOSS_API_KEY_SECRET_ARN). Without TOSS_BASE_URL the sandbox is started and checked. Against any
 * other Toss, a sandbox is started beside it and every call is made there too, to compare. Only
 * test keys are accepted: the calls create payments (each cancelled at the end). The key is never
 * printed.
 */
import { formatReport, runContract, type Target } from './toss-contract/run.ts';
import { startSandbox, DEFAULT_API_KEY, type Sandbox } from '../local/toss-sandbox/server.ts';
import { parseEnv, tossConfigSchema } from '../shared/config.ts';
import { apiKeyProvider } from '../shared/toss/api-key.ts';
import { modeOfKey } from '../shared/toss/mode.ts';

export interface ContractRun {
  /** Lines for a person, as printed. */
  lines: string[];
  /** Calls whose replies differ. */
  differing: number;
}

/** Runs the check against `env`'s Toss (or a sandbox it starts); what it would print, and how many calls differ. */
export async function checkContract(env: NodeJS.ProcessEnv): Promise<ContractRun> {
  const started: Sandbox[] = [];
  try {
    let target: Target;
    let reference: Target | undefined;
    const given = env.TOSS_BASE_URL;
    if (given === undefined || given.trim() === '') {
      const apiKey = env.TOSS_API_KEY ?? DEFAULT_API_KEY;
      const sandbox = await startSandbox({ port: 0, quiet: true, apiKeys: [apiKey] });
      started.push(sandbox);
      target = { baseUrl: sandbox.url, apiKey };
    } else {
      const config = parseEnv(tossConfigSchema, env);
      const apiKey = await apiKeyProvider(config)();
      target = { baseUrl: config.TOSS_BASE_URL, apiKey };
      const sandbox = await startSandbox({ port: 0, quiet: true, apiKeys: [DEFAULT_API_KEY] });
      started.push(sandbox);
      reference = { baseUrl: sandbox.url, apiKey: DEFAULT_API_KEY };
    }
    if (modeOfKey(target.apiKey) !== 'TEST') throw new Error('toss-contract creates payments: give it a test key (sk_test_…), never the live one');
    const reports = await runContract(target, reference);
    const head = `Toss contract check: ${target.baseUrl}${reference === undefined ? ' (the sandbox)' : `, compared with the sandbox`}`;
    const lines = [head, '', ...formatReport(reports)];
    return { lines, differing: reports.filter((r) => r.differences.length > 0).length };
  } finally {
    for (const s of started) await s.close();
  }
}

if (import.meta.main) {
  checkContract(process.env).then(
    (r) => {
      for (const l of r.lines) console.log(l);
      process.exitCode = r.differing > 0 ? 1 : 0;
    },
    (e: unknown) => {
      console.error(`toss-contract could not run: ${e instanceof Error ? e.message : String(e)}`);
      process.exitCode = 2;
    },
  );
}
