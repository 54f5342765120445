/** GET /payments/{orderNo}: the stored order as the merchant sees it. */
import type { Mode, Order } from '../domain/order.ts';
import { isPaid } from '../domain/states.ts';
import type { PaymentDeps } from './ports.ts';
import { OrderNotFoundError } from './errors.ts';

/**
 * `keyMode`: the mode of the Toss key in use. An order of the other mode (the key was changed on
 * the same table) is never reported paid: nothing about it can be confirmed with this key.
 */
export function orderView(o: Order, keyMode: Mode): Record<string, unknown> {
  return {
    orderNo: o.orderNo,
    status: o.status,
    paid: isPaid(o.status) && o.mode === keyMode,
    mode: o.mode,
    ...(o.mode !== keyMode ? { modeMismatch: true } : {}),
    amount: o.amount,
    amountTaxFree: o.amountTaxFree,
    amountTaxable: o.amountTaxable,
    amountVat: o.amountVat,
    amountServiceFee: o.amountServiceFee,
    paidAmount: o.paidAmount,
    discountedAmount: o.discountedAmount,
    productDesc: o.productDesc,
    autoExecute: o.autoExecute,
    payToken: o.payToken,
    checkoutPage: o.checkoutPage,
    payMethod: o.payMethod,
    metadata: o.metadata,
    expiresAt: o.expiresAt,
    paidTs: o.paidTs,
    createdAt: o.createdAt,
    updatedAt: o.updatedAt,
    transactions: o.transactions ?? [],
    failure: o.failure,
    attention: o.attention,
    history: o.history.map(({ writeId: _writeId, ...entry }) => entry),
  };
}

export async function getPaymentView(orderNo: string, deps: Pick<PaymentDeps, 'store' | 'toss'>): Promise<Record<string, unknown>> {
  const o = await deps.store.getOrder(orderNo);
  if (o === undefined) throw new OrderNotFoundError(orderNo);
  return orderView(o, await deps.toss.mode());
}
