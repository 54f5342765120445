/** 결제: orders newest first with GET /payments's filters, and a search by orderNo or payToken. */
import type { VNode } from 'preact';
import { useState } from 'preact/hooks';
import { ORDER_STATUSES } from '../../shared/domain/states.ts';
import type { ListPaymentsReply, OrderSummary } from '../../shared/payments/reply-schemas.ts';
import { api, ApiError } from './api.ts';
import { attentionAdvice, kst, PAYMENT_STATE_LABEL, STATUS_LABEL, statusLabel, won } from './format.ts';
import { Alert, errorText, go, html, Loading, PageTitle, TableWrap, useLoad } from './ui.ts';

interface Filters {
  status: string;
  attention: boolean;
  from: string;
  to: string;
}

const queryOf = (f: Filters, cursor?: string): string => {
  const q = new URLSearchParams({ limit: '50' });
  if (f.status !== '') q.set('status', f.status);
  if (f.attention) q.set('attention', 'true');
  // Days in Korea time, whole days.
  if (f.from !== '') q.set('from', `${f.from}T00:00:00+09:00`);
  if (f.to !== '') q.set('to', `${f.to}T23:59:59.999+09:00`);
  if (cursor !== undefined) q.set('cursor', cursor);
  return q.toString();
};

/** Finds the order a text names: an orderNo first, else a payToken. */
async function find(text: string): Promise<string | undefined> {
  const attempt = async (path: string): Promise<string | undefined> => {
    try {
      return (await api<{ orderNo: string }>(path)).orderNo;
    } catch (e) {
      if (e instanceof ApiError && e.code === 'ORDER_NOT_FOUND') return undefined;
      throw e;
    }
  };
  return (await attempt(`/payments/${encodeURIComponent(text)}`)) ?? (await attempt(`/payments/by-pay-token/${encodeURIComponent(text)}`));
}

function Search(): VNode {
  const [text, setText] = useState('');
  const [error, setError] = useState<string | undefined>();
  const [busy, setBusy] = useState(false);
  const submit = async (e: Event): Promise<void> => {
    e.preventDefault();
    const t = text.trim();
    if (t === '' || busy) return;
    setBusy(true);
    setError(undefined);
    try {
      const orderNo = await find(t);
      if (orderNo === undefined) setError('그 주문번호나 결제 토큰의 주문이 없습니다.');
      else go(`/orders/${encodeURIComponent(orderNo)}`);
    } catch (err) {
      setError(errorText(err));
    } finally {
      setBusy(false);
    }
  };
  return html`<form class="search" method="post" onSubmit=${submit} role="search">
    <label for="search">주문번호 또는 결제 토큰</label>
    <input id="search" type="search" value=${text} autocomplete="off" onInput=${(e: Event) => setText((e.target as HTMLInputElement).value)} />
    <button type="submit" disabled=${busy}>찾기</button>
    ${error !== undefined ? html`<${Alert}>${error}</${Alert}>` : null}
  </form>`;
}

export function OrderRows({ orders, showWhy = false }: { orders: readonly OrderSummary[]; showWhy?: boolean }): VNode {
  return html`<tbody>
    ${orders.map(
      (o) => html`<tr key=${o.orderNo}>
        <th scope="row"><a href=${`#/orders/${encodeURIComponent(o.orderNo)}`}>${o.orderNo}</a></th>
        <td>${o.productDesc}</td>
        <td class="num">${won(o.amount)}</td>
        <td class="num">${o.refundedAmount > 0 ? won(o.refundedAmount) : '—'}</td>
        <td>${statusLabel(o.status)}<span class="sub">${PAYMENT_STATE_LABEL[o.paymentState] ?? ''}</span></td>
        <td>${kst(o.createdAt)}</td>
        <td>${o.attention === undefined ? '' : showWhy ? attentionAdvice(o.attention.reason).why : html`<span class="flag">확인 필요</span>`}</td>
      </tr>`,
    )}
  </tbody>`;
}

export function OrderTable({ orders, caption, showWhy = false }: { orders: readonly OrderSummary[]; caption: string; showWhy?: boolean }): VNode {
  return html`<${TableWrap} label=${caption}>
    <table>
      <caption>${caption}</caption>
      <thead><tr><th scope="col">주문번호</th><th scope="col">상품</th><th scope="col">금액</th><th scope="col">환불</th><th scope="col">상태</th><th scope="col">주문 시각(KST)</th><th scope="col">${showWhy ? '이유' : '주의'}</th></tr></thead>
      <${OrderRows} orders=${orders} showWhy=${showWhy} />
    </table>
  </${TableWrap}>`;
}

