/** GET /payments/{orderNo} (merchant): the stored order and its history. */
import { paymentContainer } from '../../shared/deps.ts';
import { httpFunction } from '../../shared/http/chain.ts';
import { jsonResponse } from '../../shared/http/error-replies.ts';
import { ORDER_NO_RE } from '../../shared/payments/create-schema.ts';
import { OrderNotFoundError } from '../../shared/payments/errors.ts';
import { getPaymentView } from '../../shared/payments/view.ts';

const c = paymentContainer('get-payment');

export const handler = httpFunction(c, async (event) => {
  const orderNo = event.pathParameters?.orderNo ?? '';
  if (!ORDER_NO_RE.test(orderNo)) throw new OrderNotFoundError(orderNo);
  c.logger.appendKeys({ orderNo });
  return jsonResponse(200, await getPaymentView(orderNo, c.deps));
});
