/**
 * The demo shop on top of the integration harness (test/support/stack.ts starts its gateway
 * without the shop): a second local gateway in the same process, serving `GET /` and
 * `POST /demo/checkout` with the harness's merchant token. Its checkout calls `POST /payments` on
 * itself, which runs the same functions with the same environment, so the payment's retUrl and
 * callback point at the harness's gateway (PUBLIC_BASE_URL) exactly as with `npm start`.
 *
 * With `webhookSecret` the shop also receives the events at `POST /demo/webhooks` (give the stack
 * that URL and secret: `startStack(env, { webhooks: { url: shopWebhookUrl(port), secret } })`, with
 * the port chosen first) and shows an order as 배송 준비 중 once its payment.completed arrived.
 */
import { startGateway } from '../../local/gateway/server.ts';
import type { DemoShop } from '../../local/gateway/demo-shop.ts';
import type { Stack } from './stack.ts';

export interface Shop {
  /** The shop's page, e.g. http://127.0.0.1:PORT/ */
  url: string;
  /** What the shop knows of its orders (from its checkout and its webhooks). */
  shop: DemoShop;
  close(): Promise<void>;
}

/** The shop's webhook receiver on `port`. */
export const shopWebhookUrl = (port: number): string => `http://127.0.0.1:${port}/demo/webhooks`;

export async function startShop(stack: Pick<Stack, 'token'>, opts: { port?: number; webhookSecret?: string } = {}): Promise<Shop> {
  const gw = await startGateway({
    port: opts.port ?? 0,
    host: '127.0.0.1',
    quiet: true,
    demoShop: { merchantToken: stack.token, ...(opts.webhookSecret !== undefined ? { webhookSecret: opts.webhookSecret } : {}) },
  });
  if (gw.demoShop === undefined) throw new Error('the gateway serves no demo shop');
  return { url: `${gw.url}/`, shop: gw.demoShop, close: () => gw.close() };
}
