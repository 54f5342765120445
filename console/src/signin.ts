/** 로그인: email and password, then a new password or an authenticator code when the pool asks. */
import type { VNode } from 'preact';
import { useEffect, useRef, useState } from 'preact/hooks';
import { passwordProblems } from '../../shared/user-pool.ts';
import { answerMfa, setNewPassword, signIn, SignInError, type SignInStep, type User } from './auth.ts';
import { Alert, html, Notice } from './ui.ts';

export function SignIn({ onSignedIn, notice }: { onSignedIn: (u: User) => void; notice?: string | undefined }): VNode {
  const [step, setStep] = useState<SignInStep | undefined>();
  const [email, setEmail] = useState('');
  const [secret, setSecret] = useState('');
  const [error, setError] = useState<string | undefined>();
  const [busy, setBusy] = useState(false);
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => heading.current?.focus(), [step]);

  const submit = async (e: Event): Promise<void> => {
    e.preventDefault();
    if (busy) return;
    setError(undefined);
    if (step?.kind === 'newPassword') {
      const problems = passwordProblems(secret);
      if (problems.length > 0) {
        setError(`새 비밀번호에 필요한 것: ${problems.join(', ')}`);
        return;
      }
    }
    setBusy(true);
    try {
      const next = step === undefined ? await signIn(email.trim(), secret) : step.kind === 'newPassword' ? await setNewPassword(step, secret) : step.kind === 'mfa' ? await answerMfa(step, secret.trim()) : step;
      setSecret('');
      if (next.kind === 'done') onSignedIn(next.user);
      else setStep(next);
    } catch (err) {
      setError(err instanceof SignInError ? err.message : '로그인하지 못했습니다. 잠시 후 다시 시도하세요.');
    } finally {
      setBusy(false);
    }
  };

  const title = step?.kind === 'newPassword' ? '새 비밀번호 설정' : step?.kind === 'mfa' ? '인증 코드 입력' : '로그인';
  return html`<main id="main" class="signin">
    <h1 tabindex="-1" ref=${heading}>토스페이 운영 콘솔 ${title}</h1>
    ${notice !== undefined && step === undefined ? html`<${Notice}>${notice}</${Notice}>` : null}
    <form method="post" onSubmit=${submit}>
      ${step === undefined
        ? html`<label for="email">이메일</label>
            <input id="email" type="email" autocomplete="username" required value=${email} onInput=${(e: Event) => setEmail((e.target as HTMLInputElement).value)} />
            <label for="password">비밀번호</label>
            <input id="password" type="password" autocomplete="current-password" required value=${secret} onInput=${(e: Event) => setSecret((e.target as HTMLInputElement).value)} />`
        : step.kind === 'newPassword'
          ? html`<p>처음 로그인했습니다. 사용할 새 비밀번호를 정하세요(12자 이상, 영문 대·소문자, 숫자, 특수문자).</p>
              <label for="new-password">새 비밀번호</label>
              <input id="new-password" type="password" autocomplete="new-password" required value=${secret} onInput=${(e: Event) => setSecret((e.target as HTMLInputElement).value)} />`
          : html`<p>인증 앱에 표시된 6자리 코드를 입력하세요.</p>
              <label for="mfa-code">인증 코드</label>
              <input id="mfa-code" inputmode="numeric" autocomplete="one-time-code" pattern="[0-9]{6}" maxlength="6" required value=${secret} onInput=${(e: Event) => setSecret((e.target as HTMLInputElement).value)} />`}
      <button type="submit" class="primary" disabled=${busy}>${busy ? '확인 중…' : step === undefined ? '로그인' : '확인'}</button>
    </form>
    ${error !== undefined ? html`<${Alert}>${error}</${Alert}>` : null}
  </main>`;
}
