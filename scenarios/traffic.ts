import type { Traffic } from '../src/run/scenario.ts';

/** What a fleet of real cameras and app users roughly does; scenarios start from this. */
export const everyday: Traffic = {
  eventRate: 0.2,
  reconnect: 'immediate',
  pollIntervalMs: 3_000,
  cameraListIntervalMs: 15_000,
  openChance: 0.3,
  probeIntervalMs: 20_000,
};
