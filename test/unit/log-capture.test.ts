/**
 * The integration suite's output capture and log-leak check (test/support/log-capture.ts): what
 * it records, that output still passes through, what it finds and what its message shows.
 */
import { afterEach, describe, expect, it } from 'vitest';
import {
  assertNoLeaks,
  captureOutput,
  findLeaks,
  LogLeakError,
  REDACTED,
  SecretKind,
  type CapturedLine,
  type Secrets,
} from '../support/log-capture.ts';

const PAY_TOKEN = 'Ab3dEf5hIj7lMn9pQr1tUv';
const API_KEY = 'sk_test_w5lNQylNqa5lNQe013Nq';
const TOKEN = 'merchant-token-for-tests-0123456789';
const CARD = '557042******123*';
const ACCOUNT = '110*****456';
const secrets: Secrets = {
  [SecretKind.apiKey]: [API_KEY],
  [SecretKind.merchantToken]: [TOKEN],
  [SecretKind.payToken]: ['Zz9yXx8wVv7uTt6sRr5qPp', PAY_TOKEN],
  [SecretKind.cardNumber]: [CARD],
  [SecretKind.accountNumber]: [ACCOUNT],
};
const out = (...texts: string[]): CapturedLine[] => texts.map((text) => ({ stream: 'stdout', text }));
const log = (message: string, fields: Record<string, unknown>) => JSON.stringify({ level: 'INFO', message, ...fields });

describe('captureOutput', () => {
  const realWrite = process.stdout.write;
  afterEach(() => {
    process.stdout.write = realWrite;
  });

  it('records whole lines from strings and buffers, split or joined, and passes every chunk through unchanged', () => {
    const passed: unknown[] = [];
    // Stands in for the terminal, so that this test's writes stay off the real stdout.
    const terminal = ((chunk: unknown) => {
      passed.push(chunk);
      return true;
    }) as typeof process.stdout.write;
    process.stdout.write = terminal;
    const capture = captureOutput();
    process.stdout.write('{"a":1}\n{"b"');
    process.stdout.write(Buffer.from(':2}\nthird'));
    process.stdout.write('\n');
    expect(capture.lines()).toEqual(out('{"a":1}', '{"b":2}', 'third'));
    process.stdout.write('unfinished');
    expect(capture.stop()).toEqual(out('{"a":1}', '{"b":2}', 'third', 'unfinished'));
    expect(passed).toEqual(['{"a":1}\n{"b"', Buffer.from(':2}\nthird'), '\n', 'unfinished']);
    // Stopped: the stream is back to what it was, nothing more is recorded.
    expect(process.stdout.write).toBe(terminal);
    process.stdout.write('after\n');
    expect(capture.lines()).toHaveLength(4);
    expect(passed.at(-1)).toBe('after\n');
  });

  it('lets two captures overlap, and restores the stream when the last stops', () => {
    const fake = (() => true) as typeof process.stdout.write;
    process.stdout.write = fake;
    const a = captureOutput();
    process.stdout.write('one\n');
    const b = captureOutput();
    process.stdout.write('two\n');
    expect(a.stop()).toEqual(out('one', 'two'));
    process.stdout.write('three\n');
    expect(b.stop()).toEqual(out('two', 'three'));
    expect(process.stdout.write).toBe(fake);
  });
});

