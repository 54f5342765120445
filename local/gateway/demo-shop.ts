/**
 * The local demo shop, served by the local gateway only (these routes are not in
 * shared/routes.ts and are never deployed). `GET /` shows one product; its button posts to
 * `POST /demo/checkout`, where the gateway itself calls `POST /payments` over HTTP with the
 * merchant token (which so never reaches the browser) and sends the browser on to Toss's
 * checkout page with a 303.
 *
 * With a webhook secret (given, or set once npm start has registered the shop's receiver through
 * `POST /webhook-endpoints`) the shop is also a merchant that subscribes to the events:
 * `POST /demo/webhooks` is its receiver (demo-orders.ts: signature, dedupe, order of versions), and
 * an order shows 배송 준비 중 once its payment.completed has arrived, on `GET /` (recent orders) and
 * on `GET /demo/orders/{orderNo}`, which reloads itself while the payment is being confirmed.
 */
import { orderNoHtml } from '../../shared/http/html.ts';
import { createOrderBook, receiveWebhook, STATE_LABEL, type OrderBook, type ShopOrder } from './demo-orders.ts';
import type { HttpResponse } from './response.ts';

export const DEMO_PRODUCT = { name: '토스 티셔츠', amount: 35_000 } as const;

const escapeHtml = (s: string): string =>
  s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c);

const won = (n: number): string => `${n.toLocaleString('ko-KR')}원`;

const page = (title: string, main: string, o: { state?: string; reloadSeconds?: number } = {}): string => `<!doctype html>
<html lang="ko">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
${o.reloadSeconds !== undefined ? `<meta http-equiv="refresh" content="${o.reloadSeconds}">\n` : ''}<title>${escapeHtml(title)}</title>
<style>
  /* Korean words never break inside (keep-all); long order numbers still wrap (overflow-wrap). */
  body { font-family: -apple-system, BlinkMacSystemFont, "Apple SD Gothic Neo", "Noto Sans KR", sans-serif; background: #f2f4f6; color: #191f28; margin: 0; padding: 0 16px; word-break: keep-all; overflow-wrap: break-word; }
  main { max-width: 420px; margin: 48px auto; background: #fff; border-radius: 16px; padding: 32px; box-shadow: 0 2px 12px rgba(0,0,0,.06); }
  h1 { font-size: 22px; margin: 0 0 8px; }
  .price { font-size: 28px; font-weight: 700; margin: 16px 0 24px; }
  .product { width: 100%; aspect-ratio: 4 / 3; border-radius: 12px; background: #e8f3ff; display: flex; align-items: center; justify-content: center; font-size: 64px; }
  /* Blue #1b64da: 5.3:1 with white, WCAG AA (Toss's #3182f6 is only 3.7:1). */
  button, a.button { display: block; width: 100%; box-sizing: border-box; border: 0; border-radius: 12px; padding: 16px; font-size: 17px; font-weight: 600; background: #1b64da; color: #fff; cursor: pointer; text-align: center; text-decoration: none; }
  button:disabled { opacity: .6; }
  .note { color: #4e5968; font-size: 13px; margin-top: 16px; }
  code { background: #f2f4f6; padding: 2px 6px; border-radius: 6px; }
  h2 { font-size: 17px; margin: 32px 0 8px; }
  ul.orders { list-style: none; padding: 0; margin: 0; }
  ul.orders li { border-top: 1px solid #e5e8eb; padding: 12px 0; display: flex; justify-content: space-between; gap: 12px; }
  ul.orders a { color: #191f28; min-width: 0; }
  .state { font-weight: 600; color: #1b64da; white-space: nowrap; }
  .state[data-state="cancelled"], .state[data-state="refunded"], .state[data-state="failed"] { color: #6b7684; }
  dl { display: grid; grid-template-columns: auto 1fr; gap: 8px 16px; margin: 16px 0 24px; }
  dt { color: #6b7684; }
  dd { margin: 0; overflow-wrap: anywhere; }
  /* An order number breaks only between its groups (shared/http/html.ts orderNoHtml). */
  .g { white-space: nowrap; } .g.long { white-space: normal; overflow-wrap: anywhere; }
  .elsewhere { background: #fff4e5; border-radius: 8px; padding: 12px; color: #191f28; font-size: 14px; }
</style>
</head>
<body${o.state !== undefined ? ` data-state="${escapeHtml(o.state)}"` : ''}>
<main>
${main}
</main>
</body>
</html>
`;

/** What the shop says of an order still waiting when the webhooks go to another receiver: it will never hear. */
const NOT_HEARD = '결과 알 수 없음';

/** Where the webhooks go instead of this shop, said where an order waits for one (or nothing when they come here). */
function elsewhereNote(elsewhere: string | undefined): string {
  if (elsewhere === undefined) return '';
  return `<p class="elsewhere" role="note">이 데모 상점은 결제 결과를 받지 않습니다: 웹훅이 <code>${escapeHtml(elsewhere)}</code>(MERCHANT_WEBHOOK_URL)로 갑니다. 주문의 결제 결과는 그곳이나 <code>GET /payments/{orderNo}</code>에서 확인하세요.</p>`;
}

