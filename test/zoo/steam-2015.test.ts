/** steam-2015 leaks when the request rate surges over its norm, and never at a steady rate. */
import { afterEach, describe, expect, it } from 'vitest';
import { Zoo, bySurface, expectObserved } from './driver.ts';
import { requestSurge, steadyTraffic } from './triggers.ts';

let zoo: Zoo | undefined;
afterEach(async () => {
  await zoo?.stop();
  zoo = undefined;
});

/** 40 users with two cameras each and an event on every camera. */
async function startWithHistory(): Promise<Zoo> {
  const started = await Zoo.start('steam-2015', 40, 2);
  await started.connect(started.cameraIds, false);
  await started.emit(started.cameraIds, false);
  return started;
}

describe('steam-2015', () => {
  it('serves everyone the first asker\'s camera list and events once the GET rate surges', { timeout: 30_000 }, async () => {
    zoo = await startWithHistory();
    const leaks = await requestSurge(zoo);
    const surfaces = bySurface(leaks);
    expect(surfaces, JSON.stringify(surfaces)).toMatchObject({ cameras: expect.any(Number), list: expect.any(Number) });
  });

  it('is exact at a steady rate', { timeout: 30_000 }, async () => {
    zoo = await startWithHistory();
    expect(await steadyTraffic(zoo, 20, 7_000)).toEqual([]);
    // Bounded by time, so only its first two calls are certain: u0's 2 cameras, then u1's 2 events.
    expectObserved(zoo, { listed: 2, cameras: 2 });
  });
});
