/**
 * `npm start` (node local/start.ts) as a user runs it: a child process on free ports that prints
 * its URLs and token, serves the demo shop, stops everything on SIGTERM, and refuses to start
 * (before starting anything) when a port is taken, Java is missing or a variable is invalid.
 */
import { mkdtempSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { assertPortFree } from '../../../local/ports.ts';
import { killAll, ports, start, waitFor } from './support.ts';

afterAll(killAll);

describe('npm start', () => {
  it('starts the stack, prints the URLs and token, serves the shop, runs the reconciler, and stops everything on SIGTERM', async () => {
    const p = await ports();
    const run = start({
      ...p,
      MERCHANT_TOKENS: 'start-test-token',
      TABLE_NAME: 'start-test-table',
      TOSS_API_KEY: 'sk_test_start_test_key',
      RECONCILE_INTERVAL_SECONDS: '1',
      // An idle pass logs at debug level; this test counts passes, so it shows them.
      POWERTOOLS_LOG_LEVEL: 'DEBUG',
    });
    await waitFor(run, 'Press Ctrl-C to stop.', 25_000);
    const out = run.output();
    expect(out).toContain(`http://127.0.0.1:${p.API_PORT}/`);
    expect(out).toContain(`http://127.0.0.1:${p.TOSS_SANDBOX_PORT}`);
    expect(out).toMatch(new RegExp(`DynamoDB Local\\s+http://127\\.0\\.0\\.1:${p.DYNAMODB_PORT}\\s+\\(started by npm start`));
    expect(out).toContain('start-test-table');
    expect(out).toMatch(/Merchant token\s+start-test-token/);

    const shop = await fetch(`http://127.0.0.1:${p.API_PORT}/`);
    expect(shop.status).toBe(200);
    const html = await shop.text();
    expect(html).toContain('토스 티셔츠');
    expect(html).toContain('토스로 결제하기');
    expect(html).not.toContain('start-test-token');

    // The shop's button creates a payment through the whole stack and sends the buyer to checkout.
    const checkout = await fetch(`http://127.0.0.1:${p.API_PORT}/demo/checkout`, { method: 'POST', redirect: 'manual' });
    expect(checkout.status).toBe(303);
    expect(checkout.headers.get('location')).toMatch(new RegExp(`^http://127\\.0\\.0\\.1:${p.TOSS_SANDBOX_PORT}/`));

    // The merchant routes are behind the authorizer from the start.
    const unauth = await fetch(`http://127.0.0.1:${p.API_PORT}/payments/o-1`);
    expect(unauth.status).toBe(401);
    const wrong = await fetch(`http://127.0.0.1:${p.API_PORT}/payments/o-1`, { headers: { authorization: 'Bearer nope' } });
    expect(wrong.status).toBe(403);
    // The sandbox is up and accepts the TOSS_API_KEY the functions were given, and only it.
    const status = (apiKey: string) =>
      fetch(`http://127.0.0.1:${p.TOSS_SANDBOX_PORT}/api/v2/status`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ apiKey, orderNo: 'no-such-order' }),
      });
    expect((await status('sk_test_not_the_key')).status).toBe(401);
    expect((await status('sk_test_start_test_key')).status).not.toBe(401);

    // The console, and its one operator (CONSOLE_USERS unset) whose password the banner prints: they sign in with the
    // user pool's API and the API takes their token.
    expect(out).toContain(`Console         http://127.0.0.1:${p.API_PORT}/console`);
    const printed = /operator\s+operator@example\.com\s+password (\S+)/.exec(out)?.[1];
    expect(printed).toBeDefined();
    const page = await fetch(`http://127.0.0.1:${p.API_PORT}/console`);
    expect(page.status).toBe(200);
    const clientId = /&quot;clientId&quot;:&quot;([^&]+)&quot;/.exec(await page.text())?.[1];
    const signIn = await fetch(`http://127.0.0.1:${p.COGNITO_PORT}/`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': 'AWSCognitoIdentityProviderService.InitiateAuth' },
      body: JSON.stringify({ AuthFlow: 'USER_PASSWORD_AUTH', ClientId: clientId, AuthParameters: { USERNAME: 'operator@example.com', PASSWORD: printed } }),
    });
    const idToken = ((await signIn.json()) as { AuthenticationResult?: { IdToken?: string } }).AuthenticationResult?.IdToken;
    const asOperator = await fetch(`http://127.0.0.1:${p.API_PORT}/payments`, { headers: { authorization: `Bearer ${idToken}` } });
    expect(asOperator.status).toBe(200);

    // The reconciler runs inside npm start every RECONCILE_INTERVAL_SECONDS: two passes within a few seconds.
    const passes = () => run.output().split('\n').filter((l) => l.includes('"message":"reconcile pass"')).length;
    const until = Date.now() + 10_000;
    while (passes() < 2 && Date.now() < until) await new Promise((r) => setTimeout(r, 100));
    expect(passes()).toBeGreaterThanOrEqual(2);

    run.child.kill('SIGTERM');
    expect(await run.exited).toBe(0);
    expect(run.output()).toContain('Stopped.');
    await expect(assertPortFree(Number(p.DYNAMODB_PORT), 'DynamoDB Local')).resolves.toBeUndefined();
    await expect(assertPortFree(Number(p.TOSS_SANDBOX_PORT), 'sandbox')).resolves.toBeUndefined();
    await expect(assertPortFree(Number(p.API_PORT), 'gateway')).resolves.toBeUndefined();
    await expect(assertPortFree(Number(p.COGNITO_PORT), 'user pool')).resolves.toBeUndefined();
  }, 40_000);

  it.each(['DYNAMODB_PORT', 'TOSS_SANDBOX_PORT', 'EVENTBRIDGE_PORT', 'API_PORT'] as const)(
    'exits non-zero naming a taken %s, before starting anything',
    async (name) => {
      const p = await ports();
      const taken: Server = createServer();
      await new Promise<void>((r) => taken.listen({ port: Number(p[name]), host: '127.0.0.1' }, () => r()));
      try {
        const run = start(p);
        expect(await run.exited).toBe(1);
        const out = run.output();
        expect(out).toContain(`port ${p[name]}`);
        expect(out).toContain(name);
        expect(out).toContain('already in use');
        expect(out).not.toContain('Starting DynamoDB Local');
        const others = (Object.keys(p) as Array<keyof typeof p>).filter((other) => other !== name);
        for (const other of others) await expect(assertPortFree(Number(p[other]), other)).resolves.toBeUndefined();
      } finally {
        await new Promise((r) => taken.close(r));
      }
    },
  );

  it('exits non-zero with a clear message when Java is missing', async () => {
    const p = await ports();
    const run = start({ ...p, PATH: mkdtempSync(join(tmpdir(), 'no-java-')) });
    expect(await run.exited).toBe(1);
    expect(run.output()).toContain('Java 17 is required');
    expect(run.output()).not.toContain('Starting DynamoDB Local');
  });

  it.each([
    ['API_PORT', 'not-a-port'],
    ['DYNAMODB_PORT', '70000'],
    ['MERCHANT_RESULT_URL', 'not a url'],
    ['MERCHANT_TOKENS', ' , '],
    ['TOSS_TIMEOUT_MS', 'soon'],
    // A role that is none, and a password the pool's policy refuses (never printed).
    ['CONSOLE_USERS', 'root:a@example.com:Good-password-123!'],
    ['CONSOLE_USERS', 'viewer:a@example.com:short'],
  ])('exits non-zero naming an invalid %s', async (name, value) => {
    const p = await ports();
    const run = start({ ...p, [name]: value });
    expect(await run.exited).toBe(1);
    expect(run.output()).toContain(name);
    expect(run.output()).not.toContain('Starting DynamoDB Local');
    expect(run.output()).not.toContain(':short');
  });

  it('refuses the same port for two services', async () => {
    const p = await ports();
    const run = start({ ...p, API_PORT: p.TOSS_SANDBOX_PORT });
    expect(await run.exited).toBe(1);
    expect(run.output()).toMatch(/API_PORT: port \d+ is also TOSS_SANDBOX_PORT/);
  });
});
