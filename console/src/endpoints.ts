/**
 * 웹훅 엔드포인트 (admins: `webhooks:manage`): each endpoint with its health, a new one (its signing
 * secret shown once, here), enable and disable, a new secret (shown once), a test delivery. The
 * configured one (MERCHANT_WEBHOOK_URL, `we_env`) is only read and tested: a deployment changes it.
 */
import type { VNode } from 'preact';
import { useState } from 'preact/hooks';
import type { CreateEndpointReply, EndpointDetail, ListEndpointsReply, RotateSecretReply, TestEndpointReply } from '../../shared/events/reply-schemas.ts';
import { api } from './api.ts';
import { kst } from './format.ts';
import { Alert, errorText, html, Loading, Notice, TableWrap, useLoad } from './ui.ts';

const DISABLED_LABEL: Record<string, string> = { failing: '계속 실패해 꺼짐', merchant: '꺼 둠' };
const percent = (x: number | undefined): string => (x === undefined ? '—' : `${Math.round(x * 1000) / 10}%`);

export function Endpoints(): VNode {
  const [list, reload] = useLoad(async () => {
    const { endpoints } = await api<ListEndpointsReply>('/webhook-endpoints');
    // The health is each endpoint's own read (at most 21).
    return Promise.all(endpoints.map((e) => api<EndpointDetail>(`/webhook-endpoints/${encodeURIComponent(e.id)}`)));
  }, []);
  const [secret, setSecret] = useState<{ id: string; secret: string } | undefined>();
  const [notice, setNotice] = useState<string | undefined>();
  const [error, setError] = useState<string | undefined>();
  const [busy, setBusy] = useState(false);
  const [url, setUrl] = useState('');
  const [description, setDescription] = useState('');

  const act = async (f: () => Promise<void>): Promise<void> => {
    if (busy) return;
    setBusy(true);
    setError(undefined);
    setNotice(undefined);
    try {
      await f();
      reload();
    } catch (e) {
      setError(errorText(e));
    } finally {
      setBusy(false);
    }
  };
  const create = (e: Event): Promise<void> => {
    e.preventDefault();
    return act(async () => {
      const r = await api<CreateEndpointReply>('/webhook-endpoints', { method: 'POST', json: { url, ...(description !== '' ? { description } : {}) } });
      setSecret({ id: r.id, secret: r.secret });
      setUrl('');
      setDescription('');
    });
  };
  const setEnabled = (id: string, enabled: boolean): Promise<void> =>
    act(async () => {
      await api(`/webhook-endpoints/${encodeURIComponent(id)}`, { method: 'PATCH', json: { enabled } });
      setNotice(enabled ? '엔드포인트를 켰습니다. 놓친 이벤트를 다시 보냅니다.' : '엔드포인트를 껐습니다.');
    });
  const rotate = (id: string): Promise<void> =>
    act(async () => {
      const r = await api<RotateSecretReply>(`/webhook-endpoints/${encodeURIComponent(id)}/rotate-secret`, { method: 'POST' });
      setSecret({ id: r.id, secret: r.secret });
    });
  const test = (id: string): Promise<void> =>
    act(async () => {
      const r = await api<TestEndpointReply>(`/webhook-endpoints/${encodeURIComponent(id)}/test`, { method: 'POST' });
      setNotice(r.ok ? `테스트 이벤트를 받았습니다(HTTP ${r.status ?? '—'}, ${Math.round(r.latencyMs)}ms).` : `테스트 이벤트를 받지 못했습니다(${r.status !== undefined ? `HTTP ${r.status}` : (r.error ?? '응답 없음')}).`);
    });

  return html`<div>
    ${secret !== undefined
      ? html`<div class="notice" role="status">
          <p>${secret.id}의 서명 비밀입니다. 지금 한 번만 보이니 받는 쪽 설정에 저장하세요.</p>
          <p><code class="code">${secret.secret}</code></p>
          <button type="button" onClick=${() => setSecret(undefined)}>저장했습니다</button>
        </div>`
      : null}
    ${notice !== undefined ? html`<${Notice}>${notice}</${Notice}>` : null}
    ${error !== undefined ? html`<${Alert}>${error}</${Alert}>` : null}
    ${list.state === 'loading' ? html`<${Loading} />` : null}
    ${list.state === 'error' ? html`<${Alert}>${list.error}</${Alert}>` : null}
    ${list.state === 'done'
      ? list.value.length === 0
        ? html`<p>엔드포인트가 없습니다.</p>`
        : html`<${TableWrap} label="웹훅 엔드포인트 목록">
            <table>
              <caption>웹훅 엔드포인트 목록</caption>
              <thead><tr><th scope="col">엔드포인트</th><th scope="col">상태</th><th scope="col">최근 24시간</th><th scope="col">마지막 시도</th><th scope="col">작업</th></tr></thead>
              <tbody>
                ${list.value.map(
                  (e) => html`<tr key=${e.id}>
                    <th scope="row">${e.url}<span class="sub code">${e.id}</span>${e.description !== undefined ? html`<span class="sub">${e.description}</span>` : null}</th>
                    <td>${e.enabled ? '사용 중' : (DISABLED_LABEL[e.disabledReason ?? ''] ?? '꺼짐')}${e.managedBy === 'configuration' ? html`<span class="sub">배포 설정(MERCHANT_WEBHOOK_URL)</span>` : null}${e.health.failingSince !== undefined ? html`<span class="sub">${kst(e.health.failingSince)}부터 실패 ${e.health.consecutiveFailures}회</span>` : null}</td>
                    <td>${percent(e.health.lastDay.successRate)}<span class="sub">시도 ${e.health.lastDay.attempts}회</span></td>
                    <td>${e.health.lastAttempt !== undefined ? html`${kst(e.health.lastAttempt.at)}<span class="sub">${e.health.lastAttempt.status !== undefined ? `HTTP ${e.health.lastAttempt.status}` : (e.health.lastAttempt.error ?? '응답 없음')}</span>` : '—'}</td>
                    <td>
                      ${e.managedBy === 'api'
                        ? html`<button type="button" disabled=${busy} onClick=${() => setEnabled(e.id, !e.enabled)}>${e.enabled ? '끄기' : '켜기'}</button>
                            <button type="button" disabled=${busy} onClick=${() => rotate(e.id)}>비밀 바꾸기</button>`
                        : null}
                      <button type="button" disabled=${busy} onClick=${() => test(e.id)}>테스트 보내기</button>
                    </td>
                  </tr>`,
                )}
              </tbody>
            </table>
          </${TableWrap}>`
      : null}
    <form class="filters" method="post" onSubmit=${create}>
      <div><label for="endpoint-url">받을 주소(URL)</label><input id="endpoint-url" type="url" required maxlength="2048" value=${url} onInput=${(e: Event) => setUrl((e.target as HTMLInputElement).value)} /></div>
      <div><label for="endpoint-description">설명 (선택)</label><input id="endpoint-description" maxlength="256" value=${description} onInput=${(e: Event) => setDescription((e.target as HTMLInputElement).value)} /></div>
      <button type="submit" disabled=${busy}>엔드포인트 추가</button>
    </form>
  </div>`;
}
