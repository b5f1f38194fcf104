/**
 * The cameras' reconnect policy: a floor, a wait doubling to a cap, a jitter on top, decided by the seed; and,
 * with every scenario's own policy, an outage costs each camera a handful of tries while the fleet still comes
 * back as a storm.
 */
import { describe, expect, it } from 'vitest';
import { scenarios } from '../../scenarios/index.ts';
import { storm } from '../../scenarios/storm.ts';
import { UsageError } from '../../src/errors.ts';
import { planScenario } from '../../src/scenario/scenario.ts';
import { type Random, seededRandom } from '../../simulators/protocol/random.ts';
import { type ReconnectPolicy, reconnectDelay, validatePolicy } from '../../simulators/protocol/reconnect.ts';

const policy: ReconnectPolicy = { floorMs: 250, capMs: 3000, jitterMs: 100 };

describe('reconnect policy', () => {
  it('waits the floor after a drop, doubling per failure up to the cap, plus a jitter within its bound', () => {
    const random = seededRandom(9);
    for (let failures = 0; failures < 12; failures++) {
      const wait = Math.min(3000, 250 * 2 ** failures);
      const delays = Array.from({ length: 500 }, () => reconnectDelay(policy, failures, random));
      expect(Math.min(...delays)).toBeGreaterThanOrEqual(wait);
      expect(Math.max(...delays)).toBeLessThan(wait + 100);
      // The jitter spans its range: no wait every camera shares.
      expect(Math.min(...delays)).toBeLessThan(wait + 10);
      expect(Math.max(...delays)).toBeGreaterThan(wait + 90);
    }
  });

  it('never exceeds the cap and its jitter however long the target stays away', () => {
    const random = seededRandom(3);
    for (const failures of [20, 60, 1e6]) expect(reconnectDelay(policy, failures, random)).toBeLessThan(3100);
  });

  it('waits exactly the floor when the cap is the floor and there is no jitter', () => {
    const random = seededRandom(5);
    for (let failures = 0; failures < 5; failures++) expect(reconnectDelay({ floorMs: 40, capMs: 40, jitterMs: 0 }, failures, random)).toBe(40);
  });

  it('gives the same waits for the same seed, and others for another', () => {
    const waits = (seed: number) => {
      const random = seededRandom(seed);
      return Array.from({ length: 20 }, (_, failures) => reconnectDelay(policy, failures, random));
    };
    expect(waits(42)).toEqual(waits(42));
    expect(waits(42)).not.toEqual(waits(43));
  });

  it('refuses policies that make no sense, and a scenario that carries one', () => {
    expect(() => validatePolicy({ floorMs: 0, capMs: 10, jitterMs: 0 })).toThrow(UsageError);
    expect(() => validatePolicy({ floorMs: 100, capMs: 10, jitterMs: 0 })).toThrow(/1 <= floor <= cap .*got floor 100, cap 10, jitter 0/);
    expect(() => validatePolicy({ floorMs: 100, capMs: Infinity, jitterMs: 0 })).toThrow(UsageError);
    expect(() => validatePolicy({ floorMs: 100, capMs: 200, jitterMs: -1 })).toThrow(UsageError);
    expect(validatePolicy(policy)).toBe(policy);
    const broken = { ...storm, traffic: { ...storm.traffic, reconnect: { floorMs: 500, capMs: 100, jitterMs: 0 } } };
    expect(() => planScenario(broken, 60_000)).toThrow(/scenario storm is malformed: its reconnect policy needs 1 <= floor <= cap/);
  });
});

/** When each of `cameras` cameras, all cut at 0, first tries again at or after `healMs`, and its tries until then. */
function comeBack(reconnect: ReconnectPolicy, healMs: number, cameras: number, random: Random): { backMs: number[]; tries: number } {
  const backMs: number[] = [];
  let tries = 0;
  for (let camera = 0; camera < cameras; camera++) {
    let t = 0;
    // Bounded: the wait is at least the floor (1 ms or more), so this ends by healMs / floor tries.
    for (let failures = 0; ; failures++) {
      t += reconnectDelay(reconnect, failures, random);
      tries++;
      if (t >= healMs) break;
    }
    backMs.push(t - healMs);
  }
  return { backMs: backMs.sort((a, b) => a - b), tries };
}

describe('every scenario\'s reconnect policy, over its own outages', () => {
  const cameras = 1000;
  for (const [name, scenario] of scenarios) {
    const outages = [20_000, scenario.defaults.durationS * 1000].flatMap((durationMs) =>
      planScenario(scenario, durationMs).filter((phase) => phase.faults.some((f) => f.fault === 'outage' && f.path === 'client')).map((p) => p.endMs - p.startMs),
    );
    if (outages.length === 0) continue;
    it(`${name}: an outage costs each camera a few tries, and the fleet still returns as a storm well inside the reconnect gate`, () => {
      const { reconnect } = scenario.traffic;
      const random = seededRandom(7);
      for (const outageMs of new Set(outages)) {
        const { backMs, tries } = comeBack(reconnect, outageMs, cameras, random);
        // Not a try every few ms: at most the doubling steps to the cap, then one per cap.
        expect(tries / cameras).toBeLessThanOrEqual(Math.log2(reconnect.capMs / reconnect.floorMs) + 2 + outageMs / reconnect.capMs);
        // Everyone back within a cap and its jitter of the heal (the gates allow 20 s or more)...
        expect(backMs.at(-1)!).toBeLessThan(reconnect.capMs + reconnect.jitterMs);
        // ... and at least half of it within one second: the herd a real fleet's thousands of devices make. (A wave
        // of retries that straddles the heal splits the fleet in two herds, a wait apart.)
        const window = Math.min(...backMs.map((start, i) => (backMs[i + Math.floor(cameras * 0.5)] ?? Infinity) - start));
        expect(window, `outage ${outageMs} ms`).toBeLessThan(1000);
      }
    });
  }
});
