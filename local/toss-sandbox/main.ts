/**
 * `npm run sandbox`: the Toss sandbox alone.
 * Env: TOSS_SANDBOX_PORT (default 4010), TOSS_SANDBOX_API_KEYS (comma-separated; default the docs'
 * public test key), TOSS_SANDBOX_PUBLIC_URL (base of checkoutPage URLs; default the sandbox URL),
 * TOSS_SANDBOX_SETTLE_AFTER_SECONDS (how long after money moved Toss settles it; default 2 days).
 */
import { assertPortFree } from '../ports.ts';
import { DEFAULT_PORT, resolveApiKeys, startSandbox } from './server.ts';

async function main(): Promise<void> {
  const rawPort = process.env.TOSS_SANDBOX_PORT ?? String(DEFAULT_PORT);
  const port = Number(rawPort);
  if (!Number.isInteger(port) || port < 1 || port > 65_535) {
    throw new Error(`TOSS_SANDBOX_PORT must be a port number (1-65535), got "${rawPort}"`);
  }
  await assertPortFree(port, 'the Toss sandbox (TOSS_SANDBOX_PORT)');
  const keys = resolveApiKeys(undefined);
  const publicUrl = process.env.TOSS_SANDBOX_PUBLIC_URL;
  const sandbox = await startSandbox({ port, apiKeys: keys, ...(publicUrl ? { publicUrl } : {}) });
  let stopping = false;
  const stop = (signal: string): void => {
    if (stopping) return;
    stopping = true;
    console.log(`Toss sandbox stopping (${signal})`);
    sandbox.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
  // Announced only once a signal stops it cleanly: a supervisor may send one the moment it reads this.
  console.log(`Toss sandbox listening on ${sandbox.url}`);
  console.log(`  API:     ${sandbox.url}/api/v2/{payments,execute,refunds,status}, ${sandbox.url}/api/v1/cancel`);
  console.log(`  control: ${sandbox.url}/sandbox/{payments/:payToken,payments/:payToken/settle,callbacks,clock,faults}`);
  console.log(`  accepted keys: ${keys.map((k) => `${k.slice(0, 8)}…`).join(', ')}`);
}

main().catch((e: unknown) => {
  console.error(`Toss sandbox failed to start: ${e instanceof Error ? e.message : String(e)}`);
  process.exit(1);
});
