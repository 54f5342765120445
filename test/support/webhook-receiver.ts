/**
 * A merchant's webhook receiver for tests: a real HTTP server that records every delivery (headers
 * and the exact body bytes), verifies each one with the independent `standardwebhooks` package
 * (not the project's own signing code), and answers as told: 200, or a failing status for the
 * next N deliveries, or no answer until the sender times out.
 */
import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Webhook } from 'standardwebhooks';
import { readAll, sendJson } from '../../local/http-io.ts';

export interface Delivery {
  /** `webhook-id`, `webhook-timestamp`, `webhook-signature` and the rest, lower-case names. */
  headers: Record<string, string>;
  /** The body exactly as received. */
  body: string;
  /** When it arrived (epoch ms). */
  at: number;
  /** What the receiver answered. */
  status: number;
  /** The standardwebhooks package accepted the signature and timestamp (at arrival). */
  verified: boolean;
  /** Why it did not, if it did not. */
  verifyError?: string;
}

export interface WebhookReceiver {
  url: string;
  /** The signing secret (`whsec_…`) it verifies with: the one the functions are given, or an endpoint's. */
  secret: string;
  /** Verifies from now on with `secret` (an endpoint's, as the API handed it out). */
  setSecret(secret: string): void;
  /** Holds every request from now on unanswered (true), or answers again (false). */
  hang(on: boolean): void;
  /** Every delivery so far, answered ones and failed ones, oldest first. */
  deliveries(): Delivery[];
  /** The deliveries of one event (by webhook-id). */
  deliveriesOf(eventId: string): Delivery[];
  /** Deliveries answered 2xx, parsed (the envelope). */
  accepted(): Array<{ id: string; type: string; timestamp: string; data: Record<string, unknown> }>;
  /** The next `n` deliveries are answered `status` (default 500). */
  failNext(n: number, status?: number): void;
  /** Verifies a delivery (or any body and headers) with the standardwebhooks package; throws when it is not valid. */
  verify(body: string, headers: Record<string, string>): unknown;
  clear(): void;
  close(): Promise<void>;
}

/** A fresh `whsec_` secret (24 random bytes, as docs/guides/receive-webhooks.md asks). */
export const newWebhookSecret = (): string => `whsec_${randomBytes(24).toString('base64')}`;


export async function startWebhookReceiver(opts: { secret?: string } = {}): Promise<WebhookReceiver> {
  let secret = opts.secret ?? newWebhookSecret();
  let wh = new Webhook(secret);
  let deliveries: Delivery[] = [];
  let failing = { n: 0, status: 500 };
  let hanging = false;

  const headersOf = (req: IncomingMessage): Record<string, string> => {
    const out: Record<string, string> = {};
    for (const [k, v] of Object.entries(req.headers)) if (v !== undefined) out[k] = Array.isArray(v) ? v.join(',') : v;
    return out;
  };

  async function onRequest(req: IncomingMessage, res: ServerResponse): Promise<void> {
    if (hanging) {
      req.resume();
      return;
    }
    const body = (await readAll(req)).toString('utf8');
    const headers = headersOf(req);
    let verified = true;
    let verifyError: string | undefined;
    try {
      wh.verify(body, headers);
    } catch (e) {
      verified = false;
      verifyError = e instanceof Error ? e.message : String(e);
    }
    let status = verified ? 200 : 401;
    if (verified && failing.n > 0) {
      failing.n--;
      status = failing.status;
    }
    deliveries.push({ headers, body, at: Date.now(), status, verified, ...(verifyError !== undefined ? { verifyError } : {}) });
    sendJson(res, status, { ok: status < 300 });
  }

  const server = createServer((req, res) => {
    onRequest(req, res).catch(() => {
      res.writeHead(500);
      res.end();
    });
  });
  await new Promise<void>((resolve) => server.listen({ port: 0, host: '127.0.0.1' }, () => resolve()));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}/webhooks`,
    get secret() {
      return secret;
    },
    setSecret: (s) => {
      secret = s;
      wh = new Webhook(s);
    },
    hang: (on) => {
      hanging = on;
    },
    deliveries: () => deliveries.map((d) => ({ ...d })),
    deliveriesOf: (eventId) => deliveries.filter((d) => d.headers['webhook-id'] === eventId).map((d) => ({ ...d })),
    accepted: () =>
      deliveries.filter((d) => d.status >= 200 && d.status < 300).map((d) => JSON.parse(d.body) as { id: string; type: string; timestamp: string; data: Record<string, unknown> }),
    failNext: (n, status = 500) => {
      failing = { n, status };
    },
    verify: (body, headers) => wh.verify(body, headers),
    clear: () => {
      deliveries = [];
    },
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((e) => (e ? reject(e) : resolve()));
        server.closeAllConnections();
      }),
  };
}
