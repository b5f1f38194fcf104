import { createServer, type Server, type Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ToxiproxyCallError, ToxiproxyClient } from '../../src/chaos/toxiproxy.ts';
import { freePort } from '../../src/services/ports.ts';

/** An "API" that accepts connections and never says a word, like a Toxiproxy stuck under load. */
describe('a Toxiproxy API that hangs', () => {
  let silent: Server;
  let url: string;
  const sockets = new Set<Socket>();

  beforeAll(async () => {
    const port = await freePort();
    silent = createServer((socket) => {
      sockets.add(socket);
      socket.resume(); // read (and drop) the request, so a client hang-up is seen as 'close'
      socket.on('close', () => sockets.delete(socket));
    });
    await new Promise<void>((resolve) => silent.listen(port, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${port}`;
  });

  afterAll(async () => {
    for (const socket of sockets) socket.destroy();
    await new Promise((resolve) => silent?.close(resolve));
  });

  it('ends every call with a timeout error naming the call, within the timeout', async () => {
    const timeoutMs = 300;
    const client = new ToxiproxyClient(url, timeoutMs);
    const calls: Array<[string, () => Promise<unknown>]> = [
      ['version', () => client.version()],
      ['createProxy(p)', () => client.createProxy({ name: 'p', upstream: '127.0.0.1:1', listenPort: 20_001 })],
      ['disableProxy(p)', () => client.setEnabled('p', false)],
      ['addToxic(p, t)', () => client.addToxic('p', { name: 't', type: 'latency', stream: 'upstream', toxicity: 1, attributes: { latency: 1 } })],
      ['removeToxic(p, t)', () => client.removeToxic('p', 't')],
      ['listProxies', () => client.listProxies()],
      ['reset', () => client.reset()],
      ['deleteProxy(p)', () => client.deleteProxy('p')],
    ];
    for (const [call, run] of calls) {
      const started = performance.now();
      const error = await run().then(() => undefined, (e: unknown) => e);
      expect(error).toBeInstanceOf(ToxiproxyCallError);
      expect(error).toMatchObject({ call, failure: 'timeout' });
      expect((error as Error).message).toContain(call);
      // Generous upper bound: the point is "ends", not "ends on the dot".
      expect(performance.now() - started).toBeLessThan(timeoutMs + 5_000);
    }
  });

  it('aborts the hung request, so no socket is left open', async () => {
    const client = new ToxiproxyClient(url, 200);
    await expect(client.listProxies()).rejects.toMatchObject({ failure: 'timeout' });
    const deadline = Date.now() + 5_000;
    while (sockets.size > 0 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 50));
    expect(sockets.size).toBe(0);
  });

  it('reports a server that is not there as unreachable', async () => {
    const client = new ToxiproxyClient(`http://127.0.0.1:${await freePort()}`, 2_000);
    await expect(client.version()).rejects.toMatchObject({ call: 'version', failure: 'unreachable' });
  });
});
