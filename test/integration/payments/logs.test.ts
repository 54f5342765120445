/**
 * Full journeys with both pay methods (and some refused input) under the stack's log capture
 * (test/support/log-capture.ts), proving that the functions log structured lines with the
 * request's context, and that neither the logs nor the replies carry the apiKey, the merchant
 * token, card or account numbers, that the logs carry no full payToken and no card authorization
 * number or sales-check link either. The replies carry those two: the merchant's books need the
 * authorization number, and the sales-check link is the order's receipt URL (issue 19, item 4). Every integration file gets the same log check at `stop()`;
 * this file runs it inside the test, over a run that reaches the warning paths, and adds the
 * replies.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { approve, getPayment, setFault } from '../../../local/toss-sandbox/control-client.ts';
import { assertNoLeaks, SecretKind, type CapturedLine, type Secrets } from '../../support/log-capture.ts';
import { eventually, newOrderNo, startStack, type Stack } from '../../support/stack.ts';

let s: Stack;
const replies: string[] = [];

beforeAll(async () => {
  s = await startStack();
});
afterAll(async () => {
  await s.stop();
});

describe('logs and replies carry no secrets', () => {
  it('a full run with both pay methods leaks no apiKey, token, payToken, card or account number', async () => {
    const created: string[] = [];
    const authorizationNos: string[] = [];
    const salesCheckLinks: string[] = [];
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
      created.push(payToken);
      const { redirect } = await approve(s.sandbox.url, payToken, payMethod);
      replies.push((await s.visit(redirect)).text);
      await eventually(async () => ((await s.readOrder(orderNo))?.status === 'PAY_COMPLETE' ? true : undefined));
      replies.push((await s.getPayment(orderNo)).text);
      const p = await getPayment(s.sandbox.url, payToken);
      if (p.card !== null) {
        authorizationNos.push(p.card.cardAuthorizationNo);
        salesCheckLinks.push(p.card.salesCheckLinkUrl);
      }
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

    // The functions logged structured lines with the request's context, warnings included.
    const lines = s.logs().filter((l) => l.text.startsWith('{"level"'));
    expect(lines.length).toBeGreaterThan(10);
    const parsed = lines.map((l) => JSON.parse(l.text) as Record<string, unknown>);
    expect(parsed.some((l) => typeof l.orderNo === 'string' && typeof l.function_request_id === 'string')).toBe(true);
    expect(parsed.some((l) => typeof l.securityEvent === 'string')).toBe(true);

    // The secrets the check looks for: the sandbox lists every payToken and card or account number of the run.
    const secrets: Secrets = {
      ...(await s.secrets()),
      'card authorization number': authorizationNos,
      'sales-check link': salesCheckLinks,
    };
    expect(secrets[SecretKind.apiKey]).toEqual([s.apiKey]);
    expect(secrets[SecretKind.merchantToken]).toContain(s.token);
    // The refused create never reached a payToken.
    expect(secrets[SecretKind.payToken]).toEqual(created);
    expect(secrets[SecretKind.cardNumber]).toHaveLength(2);
    expect(secrets[SecretKind.accountNumber]).toHaveLength(2);
    expect(authorizationNos).toHaveLength(2);

    // Replies may carry the payToken (the merchant needs it), the card's authorization number and its
    // sales-check link (the order's money facts and receipt URL); nothing else.
    const inReplies = new Set<string>([SecretKind.payToken, 'card authorization number', 'sales-check link']);
    const notInReplies = Object.fromEntries(Object.entries(secrets).filter(([kind]) => !inReplies.has(kind)));
    expect(Object.keys(notInReplies)).toHaveLength(Object.keys(secrets).length - 3);
    for (const v of [...authorizationNos, ...salesCheckLinks]) expect(replies.some((r) => r.includes(v))).toBe(true);
    const replyLines: CapturedLine[] = replies.flatMap((r) => r.split('\n').map((text) => ({ stream: 'reply', text })));
    assertNoLeaks(replyLines, notInReplies, 'the replies');
    assertNoLeaks(s.logs(), secrets);
  });
});
