/** Each fault, applied through a real Toxiproxy to a real TCP echo server: its effect on traffic, then a clean heal. */
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { buildFault, faultSpecSchema, type FaultSpec } from '../../src/chaos/fault-spec.ts';
import type { Fault } from '../../src/chaos/faults/fault.ts';
import { createRunProxies, type RunProxies } from '../../src/chaos/run-proxies.ts';
import { startEchoServer, startToxiproxyFixture, type EchoServer, type ToxiproxyFixture } from './helpers/toxiproxy.ts';
import { closeProbe, echoProbe, openConnection } from './helpers/traffic.ts';

const payload = Buffer.from('ping through the proxy\n');

let toxiproxy: ToxiproxyFixture;
let echo: EchoServer;
let proxies: RunProxies;
let faultCount = 0;

beforeAll(async () => {
  toxiproxy = await startToxiproxyFixture();
  echo = await startEchoServer();
}, 30_000);
afterAll(async () => {
  await echo?.close();
  await toxiproxy?.stop();
});
beforeEach(async () => {
  proxies = await createRunProxies(toxiproxy.client, { client: { upstream: echo.upstream } });
});
afterEach(async () => {
  await proxies.remove();
});

function fault(spec: FaultSpec): Fault {
  return buildFault(faultSpecSchema.parse(spec), `t${++faultCount}-${spec.fault}`);
}

/** Heals, twice to prove it is idempotent, and checks the proxy is exactly as it was made. */
async function healAndExpectClean(applied: Fault): Promise<void> {
  await applied.heal(proxies.shards[0]!.control);
  await applied.heal(proxies.shards[0]!.control);
  const info = (await toxiproxy.client.listProxies()).find((proxy) => proxy.name === proxies.shards[0]!.name);
  expect(info).toMatchObject({ enabled: true, toxics: [] });
  const after = await echoProbe(proxies.shards[0]!.port, payload, 5_000);
  expect(after.outcome).toBe('echoed');
}

