/**
 * The operator console in a real browser (Debian's Chromium through playwright-core), on a
 * 1280×800 desktop and a 390×844 phone, against the real stack with cognito-local as the user
 * pool: each role signs in through the console's own sign-in page and is shown what it may do and
 * only that (a viewer sees no refund, cancel or redelivery; an operator refunds once however often
 * the button is clicked, cancels and redelivers; an admin manages the webhook endpoints),
 * a first sign-in sets a new password, an authenticator app is turned on and then asked for, and
 * signing out ends the session. Every page (개요, 결제, 주문, 확인 필요, 이벤트·웹훅, 보안, the
 * sign-in steps) fails the test on a page error, an axe-core violation of impact serious or
 * critical, Korean text that may break inside a word, a card without a margin on both sides, or a
 * page that scrolls sideways. No token is ever in a URL or localStorage; the stack's log check
 * (at stop) fails on any token or password in the logs. One browser for the file; a context per
 * role and device. Screenshots go to test/e2e/screenshots/console-*.
 *
 * Each device has a test file of its own (console-<device>.test.ts), its own stack and browser,
 * so that the two run at once.
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cognitoCall, type ConsoleUser, type LocalUserPool } from '../../local/cognito.ts';
import { approve, setFault } from '../../local/toss-sandbox/control-client.ts';
import { axeViolationsOnce, cardMargins, koreanWordBreaks } from '../support/a11y.ts';
import { DEVICES, launchChromium, watchedPage, type DeviceName, type WatchedPage } from '../support/browser.ts';
import { ADMIN, CONSOLE_USERS, OPERATOR, totp, VIEWER } from '../support/console-users.ts';
import { eventually, newOrderNo, startStack, type Stack } from '../support/stack.ts';

/** An admin who turns on an authenticator app (desktop), and a user an admin just made (a temporary password). */
const MFA_ADMIN: ConsoleUser = { role: 'admin', email: 'mfa-admin@example.com', password: 'Mfa-admin-pass-05!' };
const NEWCOMER = { email: 'newcomer@example.com', temporary: 'Temporary-pass-06!', chosen: 'Chosen-pass-0007!' };

/**
 * The console's tests on `devices`, each file its own stack, user pool and browser; `signInSteps`:
 * also the first sign-in and the authenticator app (once: they change the pool's users).
 */
