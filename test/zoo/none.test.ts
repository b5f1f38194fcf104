/** The correct cloud (`--bug none`) under every bug's trigger: nobody is ever shown anything that is not theirs. */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { Zoo } from './driver.ts';
import { startCacheProxy, type CacheProxy } from './cache-proxy.ts';
import { accessChangesDuringStreams, busyUsers, cacheBrownout, reconnectStorm, requestSurge } from './triggers.ts';

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

/** A correct cloud whose cache goes through the proxy, with every camera connected and one event each. */
async function startWithHistory(users: number, camerasEach: number): Promise<Zoo> {
  const started = await Zoo.start('none', users, camerasEach, { redisUrl: proxy.redisUrl });
  await started.connect(started.cameraIds, false);
  await started.emit(started.cameraIds, false);
  return started;
}

describe('--bug none under every trigger', () => {
  it('a reconnect storm while users open the app (wyze-2024)', { timeout: 30_000 }, async () => {
    zoo = await Zoo.start('none', 40, 5, { redisUrl: proxy.redisUrl });
    expect(await reconnectStorm(zoo)).toEqual([]);
  });

  it('cache replies slower than the cache timeout (chatgpt-2023)', { timeout: 40_000 }, async () => {
    zoo = await startWithHistory(30, 1);
    expect(await cacheBrownout(zoo, proxy.client, proxy.name)).toEqual([]);
  });

  it('a surge of GETs over a steady norm (steam-2015)', { timeout: 30_000 }, async () => {
    zoo = await startWithHistory(40, 2);
    expect(await requestSurge(zoo)).toEqual([]);
  });

  it('concurrent requests of many users (github-2021)', { timeout: 30_000 }, async () => {
    zoo = await startWithHistory(30, 2);
    expect(await busyUsers(zoo, 10, 10_000, false)).toEqual([]);
  });

  it('a revoke and a transfer during live streams (stale-acl)', { timeout: 30_000 }, async () => {
    zoo = await Zoo.start('none', 4, 1, { redisUrl: proxy.redisUrl }, [['c0-0', 'u1']]);
    expect(await accessChangesDuringStreams(zoo, true)).toEqual([]);
  });
});