const stateLabel = (o: ShopOrder, elsewhere: string | undefined): string => (o.state === 'waiting' && elsewhere !== undefined ? NOT_HEARD : STATE_LABEL[o.state]);

/** The shop's recent orders, newest first, each with its state and a link to its page. */
function ordersSection(orders: readonly ShopOrder[], elsewhere?: string): string {
  if (orders.length === 0) return '';
  const items = orders
    .map(
      (o) =>
        `<li><a href="/demo/orders/${encodeURIComponent(o.orderNo)}">${escapeHtml(o.productDesc || o.orderNo)}<br><span class="note">${orderNoHtml(o.orderNo)}</span></a><span class="state" data-order-no="${escapeHtml(o.orderNo)}" data-state="${o.state}">${stateLabel(o, elsewhere)}</span></li>`,
    )
    .join('\n');
  return `<h2>최근 주문</h2>\n${orders.some((o) => o.state === 'waiting') ? elsewhereNote(elsewhere) : ''}<ul class="orders">\n${items}\n</ul>`;
}

export function shopPage(orders: readonly ShopOrder[] = [], elsewhere?: string): string {
  return page(
    '토스 데모 상점',
    `<div class="product" aria-hidden="true"><svg viewBox="0 0 64 64" width="120" height="120" role="img" aria-label="티셔츠"><path d="M22 8l-14 8 6 12 6-3v31h24V25l6 3 6-12-14-8c-2 4-6 6-10 6s-8-2-10-6z" fill="#3182f6"/></svg></div>
<h1>${escapeHtml(DEMO_PRODUCT.name)}</h1>
<p class="note">부드러운 면 100% 반팔 티셔츠</p>
<p class="price">${won(DEMO_PRODUCT.amount)}</p>
<form method="post" action="/demo/checkout" onsubmit="this.querySelector('button').disabled = true">
  <button type="submit">토스로 결제하기</button>
</form>
<p class="note">로컬 데모 상점입니다. 결제는 토스 샌드박스에서 진행되며 실제로 청구되지 않습니다.</p>
${ordersSection(orders, elsewhere)}`,
  );
}

/**
 * One order as the shop knows it: 결제 확인 중 (the page reloads itself) until its payment.completed
 * arrives, then 배송 준비 중. When the webhooks go to another receiver (`elsewhere`), no event will
 * ever come here: the page says so, and does not reload.
 */
export function orderPage(o: ShopOrder, elsewhere?: string): string {
  const waiting = o.state === 'waiting' && elsewhere === undefined;
  return page(
    `주문 ${o.orderNo}`,
    `<h1>주문 상세</h1>
<dl>
  <dt>주문번호</dt><dd><code>${orderNoHtml(o.orderNo)}</code></dd>
  <dt>상품</dt><dd>${escapeHtml(o.productDesc || '-')}</dd>
  <dt>결제 금액</dt><dd>${won(o.amount)}</dd>
  <dt>주문 상태</dt><dd class="state" id="state" data-state="${o.state}">${stateLabel(o, elsewhere)}</dd>
</dl>
${waiting ? '<p class="note">결제 결과를 기다리고 있습니다. 이 페이지는 자동으로 새로 고쳐집니다.</p>' : ''}${o.state === 'waiting' ? elsewhereNote(elsewhere) : ''}${o.flagged ? '<p class="note">담당자가 이 주문을 확인하고 있습니다.</p>' : ''}
<p><a class="button" href="/">상점으로 돌아가기</a></p>`,
    { state: o.state, ...(waiting ? { reloadSeconds: 2 } : {}) },
  );
}

export function orderNotFoundPage(): string {
  return page(
    '주문 없음',
    `<h1>주문을 찾을 수 없습니다</h1>
<p class="note">이 상점에서 만든 주문이 아니거나, 상점을 다시 시작해 기록이 지워졌습니다.</p>
<p><a class="button" href="/">상점으로 돌아가기</a></p>`,
    { state: 'not_found' },
  );
}

export function errorPage(code: string): string {
  return page(
    '결제를 시작하지 못했습니다',
    `<h1>결제를 시작하지 못했습니다</h1>
<p>잠시 후 다시 시도해 주세요.</p>
<p class="note">오류 코드: <code>${escapeHtml(code)}</code></p>
<p><a class="button" href="/">상점으로 돌아가기</a></p>`,
  );
}

