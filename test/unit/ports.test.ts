/**
 * local/ports.ts: ports for several services at once are different ports (two freePort calls in a
 * row may both get the one the first released: a test then started two services on one port), as
 * all are held open until every one has been given.
 */
import { createServer, Server } from 'node:net';
import { describe, expect, it, vi } from 'vitest';
import { assertPortFree, freePorts } from '../../local/ports.ts';

describe('freePorts', () => {
  it('gives that many different ports, each free once it has answered', async () => {
    const ports = await freePorts(40);
    expect(ports).toHaveLength(40);
    expect(new Set(ports).size).toBe(40);
    for (const p of ports) expect(p).toBeGreaterThan(0);
    await Promise.all(ports.map((p) => assertPortFree(p, `port ${p}`)));
  });

  it('holds them all open together before releasing any (one released first could be handed out again)', async () => {
    let open = 0;
    let most = 0;
    const listen = Server.prototype.listen;
    const close = Server.prototype.close;
    const listening = vi.spyOn(Server.prototype, 'listen').mockImplementation(function (this: Server, ...args: unknown[]) {
      this.once('listening', () => (most = Math.max(most, ++open)));
      return (listen as (...a: unknown[]) => Server).apply(this, args);
    });
    const closing = vi.spyOn(Server.prototype, 'close').mockImplementation(function (this: Server, ...args: unknown[]) {
      if (this.listening) open--;
      return (close as (...a: unknown[]) => Server).apply(this, args);
    });
    try {
      await freePorts(5);
    } finally {
      listening.mockRestore();
      closing.mockRestore();
    }
    expect(most).toBe(5);
    expect(open).toBe(0);
  });

  it('gives none for zero; a port in use is reported as taken', async () => {
    expect(await freePorts(0)).toEqual([]);
    const held = createServer();
    await new Promise<void>((r) => held.listen(0, '127.0.0.1', () => r()));
    const addr = held.address();
    const port = typeof addr === 'object' && addr !== null ? addr.port : 0;
    try {
      await expect(assertPortFree(port, 'the test')).rejects.toThrow(`port ${port} for the test is already in use`);
    } finally {
      held.close();
    }
  });
});
