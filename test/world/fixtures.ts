/** World specs the world tests share. */
import type { WorldSpec } from '../../src/world/spec.ts';

/** A one-minute run with a 20 s storm in the middle: the shape of a typical scenario. */
export function minuteRun(overrides: Partial<WorldSpec> = {}): WorldSpec {
  return {
    seed: 42,
    users: 500,
    cameras: 1_000,
    timeline: { durationMs: 60_000, storm: { startMs: 20_000, endMs: 40_000 } },
    ...overrides,
  };
}