describe('faults on a real proxy', () => {
  it('passes traffic untouched before any fault', async () => {
    const probe = await echoProbe(proxies.shards[0]!.port, payload, 5_000);
    expect(probe).toMatchObject({ outcome: 'echoed', data: payload });
  });

  it('outage drops live connections, refuses new ones, and flows again after heal', async () => {
    const live = await openConnection(proxies.shards[0]!.port);
    const outage = fault({ fault: 'outage', path: 'client' });
    await outage.apply(proxies.shards[0]!.control);
    await live.ended; // bounded by the test timeout: the proxy closes it
    const refused = await echoProbe(proxies.shards[0]!.port, payload, 3_000);
    expect(refused).toMatchObject({ outcome: 'error', code: 'ECONNREFUSED' });
    await healAndExpectClean(outage);
  });

  it('latency makes a round trip slower than one without it', async () => {
    const before = await echoProbe(proxies.shards[0]!.port, payload, 5_000);
    const latency = fault({ fault: 'latency', path: 'client', latencyMs: 400 });
    await latency.apply(proxies.shards[0]!.control);
    const slowed = await echoProbe(proxies.shards[0]!.port, payload, 10_000);
    expect(before.outcome).toBe('echoed');
    expect(slowed.outcome).toBe('echoed');
    // Toxiproxy never delivers early, so only a lower bound is asserted (minus timer rounding).
    expect(slowed.ms).toBeGreaterThanOrEqual(380);
    expect(slowed.ms).toBeGreaterThan(before.ms);
    await healAndExpectClean(latency);
  });

  it('timeout 0 stops the data without closing the connection', async () => {
    const stall = fault({ fault: 'timeout', path: 'client', timeoutMs: 0 });
    await stall.apply(proxies.shards[0]!.control);
    const probe = await echoProbe(proxies.shards[0]!.port, payload, 1_000);
    expect(probe).toMatchObject({ outcome: 'silent', received: 0 });
    await healAndExpectClean(stall);
  });

  it('timeout with a time drops the data and then closes the connection', async () => {
    const stall = fault({ fault: 'timeout', path: 'client', timeoutMs: 200 });
    await stall.apply(proxies.shards[0]!.control);
    const probe = await echoProbe(proxies.shards[0]!.port, payload, 5_000);
    expect(probe).toMatchObject({ outcome: 'closed', received: 0 });
    await healAndExpectClean(stall);
  });

  it('reset-peer resets the connection once data flows', async () => {
    const reset = fault({ fault: 'reset-peer', path: 'client', timeoutMs: 0 });
    await reset.apply(proxies.shards[0]!.control);
    const probe = await echoProbe(proxies.shards[0]!.port, payload, 5_000);
    expect(probe).toMatchObject({ outcome: 'error', code: 'ECONNRESET' });
    await healAndExpectClean(reset);
  });

  it('bandwidth delivers the data intact, no faster than the cap allows', async () => {
    const big = Buffer.alloc(40 * 1024, 'abcdefghij');
    const cap = fault({ fault: 'bandwidth', path: 'client', rateKBps: 50 });
    await cap.apply(proxies.shards[0]!.control);
    const probe = await echoProbe(proxies.shards[0]!.port, big, 15_000);
    expect(probe.outcome).toBe('echoed');
    if (probe.outcome === 'echoed') {
      expect(probe.data.equals(big)).toBe(true);
      expect(probe.ms).toBeGreaterThanOrEqual(400); // 40 KB at 50 KB/s is 800 ms; half of it as a floor
    }
    await healAndExpectClean(cap);
  });

  it('slicer delivers the data intact, in many small pieces', async () => {
    const big = Buffer.alloc(8 * 1024, 'klmnopqrst');
    const slicer = fault({ fault: 'slicer', path: 'client', averageSize: 64, sizeVariation: 16, delayUs: 1_000 });
    await slicer.apply(proxies.shards[0]!.control);
    const probe = await echoProbe(proxies.shards[0]!.port, big, 15_000);
    expect(probe.outcome).toBe('echoed');
    if (probe.outcome === 'echoed') {
      expect(probe.data.equals(big)).toBe(true);
      expect(probe.chunks).toBeGreaterThan(4);
    }
    await healAndExpectClean(slicer);
  });

  it('slow-close holds back the end of a connection the server closed', async () => {
    const closer = await startEchoServer({ closeAtOnce: true });
    const closing = await createRunProxies(toxiproxy.client, { client: { upstream: closer.upstream } });
    try {
      const slow = fault({ fault: 'slow-close', path: 'client', delayMs: 600 });
      await slow.apply(closing.shards[0]!.control);
      const probe = await closeProbe(closing.shards[0]!.port, 10_000);
      expect(probe.outcome).toBe('closed');
      expect(probe.ms).toBeGreaterThanOrEqual(500);
      await slow.heal(closing.shards[0]!.control);
      const info = (await toxiproxy.client.listProxies()).find((proxy) => proxy.name === closing.shards[0]!.name);
      expect(info).toMatchObject({ enabled: true, toxics: [] });
    } finally {
      await closing.remove();
      await closer.close();
    }
  });

  it('both streams install one toxic per direction and heal removes both', async () => {
    const latency = fault({ fault: 'latency', path: 'client', latencyMs: 50, stream: 'both', toxicity: 0.5 });
    await latency.apply(proxies.shards[0]!.control);
    const info = (await toxiproxy.client.listProxies()).find((proxy) => proxy.name === proxies.shards[0]!.name);
    expect(info?.toxics.map((toxic) => [toxic.stream, toxic.toxicity]).sort()).toEqual([['downstream', 0.5], ['upstream', 0.5]]);
    await healAndExpectClean(latency);
  });

  it('toxicity 0 leaves connections untouched, the same fault at toxicity 1 stalls them', async () => {
    const spared = fault({ fault: 'timeout', path: 'client', timeoutMs: 0, toxicity: 0 });
    await spared.apply(proxies.shards[0]!.control);
    expect((await echoProbe(proxies.shards[0]!.port, payload, 5_000)).outcome).toBe('echoed');
    await healAndExpectClean(spared);
    const hit = fault({ fault: 'timeout', path: 'client', timeoutMs: 0, toxicity: 1 });
    await hit.apply(proxies.shards[0]!.control);
    expect((await echoProbe(proxies.shards[0]!.port, payload, 1_000)).outcome).toBe('silent');
    await healAndExpectClean(hit);
  });

  it('heal after a failed apply is fine and leaves the proxy clean', async () => {
    const latency = fault({ fault: 'latency', path: 'client', latencyMs: 100 });
    await latency.apply(proxies.shards[0]!.control);
    await expect(latency.apply(proxies.shards[0]!.control)).rejects.toThrow(/already exists/);
    await healAndExpectClean(latency);
  });
});
