/**
 * How every local server (the gateway, the Toss sandbox, the EventBridge stand-in, the DynamoDB
 * proxy, and the tests' and benchmarks' doubles) reads a request's body and answers with JSON: one
 * module, so none of them gets a limit, a length or a content type of its own by accident.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';

/**
 * The request's whole body, or undefined when it is over `maxBytes` (what is over is read and
 * dropped, so that the reply can still be sent, until `drainBytes`; then the connection is cut).
 */
export function readBody(req: IncomingMessage, maxBytes = Number.POSITIVE_INFINITY, drainBytes = 64 * maxBytes): Promise<Buffer | undefined> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size <= maxBytes) chunks.push(chunk);
      else if (size > drainBytes) {
        req.destroy();
        resolve(undefined);
      }
    });
    req.on('end', () => resolve(size > maxBytes ? undefined : Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

/** The request's whole body, however large (a server that limits nothing: the DynamoDB proxy, the doubles). */
export async function readAll(req: IncomingMessage): Promise<Buffer> {
  return (await readBody(req)) ?? Buffer.alloc(0);
}

/**
 * A JSON reply: `value` as JSON (nothing for undefined), its length, and `headers` (names in any
 * case; a content type there wins over `application/json`).
 */
export function sendJson(res: ServerResponse, status: number, value: unknown, headers: Record<string, string> = {}): void {
  const body = value === undefined ? '' : JSON.stringify(value);
  const given = Object.fromEntries(Object.entries(headers).map(([k, v]) => [k.toLowerCase(), v]));
  res.writeHead(status, { 'content-type': 'application/json', ...given, 'content-length': String(Buffer.byteLength(body)) });
  res.end(body);
}
