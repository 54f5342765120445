/**
 * The two buyer landings share everything but their source: the orderNo comes from the query (the
 * FIRST orderNo: ours, put in retUrl; Toss appends its own), the reply is a result page or, when
 * MERCHANT_RESULT_URL is set, a 303 there. Nothing from the request is ever echoed as a URL. A
 * buyer never sees an error: an unknown order gets the not-found page, anything else the
 * "still confirming" page, which reloads itself.
 */
import type { APIGatewayProxyStructuredResultV2, Context } from 'aws-lambda';
import type { PaymentContainer } from '../deps.ts';
import { ORDER_NO_RE } from '../payments/create-schema.ts';
import { OrderNotFoundError } from '../payments/errors.ts';
import { settleLanding } from '../payments/landing.ts';
import { moneyOf } from '../domain/refunds.ts';
import type { BuyerResult } from '../domain/states.ts';
import { webhookSecretsProvider } from '../events/webhook-secret.ts';
import { deadlineOf, httpFunction, type HttpEvent, type HttpResult } from './chain.ts';
import type { ErrorReply } from './error-replies.ts';
import { merchantRedirect, resultPage } from './html.ts';

export function firstQueryValue(event: HttpEvent, name: string): string | undefined {
  const raw = event.rawQueryString;
  if (typeof raw === 'string' && raw !== '') return new URLSearchParams(raw).get(name) ?? undefined;
  return event.queryStringParameters?.[name]?.split(',')[0];
}

const orderNoOf = (event: HttpEvent): string | undefined => {
  const orderNo = firstQueryValue(event, 'orderNo');
  return orderNo !== undefined && ORDER_NO_RE.test(orderNo) ? orderNo : undefined;
};

export function landingFunction(c: PaymentContainer, source: 'return' | 'cancel') {
  const refreshUrl = (orderNo: string) => `${c.config.PUBLIC_BASE_URL}/payments/${source}?orderNo=${encodeURIComponent(orderNo)}`;

  const shopUrl = c.config.MERCHANT_SHOP_URL;
  // Redirects are signed with the webhook secret when there is one.
  const secrets = c.config.MERCHANT_WEBHOOK_SECRET !== undefined || c.config.MERCHANT_WEBHOOK_SECRET_ARN !== undefined ? webhookSecretsProvider(c.config) : undefined;
  const signingSecrets = async () => {
    if (secrets === undefined) return undefined;
    try {
      return await secrets();
    } catch (e) {
      // Not put in place yet, or unreadable: the buyer still gets their page; the shop an unsigned redirect.
      c.logger.warn('the webhook secret cannot sign the redirect; it goes unsigned', { error: e });
      return undefined;
    }
  };
  const redirect = async (orderNo: string, result: BuyerResult) => {
    const signing = await signingSecrets();
    return merchantRedirect(c.config.MERCHANT_RESULT_URL ?? '', orderNo, result, signing === undefined ? undefined : { secrets: signing, now: Date.now() });
  };

  /** An error as the buyer sees it: not found, or still confirming (the page reloads itself). */
  const errorPage = (r: ErrorReply, event: HttpEvent): APIGatewayProxyStructuredResultV2 => {
    const orderNo = orderNoOf(event);
    if (r.code === 'ORDER_NOT_FOUND' || orderNo === undefined) return resultPage('not_found', { shopUrl, status: 404 });
    // The merchant redirect would need the signing secret, which may be what failed: the page then.
    return resultPage('pending', { orderNo, refreshUrl: refreshUrl(orderNo), shopUrl, status: r.status });
  };

  return httpFunction(
    c,
    async (event: HttpEvent, context: Context): Promise<HttpResult> => {
      const orderNo = orderNoOf(event);
      if (orderNo === undefined) throw new OrderNotFoundError('');
      c.logger.appendKeys({ orderNo });
      const r = await settleLanding(orderNo, source, c.deps, { deadline: deadlineOf(context) });
      c.logger.info('landing settled', { source, result: r.result, status: r.order.status, modeMismatch: r.modeMismatch });
      if (c.config.MERCHANT_RESULT_URL !== undefined) return redirect(orderNo, r.result);
      if (r.modeMismatch === true) return resultPage('unconfirmed', { orderNo, shopUrl, status: 409 });
      const o = r.order;
      return resultPage(r.result, {
        orderNo,
        productDesc: o.productDesc,
        amount: o.amount,
        payMethod: o.payMethod,
        paidAt: o.paidAt,
        refundedAmount: moneyOf(o).refundedAmount,
        cancelReason: o.cancelReason,
        receiptUrl: o.tossMoney?.receiptUrl,
        message: r.message,
        refreshUrl: refreshUrl(orderNo),
        shopUrl,
      });
    },
    { render: errorPage },
  );
}
