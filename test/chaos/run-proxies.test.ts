/** A run's proxies on a real toxiproxy-server: uniquely named, forwarding to real upstreams, removed at the end. */
import { connect } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { UsageError } from '../../src/errors.ts';
import { createRunProxies } from '../../src/chaos/run-proxies.ts';
import { LISTEN_PORT_RANGE } from '../../src/services/ports.ts';
import { startEchoServer, startToxiproxyFixture, type EchoServer, type ToxiproxyFixture } from './helpers/toxiproxy.ts';
import { echoProbe } from './helpers/traffic.ts';

let toxiproxy: ToxiproxyFixture;
let echo: EchoServer;

beforeAll(async () => {
  toxiproxy = await startToxiproxyFixture();
  echo = await startEchoServer();
}, 30_000);
afterAll(async () => {
  await echo?.close();
  await toxiproxy?.stop();
});

/** Sends a RESP PING to Redis through `port` and returns the reply line, bounded in time. */
function redisPing(port: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host: '127.0.0.1', port }, () => socket.write('*1\r\n$4\r\nPING\r\n'));
    const timer = setTimeout(() => finish(new Error('no PING reply within 5 s')), 5_000);
    const finish = (result: string | Error) => {
      clearTimeout(timer);
      socket.destroy();
      if (result instanceof Error) reject(result);
      else resolve(result);
    };
    socket.on('data', (data: Buffer) => finish(data.toString('latin1').trim()));
    socket.on('error', finish);
  });
}

describe('createRunProxies', () => {
  it('makes a client and a cache proxy on loopback ports outside the ephemeral range and removes them in the end', async () => {
    const run = await createRunProxies(toxiproxy.client, { client: { upstream: echo.upstream }, cache: { upstream: '127.0.0.1:6379' }, tag: 'h8-test' });
    try {
      expect(run.shards[0]!.name).toBe(`stampede-pid${process.pid}-h8-test-client`);
      expect(run.cache?.name).toBe(`stampede-pid${process.pid}-h8-test-cache`);
      for (const proxy of [run.shards[0]!, run.cache]) {
        expect(proxy?.host).toBe('127.0.0.1');
        expect(proxy?.port).toBeGreaterThanOrEqual(LISTEN_PORT_RANGE.first);
        expect(proxy?.port).toBeLessThanOrEqual(LISTEN_PORT_RANGE.last);
      }
      expect(run.controls.client?.proxy).toBe(run.shards[0]!.name);
      expect((await echoProbe(run.shards[0]!.port, Buffer.from('hello'), 5_000)).outcome).toBe('echoed');
      expect(await redisPing(run.cache?.port ?? 0)).toBe('+PONG');
    } finally {
      await run.remove();
      await run.remove(); // idempotent
    }
    const names = (await toxiproxy.client.listProxies()).map((proxy) => proxy.name);
    expect(names).not.toContain(`stampede-pid${process.pid}-h8-test-client`);
    expect(names).not.toContain(`stampede-pid${process.pid}-h8-test-cache`);
  });

  it('gives two runs distinct proxies', async () => {
    const first = await createRunProxies(toxiproxy.client, { client: { upstream: echo.upstream } });
    const second = await createRunProxies(toxiproxy.client, { client: { upstream: echo.upstream } });
    try {
      expect(first.shards[0]!.name).not.toBe(second.shards[0]!.name);
      expect(first.shards[0]!.port).not.toBe(second.shards[0]!.port);
      expect(first.cache).toBeUndefined();
    } finally {
      await second.remove();
      await first.remove();
    }
  });

  it('refuses a non-loopback upstream or a bad tag before making anything', async () => {
    const before = (await toxiproxy.client.listProxies()).length;
    await expect(createRunProxies(toxiproxy.client, { client: { upstream: '10.0.0.1:80' } })).rejects.toThrow(UsageError);
    await expect(createRunProxies(toxiproxy.client, { client: { upstream: echo.upstream }, cache: { upstream: 'redis:6379' } })).rejects.toThrow(/cache proxy upstream "redis:6379" is not a loopback host:port/);
    await expect(createRunProxies(toxiproxy.client, { client: { upstream: echo.upstream }, tag: 'a/b' })).rejects.toThrow(/proxy tag/);
    expect((await toxiproxy.client.listProxies()).length).toBe(before);
  });

  it('removes the client proxy when the cache proxy cannot be made', async () => {
    const taken = await createRunProxies(toxiproxy.client, { client: { upstream: echo.upstream }, tag: 'h8-clash' });
    try {
      const clash = createRunProxies(toxiproxy.client, { client: { upstream: echo.upstream }, cache: { upstream: echo.upstream }, tag: 'h8-clash' });
      await expect(clash).rejects.toThrow(/createProxy\(stampede-pid\d+-h8-clash-client\)/);
      const names = (await toxiproxy.client.listProxies()).map((proxy) => proxy.name);
      expect(names).toEqual([`stampede-pid${process.pid}-h8-clash-client`]);
    } finally {
      await taken.remove();
    }
  });
});
