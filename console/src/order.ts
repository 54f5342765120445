/**
 * 주문: its money, its timeline (every state change and refund, with source and actor), its
 * refunds, its events with their webhook attempts, and the actions its state and the user's role
 * allow: refund (full or partial, confirmed; one Idempotency-Key per confirmed refund, so a double
 * click or a retry refunds once), cancel, refresh from Toss, redeliver.
 */
import type { VNode } from 'preact';
import { useState } from 'preact/hooks';
import { allows } from '../../shared/roles.ts';
import type { EventView, ListEventsReply } from '../../shared/events/reply-schemas.ts';
import type { OrderView, RefundReply } from '../../shared/payments/reply-schemas.ts';
import { api } from './api.ts';
import { currentUser } from './auth.ts';
import {
  actorLabel,
  attentionAdvice,
  CANCEL_REASON_LABEL,
  DELIVERY_LABEL,
  EVENT_LABEL,
  kst,
  PAYMENT_STATE_LABEL,
  SOURCE_LABEL,
  statusLabel,
  won,
} from './format.ts';
import { Alert, Confirm, errorText, html, Loading, Notice, PageTitle, TableWrap, useLoad } from './ui.ts';

/** States a cancel is sent in (shared/payments/cancel.ts CANCELABLE). */
const CANCELABLE = ['PAY_STANDBY', 'PAY_APPROVED', 'EXECUTE_FAILED'];

const can = (p: Parameters<typeof allows>[1]): boolean => {
  const u = currentUser();
  return u !== undefined && allows({ kind: 'user', id: `user:${u.sub}`, role: u.role }, p);
};

export function Order({ orderNo }: { orderNo: string }): VNode {
  const [refresh, setRefresh] = useState(false);
  const [notice, setNotice] = useState<string | undefined>();
  const [load, reload] = useLoad(() => api<OrderView>(`/payments/${encodeURIComponent(orderNo)}${refresh ? '?refresh=true' : ''}`), [orderNo, refresh]);
  const [events, reloadEvents] = useLoad(() => api<ListEventsReply>(`/payments/${encodeURIComponent(orderNo)}/events?limit=100`), [orderNo]);
  const done = (message: string): void => {
    setNotice(message);
    reload();
    reloadEvents();
  };
  return html`<section>
    <${PageTitle}>주문 ${orderNo}</${PageTitle}>
    <p><a href="#/payments">← 결제 목록</a></p>
    ${notice !== undefined ? html`<${Notice}>${notice}</${Notice}>` : null}
    ${load.state === 'loading' ? html`<${Loading} />` : null}
    ${load.state === 'error' ? html`<${Alert}>${load.error}</${Alert}>` : null}
    ${load.state === 'done'
      ? html`<${Summary} o=${load.value} />
          <${Actions}
            o=${load.value}
            onRefresh=${() => {
              setNotice(undefined);
              if (refresh) reload();
              else setRefresh(true);
            }}
            onDone=${done}
          />
          <${Money} o=${load.value} />
          <${Timeline} o=${load.value} />
          <${Refunds} o=${load.value} />`
      : null}
    <h2>이벤트와 웹훅</h2>
    ${events.state === 'loading' ? html`<${Loading} />` : null}
    ${events.state === 'error' ? html`<${Alert}>${events.error}</${Alert}>` : null}
    ${events.state === 'done' ? html`<${EventList} events=${events.value.events} onDone=${done} caption="이 주문의 이벤트" />` : null}
  </section>`;
}

