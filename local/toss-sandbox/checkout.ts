/**
 * The checkout page a buyer sees at `checkoutPage` (`/payfront/auth?payToken=…`): plain
 * server-rendered HTML in Korean. Its forms POST back to `/payfront/auth/approve` and
 * `/payfront/auth/quit`, which answer with a 303 to retUrl / retCancelUrl.
 */
import type { Payment } from './store.ts';

const esc = (s: string): string =>
  s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c);

export const won = (n: number): string => `${n.toLocaleString('ko-KR')}원`;

const METHOD_LABEL = { TOSS_MONEY: '토스머니', CARD: '카드' } as const;

const STATUS_LABEL: Record<string, string> = {
  PAY_APPROVED: '구매자 인증이 완료되어 가맹점의 승인을 기다리고 있습니다.',
  PAY_CANCEL: '취소되었거나 만료된 결제입니다.',
  PAY_PROGRESS: '결제가 진행 중입니다.',
  PAY_COMPLETE: '이미 완료된 결제입니다.',
  REFUND_PROGRESS: '환불이 진행 중인 결제입니다.',
  REFUND_SUCCESS: '환불된 결제입니다.',
};

function layout(title: string, body: string): string {
  return `<!doctype html>
<html lang="ko">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${esc(title)}</title>
<style>
  /* Korean words never break inside (keep-all); a long order number still wraps. The card keeps a margin on a phone. */
  body { font-family: system-ui, -apple-system, "Apple SD Gothic Neo", sans-serif; background: #f2f4f6; margin: 0; padding: 0 16px; word-break: keep-all; overflow-wrap: anywhere; }
  main { max-width: 420px; margin: 40px auto; background: #fff; border-radius: 16px; padding: 24px; }
  /* Text and buttons meet WCAG AA (4.5:1): red #c62828 is 5.6:1 on white, white on blue #1b64da 5.3:1 (Toss's #f04452 and #3182f6 are 3.7:1). */
  h1 { font-size: 20px; margin: 0 0 4px; } .sandbox { color: #c62828; font-size: 12px; }
  .amount { font-size: 28px; font-weight: 700; margin: 16px 0; }
  fieldset { border: 0; padding: 0; margin: 16px 0; } label { display: block; padding: 12px; border: 1px solid #e5e8eb; border-radius: 8px; margin: 8px 0; }
  button { width: 100%; padding: 14px; border: 0; border-radius: 8px; font-size: 16px; margin-top: 8px; cursor: pointer; }
  .pay { background: #1b64da; color: #fff; } .quit { background: #e5e8eb; color: #333; }
  .back { display: block; margin-top: 16px; padding: 14px; border-radius: 8px; background: #1b64da; color: #fff; text-align: center; text-decoration: none; font-weight: 600; }
</style>
</head>
<body><main>${body}</main></body>
</html>`;
}

/**
 * The way back from a checkout that can no longer be paid (expired, cancelled, already paid): the
 * merchant's retUrl with `status` and `orderNo` appended, as Toss sends a buyer back (its guide
 * shows `?status=PAY_CANCEL` for a cancelled payment). Not retCancelUrl: that is where a buyer
 * goes who quits, and a payment that expired was not quit.
 */
export function backToShop(p: Payment): string {
  const u = new URL(p.retUrl);
  u.searchParams.append('status', p.payStatus);
  u.searchParams.append('orderNo', p.orderNo);
  return u.toString();
}

export function checkoutHtml(p: Payment, modeLabel: string): string {
  const header = `<p class="sandbox">토스페이 샌드박스 (${esc(modeLabel)})</p>
<h1>${esc(p.productDesc)}</h1>
<p>주문번호 ${esc(p.orderNo)}</p>
<p class="amount" data-amount="${p.amount}">${won(p.amount)}</p>`;
  if (p.payStatus !== 'PAY_STANDBY') {
    return layout('토스페이', `${header}<p role="status">${esc(STATUS_LABEL[p.payStatus] ?? p.payStatus)}</p>
<a class="back" href="${esc(backToShop(p))}">가맹점으로 돌아가기</a>`);
  }
  const methods = p.enablePayMethods
    .map(
      (m, i) =>
        `<label><input type="radio" name="payMethod" value="${m}"${i === 0 ? ' checked' : ''}> ${METHOD_LABEL[m]}</label>`,
    )
    .join('\n');
  const token = esc(p.payToken);
  return layout(
    '토스페이 결제',
    `${header}
<form method="post" action="/payfront/auth/approve">
  <input type="hidden" name="payToken" value="${token}">
  <fieldset><legend>결제수단</legend>
${methods}
  </fieldset>
  <button class="pay" type="submit">${won(p.amount)} 결제하기</button>
</form>
<form method="post" action="/payfront/auth/quit">
  <input type="hidden" name="payToken" value="${token}">
  <button class="quit" type="submit">결제 중단</button>
</form>`,
  );
}

export function messageHtml(title: string, message: string): string {
  return layout(title, `<h1>${esc(title)}</h1><p role="status">${esc(message)}</p>`);
}
