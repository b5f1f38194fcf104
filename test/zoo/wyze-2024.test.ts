/** wyze-2024 leaks under a reconnect storm and is exact when the fleet and its users come back one at a time. */
import { afterEach, describe, expect, it } from 'vitest';
import { Zoo, bySurface, expectObserved } from './driver.ts';
import { quietReconnect, reconnectStorm } from './triggers.ts';

let zoo: Zoo | undefined;
afterEach(async () => {
  await zoo?.stop();
  zoo = undefined;
});

describe('wyze-2024', () => {
  it('shows users other users\' events when 200 cameras come back at once while they open the app', { timeout: 30_000 }, async () => {
    zoo = await Zoo.start('wyze-2024', 40, 5);
    const leaks = await reconnectStorm(zoo);
    // Filed under another camera's account, thumbnail and all: listed, and the bytes open for the wrong user.
    expect(bySurface(leaks).list ?? 0, JSON.stringify(bySurface(leaks))).toBeGreaterThan(0);
    expect(bySurface(leaks).thumbnail ?? 0, JSON.stringify(bySurface(leaks))).toBeGreaterThan(0);
  });

  it('is exact when the same cameras and users come back one at a time', { timeout: 30_000 }, async () => {
    zoo = await Zoo.start('wyze-2024', 40, 5);
    const leaks = await quietReconnect(zoo);
    expect(leaks).toEqual([]);
    // The last pass alone lists every event sent; each of the 4 passes lists every user's 5 cameras.
    expectObserved(zoo, { listed: zoo.sent.size, cameras: 4 * 200 });
  });
});