function Summary({ o }: { o: OrderView }): VNode {
  const a = o.attention === undefined ? undefined : attentionAdvice(o.attention.reason);
  return html`<dl class="facts">
    <div><dt>상태</dt><dd>${statusLabel(o.status)} (${PAYMENT_STATE_LABEL[o.paymentState] ?? ''})</dd></div>
    <div><dt>상품</dt><dd>${o.productDesc}</dd></div>
    <div><dt>결제 수단</dt><dd>${o.payMethod ?? '—'}</dd></div>
    <div><dt>주문 시각</dt><dd>${kst(o.createdAt)}</dd></div>
    <div><dt>결제 시각</dt><dd>${kst(o.paidTs)}</dd></div>
    <div><dt>정산</dt><dd>${o.settled ? `정산됨 (${kst(o.settledSeenAt)} 확인)` : '정산 전'}</dd></div>
    ${o.cancelReason !== undefined ? html`<div><dt>취소 사유</dt><dd>${CANCEL_REASON_LABEL[o.cancelReason] ?? o.cancelReason}${o.cancelNote !== undefined ? ` — ${o.cancelNote}` : ''}${o.cancelledBy !== undefined ? ` (${actorLabel(o.cancelledBy)})` : ''}</dd></div>` : null}
    ${o.failure !== undefined ? html`<div><dt>토스 거절</dt><dd>${o.failure.msg}</dd></div>` : null}
    ${a !== undefined ? html`<div class="flagged"><dt>확인 필요</dt><dd>${a.why} ${a.todo}</dd></div>` : null}
  </dl>`;
}

function Money({ o }: { o: OrderView }): VNode {
  const parts: Array<[string, number | undefined]> = [
    ['면세', o.amountTaxFree],
    ['과세', o.amountTaxable],
    ['부가세', o.amountVat],
    ['봉사료', o.amountServiceFee],
  ];
  return html`<h2>금액</h2>
    <dl class="cards">
      <div><dt>주문 금액</dt><dd>${won(o.amount)}</dd></div>
      <div><dt>결제됨</dt><dd>${won(o.paidAmount)}</dd></div>
      <div><dt>환불됨</dt><dd>${won(o.refundedAmount)}</dd></div>
      <div><dt>환불 가능</dt><dd>${won(o.refundableAmount)}</dd></div>
    </dl>
    <p class="muted">세금 구성: ${parts.filter(([, v]) => v !== undefined).map(([k, v]) => `${k} ${won(v)}`).join(' · ')}</p>`;
}

interface Moment {
  at: string;
  what: string;
  source: string;
  actor: string;
}

/** Every state change and every refund, in time order. */
function Timeline({ o }: { o: OrderView }): VNode {
  const moments: Moment[] = [
    ...o.history.map((h) => ({
      at: h.at,
      what: `${h.from === null ? '' : `${statusLabel(h.from)} → `}${statusLabel(h.to)}${h.note !== undefined ? ` (${h.note})` : ''}`,
      source: SOURCE_LABEL[h.source] ?? h.source,
      actor: actorLabel(h.actor),
    })),
    ...o.refunds.flatMap((r) => [
      { at: r.requestedAt, what: `환불 요청 ${won(r.amount)}${r.reason !== undefined ? ` — ${r.reason}` : ''}`, source: SOURCE_LABEL[r.source] ?? r.source, actor: actorLabel(r.actor) },
      ...(r.approvedAt !== undefined ? [{ at: r.approvedAt, what: `환불 승인 ${won(r.amount)}`, source: '토스', actor: '' }] : []),
    ]),
  ].sort((a, b) => a.at.localeCompare(b.at));
  return html`<h2>타임라인</h2>
    <${TableWrap} label="타임라인">
      <table>
        <caption>상태 변화와 환불 (한국 시간)</caption>
        <thead><tr><th scope="col">시각</th><th scope="col">무엇</th><th scope="col">경로</th><th scope="col">한 사람</th></tr></thead>
        <tbody>${moments.map((m, i) => html`<tr key=${i}><td>${kst(m.at)}</td><td>${m.what}</td><td>${m.source}</td><td>${m.actor || '—'}</td></tr>`)}</tbody>
      </table>
    </${TableWrap}>`;
}

const REFUND_STATUS: Record<string, string> = { PENDING: '진행 중', SUCCEEDED: '완료', FAILED: '거절됨' };

