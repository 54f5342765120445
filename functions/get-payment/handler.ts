/**
 * GET /payments/{orderNo}[?refresh=true] (merchant): the order, its money and its history;
 * refreshed from Toss on request. GET /payments/by-pay-token/{payToken}: the same, found by its
 * payment's payToken (Toss's status names the orderNo).
 */
import { paymentContainer } from '../../shared/deps.ts';
import { deadlineOf, httpFunction } from '../../shared/http/chain.ts';
import { jsonResponse } from '../../shared/http/error-replies.ts';
import { ORDER_NO_RE } from '../../shared/payments/create-schema.ts';
import { OrderNotFoundError } from '../../shared/payments/errors.ts';
import { getPaymentByPayToken, getPaymentView } from '../../shared/payments/view.ts';

const c = paymentContainer('get-payment');

export const handler = httpFunction(c, async (event, context) => {
  if (event.routeKey === 'GET /payments/by-pay-token/{payToken}')
    return jsonResponse(200, await getPaymentByPayToken(event.pathParameters?.payToken ?? '', c.deps, { deadline: deadlineOf(context) }));
  const orderNo = event.pathParameters?.orderNo ?? '';
  if (!ORDER_NO_RE.test(orderNo)) throw new OrderNotFoundError(orderNo);
  c.logger.appendKeys({ orderNo });
  const refresh = event.queryStringParameters?.refresh === 'true';
  return jsonResponse(200, await getPaymentView(orderNo, c.deps, { refresh, deadline: deadlineOf(context) }));
});
