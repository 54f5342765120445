/** GET /payments/{orderNo}[?refresh=true] (merchant): the order, its money and its history; refreshed from Toss on request. */
import { paymentContainer } from '../../shared/deps.ts';
import { deadlineOf, httpFunction } from '../../shared/http/chain.ts';
import { jsonResponse } from '../../shared/http/error-replies.ts';
import { pathOrderNo } from '../../shared/http/order-path.ts';
import { getPaymentView } from '../../shared/payments/view.ts';

const c = paymentContainer('get-payment');

export const handler = httpFunction(c, async (event, context) => {
  const orderNo = pathOrderNo(event, c.logger);
  const refresh = event.queryStringParameters?.refresh === 'true';
  return jsonResponse(200, await getPaymentView(orderNo, c.deps, { refresh, deadline: deadlineOf(context) }));
});
