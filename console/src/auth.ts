/**
 * Signing in, with the user pool's own API (USER_PASSWORD_AUTH over HTTPS, no SDK): the password
 * goes to the pool only. Challenges: NEW_PASSWORD_REQUIRED (a user an admin made signs in the
 * first time) and SOFTWARE_TOKEN_MFA (a user who turned on an authenticator app).
 *
 * Where the tokens live: the ID and access tokens in this module's memory only (never
 * localStorage, never a URL, never a cookie: the API takes them as a bearer token, so no request
 * carries them unless this code adds them, and there is nothing for a CSRF to ride on). The
 * refresh token in sessionStorage, so a reload of this tab stays signed in: it is gone when the tab
 * closes, other tabs and sites cannot read it, and the page's Content-Security-Policy runs only
 * this origin's script. The ID token is what the API is sent: it names the person (email) and
 * their role (cognito:groups). Tokens last 15 minutes and are renewed a minute before; the
 * refresh token a working day. Signing out revokes the refresh token at the pool.
 */
import { roleOfGroups, type Role } from '../../shared/roles.ts';

export interface ConsoleConfig {
  cognitoEndpoint: string;
  clientId: string;
}

export interface User {
  sub: string;
  email: string;
  role: Role;
}

interface Tokens {
  idToken: string;
  accessToken: string;
  /** Epoch ms the ID token expires. */
  expiresAt: number;
}

export type SignInStep =
  | { kind: 'done'; user: User }
  | { kind: 'newPassword'; session: string; username: string }
  | { kind: 'mfa'; session: string; username: string };

export class SignInError extends Error {
  override name = 'SignInError';
}

const REFRESH_KEY = 'toss-pay-console.refresh';
const RENEW_BEFORE_MS = 60_000;

let tokens: Tokens | undefined;
let user: User | undefined;
let renewing: Promise<boolean> | undefined;

export function readConfig(): ConsoleConfig {
  const meta = document.querySelector('meta[name="console-config"]');
  return JSON.parse(meta?.getAttribute('content') ?? '{}') as ConsoleConfig;
}

const config = readConfig();

interface CognitoReply {
  AuthenticationResult?: { IdToken: string; AccessToken: string; RefreshToken?: string; ExpiresIn?: number };
  ChallengeName?: string;
  Session?: string;
}

/** What the call is for: the same error of the pool means another thing to the person (a wrong password, or one the policy refuses). */
type Step = 'signIn' | 'newPassword' | 'other';

