/** stale-acl leaks after a revoke or a transfer during live streams, and is exact without access changes. */
import { afterEach, describe, expect, it } from 'vitest';
import { Zoo, bySurface, expectObserved } from './driver.ts';
import { accessChangesDuringStreams } from './triggers.ts';

let zoo: Zoo | undefined;
afterEach(async () => {
  await zoo?.stop();
  zoo = undefined;
});

/** Four users with a camera each; u1 is shared u0's camera c0-0 (revoked later), c2-0 moves from u2 to u3. */
const start = (bug: string): Promise<Zoo> => Zoo.start(bug, 4, 1, {}, [['c0-0', 'u1']]);

describe('stale-acl', () => {
  it('keeps a revoked sharee and a former owner watching the camera', { timeout: 30_000 }, async () => {
    zoo = await start('stale-acl');
    const leaks = await accessChangesDuringStreams(zoo, true);
    const surfaces = bySurface(leaks);
    expect(surfaces, JSON.stringify(surfaces)).toMatchObject({ push: expect.any(Number), list: expect.any(Number) });
    expect(new Set(leaks.filter((leak) => leak.surface === 'push').map((leak) => leak.userId))).toEqual(new Set(['u1', 'u2']));
  });

  it('is exact when nobody\'s access changes', { timeout: 30_000 }, async () => {
    zoo = await start('stale-acl');
    expect(await accessChangesDuringStreams(zoo, false)).toEqual([]);
    // u1 lists c0-0 and c1-0 and u2 lists c2-0, twice each; u1 is pushed its own camera's event.
    expectObserved(zoo, { listed: 6, pushed: 1 });
  });
});
