/**
 * POST /payments/callback (public): Toss's resultCallback, V2 JSON or V1 form, base64 or not.
 * 200 when the order is (now or already) paid; 4xx and nothing written when malformed or
 * contradicted (a security event); 503 when Toss or DynamoDB failed transiently, so Toss retries.
 */
import { appConfig } from '../../shared/config.ts';
import { BodyTooLargeError, bodyBytes, CALLBACK_MAX_BYTES, MalformedBodyError, parseObjectBody } from '../../shared/http/body.ts';
import { errorResponse, HttpError, jsonResponse, sourceNotAllowed } from '../../shared/http/errors.ts';
import { httpHandler, deadlineOf, paymentDeps } from '../../shared/http/handler.ts';
import { ipAllowList } from '../../shared/http/ip.ts';
import { logger } from '../../shared/http/observability.ts';
import { callbackBodySchema, handleCallback } from '../../shared/payments/callback.ts';
import { securityEvent } from '../../shared/payments/security.ts';
import { StoreUnavailableError } from '../../shared/store/orders.ts';
import { isTossError } from '../../shared/toss/errors.ts';

const config = appConfig();
const allowed = config.CALLBACK_ALLOWED_IPS !== undefined ? ipAllowList(config.CALLBACK_ALLOWED_IPS) : undefined;

export const handler = httpHandler(async (event, context) => {
  const deps = paymentDeps();
  const sourceIp = event.requestContext?.http?.sourceIp;
  if (allowed !== undefined && !allowed(sourceIp)) {
    securityEvent(deps, 'CALLBACK_SOURCE_NOT_ALLOWED', { sourceIp });
    throw sourceNotAllowed();
  }
  let fields: Record<string, unknown>;
  try {
    fields = parseObjectBody(bodyBytes(event, CALLBACK_MAX_BYTES), event.headers);
  } catch (e) {
    if (e instanceof BodyTooLargeError || e instanceof MalformedBodyError)
      securityEvent(deps, e instanceof BodyTooLargeError ? 'CALLBACK_TOO_LARGE' : 'CALLBACK_MALFORMED', { sourceIp });
    throw e;
  }
  const parsed = callbackBodySchema.safeParse(fields);
  if (!parsed.success) {
    securityEvent(deps, 'CALLBACK_MALFORMED', { sourceIp, fields: parsed.error.issues.map((i) => i.path.join('.')).join(',') });
    throw new HttpError(400, 'VALIDATION_FAILED', 'the callback is malformed', {
      issues: parsed.error.issues.map((i) => ({ path: i.path.map(String).join('.'), message: i.message })),
    });
  }
  logger.appendKeys({ orderNo: parsed.data.orderNo });
  try {
    const r = await handleCallback(parsed.data, deps, { deadline: deadlineOf(context) });
    logger.info('callback accepted', { outcome: r.kind, status: r.order.status });
    return jsonResponse(200, { result: 'OK', orderNo: r.order.orderNo, status: r.order.status });
  } catch (e) {
    if ((isTossError(e) && e.retryable) || e instanceof StoreUnavailableError) {
      logger.warn('callback could not be confirmed now; asking Toss to retry', { error: e });
      return errorResponse(new HttpError(503, 'TEMPORARILY_UNAVAILABLE', 'temporarily unavailable; retry later'));
    }
    throw e;
  }
});
