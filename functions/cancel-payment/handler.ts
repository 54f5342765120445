/**
 * POST /payments/{orderNo}/cancel (merchant): cancel an order nobody has paid; 200 with the order
 * as GET shows it. The body is optional: `{"reason": "…"}` (≤ 50 characters) is sent to Toss.
 */
import { paymentContainer } from '../../shared/deps.ts';
import { bodyBytes, parseObjectBody } from '../../shared/http/body.ts';
import { deadlineOf, httpFunction } from '../../shared/http/chain.ts';
import { jsonResponse } from '../../shared/http/error-replies.ts';
import { pathOrderNo } from '../../shared/http/order-path.ts';
import { actorOfRequest } from '../../shared/http/principal.ts';
import { parseRequest } from '../../shared/http/request-errors.ts';
import { cancelOrder } from '../../shared/payments/cancel.ts';
import { cancelRequestSchema } from '../../shared/payments/request-schemas.ts';
import { orderView } from '../../shared/payments/order-view.ts';

const c = paymentContainer('cancel-payment');

export const handler = httpFunction(c, async (event, context) => {
  const orderNo = pathOrderNo(event, c.logger);
  // No body (or an empty one) is a cancel without a reason.
  const bytes = bodyBytes(event);
  const raw = bytes.toString('utf8').trim() === '' ? {} : parseObjectBody(bytes, event.headers);
  const input = parseRequest(cancelRequestSchema, raw);
  const order = await cancelOrder(orderNo, c.deps, { deadline: deadlineOf(context), actor: actorOfRequest(event) }, input);
  return jsonResponse(200, orderView(order, await c.deps.toss.mode()));
});