export function describeConsole(devices: readonly DeviceName[], signInSteps: boolean): void {
  let s: Stack;
  let pool: LocalUserPool;
  let browser: Browser;
  /** Orders the pages show: paid ones (one to refund per device), unpaid ones (one to cancel per device), a flagged one, one whose webhook failed. */
  const seed = {
    paid: '',
    payToken: '',
    refund: {} as Record<DeviceName, string>,
    cancel: {} as Record<DeviceName, string>,
    failed: {} as Record<DeviceName, string>,
    flagged: '',
  };

  async function paid(amount: number): Promise<{ orderNo: string; payToken: string }> {
    const orderNo = newOrderNo('con');
    await setFault(s.sandbox.url, { target: 'callback', kind: 'drop', orderNo });
    const c = await s.createPayment({ orderNo, amount, amountTaxFree: 0, productDesc: '콘솔 티셔츠' });
    const payToken = String(c.json.payToken);
    const { redirect } = await approve(s.sandbox.url, payToken, 'CARD');
    await s.visit(redirect);
    return { orderNo, payToken };
  }
  async function unpaid(): Promise<string> {
    const orderNo = newOrderNo('con');
    await s.createPayment({ orderNo, amount: 7000, amountTaxFree: 0, productDesc: '콘솔 양말' });
    return orderNo;
  }

  beforeAll(async () => {
    s = await startStack({}, { webhooks: { retrySchedule: '1' }, console: { users: [...CONSOLE_USERS, MFA_ADMIN] } });
    pool = s.userPool as LocalUserPool;
    await cognitoCall(pool.endpoint, 'AdminCreateUser', {
      UserPoolId: pool.userPoolId,
      Username: NEWCOMER.email,
      TemporaryPassword: NEWCOMER.temporary,
      UserAttributes: [{ Name: 'email', Value: NEWCOMER.email }],
      MessageAction: 'SUPPRESS',
    });
    await cognitoCall(pool.endpoint, 'AdminAddUserToGroup', { UserPoolId: pool.userPoolId, Username: NEWCOMER.email, GroupName: 'viewer' });
    // Deliveries that fail to the end (one to redeliver per device): the receiver refuses their events.
    s.webhooks?.failNext(50, 500);
    for (const d of devices) seed.failed[d] = (await paid(12_000)).orderNo;
    await s.streams.caughtUp();
    await eventually(async () => {
      await s.runWebhookRetrier();
      const f = await s.merchantRequest('/events/failed');
      const failed = (f.json.events as Array<{ data: { orderNo: string } }>).map((e) => e.data.orderNo);
      return Object.values(seed.failed).every((o) => failed.includes(o)) ? true : undefined;
    }, 15_000);
    s.webhooks?.failNext(0, 500);
    const p = await paid(35_000);
    seed.paid = p.orderNo;
    seed.payToken = p.payToken;
    for (const d of devices) {
      seed.refund[d] = (await paid(20_000)).orderNo;
      seed.cancel[d] = await unpaid();
    }
    seed.flagged = await unpaid();
    await s.store.flagOrder(seed.flagged, 'UNRESOLVED:PAY_STANDBY');
    await s.streams.caughtUp();
    browser = await launchChromium();
  }, 90_000);
  afterAll(async () => {
    await browser?.close();
    await s?.stop();
  });

  /** Fails on page errors and on how the page reads (axe once per page structure); a screenshot first. */
  async function expectPageReads(w: WatchedPage, name: string): Promise<void> {
    await w.screenshot(`console-${name}`);
    expect(w.errors, `${name}: page errors`).toEqual([]);
    expect(await axeViolationsOnce(w.page), `${name}: axe violations (serious or critical)`).toEqual([]);
    expect(await koreanWordBreaks(w.page), `${name}: Korean text that may break inside a word`).toEqual([]);
    const m = await cardMargins(w.page);
    expect(Math.min(m.left, m.right), `${name}: the card's margins (left ${m.left}, right ${m.right})`).toBeGreaterThanOrEqual(12);
    expect(m.overflow, `${name}: the page scrolls sideways`).toBe(0);
  }

  /** Opens the console and signs in through its page (email, password, then whatever the pool asks). */
  async function signIn(page: Page, email: string, password: string): Promise<void> {
    await page.goto(`${s.api}/console`);
    await page.getByLabel('이메일').fill(email);
    await page.getByLabel('비밀번호').fill(password);
    await page.getByRole('button', { name: '로그인' }).click();
  }
  const signedIn = async (page: Page, email: string): Promise<void> => {
    await page.getByText(email, { exact: true }).waitFor();
  };
  const heading = (page: Page, name: string) => page.getByRole('heading', { level: 1, name }).waitFor();
  const nav = async (page: Page, name: string, title: string): Promise<void> => {
    await page.getByRole('navigation', { name: '콘솔 메뉴' }).getByRole('link', { name, exact: true }).click();
    await heading(page, title);
  };
  /** Waits until nothing is loading. */
  const loaded = async (page: Page): Promise<void> => {
    await page.getByText('불러오는 중…').first().waitFor({ state: 'detached' });
  };
  const orderOf = async (orderNo: string) => (await s.merchantRequest(`/payments/${orderNo}`)).json as { refunds: Array<{ amount: number; actor?: { email?: string } }>; status: string; cancelledBy?: { email?: string } };

  /** No token in any URL the page asked for, nothing in localStorage, the refresh token alone in sessionStorage. */
  async function expectTokensKept(w: WatchedPage, urls: readonly string[]): Promise<void> {
    const issued = pool.issuedTokens();
    expect(urls.filter((u) => issued.some((t) => u.includes(t)))).toEqual([]);
    expect(await w.page.evaluate<number>('localStorage.length')).toBe(0);
    expect(await w.page.evaluate<string[]>('Object.keys(sessionStorage)')).toEqual(['toss-pay-console.refresh']);
  }

  for (const device of devices) {
    describe(`the console in Chromium, ${device} (${DEVICES[device].viewport.width}×${DEVICES[device].viewport.height})`, { timeout: 90_000 }, () => {
      it('an operator signs in and sees every page; refunds once (a double click), cancels, redelivers; signs out', async () => {
        const w = await watchedPage(browser, device);
        const urls: string[] = [];
        w.page.on('request', (r) => urls.push(r.url()));
        try {
          await w.page.goto(`${s.api}/console`);
          await heading(w.page, '토스페이 운영 콘솔 로그인');
          await expectPageReads(w, `${device}-signin`);
          await signIn(w.page, OPERATOR.email, 'Wrong-password-000!');
          await w.page.getByRole('alert').filter({ hasText: '이메일 또는 비밀번호가 맞지 않습니다' }).waitFor();
          // Chromium reports the pool's 400 to the wrong password on its console: expected here, once.
          expect(w.errors.splice(0)).toEqual([expect.stringMatching(/status of 400/)]);
          await w.page.getByLabel('비밀번호').fill(OPERATOR.password);
          await w.page.getByRole('button', { name: '로그인' }).click();
          await signedIn(w.page, OPERATOR.email);

          // 개요: the figures and the chart.
          await heading(w.page, '개요');
          await loaded(w.page);
          await w.page.getByRole('img', { name: /일별 결제 금액 막대 그래프/ }).waitFor();
          await expectPageReads(w, `${device}-overview`);

          // 결제: the table, a filter, and a search by payToken.
          await nav(w.page, '결제', '결제');
          await loaded(w.page);
          await w.page.getByRole('link', { name: seed.paid }).waitFor();
          expect(await w.page.getByRole('table', { name: /주문 목록/ }).innerText()).toContain('35,000원');
          await expectPageReads(w, `${device}-payments`);
          await w.page.getByLabel('상태').selectOption('PAY_STANDBY');
          await w.page.getByRole('button', { name: '조회' }).click();
          // The list before the filter shows the unpaid order too: wait for the paid one to go (a timeout if it stays).
          await w.page.getByRole('link', { name: seed.paid }).waitFor({ state: 'detached' });
          await w.page.getByRole('link', { name: seed.cancel[device] }).waitFor();
          await w.page.getByLabel('주문번호 또는 결제 토큰').fill(seed.payToken);
          await w.page.getByRole('button', { name: '찾기' }).click();
          await heading(w.page, `주문 ${seed.paid}`);
          await loaded(w.page);
          // The search asks for an order of that number first (404, which Chromium reports), then by payToken.
          expect(w.errors.splice(0)).toEqual(['console error: Failed to load resource: the server responded with a status of 404 (Not Found)']);
          expect(await w.page.locator('main').innerText()).toContain('결제 완료');
          await expectPageReads(w, `${device}-order`);

          // Refund: confirmed, the amount changed, the button clicked twice: one refund, by this operator.
          await w.page.goto(`${s.api}/console#/orders/${encodeURIComponent(seed.refund[device])}`);
          await heading(w.page, `주문 ${seed.refund[device]}`);
          await loaded(w.page);
          await w.page.getByRole('button', { name: '환불', exact: true }).click();
          const dialog = w.page.getByRole('dialog', { name: '환불' });
          await dialog.waitFor();
          await expectPageReads(w, `${device}-refund-dialog`);
          await dialog.getByLabel('환불 금액(원)').fill('5000');
          await dialog.getByRole('button', { name: '환불하기' }).dblclick();
          await w.page.getByRole('status').filter({ hasText: '5,000원 환불했습니다' }).waitFor();
          const refunded = await orderOf(seed.refund[device]);
          expect(refunded.refunds.map((r) => [r.amount, r.actor?.email])).toEqual([[5000, OPERATOR.email]]);
          await w.page.getByRole('cell', { name: OPERATOR.email }).first().waitFor();

          // Cancel an unpaid order.
          await w.page.goto(`${s.api}/console#/orders/${encodeURIComponent(seed.cancel[device])}`);
          await heading(w.page, `주문 ${seed.cancel[device]}`);
          await loaded(w.page);
          await w.page.getByRole('button', { name: '결제 취소', exact: true }).click();
          const cancel = w.page.getByRole('dialog', { name: '결제 취소' });
          await cancel.getByLabel(/사유/).fill('재고 없음');
          await cancel.getByRole('button', { name: '결제 취소하기' }).click();
          await w.page.getByRole('status').filter({ hasText: '결제를 취소했습니다' }).waitFor();
          expect(await orderOf(seed.cancel[device])).toMatchObject({ status: 'PAY_CANCEL', cancelledBy: { email: OPERATOR.email } });

          // 확인 필요: the flagged order, why and what to do.
          await nav(w.page, '확인 필요', '확인 필요');
          await loaded(w.page);
          await w.page.getByRole('link', { name: seed.flagged }).waitFor();
          expect(await w.page.locator('main').innerText()).toContain('할 일:');
          await expectPageReads(w, `${device}-attention`);

          // 이벤트·웹훅: the failed delivery, sent again.
          await nav(w.page, '이벤트·웹훅', '이벤트·웹훅');
          await loaded(w.page);
          const failedTable = w.page.getByRole('table', { name: '전송에 실패한 이벤트' });
          const row = failedTable.getByRole('row').filter({ has: w.page.getByRole('link', { name: seed.failed[device] }) });
          await row.waitFor();
          await expectPageReads(w, `${device}-events`);
          await row.getByRole('button', { name: '다시 보내기' }).click();
          await w.page.getByRole('status').filter({ hasText: '다시 보냈' }).waitFor();

          // 보안: the authenticator app's page.
          await nav(w.page, '보안', '보안');
          await expectPageReads(w, `${device}-security`);

          await expectTokensKept(w, urls);
          await w.page.getByRole('button', { name: '로그아웃' }).click();
          await w.page.getByRole('status').filter({ hasText: '로그아웃했습니다' }).waitFor();
          expect(await w.page.evaluate<string[]>('Object.keys(sessionStorage)')).toEqual([]);
          // A reload after signing out asks to sign in again.
          await w.page.reload();
          await heading(w.page, '토스페이 운영 콘솔 로그인');
        } finally {
          await w.close();
        }
      });

      it('a viewer reads everything and is offered no refund, cancel or redelivery; the API refuses them anyway', async () => {
        const w = await watchedPage(browser, device);
        try {
          await signIn(w.page, VIEWER.email, VIEWER.password);
          await signedIn(w.page, VIEWER.email);
          await expect.poll(() => w.page.locator('.role').innerText()).toBe('조회');
          await w.page.goto(`${s.api}/console#/orders/${encodeURIComponent(seed.paid)}`);
          await heading(w.page, `주문 ${seed.paid}`);
          await loaded(w.page);
          await w.page.getByRole('button', { name: '토스에서 새로 고침' }).waitFor();
          expect(await w.page.getByRole('button', { name: '환불', exact: true }).count()).toBe(0);
          expect(await w.page.getByRole('button', { name: '결제 취소', exact: true }).count()).toBe(0);
          await nav(w.page, '이벤트·웹훅', '이벤트·웹훅');
          await loaded(w.page);
          await w.page.getByRole('table', { name: '이벤트 기록' }).waitFor();
          expect(await w.page.getByRole('button', { name: '다시 보내기' }).count()).toBe(0);
          expect(await w.page.getByRole('button', { name: '모두 다시 보내기' }).count()).toBe(0);
          expect(await w.page.locator('main').innerText()).toContain('엔드포인트 관리는 관리자(admin)만 할 수 있습니다');
          await expectPageReads(w, `${device}-viewer-events`);
          // Asked from the page itself with its own token, the refund API says no, and nothing changes.
          const before = (await orderOf(seed.paid)).refunds.length;
          const status = await w.page.evaluate<number>(`(async () => {
            const refresh = sessionStorage.getItem('toss-pay-console.refresh');
            const meta = JSON.parse(document.querySelector('meta[name="console-config"]').content);
            const r = await fetch(meta.cognitoEndpoint, { method: 'POST', headers: { 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': 'AWSCognitoIdentityProviderService.InitiateAuth' },
              body: JSON.stringify({ AuthFlow: 'REFRESH_TOKEN_AUTH', ClientId: meta.clientId, AuthParameters: { REFRESH_TOKEN: refresh } }) });
            const token = (await r.json()).AuthenticationResult.IdToken;
            const x = await fetch('/payments/${encodeURIComponent(seed.paid)}/refunds', { method: 'POST', headers: { authorization: 'Bearer ' + token, 'content-type': 'application/json', 'idempotency-key': 'viewer-x' }, body: '{"amount":1000}' });
            return x.status;
          })()`);
          expect(status).toBe(403);
          expect((await orderOf(seed.paid)).refunds.length).toBe(before);
        } finally {
          await w.close();
        }
      });

      it('an admin manages the webhook endpoints: adds one (its secret shown once), tests it, turns it off, gives it a new secret', async () => {
        const w = await watchedPage(browser, device);
        const description = `${device} 수신`;
        try {
          await signIn(w.page, ADMIN.email, ADMIN.password);
          await signedIn(w.page, ADMIN.email);
          await nav(w.page, '이벤트·웹훅', '이벤트·웹훅');
          await loaded(w.page);
          await w.page.getByRole('heading', { name: '웹훅 엔드포인트' }).waitFor();
          const table = w.page.getByRole('table', { name: '웹훅 엔드포인트 목록' });
          // The configured one (MERCHANT_WEBHOOK_URL): listed, tested, not changed here.
          const configured = table.getByRole('row').filter({ hasText: 'we_env' });
          await configured.waitFor();
          expect(await configured.getByRole('button', { name: '끄기' }).count()).toBe(0);
          await w.page.getByLabel('받을 주소(URL)').fill(String(s.webhooks?.url));
          await w.page.getByLabel('설명 (선택)').fill(description);
          await w.page.getByRole('button', { name: '엔드포인트 추가' }).click();
          const shown = w.page.getByRole('status').filter({ hasText: '서명 비밀' }).locator('code');
          const secret = (await shown.innerText()).trim();
          expect(secret).toMatch(/^whsec_/);
          const row = table.getByRole('row').filter({ hasText: description });
          await row.waitFor();
          await loaded(w.page);
          await expectPageReads(w, `${device}-admin-endpoints`);
          await w.page.getByRole('button', { name: '저장했습니다' }).click();
          expect(await w.page.getByText(secret).count()).toBe(0);
          // The test receiver verifies with the configured secret: this endpoint's signature is not its.
          await row.getByRole('button', { name: '테스트 보내기' }).click();
          await w.page.getByText('테스트 이벤트를 받지 못했습니다(HTTP 401)').waitFor();
          await row.getByRole('button', { name: '끄기' }).click();
          await row.getByText('꺼 둠').waitFor();
          await row.getByRole('button', { name: '비밀 바꾸기' }).click();
          const rotated = (await w.page.getByRole('status').filter({ hasText: '서명 비밀' }).locator('code').innerText()).trim();
          expect(rotated).toMatch(/^whsec_/);
          expect(rotated).not.toBe(secret);
          const listed = (await s.merchantRequest('/webhook-endpoints')).json as { endpoints: Array<{ description?: string; enabled: boolean; previousSecretExpiresAt?: string }> };
          expect(listed.endpoints.find((e) => e.description === description)).toMatchObject({ enabled: false, previousSecretExpiresAt: expect.any(String) });
          await w.page.getByRole('button', { name: '모두 다시 보내기' }).waitFor();
        } finally {
          await w.close();
        }
      });
    });
  }

  if (signInSteps) {
    describe('signing in, step by step (desktop)', { timeout: 60_000 }, () => {
      it('a user an admin made sets a new password at the first sign-in; a policy-breaking one is refused in the page', async () => {
        const w = await watchedPage(browser, 'desktop');
        try {
          await signIn(w.page, NEWCOMER.email, NEWCOMER.temporary);
          await heading(w.page, '토스페이 운영 콘솔 새 비밀번호 설정');
          await expectPageReads(w, 'desktop-new-password');
          await w.page.getByLabel('새 비밀번호').fill('short');
          await w.page.getByRole('button', { name: '확인' }).click();
          await w.page.getByRole('alert').filter({ hasText: '12자 이상' }).waitFor();
          await w.page.getByLabel('새 비밀번호').fill(NEWCOMER.chosen);
          await w.page.getByRole('button', { name: '확인' }).click();
          await signedIn(w.page, NEWCOMER.email);
        } finally {
          await w.close();
        }
      });

      it('an admin turns on an authenticator app in 보안; the next sign-in asks for its code', async () => {
        const w = await watchedPage(browser, 'desktop');
        try {
          await signIn(w.page, MFA_ADMIN.email, MFA_ADMIN.password);
          await signedIn(w.page, MFA_ADMIN.email);
          await nav(w.page, '보안', '보안');
          await w.page.getByRole('button', { name: '인증 앱 등록 시작' }).click();
          const secret = (await w.page.locator('#totp-secret').innerText()).replace(/\s+/g, '');
          await w.page.getByLabel('앱에 표시된 6자리 코드').fill(totp(secret));
          await w.page.getByRole('button', { name: '확인하고 켜기' }).click();
          await w.page.getByRole('status').filter({ hasText: '인증 앱을 켰습니다' }).waitFor();
          await w.page.getByRole('button', { name: '로그아웃' }).click();
          await heading(w.page, '토스페이 운영 콘솔 로그인');
          await signIn(w.page, MFA_ADMIN.email, MFA_ADMIN.password);
          await heading(w.page, '토스페이 운영 콘솔 인증 코드 입력');
          await expectPageReads(w, 'desktop-mfa');
          await w.page.getByLabel('인증 코드').fill('000000');
          await w.page.getByRole('button', { name: '확인' }).click();
          await w.page.getByRole('alert').filter({ hasText: '인증 코드가 맞지 않습니다' }).waitFor();
          await w.page.getByLabel('인증 코드').fill(totp(secret));
          await w.page.getByRole('button', { name: '확인' }).click();
          await signedIn(w.page, MFA_ADMIN.email);
        } finally {
          await w.close();
        }
      });
    });
  }
}
