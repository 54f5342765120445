/**
 * The buyer's result pages and the merchant redirect.
 *
 * Pages are receipts a Korean shopper can trust: every page names the shop and how to reach it,
 * with the business details Korean e-commerce pages show (상호, 대표자, 사업자등록번호,
 * 통신판매업 신고번호, 주소: whatever is configured, shared/merchant.ts). A paid order shows what was
 * bought, the amount, how and when it was paid and the order number; a refunded one what was
 * refunded; a quit, expired, cancelled or failed one the product and the amount, with 다시
 * 결제하기 back to the shop. All of that only for the buyer, who comes with the landing token
 * (shared/payments/landing-token.ts): anyone else learns whether the order is done, nothing
 * about it.
 *
 * Korean, for a phone first: words never break inside (`word-break: keep-all`), an order number
 * breaks only between its groups, text and buttons meet WCAG AA contrast, the result is announced
 * (`role="status"`), and nothing but the page itself is loaded (inline styles, no script). A buyer
 * never sees our error codes. Everything shown is escaped; pages are never cached, never framed
 * (CSP frame-ancestors, X-Frame-Options) and never send their URL (with its token) as a Referer.
 */
import type { APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import type { CancelReason } from '../domain/order.ts';
import type { BuyerResult } from '../domain/states.ts';
import type { Merchant } from '../merchant.ts';

export const escapeHtml = (s: string): string =>
  s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c);

/** What a page says: a buyer result, or an order we cannot show (unknown, or of the other Toss mode). */
export type PageKind = BuyerResult | 'not_found' | 'unconfirmed';

