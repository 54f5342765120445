/**
 * The buyer's result pages and the merchant redirect.
 *
 * Pages are receipts: a paid order shows what was bought, the amount, how and when it was paid and
 * the order number, with a way back to the shop; a refunded one what was refunded. Korean, for a
 * phone first: words never break inside (`word-break: keep-all`), text and buttons meet WCAG AA
 * contrast, the result is announced (`role="status"`), and nothing but the page itself is loaded
 * (inline styles, no script). A buyer never sees our error codes. Everything shown is escaped;
 * pages are never cached.
 */
import type { APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import type { CancelReason } from '../domain/order.ts';
import type { BuyerResult } from '../domain/states.ts';
import { webhookHeaders, type SigningSecrets } from '../events/webhook-signing.ts';

export const escapeHtml = (s: string): string =>
  s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c);

/** What a page says: a buyer result, or an order we cannot show (unknown, or of the other Toss mode). */
export type PageKind = BuyerResult | 'not_found' | 'unconfirmed';

/** What a receipt shows; everything is optional (an unknown order has none of it). */
export interface Receipt {
  orderNo?: string | undefined;
  productDesc?: string | undefined;
  amount?: number | undefined;
  payMethod?: string | undefined;
  /** ISO time of payment. */
  paidAt?: string | undefined;
  refundedAmount?: number | undefined;
  cancelReason?: CancelReason | undefined;
  /** Toss's own words for a failed payment (never one of our codes). */
  message?: string | undefined;
  /** The pending page reloads itself here. */
  refreshUrl?: string | undefined;
  /** The card slip (매출전표) at Toss: an http(s) URL from Toss's status (shared/domain/money-facts.ts). */
  receiptUrl?: string | undefined;
  /** "Back to the shop" (MERCHANT_SHOP_URL). */
  shopUrl?: string | undefined;
  status?: number;
}

const TITLE: Record<PageKind, string> = {
  paid: '결제 완료',
  refunded: '환불 완료',
  failed: '결제 실패',
  cancelled: '결제 취소',
  pending: '결제 확인 중',
  not_found: '주문을 찾을 수 없습니다',
  unconfirmed: '결제를 확인할 수 없습니다',
};
const TEXT: Record<PageKind, string> = {
  paid: '결제가 완료되었습니다. 감사합니다.',
  refunded: '결제 금액이 모두 환불되었습니다.',
  failed: '결제를 완료하지 못했습니다. 결제된 금액은 없습니다.',
  cancelled: '결제가 취소되었습니다. 결제된 금액은 없습니다.',
  pending: '결제 결과를 확인하고 있습니다. 잠시 후 이 화면이 자동으로 새로 고쳐집니다.',
  not_found: '주소가 올바른지 확인해 주세요. 결제된 금액은 없습니다.',
  unconfirmed: '이 주문은 다른 결제 환경(테스트 또는 실결제)에서 만들어져 여기에서 확인할 수 없습니다. 상점에 문의해 주세요.',
};
/** A cancelled order says why: the buyer quit, the time ran out, or the shop cancelled it. */
const CANCELLED: Record<CancelReason, string> = {
  BUYER: '결제를 중단하셨습니다. 결제된 금액은 없습니다.',
  EXPIRED: '결제 가능 시간이 지나 주문이 취소되었습니다. 결제된 금액은 없습니다.',
  MERCHANT: '상점에서 주문을 취소했습니다. 결제된 금액은 없습니다.',
};

/**
 * Accents with at least 4.5:1 contrast on white (WCAG AA for normal text): green 5.6, red 5.6,
 * grey 4.8, blue 5.3 (the blue of Toss, #3182f6, is only 3.7 with white text).
 */
const ACCENT: Record<PageKind, string> = {
  paid: '#0a7d3b',
  refunded: '#4b5563',
  failed: '#c62828',
  cancelled: '#4b5563',
  pending: '#1b64da',
  not_found: '#4b5563',
  unconfirmed: '#c62828',
};

const PAY_METHOD: Record<string, string> = { CARD: '카드', TOSS_MONEY: '토스머니' };

