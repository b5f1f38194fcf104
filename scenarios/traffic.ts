import type { Traffic } from '../src/scenario/scenario.ts';

/** What a fleet of real cameras and app users roughly does; scenarios start from this. */
export const everyday: Traffic = {
  eventRate: 0.2,
  // A device's floor and jitter: a dead cloud costs each camera a try every 2-3 s at most, yet after a heal the
  // fleet is back within about 4 s, a storm the cloud must weather (reconnect.p95 gates leave it 20 s).
  reconnect: { floorMs: 500, capMs: 4_000 },
  pollMs: 3_000,
  camerasMs: 15_000,
  tapMs: 6_000,
  probeMs: 20_000,
};
