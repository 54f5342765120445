/**
 * `npx cdk synth` exactly as on a fresh clone: the project's own CLI, no AWS credentials or
 * profile, no reachable AWS endpoint (proxies point at a closed local port, EC2 metadata is off),
 * a fresh output directory, and the one required key (merchantName). Proves the app synthesizes
 * offline, bundles with the local esbuild (no Docker) and passes the cdk-nag checks under the CLI.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../../infra/paths.ts';
import { allFunctions } from '../../shared/routes.ts';

const outdir = mkdtempSync(join(tmpdir(), 'toss-pay-cli-'));
const home = mkdtempSync(join(tmpdir(), 'toss-pay-home-'));

afterAll(() => {
  rmSync(outdir, { recursive: true, force: true });
  rmSync(home, { recursive: true, force: true });
});

/** `npx cdk <args>` with no AWS credentials, profile or region, and no reachable endpoint. */
function cdk(args: string[]) {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) {
    if (!/^(AWS_|CDK_)/.test(k) && !/proxy/i.test(k)) env[k] = v;
  }
  Object.assign(env, {
    HOME: home,
    AWS_CONFIG_FILE: join(home, 'no-config'),
    AWS_SHARED_CREDENTIALS_FILE: join(home, 'no-credentials'),
    AWS_EC2_METADATA_DISABLED: 'true',
    HTTPS_PROXY: 'http://127.0.0.1:9',
    HTTP_PROXY: 'http://127.0.0.1:9',
    CI: 'true',
  });
  return spawnSync('npx', ['cdk', ...args], { cwd: PROJECT_ROOT, env, encoding: 'utf8', timeout: 170_000 });
}

describe('cdk synth (CLI)', () => {
  it('synthesizes the stack without credentials or network', () => {
    // The one key a deployment must give: the shop's name, on every buyer page.
    const r = cdk(['synth', '--quiet', '--output', outdir, '-c', 'merchantName=테스트 상점']);
    expect(r.error).toBeUndefined();
    expect(r.status, `${r.stdout}\n${r.stderr}`).toBe(0);
    const template = JSON.parse(readFileSync(join(outdir, 'TossPay-dev.template.json'), 'utf8')) as {
      Resources: Record<string, { Type: string }>;
    };
    const functions = Object.values(template.Resources).filter((x) => x.Type === 'AWS::Lambda::Function');
    expect(functions).toHaveLength(allFunctions().length);
    expect(existsSync(join(outdir, 'manifest.json'))).toBe(true);
  }, 180_000);

  it('stops on invalid context with the message naming the key, and no stack trace', () => {
    const r = cdk(['synth', '--quiet', '--output', join(outdir, 'invalid'), '-c', 'merchantName=테스트 상점', '-c', 'domainName=pay.example.com']);
    expect(r.error).toBeUndefined();
    expect(r.status).not.toBe(0);
    expect(r.stderr).toContain(
      'invalid stack configuration (CDK context):\n  certificateArn: must be set with domainName (both or neither): the ACM certificate for the domain\n',
    );
    expect(r.stderr).not.toMatch(/\bat .*\.ts:\d+/);
  }, 60_000);
});
