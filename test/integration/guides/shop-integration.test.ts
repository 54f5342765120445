/**
 * docs/guides/integrate-your-shop.md's code (docs/examples/shop-integration.ts, shown word for word
 * in the guide) against the local stack over HTTP: a checkout the buyer pays, the result, a partial
 * refund sent twice under one Idempotency-Key (refunded once), and a cancel of an unpaid order.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cancelUnpaid, isPaid, refundPart, startCheckout, tossPay } from '../../../docs/examples/shop-integration.ts';
import { approve } from '../../../local/toss-sandbox/control.ts';
import { eventually, newOrderNo, startStack, type Stack } from '../../support/stack.ts';

const ROOT = join(import.meta.dirname, '..', '..', '..');
let s: Stack;
beforeAll(async () => {
  s = await startStack();
});
afterAll(() => s.stop());

describe('the shop integration of the guide', () => {
  it('is in docs/guides/integrate-your-shop.md word for word', () => {
    const guide = readFileSync(join(ROOT, 'docs', 'guides', 'integrate-your-shop.md'), 'utf8');
    const code = readFileSync(join(ROOT, 'docs', 'examples', 'shop-integration.ts'), 'utf8');
    expect(guide.includes(`\`\`\`ts\n${code}\`\`\`\n`)).toBe(true);
  });

  it('checks out, learns the payment, refunds part of it once, and cancels an unpaid order', async () => {
    const api = tossPay(s.api, s.token);
    const orderNo = newOrderNo('shop');
    const checkoutPage = await startCheckout(api, orderNo, 35_000, '토스 티셔츠');
    expect(await startCheckout(api, orderNo, 35_000, '토스 티셔츠')).toBe(checkoutPage);
    const payToken = new URL(checkoutPage ?? '').searchParams.get('payToken') ?? '';
    await approve(s.sandbox.url, payToken, 'CARD');
    await eventually(async () => ((await isPaid(api, orderNo)) ? true : undefined));
    expect(await isPaid(api, orderNo, true)).toBe(true);

    const first = await refundPart(api, orderNo, 5_000, `${orderNo}:refund-1`);
    const again = await refundPart(api, orderNo, 5_000, `${orderNo}:refund-1`);
    expect(again.refundNo).toBe(first.refundNo);
    expect(again.refundedAmount).toBe(5_000);
    await expect(refundPart(api, orderNo, 100_000, `${orderNo}:refund-2`)).rejects.toThrow(/422 REFUND_EXCEEDS_BALANCE/);

    const unpaid = newOrderNo('shopc');
    await startCheckout(api, unpaid, 12_000, '토스 양말');
    expect(await cancelUnpaid(api, unpaid, '재고 없음')).toBe('PAY_CANCEL');
    await expect(cancelUnpaid(api, orderNo, '늦은 취소')).rejects.toThrow(/409 ORDER_PAID/);
  });
});
