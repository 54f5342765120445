/**
 * local/ports.ts: ports for several services at once are different ports (two freePort calls in a
 * row may both get the one the first released: a test then started two services on one port).
 */
import { createServer } from 'node:net';
import { describe, expect, it } from 'vitest';
import { assertPortFree, freePorts } from '../../local/ports.ts';

describe('freePorts', () => {
  it('gives that many different ports, each free once it has answered', async () => {
    const ports = await freePorts(40);
    expect(ports).toHaveLength(40);
    expect(new Set(ports).size).toBe(40);
    for (const p of ports) expect(p).toBeGreaterThan(0);
    await Promise.all(ports.map((p) => assertPortFree(p, `port ${p}`)));
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
