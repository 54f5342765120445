/**
 * The checkout page a buyer sees at `checkoutPage` (`/payfront/auth?payToken=…`): plain
 * server-rendered HTML in Korean. Its forms POST back to `/payfront/auth/approve` and
 * `/payfront/auth/quit`, which answer with a 303 to retUrl / retCancelUrl.
 */
import { BANKS, CARD_COMPANIES, MIN_INSTALMENT_AMOUNT } from './methods.ts';
import type { Payment } from './store.ts';

const esc = (s: string): string =>
  s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c);

export const won = (n: number): string => `${n.toLocaleString('ko-KR')}원`;

const METHOD_LABEL = { TOSS_MONEY: '토스머니', CARD: '카드' } as const;

const CARD_METHOD_LABEL = { CREDIT: '신용카드', CHECK: '체크카드', PREPAYMENT: '선불카드' } as const;
const CARD_USER_LABEL = {
  PERSONAL: '본인 카드',
  PERSONAL_FAMILY: '가족 카드',
  CORP_PERSONAL: '법인카드 (임직원)',
  CORP_PRIVATE: '법인 공용카드',
  CORP_COMPANY: '법인카드 (회사, 하나카드만)',
} as const;

const options = (entries: [string, string][], selected: string): string =>
  entries.map(([v, label]) => `<option value="${esc(v)}"${v === selected ? ' selected' : ''}>${esc(label)}</option>`).join('');

/** What the buyer may pick besides the method: discount and points, the card, the bank (each only where its method is offered). */
function choices(p: Payment): string {
  const discount = `<fieldset><legend>할인</legend>
  <label>즉시할인 <input type="number" name="discountAmount" min="0" max="${p.amount}" value="0" inputmode="numeric"></label>
  <label>토스 포인트 사용 <input type="number" name="pointAmount" min="0" max="${p.amount}" value="0" inputmode="numeric"></label>
  </fieldset>`;
  const instalments = p.installment && p.amount >= MIN_INSTALMENT_AMOUNT;
  const card = p.enablePayMethods.includes('CARD')
    ? `<fieldset><legend>카드 (카드 결제 시)</legend>
  <label>카드사 <select name="cardCompanyCode">${options(
    Object.entries(CARD_COMPANIES).map(([code, name]) => [code, name]),
    String(p.cardCompanyCode ?? 4),
  )}</select></label>
  <label>카드 종류 <select name="cardMethodType">${options(Object.entries(CARD_METHOD_LABEL), 'CREDIT')}</select></label>
  <label>사용자 구분 <select name="cardUserType">${options(Object.entries(CARD_USER_LABEL), 'PERSONAL')}</select></label>
  ${
    instalments
      ? `<label>할부 <select name="spreadOut">${options(
          [['0', '일시불'], ...Array.from({ length: 11 }, (_, i): [string, string] => [String(i + 2), `${i + 2}개월`])],
          '0',
        )}</select></label>
  <label><input type="checkbox" name="noInterest"> 무이자 할부</label>`
      : `<p class="hint">일시불 (${won(MIN_INSTALMENT_AMOUNT)} 미만이거나 할부를 쓰지 않는 결제)</p>`
  }
  </fieldset>`
    : '';
  const bank = p.enablePayMethods.includes('TOSS_MONEY')
    ? `<fieldset><legend>토스머니 (토스머니 결제 시)</legend>
  <label>은행 <select name="bankCode">${options(Object.entries(BANKS), '88')}</select></label>
  </fieldset>`
    : '';
  return `${discount}\n${card}\n${bank}`;
}

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
  legend { font-weight: 700; } select, input[type=number] { font-size: 16px; margin-left: 8px; } .hint { color: #4e5968; font-size: 14px; }
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
  ${choices(p)}
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