async function call(target: string, body: Record<string, unknown>, step: Step = 'other'): Promise<CognitoReply> {
  let r: Response;
  try {
    r = await fetch(config.cognitoEndpoint, {
      method: 'POST',
      headers: { 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': `AWSCognitoIdentityProviderService.${target}` },
      body: JSON.stringify(body),
    });
  } catch {
    throw new SignInError('로그인 서버에 연결하지 못했습니다. 잠시 후 다시 시도하세요.');
  }
  const json = (await r.json().catch(() => ({}))) as CognitoReply & { __type?: string };
  if (!r.ok) throw new SignInError(messageOf(String(json.__type ?? ''), step));
  return json;
}

/** The pool's error, in Korean, never naming whether the account exists. */
function messageOf(type: string, step: Step): string {
  if (/CodeMismatch|ExpiredCode/.test(type)) return '인증 코드가 맞지 않습니다. 앱에 표시된 새 코드를 입력하세요.';
  if (/InvalidPassword/.test(type) && step === 'newPassword') return '새 비밀번호가 비밀번호 정책에 맞지 않습니다.';
  if (/InvalidPassword/.test(type)) return '이메일 또는 비밀번호가 맞지 않습니다.';
  if (/PasswordResetRequired/.test(type)) return '비밀번호를 다시 설정해야 합니다. 관리자에게 문의하세요.';
  if (/TooManyRequests|LimitExceeded|TooManyFailedAttempts/.test(type)) return '시도가 너무 많습니다. 잠시 후 다시 시도하세요.';
  if (/NotAuthorized|UserNotFound|UserNotConfirmed/.test(type)) return '이메일 또는 비밀번호가 맞지 않습니다.';
  return '로그인하지 못했습니다. 잠시 후 다시 시도하세요.';
}

/** The claims of a token (not verified here: the API verifies it; this only reads the name and role to show). */
function claimsOf(jwt: string): Record<string, unknown> {
  const part = jwt.split('.')[1] ?? '';
  const json = atob(part.replace(/-/g, '+').replace(/_/g, '/'));
  const bytes = Uint8Array.from(json, (c) => c.charCodeAt(0));
  return JSON.parse(new TextDecoder().decode(bytes)) as Record<string, unknown>;
}

function accept(result: NonNullable<CognitoReply['AuthenticationResult']>): User {
  const claims = claimsOf(result.IdToken);
  const groups = Array.isArray(claims['cognito:groups']) ? (claims['cognito:groups'] as unknown[]).filter((g): g is string => typeof g === 'string') : [];
  const role = roleOfGroups(groups);
  if (role === undefined) throw new SignInError('이 계정에는 콘솔 권한(viewer, operator, admin)이 없습니다. 관리자에게 문의하세요.');
  tokens = { idToken: result.IdToken, accessToken: result.AccessToken, expiresAt: Number(claims.exp) * 1000 };
  if (result.RefreshToken !== undefined) sessionStorage.setItem(REFRESH_KEY, result.RefreshToken);
  user = { sub: String(claims.sub), email: typeof claims.email === 'string' ? claims.email : String(claims['cognito:username'] ?? ''), role };
  return user;
}

function stepOf(r: CognitoReply, username: string): SignInStep {
  if (r.AuthenticationResult !== undefined) return { kind: 'done', user: accept(r.AuthenticationResult) };
  if (r.ChallengeName === 'NEW_PASSWORD_REQUIRED' && r.Session !== undefined) return { kind: 'newPassword', session: r.Session, username };
  if (r.ChallengeName === 'SOFTWARE_TOKEN_MFA' && r.Session !== undefined) return { kind: 'mfa', session: r.Session, username };
  throw new SignInError('이 로그인 방식은 콘솔에서 지원하지 않습니다. 관리자에게 문의하세요.');
}

export async function signIn(email: string, password: string): Promise<SignInStep> {
  const r = await call('InitiateAuth', { AuthFlow: 'USER_PASSWORD_AUTH', ClientId: config.clientId, AuthParameters: { USERNAME: email, PASSWORD: password } }, 'signIn');
  return stepOf(r, email);
}

export async function setNewPassword(step: Extract<SignInStep, { kind: 'newPassword' }>, password: string): Promise<SignInStep> {
  const r = await call('RespondToAuthChallenge', {
    ChallengeName: 'NEW_PASSWORD_REQUIRED',
    ClientId: config.clientId,
    Session: step.session,
    ChallengeResponses: { USERNAME: step.username, NEW_PASSWORD: password },
  }, 'newPassword');
  return stepOf(r, step.username);
}

export async function answerMfa(step: Extract<SignInStep, { kind: 'mfa' }>, code: string): Promise<SignInStep> {
  const r = await call('RespondToAuthChallenge', {
    ChallengeName: 'SOFTWARE_TOKEN_MFA',
    ClientId: config.clientId,
    Session: step.session,
    ChallengeResponses: { USERNAME: step.username, SOFTWARE_TOKEN_MFA_CODE: code },
  });
  return stepOf(r, step.username);
}

/** New tokens from the refresh token; false when there is none or the pool refuses it. */
async function renew(): Promise<boolean> {
  const refresh = sessionStorage.getItem(REFRESH_KEY);
  if (refresh === null) return false;
  try {
    const r = await call('InitiateAuth', { AuthFlow: 'REFRESH_TOKEN_AUTH', ClientId: config.clientId, AuthParameters: { REFRESH_TOKEN: refresh } });
    if (r.AuthenticationResult === undefined) return false;
    accept(r.AuthenticationResult);
    return true;
  } catch {
    forget();
    return false;
  }
}

const renewOnce = (): Promise<boolean> => (renewing ??= renew().finally(() => (renewing = undefined)));

/** The signed-in user after a reload of this tab (from the refresh token), if any. */
export async function resume(): Promise<User | undefined> {
  return (await renewOnce()) ? user : undefined;
}

export const currentUser = (): User | undefined => user;

/** The token for the next API call, renewed when it is about to expire; undefined when signed out. */
export async function bearer(force = false): Promise<string | undefined> {
  if (tokens === undefined) return undefined;
  if (force || tokens.expiresAt - Date.now() < RENEW_BEFORE_MS) {
    if (!(await renewOnce())) return undefined;
  }
  return tokens?.idToken;
}

/** The access token, for the pool's own API (an authenticator app). */
export const accessToken = (): string | undefined => tokens?.accessToken;

export async function associateTotp(): Promise<string> {
  const r = (await call('AssociateSoftwareToken', { AccessToken: accessToken() })) as { SecretCode?: string };
  if (r.SecretCode === undefined) throw new SignInError('인증 앱을 등록하지 못했습니다.');
  return r.SecretCode;
}

export async function verifyTotp(code: string): Promise<void> {
  await call('VerifySoftwareToken', { AccessToken: accessToken(), UserCode: code, FriendlyDeviceName: 'console' });
  await call('SetUserMFAPreference', { AccessToken: accessToken(), SoftwareTokenMfaSettings: { Enabled: true, PreferredMfa: true } });
}

function forget(): void {
  tokens = undefined;
  user = undefined;
  sessionStorage.removeItem(REFRESH_KEY);
}

/** Signs out: the refresh token is revoked at the pool (its tokens stop renewing), and every token is forgotten. */
export async function signOut(): Promise<void> {
  const refresh = sessionStorage.getItem(REFRESH_KEY);
  forget();
  if (refresh !== null) await call('RevokeToken', { ClientId: config.clientId, Token: refresh }).catch(() => undefined);
}
