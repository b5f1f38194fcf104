/** github-2021 leaks when users' requests overlap and is exact one request at a time. */
import { afterEach, describe, expect, it } from 'vitest';
import { Zoo, bySurface, expectObserved } from './driver.ts';
import { busyUsers, oneUserAtATime } from './triggers.ts';

let zoo: Zoo | undefined;
afterEach(async () => {
  await zoo?.stop();
  zoo = undefined;
});

/** 30 users with two cameras each and a few events on every camera. */
async function startWithHistory(): Promise<Zoo> {
  const started = await Zoo.start('github-2021', 30, 2);
  await started.connect(started.cameraIds, false);
  for (let round = 0; round < 2; round++) await started.emit(started.cameraIds, false);
  return started;
}

describe('github-2021', () => {
  it('answers a user with another user\'s events when requests run concurrently', { timeout: 30_000 }, async () => {
    zoo = await startWithHistory();
    const leaks = await busyUsers(zoo, 10, 10_000);
    expect(bySurface(leaks).list ?? 0, JSON.stringify(bySurface(leaks))).toBeGreaterThan(0);
  });

  it('is exact with one request at a time', { timeout: 30_000 }, async () => {
    zoo = await startWithHistory();
    expect(await oneUserAtATime(zoo, 3)).toEqual([]);
    // Three rounds of every user's 2 cameras and their 2 events each.
    expectObserved(zoo, { listed: 3 * 120, cameras: 3 * 60 });
  });
});
