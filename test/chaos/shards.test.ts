/**
 * A client proxy in shards over several real toxiproxy-server processes: a fault on `client` cuts every shard and
 * heals every one; a shard whose server is dead makes the fault fail naming that shard; and a heal whose answer
 * came too late (a server frozen by SIGSTOP) is asked again and recorded once Toxiproxy confirms it.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { Nemesis } from '../../src/chaos/nemesis.ts';
import { createRunProxies, sweepRunProxies, type RunProxies } from '../../src/chaos/run-proxies.ts';
import { ShardCallError } from '../../src/chaos/sharded-control.ts';
import { ToxiproxyClient } from '../../src/chaos/toxiproxy.ts';
import { startToxiproxies, type ToxiproxyServer } from '../../src/services/toxiproxy-server.ts';
import { MemoryRecorder } from './helpers/recorder.ts';
import { echoProbe } from './helpers/traffic.ts';
import { startEchoServer, type EchoServer } from './helpers/toxiproxy.ts';

let servers: ToxiproxyServer[];
let clients: ToxiproxyClient[];
let echo: EchoServer;
const made: RunProxies[] = [];

beforeAll(async () => {
  servers = await startToxiproxies(2);
  clients = servers.map((server) => new ToxiproxyClient(server.url, 2_000));
  echo = await startEchoServer();
}, 60_000);
afterEach(async () => {
  for (const proxies of made.splice(0)) await proxies.remove().catch(() => undefined);
});
afterAll(async () => {
  await echo?.close();
  await Promise.all((servers ?? []).map((server) => server.stop()));
});

async function sharded(shards: number, on: ToxiproxyClient[] = clients): Promise<RunProxies> {
  const proxies = await createRunProxies(on, { client: { upstream: echo.upstream }, shards });
  made.push(proxies);
  return proxies;
}

const payload = Buffer.from('through every shard');

describe('a sharded client proxy', () => {
  it('starts one Toxiproxy process per server and puts shard i on server i % servers', async () => {
    expect(new Set(servers.map((server) => server.pid)).size).toBe(2);
    const proxies = await sharded(3);
    expect(proxies.shards.map((shard) => shard.server)).toEqual([servers[0]!.url, servers[1]!.url, servers[0]!.url]);
    expect(proxies.shards.map((shard) => shard.name.replace(/^.*-(client-\d+)$/, '$1'))).toEqual(['client-1', 'client-2', 'client-3']);
    for (const shard of proxies.shards) expect((await echoProbe(shard.port, payload, 5_000)).outcome).toBe('echoed');
  });

  it('sends shard k to the k-th of the upstreams a backend takes per shard, when it gives them', async () => {
    const second = await startEchoServer();
    try {
      const proxies = await createRunProxies(clients, { client: { upstream: echo.upstream, shardUpstreams: [echo.upstream, second.upstream] }, shards: 3 });
      made.push(proxies);
      expect(proxies.shards.map((shard) => shard.upstream)).toEqual([echo.upstream, second.upstream, echo.upstream]);
      const listed = (await Promise.all(clients.map((client) => client.listProxies()))).flat();
      for (const shard of proxies.shards) expect(listed.find((proxy) => proxy.name === shard.name)?.upstream).toBe(shard.upstream);
      for (const shard of proxies.shards) expect((await echoProbe(shard.port, payload, 5_000)).outcome).toBe('echoed');
      await expect(createRunProxies(clients, { client: { upstream: echo.upstream, shardUpstreams: ['example.com:80'] }, shards: 2 })).rejects.toThrow(/not a loopback host:port/);
    } finally {
      await second.close();
    }
  });

  it('an outage on `client` cuts every shard at once, and its heal brings every one back', async () => {
    const proxies = await sharded(3);
    await proxies.controls.client!.setEnabled(false);
    for (const shard of proxies.shards) expect((await echoProbe(shard.port, payload, 3_000)).outcome).not.toBe('echoed');
    await proxies.controls.client!.setEnabled(true);
    for (const shard of proxies.shards) expect((await echoProbe(shard.port, payload, 5_000)).outcome).toBe('echoed');
    const toxic = { name: 'f1-latency-downstream', type: 'latency' as const, stream: 'downstream' as const, toxicity: 1, attributes: { latency: 50 } };
    await proxies.controls.client!.addToxic(toxic);
    for (const [i, client] of clients.entries()) {
      const mine = (await client.listProxies()).filter((proxy) => proxies.shards.some((shard) => shard.name === proxy.name && shard.server === clients[i]!.url));
      expect(mine.length).toBeGreaterThan(0);
      for (const proxy of mine) expect(proxy.toxics.map((t) => t.name)).toEqual(['f1-latency-downstream']);
    }
    await proxies.controls.client!.removeToxic(toxic.name);
  });

  it('a shard whose server is dead fails the fault, naming that shard, while the others are still cut', async () => {
    const [doomed] = await startToxiproxies(1);
    const mixed = [clients[0]!, new ToxiproxyClient(doomed!.url, 2_000)];
    const proxies = await sharded(2, mixed);
    await doomed!.stop();
    const failed = await proxies.controls.client!.setEnabled(false).then(() => undefined, (error: unknown) => error);
    expect(failed).toBeInstanceOf(ShardCallError);
    expect((failed as Error).message).toMatch(new RegExp(`^1 of 2 client proxy shards failed \\(${proxies.shards[1]!.name}: Toxiproxy disableProxy\\(${proxies.shards[1]!.name}\\) failed`));
    expect((await echoProbe(proxies.shards[0]!.port, payload, 3_000)).outcome).not.toBe('echoed');
    await proxies.shards[0]!.control.setEnabled(true);
    made.splice(0); // the dead server's proxy is gone with it
    await clients[0]!.deleteProxy(proxies.shards[0]!.name);
  });

  it('sweeps a dead run\'s shards from every server, sparing a live run\'s', async () => {
    const mine = await sharded(2);
    const dead = 4_000_000; // no such pid here
    for (const [i, client] of clients.entries()) await client.createProxy({ name: `stampede-pid${dead}-gone-client-${i + 1}`, upstream: echo.upstream });
    const swept = await Promise.all(clients.map((client) => sweepRunProxies(client, (pid) => pid === dead)));
    expect(swept.map((s) => s.removed)).toEqual([[`stampede-pid${dead}-gone-client-1`], [`stampede-pid${dead}-gone-client-2`]]);
    const left = (await Promise.all(clients.map((client) => client.listProxies()))).flat().map((proxy) => proxy.name);
    for (const shard of mine.shards) expect(left).toContain(shard.name);
  });
});

describe('a heal whose answer comes too late', () => {
  it('is asked again and recorded when Toxiproxy confirms it, with when it was first called', async () => {
    const [frozen] = await startToxiproxies(1);
    try {
      const client = new ToxiproxyClient(frozen!.url, 300);
      const proxies = await createRunProxies(client, { client: { upstream: echo.upstream } });
      const recorder = new MemoryRecorder();
      const nemesis = new Nemesis({
        steps: [{ at: 0, duration: 200, fault: 'outage', path: 'client' }], proxies: proxies.controls, recorder, deadline: 20_000, healRetryMs: 200,
      });
      const running = nemesis.run();
      for (let i = 0; i < 1_000 && !recorder.faults().some((r) => r.action === 'start'); i++) await sleep(10);
      // Frozen under the outage: the heal call cannot be answered in time.
      process.kill(frozen!.pid!, 'SIGSTOP');
      try {
        for (let i = 0; i < 1_000 && recorder.errors().length === 0; i++) await sleep(10);
      } finally {
        process.kill(frozen!.pid!, 'SIGCONT');
      }
      const summary = await running;
      expect(recorder.errors()[0]?.message).toMatch(/^heal outage f1-outage on the client proxy .*no answer within 300 ms; asking again \(try 2 of 4\)$/);
      expect(summary).toMatchObject({ applied: 1, healed: 1, unhealed: [] });
      const heal = recorder.faults().find((r) => r.action === 'heal')!;
      expect(recorder.faults().map((r) => r.action)).toEqual(['start', 'heal']);
      expect(heal.calledAt).toBeLessThan(heal.t - 300);
      expect((await client.listProxies()).find((p) => p.name === proxies.shards[0]!.name)?.enabled).toBe(true);
      await proxies.remove();
    } finally {
      await frozen!.stop();
    }
  });
});
