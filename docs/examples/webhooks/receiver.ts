// A webhook receiver in TypeScript (Node 20+, node:crypto and node:http alone): verifies each
// delivery as Standard Webhooks describes, then acts on the event once. Run: WEBHOOK_SECRET=whsec_… node receiver.ts
import { createHmac, timingSafeEqual } from 'node:crypto';
import { createServer } from 'node:http';

const TOLERANCE_SECONDS = 5 * 60;

/** The event when the delivery's signature is valid and recent, else undefined. */
export function verifyWebhook(secret: string, headers: Record<string, string | string[] | undefined>, body: string, nowMs = Date.now()): { id: string; type: string; data: Record<string, unknown> } | undefined {
  const id = headers['webhook-id'];
  const timestamp = headers['webhook-timestamp'];
  const signatures = headers['webhook-signature'];
  if (typeof id !== 'string' || typeof timestamp !== 'string' || typeof signatures !== 'string') return undefined;
  if (!/^\d{1,12}$/.test(timestamp) || Math.abs(nowMs / 1000 - Number(timestamp)) > TOLERANCE_SECONDS) return undefined;
  const key = Buffer.from(secret.slice('whsec_'.length), 'base64');
  const expected = Buffer.from(createHmac('sha256', key).update(`${id}.${timestamp}.${body}`).digest('base64'));
  // `v1,<base64>`, space-separated: two of them while the secret is being rotated. Either will do.
  const valid = signatures.split(' ').some((s) => {
    const given = Buffer.from(s.startsWith('v1,') ? s.slice(3) : '');
    return given.length === expected.length && timingSafeEqual(given, expected);
  });
  return valid ? (JSON.parse(body) as { id: string; type: string; data: Record<string, unknown> }) : undefined;
}

const secret = process.env.WEBHOOK_SECRET ?? '';
const server = createServer((req, res) => {
  const chunks: Buffer[] = [];
  req.on('data', (c: Buffer) => chunks.push(c));
  req.on('end', () => {
    const event = verifyWebhook(secret, req.headers, Buffer.concat(chunks).toString('utf8'));
    if (event === undefined) {
      res.writeHead(400).end();
      return;
    }
    // Deliveries repeat: act once per event.id (e.g. a unique key in your database), then answer 2xx.
    console.log(`verified ${event.id} ${event.type} ${String(event.data.orderNo)}`);
    res.writeHead(204).end();
  });
});
server.listen(Number(process.env.PORT ?? 8080), '127.0.0.1', () => {
  const address = server.address();
  console.log(`listening on ${typeof address === 'object' && address !== null ? address.port : ''}`);
});
