/**
 * The buyer's result pages (Korean, HTML-escaped, never cached) and the merchant redirect.
 */
import type { APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import type { BuyerResult } from '../domain/states.ts';

export const escapeHtml = (s: string): string =>
  s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c);

const TITLES: Record<BuyerResult, string> = {
  paid: '결제 완료',
  refunded: '환불 완료',
  failed: '결제 실패',
  cancelled: '결제 취소',
  pending: '결제 확인 중',
};
const TEXT: Record<BuyerResult, string> = {
  paid: '결제가 완료되었습니다. 감사합니다.',
  refunded: '결제 금액이 모두 환불되었습니다.',
  failed: '결제를 완료하지 못했습니다.',
  cancelled: '결제가 취소되었습니다.',
  pending: '결제 결과를 확인하고 있습니다. 잠시 후 자동으로 다시 확인합니다.',
};

/** The result's accent colour: green paid, red failed, grey cancelled, blue still confirming. */
const ACCENT: Record<BuyerResult, string> = { paid: '#0a7d3b', refunded: '#6b7280', failed: '#c62828', cancelled: '#6b7280', pending: '#3182f6' };

/** Inline styles only: the page loads nothing else (no script, no external asset). */
const style = (accent: string): string =>
  `<style>body{margin:0;background:#f2f4f6;font-family:system-ui,-apple-system,"Noto Sans KR","Noto Sans CJK KR",sans-serif;color:#191f28}` +
  `main{max-width:420px;margin:48px auto;background:#fff;border-radius:16px;padding:32px 24px;text-align:center}` +
  `h1{margin:0 0 12px;font-size:24px;color:${accent}}p{margin:8px 0;line-height:1.5}.msg{color:#c62828}` +
  `.order{color:#6b7280;font-size:14px;word-break:break-all}a{color:#3182f6}</style>`;

const NO_STORE = { 'Cache-Control': 'no-store', Pragma: 'no-cache' };

export function resultPage(
  result: BuyerResult,
  o: { orderNo?: string | undefined; message?: string | undefined; refreshUrl?: string | undefined; status?: number },
): APIGatewayProxyStructuredResultV2 {
  const title = TITLES[result];
  const msg = result === 'failed' && o.message !== undefined && o.message !== '' ? `<p class="msg">${escapeHtml(o.message)}</p>` : '';
  const order = o.orderNo !== undefined ? `<p class="order">주문번호 ${escapeHtml(o.orderNo)}</p>` : '';
  const refresh =
    result === 'pending' && o.refreshUrl !== undefined
      ? `<meta http-equiv="refresh" content="5;url=${escapeHtml(o.refreshUrl)}">`
      : '';
  const link =
    result === 'pending' && o.refreshUrl !== undefined ? `<p><a href="${escapeHtml(o.refreshUrl)}">다시 확인하기</a></p>` : '';
  const body = `<!doctype html>
<html lang="ko"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<meta name="robots" content="noindex">${refresh}<title>${title}</title>${style(ACCENT[result])}</head>
<body data-result="${result}"><main><h1>${title}</h1><p>${TEXT[result]}</p>${msg}${order}${link}</main></body></html>`;
  return {
    statusCode: o.status ?? 200,
    headers: { 'Content-Type': 'text/html; charset=utf-8', ...NO_STORE, 'X-Content-Type-Options': 'nosniff' },
    body,
  };
}

/** 303 to the configured merchant URL with orderNo and result appended (never a URL from the request). */
export function merchantRedirect(merchantResultUrl: string, orderNo: string, result: BuyerResult): APIGatewayProxyStructuredResultV2 {
  const u = new URL(merchantResultUrl);
  u.searchParams.set('orderNo', orderNo);
  u.searchParams.set('result', result);
  return { statusCode: 303, headers: { Location: u.toString(), ...NO_STORE }, body: '' };
}
