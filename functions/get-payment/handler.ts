/** GET /payments/{orderNo} (merchant): the stored order and its history. */
import { appConfig } from '../../shared/config.ts';
import { HttpError, jsonResponse } from '../../shared/http/errors.ts';
import { httpHandler, paymentDeps } from '../../shared/http/handler.ts';
import { logger } from '../../shared/http/observability.ts';
import { ORDER_NO_RE } from '../../shared/payments/create-schema.ts';
import { getPaymentView } from '../../shared/payments/view.ts';

appConfig();

export const handler = httpHandler(async (event) => {
  const orderNo = event.pathParameters?.orderNo;
  if (orderNo === undefined || !ORDER_NO_RE.test(orderNo)) throw new HttpError(404, 'ORDER_NOT_FOUND', 'no such order');
  logger.appendKeys({ orderNo });
  return jsonResponse(200, await getPaymentView(orderNo, paymentDeps()));
});