const html = (status: number, body: string): HttpResponse => ({
  status,
  headers: { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' },
  body: Buffer.from(body),
});

/** The error code in a failed `POST /payments` reply, whatever its exact shape. */
function errorCodeOf(status: number, body: unknown): string {
  if (body !== null && typeof body === 'object') {
    const b = body as Record<string, unknown>;
    const nested = b.error !== null && typeof b.error === 'object' ? (b.error as Record<string, unknown>) : undefined;
    for (const c of [b.code, b.errorCode, nested?.code, b.error, b.message]) {
      if (typeof c === 'string' && c !== '') return c;
    }
  }
  return `HTTP_${status}`;
}

/** `POST /demo/checkout`: creates the demo payment through the API and redirects to checkout. */
export async function demoCheckout(apiUrl: string, merchantToken: string, book?: OrderBook): Promise<HttpResponse> {
  let res: Response;
  try {
    res = await fetch(`${apiUrl}/payments`, {
      method: 'POST',
      headers: { authorization: `Bearer ${merchantToken}`, 'content-type': 'application/json' },
      body: JSON.stringify({ amount: DEMO_PRODUCT.amount, amountTaxFree: 0, productDesc: DEMO_PRODUCT.name }),
      signal: AbortSignal.timeout(35_000),
    });
  } catch (e) {
    console.error(`[demo-shop] POST /payments failed: ${e instanceof Error ? e.message : String(e)}`);
    return html(502, errorPage('API_UNREACHABLE'));
  }
  const text = await res.text();
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    body = undefined;
  }
  const checkoutPage =
    body !== null && typeof body === 'object' ? (body as Record<string, unknown>).checkoutPage : undefined;
  if (res.ok && typeof checkoutPage === 'string' && /^https?:\/\//i.test(checkoutPage)) {
    const orderNo = (body as Record<string, unknown>).orderNo;
    if (typeof orderNo === 'string') book?.placed({ orderNo, productDesc: DEMO_PRODUCT.name, amount: DEMO_PRODUCT.amount });
    return { status: 303, headers: { location: checkoutPage, 'cache-control': 'no-store' }, body: Buffer.alloc(0) };
  }
  const code = res.ok ? 'NO_CHECKOUT_PAGE' : errorCodeOf(res.status, body);
  console.error(`[demo-shop] POST /payments answered ${res.status} (${code})`);
  return html(502, errorPage(code));
}

export interface DemoShopOptions {
  merchantToken: string;
  /**
   * The webhook signing secret (`whsec_…`, or the rotation JSON) the functions sign with; the shop
   * then receives events at `POST /demo/webhooks`. Unset: no receiver (404).
   */
  webhookSecret?: string | undefined;
  /**
   * Where the webhooks go when not to this shop (MERCHANT_WEBHOOK_URL set): the shop then says so
   * where an order waits for one, instead of waiting forever.
   */
  webhooksElsewhere?: string | undefined;
}

/** What the shop needs of a request. Header names lower-case. */
export interface ShopRequest {
  method: string;
  rawPath: string;
  headers: Record<string, string | undefined>;
  body: Buffer;
}

export interface DemoShop {
  /** The shop's reply, or undefined when the request is not one of its routes. `apiUrl`: the gateway itself. */
  handle(req: ShopRequest, apiUrl: string): Promise<HttpResponse | undefined>;
  readonly orders: OrderBook;
  /** From now on receives the webhooks signed with `secret` (its endpoint's, as `POST /webhook-endpoints` handed it out). */
  setWebhookSecret(secret: string): void;
}

const ORDER_PATH = /^\/demo\/orders\/([^/]+)$/;

const decodePath = (s: string): string | undefined => {
  try {
    return decodeURIComponent(s);
  } catch {
    return undefined;
  }
};

/** The demo shop of one gateway: its pages, its checkout, and (with a secret) its webhook receiver. */
export function createDemoShop(opts: DemoShopOptions): DemoShop {
  const orders = createOrderBook();
  let secret = opts.webhookSecret !== undefined && opts.webhookSecret !== '' ? opts.webhookSecret : undefined;
  return {
    orders,
    setWebhookSecret(s) {
      secret = s;
    },
    async handle(req, apiUrl) {
      const { method, rawPath } = req;
      if (method === 'GET' && rawPath === '/') return html(200, shopPage(orders.list(), opts.webhooksElsewhere));
      if (method === 'POST' && rawPath === '/demo/checkout') return demoCheckout(apiUrl, opts.merchantToken, orders);
      if (method === 'POST' && rawPath === '/demo/webhooks' && secret !== undefined) {
        const r = receiveWebhook(orders, secret, req.headers, req.body.toString('utf8'));
        if (r.status !== 200) process.stderr.write(`[demo-shop] webhook refused (${r.status}): ${r.message}\n`);
        return { status: r.status, headers: { 'content-type': 'application/json' }, body: Buffer.from(JSON.stringify({ message: r.message })) };
      }
      const m = method === 'GET' ? ORDER_PATH.exec(rawPath) : null;
      if (m?.[1] !== undefined) {
        const orderNo = decodePath(m[1]);
        const o = orderNo === undefined ? undefined : orders.get(orderNo);
        return o === undefined ? html(404, orderNotFoundPage()) : html(200, orderPage(o, opts.webhooksElsewhere));
      }
      return undefined;
    },
  };
}
