/** POST /payments/{orderNo}/cancel (merchant): cancel an order nobody has paid; 200 with the order as GET shows it. */
import { paymentContainer } from '../../shared/deps.ts';
import { deadlineOf, httpFunction } from '../../shared/http/chain.ts';
import { jsonResponse } from '../../shared/http/error-replies.ts';
import { cancelOrder } from '../../shared/payments/cancel.ts';
import { ORDER_NO_RE } from '../../shared/payments/create-schema.ts';
import { OrderNotFoundError } from '../../shared/payments/errors.ts';
import { orderView } from '../../shared/payments/view.ts';

const c = paymentContainer('cancel-payment');

export const handler = httpFunction(c, async (event, context) => {
  const orderNo = event.pathParameters?.orderNo ?? '';
  if (!ORDER_NO_RE.test(orderNo)) throw new OrderNotFoundError(orderNo);
  c.logger.appendKeys({ orderNo });
  const order = await cancelOrder(orderNo, c.deps, { deadline: deadlineOf(context) });
  return jsonResponse(200, orderView(order, await c.deps.toss.mode()));
});
