/**
 * The buyer's pages (`/payfront/*`): Toss's checkout (approve with a payment method, or quit), which
 * sends the buyer back to retUrl or retCancelUrl, and a card slip (매출전표).
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { checkoutHtml, messageHtml, won } from './checkout.ts';
import { readParams, sendHtml } from './http.ts';
import { approveOptionsSchema, optionsFromForm } from './methods.ts';
import type { Store } from './store.ts';
import { describeIssues, PAY_METHODS } from './validation.ts';

/** The handler of the buyer's pages. */
export function checkoutPages(store: Store): (req: IncomingMessage, res: ServerResponse, path: string, query: URLSearchParams) => Promise<void> {
  return async function page(req: IncomingMessage, res: ServerResponse, path: string, query: URLSearchParams): Promise<void> {
    if (req.method === 'GET' && path === '/payfront/auth') {
      const p = store.get(query.get('payToken') ?? '');
      if (p === undefined) return sendHtml(res, 404, messageHtml('토스페이', '존재하지 않는 결제입니다.'));
      return sendHtml(res, 200, checkoutHtml(p, p.mode === 'TEST' ? '테스트 결제' : '실거래'));
    }
    if (req.method === 'POST' && (path === '/payfront/auth/approve' || path === '/payfront/auth/quit')) {
      const form = await readParams(req);
      const p = store.get(typeof form.payToken === 'string' ? form.payToken : '');
      if (p === undefined) return sendHtml(res, 404, messageHtml('토스페이', '존재하지 않는 결제입니다.'));
      const method = PAY_METHODS.find((m) => m === form.payMethod);
      if (path.endsWith('/approve') && method === undefined) {
        return sendHtml(res, 400, messageHtml('토스페이', '결제수단을 선택해 주세요.'));
      }
      let r;
      if (method !== undefined && path.endsWith('/approve')) {
        const options = approveOptionsSchema.safeParse(optionsFromForm(form));
        if (!options.success) return sendHtml(res, 400, messageHtml('토스페이', describeIssues(options.error)));
        r = store.approve(p, options.data);
      } else r = store.quit(p);
      if (!r.ok) return sendHtml(res, r.http, messageHtml('토스페이', r.msg));
      res.writeHead(303, { Location: r.redirect, 'Cache-Control': 'no-store' }).end();
      return;
    }
    if (req.method === 'GET' && path === '/payfront/web/external/sales-check') {
      const p = store.get(query.get('payToken') ?? '');
      if (p === undefined || p.card === undefined) return sendHtml(res, 404, messageHtml('매출전표', '존재하지 않는 거래입니다.'));
      return sendHtml(
        res,
        200,
        messageHtml('매출전표', `${p.productDesc} ${won(p.amount)} ${p.card.cardCompanyName} ${p.card.cardNumber} 승인번호 ${p.card.cardAuthorizationNo}`),
      );
    }
    sendHtml(res, 404, messageHtml('토스페이', '페이지를 찾을 수 없습니다.'));
  };
}