/** What a receipt shows; everything is optional (an unknown order has none of it). */
export interface Receipt {
  /**
   * The request is the buyer's (it carries the landing token): the order is shown. Otherwise only
   * whether it is done (the title and the words of its kind).
   */
  buyer?: boolean;
  orderNo?: string | undefined;
  productDesc?: string | undefined;
  amount?: number | undefined;
  payMethod?: string | undefined;
  /** ISO time this service recorded the payment (the order's `paidAt`). */
  paidAt?: string | undefined;
  refundedAmount?: number | undefined;
  cancelReason?: CancelReason | undefined;
  /** Toss's own words for a failed payment (never one of our codes). */
  message?: string | undefined;
  /** The pending page reloads itself here. */
  refreshUrl?: string | undefined;
  /** The card slip (매출전표) at Toss: an http(s) URL from Toss's status (shared/domain/money-facts.ts). */
  receiptUrl?: string | undefined;
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
/**
 * A cancelled order says why, only when Toss told us (shared/domain/order.ts CancelReason): the
 * buyer quit, or the shop cancelled it. Otherwise (UNKNOWN) it says that it was cancelled, never a
 * guess. EXPIRED is only on orders recorded before.
 */
const CANCELLED: Record<CancelReason, string> = {
  BUYER: '결제를 중단하셨습니다. 결제된 금액은 없습니다.',
  MERCHANT: '상점에서 주문을 취소했습니다. 결제된 금액은 없습니다.',
  UNKNOWN: TEXT.cancelled,
  EXPIRED: '결제 가능 시간이 지나 주문이 취소되었습니다. 결제된 금액은 없습니다.',
};
/** Said instead of the order to a request without the buyer's token. */
const NOT_THE_BUYER = '주문 내용은 결제하신 화면에서 확인하실 수 있습니다. 궁금한 점은 상점에 문의해 주세요.';

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

/** Groups of an order number longer than this may still break inside (none would fit a phone's line whole). */
const LONG_GROUP = 20;

/**
 * An order number that breaks only between its groups (after `-`, `_`, `:`, `.`): each group is
 * kept whole (`nowrap`), with a break opportunity after it. A browser would otherwise not break
 * after a hyphen followed by a digit, or break anywhere in a narrow row. Copied, it is the number as
 * it is (spans and <wbr> add no text).
 */
export function orderNoHtml(orderNo: string): string {
  const groups = orderNo.match(/[^-_:.]*[-_:.]?/g)?.filter((g) => g !== '') ?? [orderNo];
  return groups.map((g) => `<span class="${g.length > LONG_GROUP ? 'g long' : 'g'}">${escapeHtml(g)}</span>`).join('<wbr>');
}

const style = (accent: string): string =>
  '<style>' +
  'body{margin:0;background:#f2f4f6;font-family:system-ui,-apple-system,"Noto Sans KR","Noto Sans CJK KR",sans-serif;color:#191f28;word-break:keep-all;overflow-wrap:break-word}' +
  // The card keeps a margin on a 390 px phone.
  'main{box-sizing:border-box;max-width:420px;margin:40px auto;margin-inline:max(16px,calc((100% - 420px)/2));background:#fff;border-radius:16px;padding:32px 24px;text-align:center}' +
  '.shop{margin:0 0 20px;font-size:15px;font-weight:600;color:#4e5968}' +
  `h1{margin:0 0 12px;font-size:24px;color:${accent}}p{margin:8px 0;line-height:1.6}` +
  '.msg{color:#b71c1c}dl{margin:20px 0 0;text-align:left;border-top:1px solid #e5e8eb}' +
  // A value too wide beside its label goes to the next line whole rather than breaking.
  '.row{display:flex;flex-wrap:wrap;justify-content:space-between;column-gap:16px;padding:10px 0;border-bottom:1px solid #e5e8eb}' +
  'dt{color:#4e5968}dd{margin:0 0 0 auto;text-align:right;font-weight:600;min-width:0;max-width:100%}.no{font-weight:400}' +
  '.g{white-space:nowrap}.g.long{white-space:normal;overflow-wrap:anywhere}' +
  '.slip{margin-top:16px}.actions{margin-top:24px;display:flex;flex-wrap:wrap;gap:8px;justify-content:center}.button{display:inline-block;min-width:160px;padding:12px 20px;border-radius:10px;background:#1b64da;color:#fff;font-weight:600;text-decoration:none}' +
  '.button:focus-visible,a:focus-visible{outline:3px solid #191f28;outline-offset:2px}a{color:#1b64da}' +
  'footer{margin-top:28px;padding-top:16px;border-top:1px solid #e5e8eb;font-size:13px;color:#4e5968;line-height:1.7}footer p{margin:4px 0}' +
  '</style>';

/**
 * Never cached; never framed (a page shown inside someone else's frame could be dressed as
 * theirs); nothing loaded but the page and its inline style; no Referer leaves with the URL,
 * which holds the buyer's landing token.
 */
export const PAGE_HEADERS: Readonly<Record<string, string>> = {
  'Content-Type': 'text/html; charset=utf-8',
  'Cache-Control': 'no-store',
  Pragma: 'no-cache',
  'X-Content-Type-Options': 'nosniff',
  'Content-Security-Policy': "default-src 'none'; style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
  'X-Frame-Options': 'DENY',
  'Referrer-Policy': 'no-referrer',
};

type Row = [label: string, html: string];

function receiptRows(kind: PageKind, r: Receipt): string {
  const rows: Row[] = [];
  const text = (label: string, v: string): void => void rows.push([label, escapeHtml(v)]);
  if (r.buyer === true) {
    if (r.productDesc !== undefined && r.productDesc !== '' && kind !== 'pending' && kind !== 'not_found' && kind !== 'unconfirmed') text('상품', r.productDesc);
    if (kind === 'paid' || kind === 'refunded') {
      if (r.amount !== undefined) text('결제 금액', won(r.amount));
      if (r.refundedAmount !== undefined && r.refundedAmount > 0) text('환불 금액', won(r.refundedAmount));
      if (r.payMethod !== undefined) text('결제 수단', PAY_METHOD[r.payMethod] ?? r.payMethod);
      const at = r.paidAt !== undefined ? kstText(r.paidAt) : undefined;
      if (at !== undefined) text('결제 시각', at);
    }
    // Nothing was paid: the amount the order was for.
    if ((kind === 'cancelled' || kind === 'failed') && r.amount !== undefined) text('주문 금액', won(r.amount));
    if (r.orderNo !== undefined) rows.push(['주문번호', `<span class="no">${orderNoHtml(r.orderNo)}</span>`]);
  }
  if (rows.length === 0) return '';
  return `<dl>${rows.map(([k, v]) => `<div class="row"><dt>${k}</dt><dd>${v}</dd></div>`).join('')}</dl>`;
}

/** How to reach the shop: a phone number to call, or its help page. */
function supportHtml(m: Merchant): string {
  if (m.support === undefined) return '';
  const s = m.support;
  const href = s.kind === 'phone' ? `tel:${s.value.replace(/[^0-9+]/g, '')}` : s.value;
  return `<p>문의 <a href="${escapeHtml(href)}">${escapeHtml(s.kind === 'phone' ? s.value : '고객센터')}</a></p>`;
}

/** The shop's business details, as Korean e-commerce pages show them (those configured). */
function footerHtml(m: Merchant): string {
  const b = m.business;
  const details = [
    ['상호', b.company],
    ['대표자', b.representative],
    ['사업자등록번호', b.registrationNumber],
    ['통신판매업 신고번호', b.mailOrderNumber],
    ['주소', b.address],
  ].flatMap(([k, v]) => (v === undefined ? [] : [`${k} ${escapeHtml(v)}`]));
  return `<footer><p><strong>${escapeHtml(m.name)}</strong></p>${supportHtml(m)}${details.map((d) => `<p>${d}</p>`).join('')}</footer>`;
}

export function resultPage(kind: PageKind, r: Receipt, merchant: Merchant): APIGatewayProxyStructuredResultV2 {
  const title = TITLE[kind];
  const buyer = r.buyer === true;
  const text = kind === 'cancelled' && buyer && r.cancelReason !== undefined ? CANCELLED[r.cancelReason] : TEXT[kind];
  const msg = kind === 'failed' && buyer && r.message !== undefined && r.message !== '' ? `<p class="msg">${escapeHtml(r.message)}</p>` : '';
  const aside = !buyer && kind !== 'not_found' && kind !== 'unconfirmed' ? `<p>${NOT_THE_BUYER}</p>` : '';
  const pending = kind === 'pending' && r.refreshUrl !== undefined;
  const refresh = pending ? `<meta http-equiv="refresh" content="5;url=${escapeHtml(r.refreshUrl ?? '')}">` : '';
  // The card slip at Toss (a card payment), for the buyer only: a link of its own, opened beside the receipt.
  const slip =
    buyer && (kind === 'paid' || kind === 'refunded') && r.receiptUrl !== undefined
      ? `<p class="slip"><a href="${escapeHtml(r.receiptUrl)}" rel="noopener noreferrer" target="_blank">매출전표 보기</a></p>`
      : '';
  // Nothing was paid: the way back is to pay again.
  const again = buyer && (kind === 'cancelled' || kind === 'failed');
  const shop = merchant.shopUrl;
  const actions = [
    pending ? `<a class="button" href="${escapeHtml(r.refreshUrl ?? '')}">다시 확인하기</a>` : '',
    shop !== undefined ? `<a class="button" href="${escapeHtml(shop)}">${again ? '다시 결제하기' : '쇼핑 계속하기'}</a>` : '',
  ].filter((a) => a !== '');
  const body = `<!doctype html>
<html lang="ko"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<meta name="robots" content="noindex">${refresh}<title>${title} - ${escapeHtml(merchant.name)}</title>${style(ACCENT[kind])}</head>
<body data-result="${kind}"><main><p class="shop">${escapeHtml(merchant.name)}</p><div role="status"><h1>${title}</h1><p>${text}</p>${msg}${aside}</div>${receiptRows(kind, r)}${slip}${
    actions.length > 0 ? `<p class="actions">${actions.join(' ')}</p>` : ''
  }${footerHtml(merchant)}</main></body></html>`;
  return { statusCode: r.status ?? 200, headers: { ...PAGE_HEADERS }, body };
}
