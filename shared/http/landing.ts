/**
 * The two buyer landings share everything but their source: the orderNo comes from the query (the
 * FIRST orderNo: ours, put in retUrl; Toss appends its own), the reply is a result page or, when
 * MERCHANT_RESULT_URL is set, a 303 there. Nothing from the request is ever echoed as a URL.
 */
import type { Context } from 'aws-lambda';
import { appConfig } from '../config.ts';
import { isTossError } from '../toss/errors.ts';
import { ORDER_NO_RE } from '../payments/create-schema.ts';
import { OrderNotFoundError } from '../payments/errors.ts';
import { settleLanding } from '../payments/landing.ts';
import { deadlineOf, paymentDeps, type HttpEvent, type HttpResult } from './handler.ts';
import { merchantRedirect, resultPage } from './html.ts';
import { logger } from './observability.ts';

export function firstQueryValue(event: HttpEvent, name: string): string | undefined {
  const raw = event.rawQueryString;
  if (typeof raw === 'string' && raw !== '') return new URLSearchParams(raw).get(name) ?? undefined;
  return event.queryStringParameters?.[name]?.split(',')[0];
}

export async function landing(source: 'return' | 'cancel', event: HttpEvent, context: Context): Promise<HttpResult> {
  const c = appConfig();
  const orderNo = firstQueryValue(event, 'orderNo');
  if (orderNo === undefined || !ORDER_NO_RE.test(orderNo)) return notFound();
  logger.appendKeys({ orderNo });
  const refreshUrl = `${c.PUBLIC_BASE_URL}/payments/${source}?orderNo=${encodeURIComponent(orderNo)}`;
  try {
    const r = await settleLanding(orderNo, source, paymentDeps(), { deadline: deadlineOf(context) });
    logger.info('landing settled', { source, result: r.result, status: r.order.status, modeMismatch: r.modeMismatch });
    if (c.MERCHANT_RESULT_URL !== undefined) return merchantRedirect(c.MERCHANT_RESULT_URL, orderNo, r.result);
    if (r.modeMismatch === true)
      return resultPage('failed', { orderNo, message: '이 주문은 다른 결제 환경(테스트/실결제)에서 만들어져 확인할 수 없습니다.', status: 409 });
    return resultPage(r.result, { orderNo, message: r.message, refreshUrl });
  } catch (e) {
    if (e instanceof OrderNotFoundError) return notFound();
    logger.error('landing failed; showing pending', { source, error: e, tossError: isTossError(e) });
    if (c.MERCHANT_RESULT_URL !== undefined) return merchantRedirect(c.MERCHANT_RESULT_URL, orderNo, 'pending');
    return resultPage('pending', { orderNo, refreshUrl, status: 503 });
  }
}

function notFound(): HttpResult {
  const page = resultPage('failed', { message: '주문을 찾을 수 없습니다.', status: 404 });
  return page;
}
