/**
 * 이벤트·웹훅: failed deliveries first (each redeliverable, or all since a day), the event log,
 * and the webhook endpoints (admins manage them here: ./endpoints.ts).
 */
import type { VNode } from 'preact';
import { useState } from 'preact/hooks';
import type { EventView, ListEventsReply, RedeliverFailedReply } from '../../shared/events/reply-schemas.ts';
import { allows } from '../../shared/roles.ts';
import { api } from './api.ts';
import { currentUser } from './auth.ts';
import { kstDay } from './format.ts';
import { Endpoints } from './endpoints.ts';
import { EventList } from './order.ts';
import { Alert, errorText, html, Loading, Notice, PageTitle, useLoad } from './ui.ts';

const may = (p: Parameters<typeof allows>[1]): boolean => {
  const u = currentUser();
  return u !== undefined && allows({ kind: 'user', id: `user:${u.sub}`, role: u.role }, p);
};

export function Events(): VNode {
  const [notice, setNotice] = useState<string | undefined>();
  const [failed, reloadFailed] = useLoad(() => api<ListEventsReply>('/events/failed?limit=50'), []);
  const [log, setLog] = useState<{ events: EventView[]; next?: string | undefined }>({ events: [] });
  const [logLoad, reloadLog] = useLoad(async () => {
    const r = await api<ListEventsReply>('/events?limit=50');
    setLog({ events: r.events, next: r.next });
    return r;
  }, []);
  const [logError, setLogError] = useState<string | undefined>();
  const done = (message: string): void => {
    setNotice(message);
    reloadFailed();
    reloadLog();
  };
  const more = async (): Promise<void> => {
    if (log.next === undefined) return;
    try {
      const r = await api<ListEventsReply>(`/events?limit=50&after=${encodeURIComponent(log.next)}`);
      setLog({ events: [...log.events, ...r.events], next: r.next });
    } catch (e) {
      setLogError(errorText(e));
    }
  };
  return html`<section>
    <${PageTitle}>이벤트·웹훅</${PageTitle}>
    ${notice !== undefined ? html`<${Notice}>${notice}</${Notice}>` : null}
    <h2>전송 실패</h2>
    <p>마지막 재시도까지 받는 쪽이 받지 못한 이벤트입니다(최근 실패 순).</p>
    ${may('events:redeliver') ? html`<${RedeliverSince} onDone=${done} />` : null}
    ${failed.state === 'loading' ? html`<${Loading} />` : null}
    ${failed.state === 'error' ? html`<${Alert}>${failed.error}</${Alert}>` : null}
    ${failed.state === 'done' ? html`<${EventList} events=${failed.value.events} onDone=${done} caption="전송에 실패한 이벤트" />` : null}
    <h2>이벤트 기록</h2>
    <p>기록된 순서(오래된 순)입니다.</p>
    ${logLoad.state === 'loading' ? html`<${Loading} />` : null}
    ${logLoad.state === 'error' ? html`<${Alert}>${logLoad.error}</${Alert}>` : null}
    ${logLoad.state === 'done' ? html`<${EventList} events=${log.events} onDone=${done} caption="이벤트 기록" />` : null}
    ${log.next !== undefined ? html`<button type="button" onClick=${more}>더 보기</button>` : null}
    ${logError !== undefined ? html`<${Alert}>${logError}</${Alert}>` : null}
    <h2 id="endpoints">웹훅 엔드포인트</h2>
    ${may('webhooks:manage') ? html`<${Endpoints} />` : html`<p>엔드포인트 관리는 관리자(admin)만 할 수 있습니다.</p>`}
  </section>`;
}

function RedeliverSince({ onDone }: { onDone: (message: string) => void }): VNode {
  const [since, setSince] = useState(kstDay(Date.now() - 7 * 86_400_000));
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | undefined>();
  const submit = async (e: Event): Promise<void> => {
    e.preventDefault();
    if (busy) return;
    setBusy(true);
    setError(undefined);
    try {
      const r = await api<RedeliverFailedReply>('/events/redeliver', { method: 'POST', json: { failedSince: `${since}T00:00:00+09:00` } });
      onDone(`${r.queued}건을 다시 보내도록 예약했습니다.`);
    } catch (err) {
      setError(errorText(err));
    } finally {
      setBusy(false);
    }
  };
  return html`<form class="filters" method="post" onSubmit=${submit}>
    <div><label for="redeliver-since">이날 이후 실패한 전송</label><input id="redeliver-since" type="date" required value=${since} onInput=${(e: Event) => setSince((e.target as HTMLInputElement).value)} /></div>
    <button type="submit" disabled=${busy}>모두 다시 보내기</button>
    ${error !== undefined ? html`<${Alert}>${error}</${Alert}>` : null}
  </form>`;
}
