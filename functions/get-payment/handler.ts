/**
 * GET /payments/{orderNo}[?refresh=true] (merchant): the order, its money and its history;
 * refreshed from Toss on request. GET /payments/by-pay-token/{payToken}: the same, found by its
 * payment's payToken (Toss's status names the orderNo).
 */
import { paymentContainer } from '../../shared/deps.ts';
import { deadlineOf, httpFunction } from '../../shared/http/chain.ts';
import { jsonResponse } from '../../shared/http/error-replies.ts';
import { aboutOrder, pathOrderNo } from '../../shared/http/order-path.ts';
import { getPaymentByPayToken, getPaymentView } from '../../shared/payments/view.ts';

const c = paymentContainer('get-payment');

export const handler = httpFunction(c, async (event, context) => {
  if (event.routeKey === 'GET /payments/by-pay-token/{payToken}') {
    const view = await getPaymentByPayToken(event.pathParameters?.payToken ?? '', c.deps, { deadline: deadlineOf(context) });
    aboutOrder(c.logger, view.orderNo);
    return jsonResponse(200, view);
  }
  const orderNo = pathOrderNo(event, c.logger);
  const refresh = event.queryStringParameters?.refresh === 'true';
  return jsonResponse(200, await getPaymentView(orderNo, c.deps, { refresh, deadline: deadlineOf(context) }));
});
