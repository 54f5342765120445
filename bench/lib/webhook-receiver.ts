/**
 * The bench's webhook receiver (MERCHANT_WEBHOOK_URL of the events section): a plain node:http
 * server that answers every POST 204 at once and records when it arrived (epoch ms, on receipt of
 * the whole body), its path (each endpoint has its own) and the envelope's id, type, timestamp and data.orderNo. While `hang(true)`, it
 * answers nothing: it holds each request until the sender gives up (and counts them). It does not verify the
 * signatures (the integration tests do, with the standardwebhooks package): here only the time
 * of arrival matters, and the receiver should cost as little CPU as possible.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { readAll } from '../../local/http-io.ts';

export interface ReceivedWebhook {
  /** The request's path and query: which endpoint it was sent to (the events section gives each its own). */
  path: string;
  id: string;
  type: string;
  /** The envelope's timestamp (ISO): the committed change. */
  timestamp: string;
  orderNo: string;
  /** Arrival, epoch ms. */
  at: number;
}

export interface WebhookReceiver {
  url: string;
  deliveries(): ReceivedWebhook[];
  /** Holds every request from now on, unanswered (true), or answers again (false). */
  hang(on: boolean): void;
  /** Requests held unanswered so far. */
  held(): number;
  clear(): void;
  close(): Promise<void>;
}

export async function startWebhookReceiver(): Promise<WebhookReceiver> {
  let received: ReceivedWebhook[] = [];
  let hanging = false;
  let held = 0;
  const server = createServer((req, res) => {
    if (hanging) {
      held++;
      req.resume();
      return;
    }
    readAll(req).then(
      (body) => {
        const at = Date.now();
        try {
          const e = JSON.parse(body.toString('utf8')) as { id?: string; type?: string; timestamp?: string; data?: { orderNo?: string } };
          received.push({ path: req.url ?? '', id: String(e.id), type: String(e.type), timestamp: String(e.timestamp), orderNo: String(e.data?.orderNo), at });
          res.writeHead(204).end();
        } catch {
          res.writeHead(400).end();
        }
      },
      () => res.writeHead(400).end(),
    );
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/webhooks`,
    deliveries: () => [...received],
    hang: (on) => {
      hanging = on;
    },
    held: () => held,
    clear: () => {
      received = [];
    },
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
