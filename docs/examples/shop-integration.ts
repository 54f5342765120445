// Your shop's server and this API, with the typed client (clients/typescript). Each function is one
// step of docs/guides/integrate-your-shop.md; test/integration/guides/shop-integration.test.ts runs
// them against the local stack.
import { createTossPayClient, errorCodeOf, refund, type Schemas, type TossPayClient } from '../../clients/typescript/client.ts';

export const tossPay = (baseUrl: string, token: string): TossPayClient => createTossPayClient({ baseUrl, token });

/**
 * 1. The buyer checks out: create the payment under your own order number, then send the buyer to
 * checkoutPage. It is absent only for an order past waiting (paid, cancelled: `status` says which).
 */
export async function startCheckout(api: TossPayClient, orderNo: string, amount: number, productDesc: string): Promise<string | undefined> {
  // The orderNo is the idempotency key: after a timeout or a 5xx, call this again with the same values.
  const { data, error, response } = await api.POST('/payments', { body: { orderNo, amount, amountTaxFree: 0, productDesc } });
  if (data !== undefined) return data.checkoutPage; // 201 created, or 200: the same request again
  throw new Error(`create ${orderNo}: ${response.status} ${errorCodeOf(error) ?? 'no code'}`);
}

/** 3. Learn the result by asking (webhooks tell you without asking: docs/guides/receive-webhooks.md). */
export async function isPaid(api: TossPayClient, orderNo: string, askToss = false): Promise<boolean> {
  const { data } = await api.GET('/payments/{orderNo}', { params: { path: { orderNo }, query: askToss ? { refresh: 'true' } : {} } });
  return data?.paid === true;
}

/** 5. Refund part of a paid order. Keep the Idempotency-Key with the refund you mean: sending it again never refunds twice. */
export async function refundPart(api: TossPayClient, orderNo: string, amount: number, idempotencyKey: string): Promise<Schemas['RefundReply']> {
  const { data, error, response } = await refund(api, orderNo, { amount, reason: '부분 환불' }, idempotencyKey);
  if (data !== undefined) return data;
  // 422 REFUND_EXCEEDS_BALANCE, 409 ORDER_NOT_PAID, … : docs/reference/errors.md says what to do about each.
  throw new Error(`refund ${orderNo}: ${response.status} ${errorCodeOf(error) ?? 'no code'}`);
}

/** 5. Cancel an order nobody paid (a paid one is refunded instead: 409 ORDER_PAID). */
export async function cancelUnpaid(api: TossPayClient, orderNo: string, reason: string): Promise<Schemas['OrderView']['status']> {
  const { data, error, response } = await api.POST('/payments/{orderNo}/cancel', { params: { path: { orderNo } }, body: { reason } });
  if (data !== undefined) return data.status;
  throw new Error(`cancel ${orderNo}: ${response.status} ${errorCodeOf(error) ?? 'no code'}`);
}
