/**
 * POST /payments/{orderNo}/cancel (merchant): cancel an order nobody has paid; 200 with the order
 * as GET shows it. The body is optional: `{"reason": "…"}` (≤ 50 characters) is sent to Toss.
 */
import { paymentContainer } from '../../shared/deps.ts';
import { bodyBytes, parseObjectBody } from '../../shared/http/body.ts';
import { deadlineOf, httpFunction } from '../../shared/http/chain.ts';
import { jsonResponse } from '../../shared/http/error-replies.ts';
import { actorOfRequest } from '../../shared/http/principal.ts';
import { parseRequest } from '../../shared/http/request-errors.ts';
import { cancelOrder, cancelRequestSchema } from '../../shared/payments/cancel.ts';
import { ORDER_NO_RE } from '../../shared/payments/create-schema.ts';
import { OrderNotFoundError } from '../../shared/payments/errors.ts';
import { orderView } from '../../shared/payments/view.ts';

const c = paymentContainer('cancel-payment');
const MAX_BODY_BYTES = 4 * 1024;

export const handler = httpFunction(c, async (event, context) => {
  const orderNo = event.pathParameters?.orderNo ?? '';
  if (!ORDER_NO_RE.test(orderNo)) throw new OrderNotFoundError(orderNo);
  c.logger.appendKeys({ orderNo });
  // No body (or an empty one) is a cancel without a reason.
  const bytes = bodyBytes(event, MAX_BODY_BYTES);
  const raw = bytes.toString('utf8').trim() === '' ? {} : parseObjectBody(bytes, event.headers);
  const input = parseRequest(cancelRequestSchema, raw);
  const order = await cancelOrder(orderNo, c.deps, { deadline: deadlineOf(context), actor: actorOfRequest(event) }, input);
  return jsonResponse(200, orderView(order, await c.deps.toss.mode()));
});
