import { createServer } from 'node:net';
import { describe, expect, it } from 'vitest';
import { LISTEN_PORT_RANGE, canBind, freePort } from '../../src/services/ports.ts';

describe('free ports', () => {
  it('hands out distinct, bindable ports below the ephemeral range', async () => {
    const ports = await Promise.all(Array.from({ length: 20 }, () => freePort()));
    expect(new Set(ports).size).toBe(ports.length);
    for (const port of ports) {
      expect(port).toBeGreaterThanOrEqual(LISTEN_PORT_RANGE.first);
      expect(port).toBeLessThanOrEqual(LISTEN_PORT_RANGE.last);
      expect(await canBind('127.0.0.1', port)).toBe(true);
    }
  });

  it('never offers a port that is taken, or one it already handed out', async () => {
    const port = await freePort();
    const taken = createServer();
    await new Promise<void>((resolve) => taken.listen(port, '127.0.0.1', resolve));
    try {
      expect(await canBind('127.0.0.1', port)).toBe(false);
      await expect(freePort({ range: { first: port, last: port } })).rejects.toThrow(/no free port/);
    } finally {
      await new Promise((resolve) => taken.close(resolve));
    }
    expect(await canBind('127.0.0.1', port)).toBe(true);
    // Free again, but already handed out once: the first caller may be about to bind it.
    await expect(freePort({ range: { first: port, last: port } })).rejects.toThrow(/no free port/);
  });

  it('fails with one clear error when the range is exhausted or invalid', async () => {
    await expect(freePort({ range: { first: 10, last: 5 } })).rejects.toThrow(/invalid port range/);
  });
});
