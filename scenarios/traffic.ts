import type { Traffic } from '../src/scenario/scenario.ts';

/** What a fleet of real cameras and app users roughly does; scenarios start from this. */
export const everyday: Traffic = {
  eventRate: 0.2,
  reconnect: 'immediate',
  pollMs: 3_000,
  camerasMs: 15_000,
  tapMs: 6_000,
  probeMs: 20_000,
};
