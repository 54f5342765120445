/** 보안: turn on an authenticator app (TOTP) for this account, through the user pool's own API. */
import type { VNode } from 'preact';
import { useState } from 'preact/hooks';
import { associateTotp, currentUser, SignInError, verifyTotp } from './auth.ts';
import { Alert, html, Notice, PageTitle } from './ui.ts';

export function Security(): VNode {
  const [secret, setSecret] = useState<string | undefined>();
  const [code, setCode] = useState('');
  const [error, setError] = useState<string | undefined>();
  const [done, setDone] = useState(false);
  const [busy, setBusy] = useState(false);
  const run = async (f: () => Promise<void>): Promise<void> => {
    if (busy) return;
    setBusy(true);
    setError(undefined);
    try {
      await f();
    } catch (e) {
      setError(e instanceof SignInError ? e.message : '처리하지 못했습니다. 잠시 후 다시 시도하세요.');
    } finally {
      setBusy(false);
    }
  };
  const email = currentUser()?.email ?? '';
  return html`<section>
    <${PageTitle}>보안</${PageTitle}>
    <h2>2단계 인증(인증 앱)</h2>
    <p>로그인할 때 비밀번호와 함께 인증 앱(Google Authenticator 등)의 6자리 코드를 묻습니다.</p>
    ${done ? html`<${Notice}>인증 앱을 켰습니다. 다음 로그인부터 코드를 묻습니다.</${Notice}>` : null}
    ${secret === undefined && !done ? html`<button type="button" disabled=${busy} onClick=${() => run(async () => setSecret(await associateTotp()))}>인증 앱 등록 시작</button>` : null}
    ${secret !== undefined && !done
      ? html`<form method="post" onSubmit=${(e: Event) => {
          e.preventDefault();
          void run(async () => {
            await verifyTotp(code.trim());
            setDone(true);
            setSecret(undefined);
          });
        }}>
          <p>인증 앱에 아래 키를 직접 입력하세요(계정: ${email}, 시간 기준).</p>
          <p class="secret code" id="totp-secret">${secret.replace(/(.{4})/g, '$1 ').trim()}</p>
          <label for="totp-code">앱에 표시된 6자리 코드</label>
          <input id="totp-code" inputmode="numeric" autocomplete="one-time-code" pattern="[0-9]{6}" maxlength="6" required value=${code} onInput=${(e: Event) => setCode((e.target as HTMLInputElement).value)} />
          <button type="submit" class="primary" disabled=${busy}>확인하고 켜기</button>
        </form>`
      : null}
    ${error !== undefined ? html`<${Alert}>${error}</${Alert}>` : null}
  </section>`;
}
