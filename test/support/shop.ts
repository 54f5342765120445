/**
 * The demo shop on top of the integration harness (test/support/stack.ts starts its gateway
 * without the shop): a second local gateway in the same process, serving `GET /` and
 * `POST /demo/checkout` with the harness's merchant token. Its checkout calls `POST /payments` on
 * itself, which runs the same functions with the same environment, so the payment's retUrl and
 * callback point at the harness's gateway (PUBLIC_BASE_URL) exactly as with `npm start`.
 */
import { startGateway } from '../../local/gateway/server.ts';
import type { Stack } from './stack.ts';

export interface Shop {
  /** The shop's page, e.g. http://127.0.0.1:PORT/ */
  url: string;
  close(): Promise<void>;
}

export async function startShop(stack: Pick<Stack, 'token'>): Promise<Shop> {
  const gw = await startGateway({ port: 0, host: '127.0.0.1', quiet: true, demoShop: { merchantToken: stack.token } });
  return { url: `${gw.url}/`, close: () => gw.close() };
}
