/** The correct cloud (`--bug none`) under every bug's trigger: nobody is ever shown anything that is not theirs. */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { expectObserved, Zoo } from './driver.ts';
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
    // The first pass alone: every user's 5 cameras and their events from before the outage.
    expectObserved(zoo, { listed: 200, cameras: 200 });
  });

  it('cache replies slower than the cache timeout (chatgpt-2023)', { timeout: 40_000 }, async () => {
    zoo = await startWithHistory(30, 1);
    expect(await cacheBrownout(zoo, proxy.client, proxy.name)).toEqual([]);
    // At least the first round: every user's camera and its event.
    expectObserved(zoo, { listed: 30, cameras: 30 });
  });

  it('a surge of GETs over a steady norm (steam-2015)', { timeout: 30_000 }, async () => {
    zoo = await startWithHistory(40, 2);
    expect(await requestSurge(zoo)).toEqual([]);
    // The surge alone: three rounds of every user's 2 cameras and their events.
    expectObserved(zoo, { listed: 240, cameras: 240 });
  });

  it('concurrent requests of many users (github-2021)', { timeout: 30_000 }, async () => {
    zoo = await startWithHistory(30, 2);
    expect(await busyUsers(zoo, 10, 10_000, false)).toEqual([]);
    // At least the first round: every user's 2 cameras and their events.
    expectObserved(zoo, { listed: 60, cameras: 60 });
  });

  it('a revoke and a transfer during live streams (stale-acl)', { timeout: 30_000 }, async () => {
    zoo = await Zoo.start('none', 4, 1, { redisUrl: proxy.redisUrl }, [['c0-0', 'u1']]);
    expect(await accessChangesDuringStreams(zoo, true)).toEqual([]);
    // u1 lists c0-0 and c1-0, u2 lists c2-0, then u1 lists c1-0 again; u1 is pushed its own camera's event.
    expectObserved(zoo, { listed: 4, pushed: 1 });
  });
});

describe('a "no leak" control', () => {
  it('that observed nothing fails, though it found no leak', { timeout: 30_000 }, async () => {
    zoo = await startWithHistory(4, 1);
    for (const userId of zoo.userIds) zoo.tokens.set(userId, 'a-token-the-cloud-never-gave');
    expect(await busyUsers(zoo, 2, 10_000, false)).toEqual([]);
    expect(() => expectObserved(zoo!, { listed: 4, cameras: 4 })).toThrow(/observed too little.*saw listed 0, cameras 0, pushed 0; 16 answers refused, first: 401 GET \/v1\/cameras/);
  });
});