function Refunds({ o }: { o: OrderView }): VNode {
  if (o.refunds.length === 0) return html`<h2>환불</h2><p>환불이 없습니다.</p>`;
  return html`<h2>환불</h2>
    <${TableWrap} label="환불 목록">
      <table>
        <caption>환불 (${o.refunds.length}건)</caption>
        <thead><tr><th scope="col">환불 번호</th><th scope="col">금액</th><th scope="col">상태</th><th scope="col">요청</th><th scope="col">요청한 사람</th><th scope="col">사유</th></tr></thead>
        <tbody>
          ${o.refunds.map(
            (r) => html`<tr key=${r.refundNo}><td class="code">${r.refundNo}</td><td class="num">${won(r.amount)}</td><td>${REFUND_STATUS[r.status] ?? r.status}${r.failure !== undefined ? html`<span class="sub">${r.failure.msg}</span>` : null}</td><td>${kst(r.requestedAt)}</td><td>${r.source === 'toss' ? '토스 콘솔' : actorLabel(r.actor) || '—'}</td><td>${r.reason ?? ''}</td></tr>`,
          )}
        </tbody>
      </table>
    </${TableWrap}>`;
}

function Actions({ o, onRefresh, onDone }: { o: OrderView; onRefresh: () => void; onDone: (message: string) => void }): VNode {
  const [dialog, setDialog] = useState<'refund' | 'cancel' | undefined>();
  const [amount, setAmount] = useState(String(o.refundableAmount));
  const [reason, setReason] = useState('');
  const [key, setKey] = useState('');
  const [error, setError] = useState<string | undefined>();
  const refundable = can('payments:refund') && o.refundableAmount > 0 && o.status !== 'REFUND_PROGRESS';
  const cancelable = can('payments:cancel') && CANCELABLE.includes(o.status);
  const open = (which: 'refund' | 'cancel'): void => {
    setError(undefined);
    setReason('');
    setAmount(String(o.refundableAmount));
    // One key per confirmation: clicking twice, or again after a lost reply, asks for the same refund.
    setKey(crypto.randomUUID());
    setDialog(which);
  };
  const refund = async (): Promise<void> => {
    const n = Number(amount);
    if (!Number.isInteger(n) || n < 1 || n > o.refundableAmount) {
      setError(`1원부터 ${won(o.refundableAmount)}까지 입력하세요.`);
      return;
    }
    try {
      const r = await api<RefundReply>(`/payments/${encodeURIComponent(o.orderNo)}/refunds`, {
        method: 'POST',
        headers: { 'idempotency-key': `console-${key}` },
        json: { amount: n, ...(reason.trim() !== '' ? { reason: reason.trim() } : {}) },
      });
      setDialog(undefined);
      onDone(r.status === 'SUCCEEDED' ? `${won(r.amount)} 환불했습니다.` : `${won(r.amount)} 환불을 요청했습니다. 토스의 결과를 확인하는 중입니다.`);
    } catch (e) {
      setError(errorText(e));
    }
  };
  const cancel = async (): Promise<void> => {
    try {
      await api(`/payments/${encodeURIComponent(o.orderNo)}/cancel`, { method: 'POST', json: reason.trim() !== '' ? { reason: reason.trim() } : {} });
      setDialog(undefined);
      onDone('결제를 취소했습니다.');
    } catch (e) {
      setError(errorText(e));
    }
  };
  return html`<div class="actions" role="group" aria-label="주문 작업">
      <button type="button" onClick=${onRefresh}>토스에서 새로 고침</button>
      ${refundable ? html`<button type="button" class="primary" onClick=${() => open('refund')}>환불</button>` : null}
      ${cancelable ? html`<button type="button" class="danger" onClick=${() => open('cancel')}>결제 취소</button>` : null}
    </div>
    <${Confirm} open=${dialog === 'refund'} title="환불" confirmLabel="환불하기" onConfirm=${refund} onClose=${() => setDialog(undefined)}>
      <p>환불 가능 금액은 ${won(o.refundableAmount)}입니다. 환불은 되돌릴 수 없습니다.</p>
      <label for="refund-amount">환불 금액(원)</label>
      <input id="refund-amount" inputmode="numeric" pattern="[0-9]*" value=${amount} onInput=${(e: Event) => setAmount((e.target as HTMLInputElement).value)} />
      <label for="refund-reason">사유 (선택)</label>
      <input id="refund-reason" maxlength="100" value=${reason} onInput=${(e: Event) => setReason((e.target as HTMLInputElement).value)} />
      ${error !== undefined ? html`<${Alert}>${error}</${Alert}>` : null}
    </${Confirm}>
    <${Confirm} open=${dialog === 'cancel'} title="결제 취소" confirmLabel="결제 취소하기" onConfirm=${cancel} onClose=${() => setDialog(undefined)}>
      <p>아직 결제되지 않은 주문을 토스에서 취소합니다. 구매자는 더 이상 결제할 수 없습니다.</p>
      <label for="cancel-reason">사유 (선택, 50자까지)</label>
      <input id="cancel-reason" maxlength="50" value=${reason} onInput=${(e: Event) => setReason((e.target as HTMLInputElement).value)} />
      ${error !== undefined ? html`<${Alert}>${error}</${Alert}>` : null}
    </${Confirm}>`;
}

