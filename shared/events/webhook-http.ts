/**
 * The HTTP client of webhook deliveries, on node:http and node:https (no dependency): one POST,
 * no redirect followed (a 3xx is an answer: not delivered), at most REPLY_READ_BYTES of the reply
 * read before the connection is dropped (a receiver answering with a huge or endless body costs a
 * few KiB), ended by the caller's signal. Under the public URL policy every connection's address
 * comes from publicLookup (./webhook-url.ts): the address connected to is the one checked, at
 * every delivery. Connections are kept alive between deliveries to the same receiver.
 */
import { Agent as HttpAgent, request as httpRequest, type IncomingMessage } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import type { Resolver, UrlPolicy, WebhookHttp, WebhookPost, WebhookReply } from './ports.ts';
import { ADDRESS_REFUSED, checkUrlShape, publicLookup, WebhookUrlError } from './webhook-url.ts';

/** At most this much of a receiver's reply is read; the rest is dropped with its connection. */
export const REPLY_READ_BYTES = 4 * 1024;

export type { WebhookHttp, WebhookPost, WebhookReply };

/** Why no reply came, as an attempt records it: the socket's error code, `address_not_allowed`, or `aborted`. */
function errorOf(e: unknown): string {
  const code = (e as { code?: unknown }).code;
  if (code === ADDRESS_REFUSED) return 'address_not_allowed';
  if (typeof code === 'string' && code !== '') return code;
  return (e as { name?: string }).name ?? 'error';
}

/** Reads at most `max` bytes of the reply, then drops it (and its connection). */
function drain(res: IncomingMessage, max: number): Promise<void> {
  return new Promise((resolve) => {
    let read = 0;
    res.on('data', (chunk: Buffer) => {
      read += chunk.length;
      if (read >= max) {
        res.destroy();
        resolve();
      }
    });
    res.on('end', resolve);
    res.on('close', resolve);
    // A reply cut short is still a reply: its status is the answer.
    res.on('error', () => resolve());
  });
}

/** The client for `policy`, with its own kept-alive agents (`resolve`: the name resolution the public policy checks). */
export function webhookHttp(policy: UrlPolicy, opts: { resolve?: Resolver; maxSockets?: number } = {}): WebhookHttp {
  const lookup = policy === 'public' ? publicLookup(opts.resolve) : undefined;
  const common = { keepAlive: true, maxSockets: opts.maxSockets ?? 64, ...(lookup !== undefined ? { lookup } : {}) };
  const agents = { http: new HttpAgent(common), https: new HttpsAgent(common) };
  return async (p) => {
    let u: URL;
    try {
      // A stored URL is checked again: one stored before a rule, or by hand, is refused here too.
      u = checkUrlShape(p.url, policy);
    } catch (e) {
      return { error: e instanceof WebhookUrlError ? (e.reason === 'address_not_allowed' ? 'address_not_allowed' : 'url_not_allowed') : 'url_not_allowed' };
    }
    const isHttps = u.protocol === 'https:';
    return new Promise<WebhookReply>((resolve) => {
      let settled = false;
      const done = (r: WebhookReply): void => {
        if (settled) return;
        settled = true;
        resolve(r);
      };
      const req = (isHttps ? httpsRequest : httpRequest)(u, {
        method: 'POST',
        agent: isHttps ? agents.https : agents.http,
        headers: { ...p.headers, 'content-length': String(Buffer.byteLength(p.body)) },
        signal: p.signal,
      });
      req.on('response', (res) => {
        const status = res.statusCode ?? 0;
        void drain(res, REPLY_READ_BYTES).then(() => done({ status }));
      });
      req.on('error', (e) => done({ error: errorOf(e) }));
      req.end(p.body);
    });
  };
}
