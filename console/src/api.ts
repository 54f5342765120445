/**
 * The console's calls to this API (the same origin): only the public API, with the signed-in
 * user's token as a bearer token. A refused token (expired, revoked) is renewed once; then the
 * session is over and the user signs in again.
 */
import { bearer } from './auth.ts';

export class ApiError extends Error {
  override name = 'ApiError';
  readonly status: number;
  /** The API's stable code (`FORBIDDEN_ROLE`), or SESSION_ENDED when the token is no longer accepted. */
  readonly code: string;
  constructor(status: number, code: string, message: string) {
    super(message);
    this.status = status;
    this.code = code;
  }
}

let onSessionEnded: () => void = () => undefined;
export const whenSessionEnds = (f: () => void): void => {
  onSessionEnded = f;
};

async function send(path: string, init: RequestInit, token: string): Promise<Response> {
  return fetch(path, { ...init, headers: { ...(init.headers as Record<string, string> | undefined), authorization: `Bearer ${token}` }, cache: 'no-store' });
}

export async function api<T>(path: string, init: RequestInit & { json?: unknown } = {}): Promise<T> {
  const { json, ...rest } = init;
  const req: RequestInit = json === undefined ? rest : { ...rest, body: JSON.stringify(json), headers: { ...(rest.headers as Record<string, string> | undefined), 'content-type': 'application/json' } };
  let token = await bearer();
  if (token === undefined) return ended();
  let r = await send(path, req, token);
  // API Gateway's own 401/403 (no `error` body): the token is no longer accepted. Renew once.
  if (r.status === 401 || (r.status === 403 && !(await isOurs(r.clone())))) {
    token = await bearer(true);
    if (token === undefined) return ended();
    r = await send(path, req, token);
    if (r.status === 401 || (r.status === 403 && !(await isOurs(r.clone())))) return ended();
  }
  const body = (await r.json().catch(() => ({}))) as { error?: { code?: string; message?: string } };
  if (!r.ok) throw new ApiError(r.status, body.error?.code ?? `HTTP_${r.status}`, body.error?.message ?? '');
  return body as T;
}

const isOurs = async (r: Response): Promise<boolean> => ((await r.json().catch(() => ({}))) as { error?: unknown }).error !== undefined;

function ended(): never {
  onSessionEnded();
  throw new ApiError(401, 'SESSION_ENDED', 'the session ended');
}
