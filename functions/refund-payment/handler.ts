/**
 * POST /payments/{orderNo}/refunds (merchant): a refund, exactly once per Idempotency-Key. 201
 * recorded now; 200 the same key and body again (the stored result).
 */
import httpJsonBodyParser from '@middy/http-json-body-parser';
import { paymentContainer } from '../../shared/deps.ts';
import { bodyLimit } from '../../shared/http/body.ts';
import { deadlineOf, httpFunction } from '../../shared/http/chain.ts';
import { jsonResponse } from '../../shared/http/error-replies.ts';
import { actorOfRequest } from '../../shared/http/principal.ts';
import { parseRequest, RequestValidationError } from '../../shared/http/request-errors.ts';
import { ORDER_NO_RE } from '../../shared/payments/create-schema.ts';
import { OrderNotFoundError } from '../../shared/payments/errors.ts';
import { IDEMPOTENCY_KEY_RE, refundPayment, refundRequestSchema } from '../../shared/payments/refund.ts';
import { moneyOf } from '../../shared/domain/refunds.ts';
import type { RefundReply } from '../../shared/payments/reply-schemas.ts';

const c = paymentContainer('refund-payment');

export const handler = httpFunction(c, async (event, context) => {
  const orderNo = event.pathParameters?.orderNo ?? '';
  if (!ORDER_NO_RE.test(orderNo)) throw new OrderNotFoundError(orderNo);
  c.logger.appendKeys({ orderNo });
  const key = event.headers['idempotency-key'];
  if (key === undefined || !IDEMPOTENCY_KEY_RE.test(key))
    throw new RequestValidationError('the request is invalid', [
      { path: 'Idempotency-Key', message: 'required header: 1-64 of A-Z a-z 0-9 _ - : .', code: key === undefined ? 'required' : 'invalid_format' },
    ]);
  const input = parseRequest(refundRequestSchema, event.body as unknown);
  const r = await refundPayment(orderNo, key, input, c.deps, { deadline: deadlineOf(context), actor: actorOfRequest(event) });
  const money = moneyOf(r.order);
  return jsonResponse(r.kind === 'created' ? 201 : 200, {
    orderNo,
    refundNo: r.refund.refundNo,
    status: r.refund.status,
    amount: r.refund.amount,
    refundedAmount: money.refundedAmount,
    refundableAmount: money.refundableAmount,
  } satisfies RefundReply);
})
  .use(bodyLimit(16 * 1024))
  .use(httpJsonBodyParser());