/** Events with their delivery to each endpoint, each attempt, and (for operators and admins) a redelivery (to every endpoint it went to). */
export function EventList({ events, onDone, caption }: { events: readonly EventView[]; onDone: (message: string) => void; caption: string }): VNode {
  const [error, setError] = useState<string | undefined>();
  const [busy, setBusy] = useState<string | undefined>();
  const redeliver = async (id: string): Promise<void> => {
    if (busy !== undefined) return;
    setBusy(id);
    setError(undefined);
    try {
      const e = await api<EventView>(`/events/${encodeURIComponent(id)}/redeliver`, { method: 'POST' });
      onDone(e.delivery.status === 'delivered' ? '이벤트를 다시 보냈습니다.' : '다시 보냈지만 받는 쪽이 실패했습니다. 재시도 일정에 따라 다시 보냅니다.');
    } catch (err) {
      setError(errorText(err));
    } finally {
      setBusy(undefined);
    }
  };
  if (events.length === 0) return html`<p>이벤트가 없습니다.</p>`;
  const mayRedeliver = can('events:redeliver');
  return html`${error !== undefined ? html`<${Alert}>${error}</${Alert}>` : null}
    <${TableWrap} label=${caption}>
      <table>
        <caption>${caption}</caption>
        <thead><tr><th scope="col">이벤트</th><th scope="col">주문</th><th scope="col">시각</th><th scope="col">웹훅</th><th scope="col">시도</th>${mayRedeliver ? html`<th scope="col">작업</th>` : null}</tr></thead>
        <tbody>
          ${events.map(
            (e) => html`<tr key=${e.id}>
              <th scope="row">${EVENT_LABEL[e.type] ?? e.type}<span class="sub code">${e.id}</span></th>
              <td>${'orderNo' in e.data ? html`<a href=${`#/orders/${encodeURIComponent(e.data.orderNo)}`}>${e.data.orderNo}</a>` : html`<span class="code">${e.data.endpointId}</span>`}</td>
              <td>${kst(e.timestamp)}</td>
              <td>${e.deliveries.length === 0 ? DELIVERY_LABEL.none : e.deliveries.map((d) => html`<div>${e.deliveries.length > 1 ? html`<span class="code">${d.endpointId}</span> ` : null}${DELIVERY_LABEL[d.status] ?? d.status}${(d.rounds ?? []).map((r) => html`<span class="sub">재전송 ${kst(r.at)} ${actorLabel(r.actor)}</span>`)}</div>`)}</td>
              <td>${e.deliveries.map((d) => html`<ul class="attempts" aria-label=${`${d.endpointId} 시도`}>${d.attemptCount > d.attempts.length ? html`<li>이전 시도 ${d.attemptCount - d.attempts.length}회</li>` : null}${d.attempts.map((a) => html`<li>${e.deliveries.length > 1 ? `${d.endpointId} · ` : ''}${kst(a.at)} · ${a.status !== undefined ? `HTTP ${a.status}` : `응답 없음${a.error !== undefined ? ` (${a.error})` : ''}`} · ${Math.round(a.latencyMs)}ms</li>`)}</ul>`)}</td>
              ${mayRedeliver ? html`<td>${e.delivery.status === 'none' ? '—' : html`<button type="button" disabled=${busy !== undefined} onClick=${() => redeliver(e.id)}>다시 보내기</button>`}</td>` : null}
            </tr>`,
          )}
        </tbody>
      </table>
    </${TableWrap}>`;
}
