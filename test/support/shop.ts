/**
 * The demo shop on top of the integration harness (test/support/stack.ts starts its gateway
 * without the shop): a second local gateway in the same process, serving `GET /` and
 * `POST /demo/checkout` with the harness's merchant token. Its checkout calls `POST /payments` on
 * itself, which runs the same functions with the same environment, so the payment's retUrl and
 * callback point at the harness's gateway (PUBLIC_BASE_URL) exactly as with `npm start`.
 *
 * With `webhookSecret` the shop also receives the events at `POST /demo/webhooks` (start the shop
 * first, then give the stack its `webhookUrl` and the secret: `startStack(env, { webhooks: { url:
 * shop.webhookUrl, secret } })`) and shows an order as 배송 준비 중 once its payment.completed arrived.
 * The shop listens before the stack starts: a port chosen first and bound later could be taken in
 * between by another test file's server.
 */
import { startGateway } from '../../local/gateway/server.ts';
import type { DemoShop } from '../../local/gateway/demo-shop.ts';
import { TEST_TOKEN } from './stack.ts';

export interface Shop {
  /** The shop's page, e.g. http://127.0.0.1:PORT/ */
  url: string;
  /** Where the shop receives the events (POST). */
  webhookUrl: string;
  /** What the shop knows of its orders (from its checkout and its webhooks). */
  shop: DemoShop;
  close(): Promise<void>;
}

/** The shop on a free port, ordering with the harness's merchant token (the stack's `token`). */
export async function startShop(opts: { webhookSecret?: string } = {}): Promise<Shop> {
  const gw = await startGateway({
    port: 0,
    host: '127.0.0.1',
    quiet: true,
    demoShop: { merchantToken: TEST_TOKEN, ...(opts.webhookSecret !== undefined ? { webhookSecret: opts.webhookSecret } : {}) },
  });
  if (gw.demoShop === undefined) throw new Error('the gateway serves no demo shop');
  return { url: `${gw.url}/`, webhookUrl: `${gw.url}/demo/webhooks`, shop: gw.demoShop, close: () => gw.close() };
}
