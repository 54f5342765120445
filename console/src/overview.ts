/** 개요: payments and amounts per day (a chart drawn as SVG), refunds, paid vs abandoned, webhooks, orders needing attention. */
import type { VNode } from 'preact';
import { useState } from 'preact/hooks';
import type { StatsReply } from '../../shared/payments/reply-schemas.ts';
import { api } from './api.ts';
import { count, kstDay, won } from './format.ts';
import { Alert, html, Loading, PageTitle, TableWrap, useLoad } from './ui.ts';

const DAY = 86_400_000;

function percent(part: number, whole: number): string {
  return whole === 0 ? '—' : `${Math.round((part / whole) * 1000) / 10}%`;
}

/** Bars of the amount paid per day, with the count above each; described in words for a screen reader. */
function Chart({ days }: { days: StatsReply['days'] }): VNode {
  const w = 640;
  const h = 220;
  const pad = { top: 24, bottom: 28, left: 8, right: 8 };
  const max = Math.max(1, ...days.map((d) => d.paidAmount));
  const slot = (w - pad.left - pad.right) / Math.max(1, days.length);
  const bar = Math.max(4, Math.min(48, slot * 0.6));
  const total = days.reduce((s, d) => s + d.paidAmount, 0);
  const best = days.reduce((b, d) => (d.paidAmount > b.paidAmount ? d : b), days[0] ?? { day: '', paidAmount: 0 });
  const label = `일별 결제 금액 막대 그래프. ${days.length}일 합계 ${won(total)}${best.paidAmount > 0 ? `, 가장 많은 날 ${best.day} ${won(best.paidAmount)}` : ''}.`;
  return html`<figure class="chart">
    <svg viewBox="0 0 ${w} ${h}" role="img" aria-label=${label}>
      <line x1=${pad.left} x2=${w - pad.right} y1=${h - pad.bottom} y2=${h - pad.bottom} class="axis" />
      ${days.map((d, i) => {
        const height = ((h - pad.top - pad.bottom) * d.paidAmount) / max;
        const x = pad.left + i * slot + (slot - bar) / 2;
        const y = h - pad.bottom - height;
        return html`<g key=${d.day}>
          <rect x=${x} y=${y} width=${bar} height=${Math.max(0, height)} class="bar" />
          ${d.paid > 0 ? html`<text x=${x + bar / 2} y=${y - 6} class="value">${d.paid}</text>` : null}
          ${days.length <= 16 || i % Math.ceil(days.length / 8) === 0 ? html`<text x=${x + bar / 2} y=${h - 8} class="tick">${d.day.slice(5)}</text>` : null}
        </g>`;
      })}
    </svg>
    <figcaption>막대: 그날 만든 주문 중 결제된 금액, 위 숫자: 결제 건수 (한국 시간 기준)</figcaption>
  </figure>`;
}

export function Overview(): VNode {
  const [days, setDays] = useState(7);
  const to = kstDay();
  const from = kstDay(Date.now() - (days - 1) * DAY);
  const [load] = useLoad(() => api<StatsReply>(`/stats?from=${from}&to=${to}`), [from, to]);
  return html`<section>
    <${PageTitle}>개요</${PageTitle}>
    <div class="toolbar">
      <label for="overview-days">기간</label>
      <select id="overview-days" value=${String(days)} onChange=${(e: Event) => setDays(Number((e.target as HTMLSelectElement).value))}>
        <option value="7">최근 7일</option>
        <option value="14">최근 14일</option>
        <option value="30">최근 30일</option>
      </select>
    </div>
    ${load.state === 'loading' ? html`<${Loading} />` : null}
    ${load.state === 'error' ? html`<${Alert}>${load.error}</${Alert}>` : null}
    ${load.state === 'done' ? html`<${Figures} s=${load.value} />` : null}
  </section>`;
}

function Figures({ s }: { s: StatsReply }): VNode {
  const t = s.totals;
  const ended = t.paid + t.abandoned;
  const rate = s.webhooks.successRate;
  return html`
    ${s.complete ? null : html`<p class="notice">주문이 많아 ${s.countedFrom ?? s.to}부터의 주문만 모두 셌습니다. 그 이전 날은 일부만 포함됩니다.</p>`}
    <dl class="cards">
      <div><dt>결제 건수</dt><dd>${count(t.paid)}건</dd></div>
      <div><dt>결제 금액</dt><dd>${won(t.paidAmount)}</dd></div>
      <div><dt>환불</dt><dd>${count(t.refunds)}건 · ${won(t.refundedAmount)}</dd></div>
      <div><dt>결제 완료 비율</dt><dd>${percent(t.paid, ended)}</dd><dd class="muted">결제 ${count(t.paid)} · 이탈 ${count(t.abandoned)}</dd></div>
      <div><dt>웹훅 성공률</dt><dd>${rate === undefined ? '—' : `${Math.round(rate * 1000) / 10}%`}</dd><dd class="muted">최근 ${count(s.webhooks.sampled)}건 중 실패 ${count(s.webhooks.failed)}</dd></div>
      <div><dt>확인 필요 주문</dt><dd><a href="#/attention">${count(s.attention.orders)}${s.attention.more === true ? '+' : ''}건</a></dd></div>
    </dl>
    <h2>일별 결제</h2>
    <${Chart} days=${s.days} />
    <${TableWrap} label="일별 결제 표">
      <table>
        <caption>일별 주문과 결제 (한국 시간)</caption>
        <thead><tr><th scope="col">날짜</th><th scope="col">주문</th><th scope="col">결제</th><th scope="col">결제 금액</th><th scope="col">환불 금액</th><th scope="col">이탈</th><th scope="col">가맹점 취소</th><th scope="col">실패</th></tr></thead>
        <tbody>
          ${[...s.days].reverse().map(
            (d) => html`<tr key=${d.day}><th scope="row">${d.day}</th><td class="num">${count(d.orders)}</td><td class="num">${count(d.paid)}</td><td class="num">${won(d.paidAmount)}</td><td class="num">${won(d.refundedAmount)}</td><td class="num">${count(d.abandoned)}</td><td class="num">${count(d.cancelled)}</td><td class="num">${count(d.failed)}</td></tr>`,
          )}
        </tbody>
      </table>
    </${TableWrap}>`;
}
