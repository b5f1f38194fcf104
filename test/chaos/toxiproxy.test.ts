import { createServer, connect, type Server } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ToxiproxyClient } from '../../src/chaos/toxiproxy.ts';
import { canBind, freePort } from '../../src/services/ports.ts';
import { startToxiproxy, type ToxiproxyServer } from '../../src/services/toxiproxy-server.ts';

/** Sends one line through `port` and resolves with the echo and the time it took, or rejects. */
function roundTrip(port: number, timeoutMs = 5_000): Promise<{ reply: string; ms: number }> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const socket = connect({ host: '127.0.0.1', port });
    let reply = '';
    socket.setTimeout(timeoutMs, () => socket.destroy(new Error('round trip timed out')));
    socket.on('connect', () => socket.write('ping\n'));
    socket.on('data', (chunk) => {
      reply += chunk.toString();
      if (reply.endsWith('\n')) {
        socket.end();
        resolve({ reply: reply.trim(), ms: performance.now() - started });
      }
    });
    socket.on('error', reject);
    socket.on('close', () => reject(new Error(`closed after ${JSON.stringify(reply)}`)));
  });
}

/** Round trips that must all fail: a disabled or deleted proxy refuses or drops the connection. */
async function expectNoTraffic(port: number): Promise<void> {
  await expect(roundTrip(port, 2_000)).rejects.toThrow();
}

describe('Toxiproxy lifecycle against the real server', () => {
  let server: ToxiproxyServer;
  let echo: Server;
  let echoPort: number;
  let client: ToxiproxyClient;

  beforeAll(async () => {
    echoPort = await freePort();
    echo = createServer((socket) => socket.pipe(socket));
    await new Promise<void>((resolve) => echo.listen(echoPort, '127.0.0.1', resolve));
    server = await startToxiproxy();
    client = new ToxiproxyClient(server.url);
  });

  afterAll(async () => {
    await server?.stop();
    await new Promise((resolve) => echo?.close(resolve));
  });

  it('starts a server of the pinned version on a port outside the ephemeral range', async () => {
    expect(server.started).toBe(true);
    expect(server.port).toBeGreaterThanOrEqual(20_000);
    expect(server.port).toBeLessThan(32_768);
    expect(await client.version()).toMatch(/\S/);
  });

  it('proxies traffic, refuses it when disabled, slows it with latency and forgets the proxy when deleted', async () => {
    const proxy = await client.createProxy({ name: 'echo', upstream: `127.0.0.1:${echoPort}` });
    const proxyPort = Number(proxy.listen.split(':').at(-1));
    expect(proxy.listen.startsWith('127.0.0.1:')).toBe(true);
    expect((await roundTrip(proxyPort)).reply).toBe('ping');

    await client.setEnabled('echo', false);
    await expectNoTraffic(proxyPort);
    await client.setEnabled('echo', true);
    const direct = await roundTrip(proxyPort);
    expect(direct.reply).toBe('ping');

    const latencyMs = 300;
    await client.addToxic('echo', { name: 'slow', type: 'latency', stream: 'downstream', toxicity: 1, attributes: { latency: latencyMs, jitter: 0 } });
    expect((await client.listProxies()).find((p) => p.name === 'echo')?.toxics.map((t) => t.name)).toEqual(['slow']);
    const slowed = await roundTrip(proxyPort);
    expect(slowed.reply).toBe('ping');
    // A lower bound only: the toxic cannot deliver sooner than its latency, however busy the machine.
    expect(slowed.ms).toBeGreaterThanOrEqual(latencyMs * 0.9);

    await client.removeToxic('echo', 'slow');
    await client.removeToxic('echo', 'slow'); // a heal repeated is fine
    expect((await client.listProxies()).find((p) => p.name === 'echo')?.toxics).toEqual([]);

    await client.addToxic('echo', { name: 'again', type: 'latency', stream: 'upstream', toxicity: 1, attributes: { latency: 50, jitter: 0 } });
    await client.setEnabled('echo', false);
    await client.reset();
    const afterReset = (await client.listProxies()).find((p) => p.name === 'echo');
    expect(afterReset).toMatchObject({ enabled: true, toxics: [] });

    await client.deleteProxy('echo');
    expect(await client.listProxies()).toEqual([]);
    await expectNoTraffic(proxyPort);
  });

  it('names the call and the reason when Toxiproxy rejects it', async () => {
    await expect(client.addToxic('no-such-proxy', { name: 'x', type: 'latency', stream: 'downstream', toxicity: 1, attributes: { latency: 1, jitter: 0 } }))
      .rejects.toMatchObject({ call: 'addToxic(no-such-proxy, x)', failure: 'rejected', status: 404 });
    await client.createProxy({ name: 'twice', upstream: `127.0.0.1:${echoPort}` });
    await expect(client.createProxy({ name: 'twice', upstream: `127.0.0.1:${echoPort}` })).rejects.toMatchObject({ failure: 'rejected', status: 409 });
    await client.deleteProxy('twice');
  });

  it('stops: the process is gone and its port is free again', async () => {
    const own = await startToxiproxy({ env: { ...process.env, TOXIPROXY_URL: '' } });
    expect(own.pid).toBeDefined();
    await own.stop();
    expect(() => process.kill(own.pid!, 0)).toThrow();
    expect(await canBind('127.0.0.1', own.port)).toBe(true);
    await expect(new ToxiproxyClient(own.url, 1_000).version()).rejects.toMatchObject({ failure: 'unreachable' });
  });

  it('uses a running server given by URL and leaves it running on stop', async () => {
    const borrowed = await startToxiproxy({ url: server.url });
    expect(borrowed).toMatchObject({ started: false, url: server.url });
    await borrowed.stop();
    expect(await client.version()).toMatch(/\S/);
  });
});
