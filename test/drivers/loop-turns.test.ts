import { describe, expect, it } from 'vitest';
import { arrivedNoEarlierThan } from '../../simulators/protocol/loop-turns.ts';

/** The next turn of the event loop after I/O polling, where a socket's data callback would run. */
const nextTurn = () => new Promise((resolve) => setImmediate(resolve));

describe('arrivedNoEarlierThan', () => {
  it('reaches back to before a blocked stretch of the loop: a message that waited in the socket is judged from when it may have come', async () => {
    await nextTurn();
    const blockedAt = Date.now();
    // The loop is blocked: no timer, no socket read, as in a worker saturated by a reconnect storm.
    while (Date.now() < blockedAt + 300);
    await nextTurn();
    expect(Date.now() - blockedAt).toBeGreaterThanOrEqual(300);
    expect(arrivedNoEarlierThan()).toBeLessThanOrEqual(blockedAt);
  });

  it('is never later than now', () => {
    const now = Date.now();
    expect(arrivedNoEarlierThan()).toBeLessThanOrEqual(Date.now());
    expect(arrivedNoEarlierThan()).toBeLessThanOrEqual(now + 1);
  });
});
