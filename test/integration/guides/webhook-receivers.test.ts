/**
 * The webhook receivers of docs/guides/receive-webhooks.md (docs/examples/webhooks: TypeScript,
 * Java, Python), each run as its own program with its own runtime, verify real deliveries of the
 * local stack: the stack delivers every event to a relay here, which sends each delivery, headers
 * and body as they came, to the three receivers. Each accepts it (204, naming the event), accepts
 * it with a second, wrong signature beside the right one (a secret rotation), and refuses it with
 * the body changed or without a valid signature (400). The guide shows each file word for word.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, startStack, type Stack } from '../../support/stack.ts';
import { javaRuntime, pythonRuntime } from '../../support/runtimes.ts';
import { payOrder } from '../events/support.ts';

const ROOT = join(import.meta.dirname, '..', '..', '..');
const EXAMPLES = join(ROOT, 'docs', 'examples', 'webhooks');
const SECRET = `whsec_${randomBytes(32).toString('base64')}`;

interface Receiver {
  name: string;
  file: string;
  lang: string;
  child: ChildProcess;
  url: string;
  lines: string[];
}
interface Delivery {
  headers: IncomingHttpHeaders;
  body: string;
}

const RECEIVERS = [
  { name: 'TypeScript', file: 'receiver.ts', lang: 'ts', command: () => [process.execPath, 'receiver.ts'] },
  { name: 'Java', file: 'WebhookReceiver.java', lang: 'java', command: () => [javaRuntime(), 'WebhookReceiver.java'] },
  { name: 'Python', file: 'receiver.py', lang: 'python', command: () => [pythonRuntime(), 'receiver.py'] },
] as const;

function startReceiver(r: (typeof RECEIVERS)[number]): Promise<Receiver> {
  const [cmd, ...args] = r.command();
  const child = spawn(cmd ?? '', args, { cwd: EXAMPLES, env: { ...process.env, PORT: '0', WEBHOOK_SECRET: SECRET }, stdio: ['ignore', 'pipe', 'pipe'] });
  const lines: string[] = [];
  let errors = '';
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${r.name} receiver did not start: ${errors}`)), 30_000);
    child.stderr?.on('data', (b: Buffer) => (errors += b.toString()));
    child.on('exit', (code) => reject(new Error(`${r.name} receiver exited (${code}): ${errors}`)));
    let buffer = '';
    child.stdout?.on('data', (b: Buffer) => {
      buffer += b.toString();
      for (let i = buffer.indexOf('\n'); i >= 0; i = buffer.indexOf('\n')) {
        const line = buffer.slice(0, i).trim();
        buffer = buffer.slice(i + 1);
        lines.push(line);
        const port = /^listening on (\d+)$/.exec(line)?.[1];
        if (port !== undefined) {
          clearTimeout(timer);
          resolve({ name: r.name, file: r.file, lang: r.lang, child, url: `http://127.0.0.1:${port}/`, lines });
        }
      }
    });
  });
}

/** Sends a delivery to a receiver as the stack sent it (or changed); the receiver's status. */
async function send(to: Receiver, d: Delivery): Promise<number> {
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  for (const name of ['webhook-id', 'webhook-timestamp', 'webhook-signature']) headers[name] = String(d.headers[name]);
  const res = await fetch(to.url, { method: 'POST', headers, body: d.body });
  return res.status;
}

let receivers: Receiver[] = [];
let relay: Server;
const deliveries: Delivery[] = [];
let s: Stack;

beforeAll(async () => {
  receivers = await Promise.all(RECEIVERS.map(startReceiver));
  relay = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString('utf8')));
    req.on('end', () => {
      deliveries.push({ headers: req.headers, body });
      res.writeHead(204).end();
    });
  });
  await new Promise<void>((resolve) => relay.listen(0, '127.0.0.1', resolve));
  const address = relay.address();
  s = await startStack({}, { webhooks: { url: `http://127.0.0.1:${typeof address === 'object' && address !== null ? address.port : 0}/`, secret: SECRET } });
}, 60_000);
afterAll(async () => {
  for (const r of receivers) r.child.kill();
  relay?.close();
  await s?.stop();
});

describe('the webhook receivers of the guide, against real deliveries of the local stack', () => {
  it('are in docs/guides/receive-webhooks.md word for word', () => {
    const guide = readFileSync(join(ROOT, 'docs', 'guides', 'receive-webhooks.md'), 'utf8');
    for (const r of RECEIVERS) {
      const code = readFileSync(join(EXAMPLES, r.file), 'utf8');
      expect(guide.includes(`\`\`\`${r.lang}\n${code}\`\`\`\n`), `the guide holds docs/examples/webhooks/${r.file} as a ${r.lang} block`).toBe(true);
    }
  });

  it('each verifies payment.completed as delivered, with a second signature too, and refuses it changed', async () => {
    const { orderNo } = await payOrder(s, { prefix: 'wh' });
    const delivery = await eventually(async () => deliveries.find((d) => d.body.includes('"payment.completed"') && d.body.includes(orderNo)), 10_000);
    const id = String(delivery.headers['webhook-id']);
    const rotated: Delivery = { ...delivery, headers: { ...delivery.headers, 'webhook-signature': `v1,${randomBytes(32).toString('base64')} ${String(delivery.headers['webhook-signature'])}` } };
    const changed: Delivery = { ...delivery, body: delivery.body.replace('"paid":true', '"paid":false') };
    const unsigned: Delivery = { ...delivery, headers: { ...delivery.headers, 'webhook-signature': `v1,${randomBytes(32).toString('base64')}` } };
    expect(changed.body).not.toBe(delivery.body);
    for (const r of receivers) {
      expect(await send(r, delivery), `${r.name}: the delivery`).toBe(204);
      expect(await send(r, rotated), `${r.name}: with a second signature`).toBe(204);
      expect(await send(r, changed), `${r.name}: the body changed`).toBe(400);
      expect(await send(r, unsigned), `${r.name}: no valid signature`).toBe(400);
      await eventually(async () => (r.lines.includes(`verified ${id} payment.completed ${orderNo}`) ? true : undefined));
    }
  });
});
