import type { Traffic } from '../src/scenario/scenario.ts';

/** What a fleet of real cameras and app users roughly does; scenarios start from this. */
export const everyday: Traffic = {
  eventRate: 0.2,
  // A device's floor, backoff and jitter: a dead cloud costs each camera a try every 2 s once backed off, and the
  // fleet, cut at one instant, retries in waves that bring it back within a fraction of a second, at most about
  // 2 s after the heal (reconnect.p95 gates leave it 20 s).
  reconnect: { floorMs: 500, capMs: 2_000, jitterMs: 200 },
  pollMs: 3_000,
  camerasMs: 15_000,
  tapMs: 6_000,
  probeMs: 20_000,
};
