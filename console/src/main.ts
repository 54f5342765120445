/**
 * The operator console (Korean): sign-in, then 개요, 결제, 주문, 확인 필요, 이벤트·웹훅, 보안.
 * Preact + htm, hash routes (`#/orders/<orderNo>`: nothing of a route reaches the server), only
 * the public API with the user's token. What a role may do comes from shared/roles.ts; the API
 * checks it again on every call.
 */
import type { VNode } from 'preact';
import { render } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { whenSessionEnds } from './api.ts';
import { currentUser, resume, signOut, type User } from './auth.ts';
import { Events } from './events.ts';
import { ROLE_LABEL } from './format.ts';
import { Order } from './order.ts';
import { Overview } from './overview.ts';
import { Attention, Payments } from './payments.ts';
import { Security } from './security.ts';
import { SignIn } from './signin.ts';
import { html, Loading, useRoute } from './ui.ts';

const NAV: Array<[string, string]> = [
  ['', '개요'],
  ['payments', '결제'],
  ['attention', '확인 필요'],
  ['events', '이벤트·웹훅'],
  ['security', '보안'],
];

function Page({ route }: { route: string[] }): VNode {
  const [first, second] = route;
  if (first === 'payments') return html`<${Payments} />`;
  if (first === 'orders' && second !== undefined) return html`<${Order} key=${second} orderNo=${second} />`;
  if (first === 'attention') return html`<${Attention} />`;
  if (first === 'events') return html`<${Events} />`;
  if (first === 'security') return html`<${Security} />`;
  return html`<${Overview} />`;
}

function App(): VNode {
  const [user, setUser] = useState<User | undefined>(currentUser());
  const [starting, setStarting] = useState(true);
  const [notice, setNotice] = useState<string | undefined>();
  const route = useRoute();
  useEffect(() => {
    whenSessionEnds(() => {
      setNotice('세션이 끝났습니다. 다시 로그인하세요.');
      setUser(undefined);
    });
    resume().then(
      (u) => {
        setUser(u);
        setStarting(false);
      },
      () => setStarting(false),
    );
  }, []);
  if (starting) return html`<main id="main"><${Loading} /></main>`;
  if (user === undefined)
    return html`<${SignIn}
      notice=${notice}
      onSignedIn=${(u: User) => {
        setNotice(undefined);
        setUser(u);
      }}
    />`;
  const here = route[0] === 'orders' ? 'payments' : (route[0] ?? '');
  return html`<a class="skip" href="#main" onClick=${(e: Event) => {
      e.preventDefault();
      document.getElementById('main')?.focus();
    }}>본문으로 건너뛰기</a>
    <header class="top">
      <p class="brand">토스페이 운영 콘솔</p>
      <nav aria-label="콘솔 메뉴">
        <ul>${NAV.map(([path, label]) => html`<li><a href=${`#/${path}`} aria-current=${here === path ? 'page' : undefined}>${label}</a></li>`)}</ul>
      </nav>
      <div class="who">
        <span>${user.email}</span> <span class="role">${ROLE_LABEL[user.role] ?? user.role}</span>
        <button type="button" onClick=${() => {
          void signOut().then(() => {
            setNotice('로그아웃했습니다.');
            setUser(undefined);
          });
        }}>로그아웃</button>
      </div>
    </header>
    <main id="main" tabindex="-1"><${Page} route=${route} /></main>`;
}

const root = document.getElementById('app');
if (root !== null) {
  root.textContent = '';
  render(html`<${App} />`, root);
}