describe('findLeaks', () => {
  it("finds a card's BIN as a number of its own, never inside a longer one (a time in ms)", () => {
    const bins: Secrets = { [SecretKind.cardBin]: ['557042'] };
    const leaks = findLeaks(out(log('card', { bin: '557042' }), log('due', { dueAt: 1765557042123 }), 'bin=557042;', 'x557042y'), bins);
    expect(leaks.map((l) => [l.lineNo, l.kind])).toEqual([
      [1, SecretKind.cardBin],
      [3, SecretKind.cardBin],
      [4, SecretKind.cardBin],
    ]);
  });

  it('finds each kind of secret, with the JSON field and the log message', () => {
    const lines = out(
      log('payment created', { orderNo: 'o-1', payToken: PAY_TOKEN }),
      log('called Toss', { request: { apiKey: API_KEY } }),
      `Authorization: Bearer ${TOKEN}`,
      log('paid', { card: { cardNumber: CARD }, account: ACCOUNT }),
      log('digits', { n: 4111111111111111 }),
    );
    const leaks = findLeaks(lines, secrets);
    expect(leaks.map((l) => [l.lineNo, l.kind, l.fields, l.message])).toEqual([
      [1, SecretKind.payToken, ['payToken'], 'payment created'],
      [2, SecretKind.apiKey, ['request.apiKey'], 'called Toss'],
      [3, SecretKind.merchantToken, [], undefined],
      [4, SecretKind.cardNumber, ['card.cardNumber'], 'paid'],
      [4, SecretKind.accountNumber, ['account'], 'paid'],
      [5, SecretKind.digitRun, ['n'], 'digits'],
    ]);
    // The line shown has every secret in it replaced.
    expect(leaks[0]!.line).toBe(log('payment created', { orderNo: 'o-1', payToken: REDACTED }));
    expect(leaks[3]!.line).toBe(log('paid', { card: { cardNumber: REDACTED }, account: REDACTED }));
    expect(leaks[5]!.line).toBe(`{"level":"INFO","message":"digits","n":${REDACTED}}`);
  });

  it('accepts a masked payToken, short and long digit runs, and lines without secrets', () => {
    const masked = `${PAY_TOKEN.slice(0, 4)}…${PAY_TOKEN.slice(-4)}`;
    const lines = out(
      log('payment created', { payToken: masked }),
      log('times', { at: 1_790_000_000_000, id: '12345678901234', long: '12345678901234567890' }),
      'plain text',
      '',
    );
    expect(findLeaks(lines, secrets)).toEqual([]);
    expect(() => assertNoLeaks(lines, secrets)).not.toThrow();
  });

  it('finds 15 to 19 digit runs, not 14 or 20', () => {
    const runs = [14, 15, 16, 19, 20].map((n) => '1'.repeat(n));
    const leaks = findLeaks(out(...runs.map((r) => `x${r}x`)), {});
    expect(leaks.map((l) => l.lineNo)).toEqual([2, 3, 4]);
  });

  it('finds a secret on every line it occurs, once per line and kind, among many lines', () => {
    const many = Array.from({ length: 2_000 }, (_, i) => `T${String(i).padStart(21, '0')}`);
    const lines = out(...many.map((t, i) => (i % 500 === 7 ? `token ${t} and ${t}` : `line ${i}`)));
    const leaks = findLeaks(lines, { [SecretKind.payToken]: many });
    expect(leaks.map((l) => l.lineNo)).toEqual([8, 508, 1008, 1508]);
    expect(leaks.every((l) => l.line === `token ${REDACTED} and ${REDACTED}`)).toBe(true);
  });
});

describe('assertNoLeaks', () => {
  it('throws an error naming each kind, where it was, how often, and the line with the secret redacted', () => {
    const lines: CapturedLine[] = [
      ...out(log('payment created', { orderNo: 'o-1', payToken: PAY_TOKEN }), 'ok'),
      ...out(log('payment created', { orderNo: 'o-2', payToken: 'Zz9yXx8wVv7uTt6sRr5qPp' })),
      { stream: 'stderr', text: `failed with key ${API_KEY}` },
    ];
    let error: unknown;
    try {
      assertNoLeaks(lines, secrets);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(LogLeakError);
    const message = (error as LogLeakError).message;
    expect(message.split('\n')).toEqual([
      `secrets in the logs: payToken, Toss apiKey (3 lines; each secret is shown as ${REDACTED})`,
      '- payToken (a full payToken the sandbox issued; log it masked, first 4 + "…" + last 4) in field "payToken" of log message "payment created": 2 lines, first at stdout line 1:',
      `    ${log('payment created', { orderNo: 'o-1', payToken: REDACTED })}`,
      '- Toss apiKey (the Toss apiKey must never be logged): 1 line, first at stderr line 4:',
      `    failed with key ${REDACTED}`,
    ]);
    for (const values of Object.values(secrets)) for (const v of values) expect(message).not.toContain(v);
    expect((error as LogLeakError).leaks).toHaveLength(3);
  });
});
