/**
 * The local demo shop, served by the local gateway only (these routes are not in
 * shared/routes.ts and are never deployed). `GET /` shows one product; its button posts to
 * `POST /demo/checkout`, where the gateway itself calls `POST /payments` over HTTP with the
 * merchant token (which so never reaches the browser) and sends the browser on to Toss's
 * checkout page with a 303.
 */
import type { HttpResponse } from './response.ts';

export const DEMO_PRODUCT = { name: '토스 티셔츠', amount: 35_000 } as const;

const escapeHtml = (s: string): string =>
  s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c);

const won = (n: number): string => `${n.toLocaleString('ko-KR')}원`;

const page = (title: string, main: string): string => `<!doctype html>
<html lang="ko">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title>
<style>
  body { font-family: -apple-system, BlinkMacSystemFont, "Apple SD Gothic Neo", "Noto Sans KR", sans-serif; background: #f2f4f6; color: #191f28; margin: 0; }
  main { max-width: 420px; margin: 48px auto; background: #fff; border-radius: 16px; padding: 32px; box-shadow: 0 2px 12px rgba(0,0,0,.06); }
  h1 { font-size: 22px; margin: 0 0 8px; }
  .price { font-size: 28px; font-weight: 700; margin: 16px 0 24px; }
  .product { width: 100%; aspect-ratio: 4 / 3; border-radius: 12px; background: #e8f3ff; display: flex; align-items: center; justify-content: center; font-size: 64px; }
  button, a.button { display: block; width: 100%; box-sizing: border-box; border: 0; border-radius: 12px; padding: 16px; font-size: 17px; font-weight: 600; background: #3182f6; color: #fff; cursor: pointer; text-align: center; text-decoration: none; }
  button:disabled { opacity: .6; }
  .note { color: #6b7684; font-size: 13px; margin-top: 16px; }
  code { background: #f2f4f6; padding: 2px 6px; border-radius: 6px; }
</style>
</head>
<body>
<main>
${main}
</main>
</body>
</html>
`;

export function shopPage(): string {
  return page(
    '토스 데모 상점',
    `<div class="product" aria-hidden="true"><svg viewBox="0 0 64 64" width="120" height="120" role="img" aria-label="티셔츠"><path d="M22 8l-14 8 6 12 6-3v31h24V25l6 3 6-12-14-8c-2 4-6 6-10 6s-8-2-10-6z" fill="#3182f6"/></svg></div>
<h1>${escapeHtml(DEMO_PRODUCT.name)}</h1>
<p class="note">부드러운 면 100% 반팔 티셔츠</p>
<p class="price">${won(DEMO_PRODUCT.amount)}</p>
<form method="post" action="/demo/checkout" onsubmit="this.querySelector('button').disabled = true">
  <button type="submit">토스로 결제하기</button>
</form>
<p class="note">로컬 데모 상점입니다. 결제는 토스 샌드박스에서 진행되며 실제로 청구되지 않습니다.</p>`,
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

export const shopResponse = (): HttpResponse => html(200, shopPage());

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
export async function demoCheckout(apiUrl: string, merchantToken: string): Promise<HttpResponse> {
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
    return { status: 303, headers: { location: checkoutPage, 'cache-control': 'no-store' }, body: Buffer.alloc(0) };
  }
  const code = res.ok ? 'NO_CHECKOUT_PAGE' : errorCodeOf(res.status, body);
  console.error(`[demo-shop] POST /payments answered ${res.status} (${code})`);
  return html(502, errorPage(code));
}
