/**
 * Captures everything the functions write to stdout/stderr during full journeys with both pay
 * methods (and some refused input), and proves that the apiKey, the merchant token and card or
 * account numbers never appear in logs or in replies.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { approve, getPayment, setFault } from '../../../local/toss-sandbox/control.ts';
import { eventually, newOrderNo, startStack, type Stack } from '../../support/stack.ts';

let s: Stack;
const captured: string[] = [];
const replies: string[] = [];
const originals = { out: process.stdout.write.bind(process.stdout), err: process.stderr.write.bind(process.stderr) };

function capture(stream: NodeJS.WriteStream, original: typeof process.stdout.write): void {
  stream.write = ((chunk: unknown, ...rest: unknown[]) => {
    captured.push(typeof chunk === 'string' ? chunk : Buffer.from(chunk as Uint8Array).toString('utf8'));
    return (original as (...a: unknown[]) => boolean)(chunk, ...rest);
  }) as typeof process.stdout.write;
}

beforeAll(async () => {
  s = await startStack();
  capture(process.stdout, originals.out);
  capture(process.stderr, originals.err);
});
afterAll(async () => {
  process.stdout.write = originals.out;
  process.stderr.write = originals.err;
  await s.stop();
});

describe('logs and replies carry no secrets', () => {
  it('a full run with both pay methods leaks no apiKey, token, card or account number', async () => {
    const secrets: string[] = [s.apiKey, s.token];
    for (const [autoExecute, payMethod] of [
      [true, 'CARD'],
      [false, 'CARD'],
      [true, 'TOSS_MONEY'],
      [false, 'TOSS_MONEY'],
    ] as const) {
      const orderNo = newOrderNo('log');
      const c = await s.createPayment({ orderNo, amount: 33_000, amountTaxFree: 0, productDesc: '로그 테스트', autoExecute });
      replies.push(c.text);
      const payToken = String(c.json.payToken);
      const { redirect } = await approve(s.sandbox.url, payToken, payMethod);
      replies.push((await s.visit(redirect)).text);
      await eventually(async () => ((await s.readOrder(orderNo))?.status === 'PAY_COMPLETE' ? true : undefined));
      replies.push((await s.getPayment(orderNo)).text);
      const p = await getPayment(s.sandbox.url, payToken);
      if (p.card !== null) secrets.push(p.card.cardNumber, p.card.cardAuthorizationNo, p.card.salesCheckLinkUrl);
      if (p.account !== null) secrets.push(p.account.accountNumber);
      // A forged callback and a refused execute exercise the warning paths too.
      const forged = await s.request('/payments/callback', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ status: 'PAY_COMPLETE', orderNo, payToken, amount: 1, cardNumber: p.card?.cardNumber ?? 'none' }),
      });
      replies.push(forged.text);
    }
    const refused = newOrderNo('log');
    await setFault(s.sandbox.url, { target: 'payments', kind: 'error', errorCode: 'COMMON_INVALID_PARAMETER', orderNo: refused });
    replies.push((await s.createPayment({ orderNo: refused, amount: 1_000, amountTaxFree: 0, productDesc: 'x' })).text);
    replies.push((await s.request('/payments', { method: 'POST', headers: { authorization: `Bearer ${s.token}` }, body: '{' })).text);

    const logs = captured.join('');
    const lines = logs.split('\n').filter((l) => l.startsWith('{"level"'));
    expect(lines.length).toBeGreaterThan(10);
    const parsed = lines.map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(parsed.some((l) => typeof l.orderNo === 'string' && typeof l.function_request_id === 'string')).toBe(true);
    expect(parsed.some((l) => typeof l.securityEvent === 'string')).toBe(true);
    const all = `${logs}\n${replies.join('\n')}`;
    expect(secrets.length).toBeGreaterThan(6);
    for (const secret of secrets) expect(all).not.toContain(secret);
    // No unmasked card-like digit runs (15-19 digits) anywhere.
    expect(all.match(/(?<!\d)\d{15,19}(?!\d)/g) ?? []).toEqual([]);
  });
});
