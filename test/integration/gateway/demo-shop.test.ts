/**
 * The demo shop the local gateway serves: a Korean product page, and a local-only checkout route
 * that creates the payment through the gateway's own POST /payments (behind the real
 * authorizer) with the merchant token kept server-side, then 303s to the checkout page.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { APIGatewayProxyEventV2WithLambdaAuthorizer } from 'aws-lambda';
import { startGateway, type Gateway, type LambdaHandler } from '../../../local/gateway/server.ts';
import { resetContainers } from '../../../shared/deps.ts';
import { routes, type Route } from '../../../shared/routes.ts';
import { recorded } from '../../support/fixtures/handlers.ts';
import { send } from '../../support/fixtures/http.ts';

const TOKEN = 'demo-shop-token';
const CHECKOUT = 'https://pay.toss.im/payfront/auth?payToken=test_token1234567890';

/** A stand-in for functions/create-payment with its reply contract; `next` picks the outcome. */
let next: 'ok' | 'invalid' | 'no-page' = 'ok';
const createPayment = recorded(async () => {
  if (next === 'invalid') {
    // The project's error shape (shared/http/errors.ts).
    return {
      statusCode: 400,
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ error: { code: 'INVALID_AMOUNT', message: 'amount must be at least 100' } }),
    };
  }
  return {
    statusCode: 201,
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      orderNo: 'o-demo-1',
      payToken: 'test_token1234567890',
      checkoutPage: next === 'ok' ? CHECKOUT : undefined,
      status: 'PAY_STANDBY',
      expiresAt: '2026-01-01T00:15:00Z',
    }),
  };
});

let shop: Gateway;
let badTokenShop: Gateway;
let noShop: Gateway;

beforeAll(async () => {
  process.env.MERCHANT_TOKENS = TOKEN;
  delete process.env.MERCHANT_TOKENS_SECRET_ARN;
  process.env.POWERTOOLS_LOG_LEVEL = 'ERROR';
  resetContainers();
  const authorizer = (await import('../../../functions/authorizer/handler.ts')).handler as unknown as LambdaHandler;
  const loadFunction = async (fn: string): Promise<LambdaHandler> => {
    if (fn === 'authorizer') return authorizer;
    if (fn === 'create-payment') return createPayment.handler;
    throw new Error(`no fixture ${fn}`);
  };
  shop = await startGateway({ quiet: true, loadFunction, demoShop: { merchantToken: TOKEN } });
  badTokenShop = await startGateway({ quiet: true, loadFunction, demoShop: { merchantToken: 'not-the-token' } });
  noShop = await startGateway({ quiet: true, loadFunction, demoShop: false });
});
afterAll(async () => {
  await shop.close();
  await badTokenShop.close();
  await noShop.close();
});

describe('GET /', () => {
  it('serves the Korean shop page with one product and the pay button', async () => {
    const r = await send(shop.url, { path: '/' });
    expect(r.status).toBe(200);
    expect(r.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(r.text).toContain('<html lang="ko">');
    expect(r.text).toContain('토스 티셔츠');
    expect(r.text).toContain('35,000원');
    expect(r.text).toContain('토스로 결제하기');
    expect(r.text).toMatch(/<form method="post" action="\/demo\/checkout"/);
  });

  it('never shows the merchant token', async () => {
    const r = await send(shop.url, { path: '/' });
    expect(r.text).not.toContain(TOKEN);
  });

  it('is local-only: not in the deployed route table, and absent without demoShop', async () => {
    expect((routes as readonly Route[]).some((r) => r.path === '/' || r.path.startsWith('/demo'))).toBe(false);
    expect((await send(noShop.url, { path: '/' })).status).toBe(404);
    expect((await send(noShop.url, { method: 'POST', path: '/demo/checkout' })).status).toBe(404);
  });
});

describe('POST /demo/checkout', () => {
  it('creates the payment through POST /payments with the token and 303s to checkoutPage', async () => {
    next = 'ok';
    const before = createPayment.calls.length;
    const r = await send(shop.url, {
      method: 'POST',
      path: '/demo/checkout',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: '',
    });
    expect(r.status).toBe(303);
    expect(r.headers.location).toBe(CHECKOUT);
    expect(createPayment.calls.length).toBe(before + 1);
    const event = createPayment.calls.at(-1)?.event as APIGatewayProxyEventV2WithLambdaAuthorizer<{ merchantTokenId: string }>;
    expect(event.routeKey).toBe('POST /payments');
    expect(event.requestContext.authorizer.lambda.merchantTokenId).toMatch(/^[0-9a-f]{8}$/);
    expect(event.isBase64Encoded).toBe(false);
    expect(JSON.parse(event.body ?? '')).toEqual({ amount: 35000, amountTaxFree: 0, productDesc: '토스 티셔츠' });
  });

  it('shows a Korean error page with the error code when the API refuses', async () => {
    next = 'invalid';
    const r = await send(shop.url, { method: 'POST', path: '/demo/checkout' });
    expect(r.status).toBe(502);
    expect(r.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(r.text).toContain('결제를 시작하지 못했습니다');
    expect(r.text).toContain('INVALID_AMOUNT');
    expect(r.headers.location).toBeUndefined();
  });

  it('shows the error page when the reply has no checkout page', async () => {
    next = 'no-page';
    const r = await send(shop.url, { method: 'POST', path: '/demo/checkout' });
    expect(r.status).toBe(502);
    expect(r.text).toContain('NO_CHECKOUT_PAGE');
  });

  it('goes through the authorizer: a wrong shop token is refused before create-payment', async () => {
    next = 'ok';
    const before = createPayment.calls.length;
    const r = await send(badTokenShop.url, { method: 'POST', path: '/demo/checkout' });
    expect(r.status).toBe(502);
    expect(r.text).toContain('Forbidden');
    expect(r.text).not.toContain('not-the-token');
    expect(createPayment.calls.length).toBe(before);
  });
});