export function Payments(): VNode {
  const [draft, setDraft] = useState<Filters>({ status: '', attention: false, from: '', to: '' });
  const [filters, setFilters] = useState<Filters>(draft);
  const [more, setMore] = useState<{ orders: OrderSummary[]; next?: string | undefined }>({ orders: [] });
  const [moreError, setMoreError] = useState<string | undefined>();
  const [load] = useLoad(async () => {
    const r = await api<ListPaymentsReply>(`/payments?${queryOf(filters)}`);
    setMore({ orders: [], next: r.next });
    return r;
  }, [filters]);
  const loadMore = async (): Promise<void> => {
    if (more.next === undefined) return;
    try {
      const r = await api<ListPaymentsReply>(`/payments?${queryOf(filters, more.next)}`);
      setMore({ orders: [...more.orders, ...r.orders], next: r.next });
    } catch (e) {
      setMoreError(errorText(e));
    }
  };
  const set = (k: keyof Filters) => (e: Event) => {
    const t = e.target as HTMLInputElement;
    setDraft({ ...draft, [k]: t.type === 'checkbox' ? t.checked : t.value });
  };
  return html`<section>
    <${PageTitle}>결제</${PageTitle}>
    <${Search} />
    <form class="filters" method="post" onSubmit=${(e: Event) => {
      e.preventDefault();
      setFilters(draft);
    }}>
      <div><label for="f-status">상태</label>
        <select id="f-status" value=${draft.status} onChange=${set('status')}>
          <option value="">전체</option>
          ${ORDER_STATUSES.map((s) => html`<option value=${s}>${STATUS_LABEL[s]}</option>`)}
        </select></div>
      <div><label for="f-from">시작일</label><input id="f-from" type="date" value=${draft.from} onInput=${set('from')} /></div>
      <div><label for="f-to">종료일</label><input id="f-to" type="date" value=${draft.to} onInput=${set('to')} /></div>
      <div class="check"><input id="f-attention" type="checkbox" checked=${draft.attention} onChange=${set('attention')} /><label for="f-attention">확인 필요만</label></div>
      <button type="submit">조회</button>
    </form>
    ${load.state === 'loading' ? html`<${Loading} />` : null}
    ${load.state === 'error' ? html`<${Alert}>${load.error}</${Alert}>` : null}
    ${load.state === 'done'
      ? html`${load.value.orders.length === 0 ? html`<p>조건에 맞는 주문이 없습니다.</p>` : html`<${OrderTable} orders=${[...load.value.orders, ...more.orders]} caption="주문 목록 (최신순)" />`}
          ${more.next !== undefined ? html`<button type="button" onClick=${loadMore}>더 보기</button>` : null}
          ${moreError !== undefined ? html`<${Alert}>${moreError}</${Alert}>` : null}`
      : null}
  </section>`;
}

export function Attention(): VNode {
  const [load] = useLoad(() => api<ListPaymentsReply>('/payments?attention=true&limit=100'), []);
  return html`<section>
    <${PageTitle}>확인 필요</${PageTitle}>
    <p>자동 점검이 스스로 끝내지 못했거나, 토스의 정보가 저장된 주문과 다른 주문입니다. 각 주문에서 이유와 할 일을 확인하세요.</p>
    ${load.state === 'loading' ? html`<${Loading} />` : null}
    ${load.state === 'error' ? html`<${Alert}>${load.error}</${Alert}>` : null}
    ${load.state === 'done'
      ? load.value.orders.length === 0
        ? html`<p>확인이 필요한 주문이 없습니다.</p>`
        : html`<ul class="attention">
            ${load.value.orders.map((o) => {
              const a = attentionAdvice(o.attention?.reason ?? '');
              return html`<li key=${o.orderNo}>
                <h2><a href=${`#/orders/${encodeURIComponent(o.orderNo)}`}>${o.orderNo}</a> <span class="sub">${statusLabel(o.status)} · ${won(o.amount)}</span></h2>
                <p><strong>이유:</strong> ${a.why}</p>
                <p><strong>할 일:</strong> ${a.todo}</p>
                <p class="muted">표시된 시각: ${kst(o.attention?.at)}</p>
              </li>`;
            })}
          </ul>`
      : null}
  </section>`;
}
