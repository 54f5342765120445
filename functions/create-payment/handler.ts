/** POST /payments (merchant): validate, record, create at Toss; 201 new, 200 same request again. */
import { appConfig } from '../../shared/config.ts';
import { bodyBytes, parseObjectBody } from '../../shared/http/body.ts';
import { jsonResponse } from '../../shared/http/errors.ts';
import { deadlineOf, httpHandler, paymentDeps } from '../../shared/http/handler.ts';
import { logger } from '../../shared/http/observability.ts';
import { createPayment } from '../../shared/payments/create.ts';
import { createPaymentSchema } from '../../shared/payments/create-schema.ts';

appConfig();

const MAX_BODY_BYTES = 16 * 1024;

export const handler = httpHandler(async (event, context) => {
  const raw = parseObjectBody(bodyBytes(event, MAX_BODY_BYTES), { 'content-type': 'application/json' });
  const input = createPaymentSchema.parse(raw);
  if (input.orderNo !== undefined) logger.appendKeys({ orderNo: input.orderNo });
  const r = await createPayment(input, paymentDeps(), { deadline: deadlineOf(context) });
  const o = r.order;
  logger.appendKeys({ orderNo: o.orderNo });
  return jsonResponse(r.kind === 'created' ? 201 : 200, {
    orderNo: o.orderNo,
    payToken: o.payToken,
    checkoutPage: o.checkoutPage,
    status: o.status,
    expiresAt: o.expiresAt,
    ...(o.failure !== undefined ? { failure: o.failure } : {}),
  });
});
