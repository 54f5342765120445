/**
 * The two buyer landings share everything but their source. The order comes from the landing
 * token in the URL given to Toss (`t`, shared/payments/landing-token.ts): a request that carries
 * the right one is the buyer's, and gets the order's receipt (or, with MERCHANT_RESULT_URL, a
 * signed 303 there). A request without it (an orderNo in the query: someone who knows or guesses
 * one, or a payment created before tokens, whose URLs carried `orderNo`) or with a wrong one is
 * still resolved with Toss, and learns whether the order is done, nothing about it (an unsigned
 * redirect). Nothing from the request is ever echoed as a URL. A buyer never sees an error: an
 * unknown order gets the not-found page, anything else the "still confirming" page, which reloads
 * itself.
 */
import type { APIGatewayProxyStructuredResultV2, Context } from 'aws-lambda';
import type { AppConfig } from '../config.ts';
import type { ChainParts } from '../lambda-chain.ts';
import { merchantOf } from '../merchant.ts';
import { ORDER_NO_RE } from '../domain/order-no.ts';
import { OrderNotFoundError } from '../payments/errors.ts';
import { resolveLanding } from '../payments/landing.ts';
import { orderNoOfToken } from '../payments/landing-token.ts';
import { moneyOf } from '../domain/refunds.ts';
import type { PaymentDeps } from '../payments/ports.ts';
import type { BuyerResult } from '../domain/states.ts';
import { webhookSecretsProvider } from '../events/webhook-secret.ts';
import { deadlineOf, httpFunction, type HttpEvent, type HttpResult } from './chain.ts';
import type { ErrorReply } from './error-replies.ts';
import { resultPage } from './html.ts';
import { aboutOrder } from './order-path.ts';
import { merchantRedirect } from './merchant-redirect.ts';

export function firstQueryValue(event: HttpEvent, name: string): string | undefined {
  const raw = event.rawQueryString;
  if (typeof raw === 'string' && raw !== '') return new URLSearchParams(raw).get(name) ?? undefined;
  return event.queryStringParameters?.[name]?.split(',')[0];
}

/** Which order a landing request names, and how: by its token (the buyer's, when the token is right), or by a bare orderNo. */
interface Named {
  orderNo: string;
  /** The token as given, when the request names the order by one. */
  token?: string;
}

function namedOrder(event: HttpEvent): Named | undefined {
  const token = firstQueryValue(event, 't');
  const byToken = token === undefined ? undefined : orderNoOfToken(token);
  if (token !== undefined && byToken !== undefined && ORDER_NO_RE.test(byToken)) return { orderNo: byToken, token };
  // No token (a URL from before tokens, or anyone's guess): the first orderNo, ours or Toss's appended one.
  const orderNo = firstQueryValue(event, 'orderNo');
  return orderNo !== undefined && ORDER_NO_RE.test(orderNo) ? { orderNo } : undefined;
}

/** What a landing needs of its function's container. */
export type LandingContainer = ChainParts & { readonly config: AppConfig; readonly deps: PaymentDeps };

export function landingFunction(c: LandingContainer, source: 'return' | 'cancel') {
  // No name, no pages: the cold start fails, naming MERCHANT_NAME.
  const merchant = merchantOf(c.config);
  const refreshUrl = (n: Named) =>
    `${c.config.PUBLIC_BASE_URL}/payments/${source}?${n.token !== undefined ? `t=${n.token}` : `orderNo=${encodeURIComponent(n.orderNo)}`}`;

  // Redirects to the buyer are signed with the webhook secret, when there is one.
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
  const redirect = async (orderNo: string, result: BuyerResult, buyer: boolean) => {
    // Only the buyer's redirect is signed: a signed one for whoever knows an orderNo would vouch for them.
    const signing = buyer ? await signingSecrets() : undefined;
    return merchantRedirect(c.config.MERCHANT_RESULT_URL ?? '', orderNo, result, signing === undefined ? undefined : { secrets: signing, now: Date.now() });
  };

  /** An error as the buyer sees it: not found, or still confirming (the page reloads itself). */
  const errorPage = (r: ErrorReply, event: HttpEvent): APIGatewayProxyStructuredResultV2 => {
    const named = namedOrder(event);
    if (r.code === 'ORDER_NOT_FOUND' || named === undefined) return resultPage('not_found', { status: 404 }, merchant);
    // The merchant redirect would need the signing secret, which may be what failed: the page then.
    return resultPage('pending', { refreshUrl: refreshUrl(named), status: r.status }, merchant);
  };

  return httpFunction(
    c,
    async (event: HttpEvent, context: Context): Promise<HttpResult> => {
      const named = namedOrder(event);
      if (named === undefined) throw new OrderNotFoundError('');
      const { orderNo } = named;
      aboutOrder(c.logger, orderNo);
      const buyer = named.token !== undefined && (await c.deps.tokens.verify(named.token));
      // A token that names an order but is not its own: someone made it (or the Toss key changed since).
      if (named.token !== undefined && !buyer) c.logger.warn('landing token does not match its order; showing whether the order is done only', { source });
      const r = await resolveLanding(orderNo, source, c.deps, { deadline: deadlineOf(context), buyer });
      c.logger.info('landing resolved', { source, result: r.result, status: r.order.status, modeMismatch: r.modeMismatch, buyer });
      if (c.config.MERCHANT_RESULT_URL !== undefined) return redirect(orderNo, r.result, buyer);
      if (r.modeMismatch === true) return resultPage('unconfirmed', { status: 409 }, merchant);
      const o = r.order;
      return resultPage(
        r.result,
        {
          buyer,
          orderNo,
          productDesc: o.productDesc,
          amount: o.amount,
          payMethod: o.payMethod,
          paidAt: o.paidAt,
          refundedAmount: moneyOf(o).refundedAmount,
          cancelReason: o.cancelReason,
          receiptUrl: o.tossMoney?.receiptUrl,
          message: r.message,
          refreshUrl: refreshUrl(named),
        },
        merchant,
      );
    },
    { render: errorPage },
  );
}
