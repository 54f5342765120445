/** POST /payments (merchant): validate, record, create at Toss; 201 new, 200 the same request again. */
import httpJsonBodyParser from '@middy/http-json-body-parser';
import { paymentContainer } from '../../shared/deps.ts';
import { deadlineOf, httpFunction } from '../../shared/http/chain.ts';
import { jsonResponse } from '../../shared/http/error-replies.ts';
import { aboutOrder } from '../../shared/http/order-path.ts';
import { parseRequest } from '../../shared/http/request-errors.ts';
import { createPayment } from '../../shared/payments/create.ts';
import { createPaymentSchema } from '../../shared/payments/request-schemas.ts';
import type { CreatePaymentReply } from '../../shared/payments/reply-schemas.ts';

const c = paymentContainer('create-payment');

export const handler = httpFunction(c, async (event, context) => {
  // The JSON body parser below has turned the body into a value.
  const input = parseRequest(createPaymentSchema, event.body as unknown);
  if (input.orderNo !== undefined) aboutOrder(c.logger, input.orderNo);
  const r = await createPayment(input, c.deps, { deadline: deadlineOf(context) });
  const o = r.order;
  aboutOrder(c.logger, o.orderNo);
  return jsonResponse(r.kind === 'created' ? 201 : 200, {
    orderNo: o.orderNo,
    payToken: o.payToken,
    checkoutPage: o.checkoutPage,
    status: o.status,
    expiresAt: o.expiresAt,
    ...(o.failure !== undefined ? { failure: o.failure } : {}),
  } satisfies CreatePaymentReply);
}).use(httpJsonBodyParser());
