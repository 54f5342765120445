/** The console's shared pieces: the router, data loading, tables, alerts and the confirm dialog. */
import { html } from 'htm/preact';
import type { ComponentChildren, VNode } from 'preact';
import { useEffect, useId, useRef, useState } from 'preact/hooks';
import { ApiError } from './api.ts';

export { html };

/** The route from the hash: `#/orders/A-1` → ['orders', 'A-1']. */
export function useRoute(): string[] {
  const read = (): string[] => location.hash.replace(/^#\/?/, '').split('/').filter((s) => s !== '').map(decodeURIComponent);
  const [route, setRoute] = useState(read);
  useEffect(() => {
    const on = (): void => setRoute(read());
    addEventListener('hashchange', on);
    return () => removeEventListener('hashchange', on);
  }, []);
  return route;
}

export const go = (path: string): void => {
  location.hash = `#${path}`;
};

export type Load<T> = { state: 'loading' } | { state: 'done'; value: T } | { state: 'error'; error: string };

/** Loads `f` when `deps` change; `reload()` loads again. */
export function useLoad<T>(f: () => Promise<T>, deps: unknown[]): [Load<T>, () => void] {
  const [load, setLoad] = useState<Load<T>>({ state: 'loading' });
  const [n, setN] = useState(0);
  useEffect(() => {
    let live = true;
    setLoad({ state: 'loading' });
    f().then(
      (value) => live && setLoad({ state: 'done', value }),
      (e: unknown) => live && setLoad({ state: 'error', error: errorText(e) }),
    );
    return () => {
      live = false;
    };
  }, [...deps, n]);
  return [load, () => setN((x) => x + 1)];
}

/** An API error in Korean, for a person: never a raw code alone. */
export function errorText(e: unknown): string {
  if (!(e instanceof ApiError)) return '요청을 처리하지 못했습니다. 잠시 후 다시 시도하세요.';
  const known: Record<string, string> = {
    FORBIDDEN_ROLE: '이 작업을 할 권한이 없습니다.',
    ORDER_NOT_FOUND: '주문을 찾을 수 없습니다.',
    EVENT_NOT_FOUND: '이벤트를 찾을 수 없습니다.',
    REFUND_EXCEEDS_BALANCE: '환불 가능 금액을 넘었습니다.',
    REFUND_IN_PROGRESS: '진행 중인 환불이 있습니다. 끝난 뒤 다시 시도하세요.',
    ORDER_NOT_PAID: '결제되지 않은 주문은 환불할 수 없습니다.',
    ORDER_PAID: '이미 결제된 주문입니다. 취소 대신 환불하세요.',
    ORDER_NOT_CANCELABLE: '지금은 취소할 수 없는 상태입니다.',
    TOSS_REFUSED: '토스가 요청을 거절했습니다.',
    TOSS_FAILED: '토스에 연결하지 못했습니다. 잠시 후 다시 시도하세요.',
    TOSS_BUSY: '토스가 잠시 후 다시 시도하라고 했습니다.',
    TOSS_TIMEOUT: '토스의 응답이 없어 결과를 확인하는 중입니다. 잠시 후 새로 고침하세요.',
    WEBHOOK_NOT_CONFIGURED: '설정된 웹훅 주소가 없습니다.',
    VALIDATION_FAILED: '입력한 값을 확인하세요.',
    SESSION_ENDED: '세션이 끝났습니다. 다시 로그인하세요.',
  };
  return known[e.code] ?? '요청을 처리하지 못했습니다. 잠시 후 다시 시도하세요.';
}

export const Loading = (): VNode => html`<p class="muted" role="status">불러오는 중…</p>`;
export const Alert = ({ children }: { children: ComponentChildren }): VNode => html`<p class="alert" role="alert">${children}</p>`;
export const Notice = ({ children }: { children: ComponentChildren }): VNode => html`<p class="notice" role="status">${children}</p>`;

/** A wide table in a region that scrolls by itself on a phone (focusable, so a keyboard can scroll it). */
export const TableWrap = ({ label, children }: { label: string; children: ComponentChildren }): VNode =>
  html`<div class="table-wrap" role="region" aria-label=${label} tabindex="0">${children}</div>`;

/** The page's heading, focused when the page opens so a screen reader starts there. */
export function PageTitle({ children }: { children: ComponentChildren }): VNode {
  const ref = useRef<HTMLHeadingElement>(null);
  useEffect(() => ref.current?.focus(), []);
  return html`<h1 tabindex="-1" ref=${ref}>${children}</h1>`;
}

/**
 * A confirmation in a modal <dialog> (focus stays inside, Esc closes it). `onConfirm` runs once:
 * the button is disabled while it runs, so a double click does one thing.
 */
export function Confirm(props: { open: boolean; title: string; children: ComponentChildren; confirmLabel: string; onConfirm: () => Promise<void>; onClose: () => void }): VNode {
  const ref = useRef<HTMLDialogElement>(null);
  const titleId = useId();
  const [busy, setBusy] = useState(false);
  useEffect(() => {
    const d = ref.current;
    if (d === null) return;
    if (props.open && !d.open) d.showModal();
    if (!props.open && d.open) d.close();
  }, [props.open]);
  const confirm = async (): Promise<void> => {
    if (busy) return;
    setBusy(true);
    try {
      await props.onConfirm();
    } finally {
      setBusy(false);
    }
  };
  return html`<dialog ref=${ref} aria-labelledby=${titleId} onClose=${props.onClose} onCancel=${props.onClose}>
    <h2 id=${titleId}>${props.title}</h2>
    ${props.children}
    <div class="actions">
      <button type="button" class="primary" disabled=${busy} onClick=${confirm}>${busy ? '처리 중…' : props.confirmLabel}</button>
      <button type="button" onClick=${props.onClose}>닫기</button>
    </div>
  </dialog>`;
}
