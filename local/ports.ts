import { createServer } from 'node:net';

/** Resolves when `port` on 127.0.0.1 can be bound; rejects with a message naming `what` otherwise. */
export function assertPortFree(port: number, what: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', (e: NodeJS.ErrnoException) =>
      reject(
        new Error(
          e.code === 'EADDRINUSE'
            ? `port ${port} for ${what} is already in use: stop whatever holds it or choose another port`
            : `cannot use port ${port} for ${what}: ${e.message}`,
        ),
      ),
    );
    srv.listen({ port, host: '127.0.0.1', exclusive: true }, () => srv.close(() => resolve()));
  });
}

/**
 * A port the OS says is free right now. Two calls may answer the same port (the first is closed
 * before the second asks): for several at once, use freePorts.
 */
export async function freePort(): Promise<number> {
  const [port] = await freePorts(1);
  return port!;
}

/** `count` different ports the OS says are free right now: all held open together, then released. */
export async function freePorts(count: number): Promise<number[]> {
  const servers = Array.from({ length: count }, () => createServer());
  try {
    return await Promise.all(
      servers.map(
        (srv) =>
          new Promise<number>((resolve, reject) => {
            srv.once('error', reject);
            srv.listen({ port: 0, host: '127.0.0.1' }, () => {
              const addr = srv.address();
              resolve(typeof addr === 'object' && addr !== null ? addr.port : 0);
            });
          }),
      ),
    );
  } finally {
    await Promise.all(servers.map((srv) => new Promise<void>((done) => (srv.listening ? srv.close(() => done()) : done()))));
  }
}
