/**
 * chatgpt-2023 leaks once the cache path through a real Toxiproxy is slower than the cloud's 250 ms cache
 * timeout, and is exact with a fast cache under the same busy users.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { Zoo, bySurface, expectObserved } from './driver.ts';
import { startCacheProxy, type CacheProxy } from './cache-proxy.ts';
import { busyUsers, cacheBrownout } from './triggers.ts';

let proxy: CacheProxy;
let zoo: Zoo | undefined;
beforeAll(async () => {
  proxy = await startCacheProxy();
});
afterAll(() => proxy?.stop());
afterEach(async () => {
  await zoo?.stop();
  zoo = undefined;
});

/** 30 users with a camera each and a few events on every camera, the cache reached through the proxy. */
async function startWithHistory(): Promise<Zoo> {
  const started = await Zoo.start('chatgpt-2023', 30, 1, { redisUrl: proxy.redisUrl, cacheTimeoutMs: 250 });
  await started.connect(started.cameraIds, false);
  for (let round = 0; round < 2; round++) await started.emit(started.cameraIds, false);
  return started;
}

describe('chatgpt-2023', () => {
  it('answers requests as other users once cache replies outlast the timeout', { timeout: 40_000 }, async () => {
    zoo = await startWithHistory();
    const leaks = await cacheBrownout(zoo, proxy.client, proxy.name);
    expect(leaks.length, JSON.stringify(bySurface(leaks))).toBeGreaterThan(0);
  });

  it('is exact with a fast cache under the same busy users', { timeout: 40_000 }, async () => {
    zoo = await startWithHistory();
    expect(await busyUsers(zoo, 10, 12_000, false)).toEqual([]);
    // At least the first round: every user's camera and its 2 events.
    expectObserved(zoo, { listed: 60, cameras: 30 });
  });
});