const won = (n: number): string => `${n.toLocaleString('ko-KR')}원`;
/** An ISO time in Korea time, as a buyer reads it: 2026년 11월 30일 19:05. */
const kstText = (iso: string): string | undefined => {
  const ms = Date.parse(iso);
  if (!Number.isFinite(ms)) return undefined;
  const k = new Date(ms + 9 * 3_600_000);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${k.getUTCFullYear()}년 ${k.getUTCMonth() + 1}월 ${k.getUTCDate()}일 ${pad(k.getUTCHours())}:${pad(k.getUTCMinutes())}`;
};

const style = (accent: string): string =>
  '<style>' +
  'body{margin:0;background:#f2f4f6;font-family:system-ui,-apple-system,"Noto Sans KR","Noto Sans CJK KR",sans-serif;color:#191f28;word-break:keep-all;overflow-wrap:break-word}' +
  // The card keeps a margin on a 390 px phone.
  'main{box-sizing:border-box;max-width:420px;margin:40px auto;margin-inline:max(16px,calc((100% - 420px)/2));background:#fff;border-radius:16px;padding:32px 24px;text-align:center}' +
  `h1{margin:0 0 12px;font-size:24px;color:${accent}}p{margin:8px 0;line-height:1.6}` +
  '.msg{color:#b71c1c}dl{margin:20px 0 0;text-align:left;border-top:1px solid #e5e8eb}' +
  '.row{display:flex;justify-content:space-between;gap:16px;padding:10px 0;border-bottom:1px solid #e5e8eb}' +
  'dt{color:#4e5968}dd{margin:0;text-align:right;font-weight:600}.no{overflow-wrap:anywhere;font-weight:400}' +
  '.slip{margin-top:16px}.actions{margin-top:24px}.button{display:inline-block;min-width:160px;padding:12px 20px;border-radius:10px;background:#1b64da;color:#fff;font-weight:600;text-decoration:none}' +
  '.button:focus-visible,a:focus-visible{outline:3px solid #191f28;outline-offset:2px}a{color:#1b64da}' +
  '</style>';

const NO_STORE = { 'Cache-Control': 'no-store', Pragma: 'no-cache' };

function receiptRows(kind: PageKind, r: Receipt): string {
  const rows: [string, string, string?][] = [];
  if (kind === 'paid' || kind === 'refunded') {
    if (r.productDesc !== undefined && r.productDesc !== '') rows.push(['상품', r.productDesc]);
    if (r.amount !== undefined) rows.push(['결제 금액', won(r.amount)]);
    if (r.refundedAmount !== undefined && r.refundedAmount > 0) rows.push(['환불 금액', won(r.refundedAmount)]);
    if (r.payMethod !== undefined) rows.push(['결제 수단', PAY_METHOD[r.payMethod] ?? r.payMethod]);
    const at = r.paidAt !== undefined ? kstText(r.paidAt) : undefined;
    if (at !== undefined) rows.push(['결제 시각', at]);
  }
  if (r.orderNo !== undefined) rows.push(['주문번호', r.orderNo, 'no']);
  if (rows.length === 0) return '';
  return `<dl>${rows.map(([k, v, c]) => `<div class="row"><dt>${k}</dt><dd${c !== undefined ? ` class="${c}"` : ''}>${escapeHtml(v)}</dd></div>`).join('')}</dl>`;
}

export function resultPage(kind: PageKind, r: Receipt = {}): APIGatewayProxyStructuredResultV2 {
  const title = TITLE[kind];
  const text = kind === 'cancelled' && r.cancelReason !== undefined ? CANCELLED[r.cancelReason] : TEXT[kind];
  const msg = kind === 'failed' && r.message !== undefined && r.message !== '' ? `<p class="msg">${escapeHtml(r.message)}</p>` : '';
  const pending = kind === 'pending' && r.refreshUrl !== undefined;
  const refresh = pending ? `<meta http-equiv="refresh" content="5;url=${escapeHtml(r.refreshUrl ?? '')}">` : '';
  // The card slip at Toss (a card payment): a link of its own, opened beside the receipt.
  const slip =
    (kind === 'paid' || kind === 'refunded') && r.receiptUrl !== undefined
      ? `<p class="slip"><a href="${escapeHtml(r.receiptUrl)}" rel="noopener noreferrer" target="_blank">매출전표 보기</a></p>`
      : '';
  const actions = [
    pending ? `<a class="button" href="${escapeHtml(r.refreshUrl ?? '')}">다시 확인하기</a>` : '',
    r.shopUrl !== undefined ? `<a class="button" href="${escapeHtml(r.shopUrl)}">쇼핑 계속하기</a>` : '',
  ].filter((a) => a !== '');
  const body = `<!doctype html>
<html lang="ko"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<meta name="robots" content="noindex">${refresh}<title>${title}</title>${style(ACCENT[kind])}</head>
<body data-result="${kind}"><main><div role="status"><h1>${title}</h1><p>${text}</p>${msg}</div>${receiptRows(kind, r)}${slip}${
    actions.length > 0 ? `<p class="actions">${actions.join(' ')}</p>` : ''
  }</main></body></html>`;
  return {
    statusCode: r.status ?? 200,
    headers: { 'Content-Type': 'text/html; charset=utf-8', ...NO_STORE, 'X-Content-Type-Options': 'nosniff' },
    body,
  };
}

/**
 * 303 to the configured merchant URL with `orderNo` and `result` appended (never a URL from the
 * request). With a signing secret (the webhook secret) it also carries `timestamp` (seconds) and
 * `signature`: the Standard Webhooks signature of `{orderNo}.{timestamp}.{result}`, so a shop can
 * verify it as it verifies a webhook whose id is the orderNo and whose body is the result. Without
 * one it proves nothing. Either way a shop fulfils on an event or the API, never on this redirect.
 */
export function merchantRedirect(
  merchantResultUrl: string,
  orderNo: string,
  result: BuyerResult,
  signing?: { secrets: SigningSecrets; now: number },
): APIGatewayProxyStructuredResultV2 {
  const u = new URL(merchantResultUrl);
  u.searchParams.set('orderNo', orderNo);
  u.searchParams.set('result', result);
  if (signing !== undefined) {
    const h = webhookHeaders(signing.secrets, orderNo, result, signing.now);
    u.searchParams.set('timestamp', h['webhook-timestamp'] ?? '');
    u.searchParams.set('signature', h['webhook-signature'] ?? '');
  }
  return { statusCode: 303, headers: { Location: u.toString(), ...NO_STORE }, body: '' };
}
