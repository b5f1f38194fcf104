/**
 * The cache path through a real Toxiproxy: latency, latency beyond the cache timeout, a stalled connection,
 * resets and a disabled proxy must cost time or misses, never a foreign event; and the cache comes back.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ToxiproxyClient } from '../../src/chaos/toxiproxy.ts';
import type { ToxicDefinition } from '../../src/chaos/faults/fault.ts';
import { startToxiproxy, type ToxiproxyServer } from '../../src/services/toxiproxy-server.ts';
import { REDIS_URL, type TestCloud, startTestCloud } from '../helpers/cloud.ts';
import { runIsolationScript } from './isolation-script.ts';

let server: ToxiproxyServer;
let client: ToxiproxyClient;
beforeAll(async () => {
  server = await startToxiproxy();
  client = new ToxiproxyClient(server.url, 5_000);
});
afterAll(() => server?.stop());

/** A proxy in front of Redis and a cloud whose cache goes through it. */
async function cloudBehindProxy(name: string): Promise<{ t: TestCloud; proxy: string }> {
  const redis = new URL(REDIS_URL);
  const info = await client.createProxy({ name, upstream: `${redis.hostname}:${redis.port || 6379}` });
  const t = await startTestCloud({ redisUrl: `redis://${info.listen}`, cacheTimeoutMs: 250 });
  return { t, proxy: name };
}

const toxic = (name: string, type: ToxicDefinition['type'], attributes: Record<string, number>): ToxicDefinition => ({
  name,
  type,
  stream: 'downstream',
  toxicity: 1,
  attributes,
});

/** Polls until the cache answers hits again after a heal; bounded. */
async function cacheRecovers(t: TestCloud): Promise<void> {
  const before = t.cloud.cacheStats().hits;
  for (let round = 0; round < 40; round++) {
    await runIsolationScript(t);
    if (t.cloud.cacheStats().hits > before) return;
  }
  throw new Error('the cache never came back');
}

describe('the cache path under faults', () => {
  const faults: [string, ToxicDefinition | 'disabled'][] = [
    ['latency', toxic('slow', 'latency', { latency: 50, jitter: 20 })],
    ['latency beyond the cache timeout', toxic('slower', 'latency', { latency: 1_000, jitter: 0 })],
    ['stalled connection', toxic('stall', 'timeout', { timeout: 0 })],
    ['reset peer', toxic('reset', 'reset_peer', { timeout: 10 })],
    ['disabled proxy', 'disabled'],
  ];
  for (const [label, fault] of faults) {
    it(`${label}: the access rule holds, and the cache comes back after the heal`, { timeout: 120_000 }, async () => {
      const { t, proxy } = await cloudBehindProxy(`cloud-cache-${label.replace(/\W+/g, '-')}-${process.pid}`);
      try {
        await runIsolationScript(t);
        if (fault === 'disabled') await client.setEnabled(proxy, false);
        else await client.addToxic(proxy, fault);
        const before = t.cloud.cacheStats();
        await runIsolationScript(t);
        const during = t.cloud.cacheStats();
        // The fault really hit the cache path: slow answers still hit, broken ones fail or are skipped.
        if (label === 'latency') expect(during.hits).toBeGreaterThan(before.hits);
        else expect(during.errors + during.skipped).toBeGreaterThan(before.errors + before.skipped);
        if (fault === 'disabled') await client.setEnabled(proxy, true);
        else await client.removeToxic(proxy, fault.name);
        await cacheRecovers(t);
      } finally {
        await t.cloud.stop();
        await client.deleteProxy(proxy);
      }
    });
  }
});
