/** The cameras' reconnect policy: a floor, a ceiling doubling to a cap, full jitter between, decided by the seed. */
import { describe, expect, it } from 'vitest';
import { storm } from '../../scenarios/storm.ts';
import { UsageError } from '../../src/errors.ts';
import { planScenario } from '../../src/scenario/scenario.ts';
import { seededRandom } from '../../simulators/protocol/random.ts';
import { reconnectDelay, validatePolicy } from '../../simulators/protocol/reconnect.ts';

const policy = { floorMs: 250, capMs: 3000 };

describe('reconnect policy', () => {
  it('waits at least the floor, under a ceiling that doubles per failure up to the cap', () => {
    const random = seededRandom(9);
    for (let failures = 0; failures < 12; failures++) {
      const ceiling = Math.min(3000, 250 * 2 ** (failures + 1));
      const delays = Array.from({ length: 500 }, () => reconnectDelay(policy, failures, random));
      expect(Math.min(...delays)).toBeGreaterThanOrEqual(250);
      expect(Math.max(...delays)).toBeLessThanOrEqual(ceiling);
      // Jitter spans the range: neither end is a fixed value every camera shares.
      expect(Math.min(...delays)).toBeLessThan(250 + (ceiling - 250) * 0.1);
      expect(Math.max(...delays)).toBeGreaterThan(ceiling - (ceiling - 250) * 0.1);
    }
  });

  it('never exceeds the cap however long the target stays away', () => {
    const random = seededRandom(3);
    for (const failures of [20, 60, 1e6]) expect(reconnectDelay(policy, failures, random)).toBeLessThanOrEqual(3000);
  });

  it('waits exactly the floor when the cap is the floor', () => {
    const random = seededRandom(5);
    for (let failures = 0; failures < 5; failures++) expect(reconnectDelay({ floorMs: 40, capMs: 40 }, failures, random)).toBe(40);
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
    expect(() => validatePolicy({ floorMs: 0, capMs: 10 })).toThrow(UsageError);
    expect(() => validatePolicy({ floorMs: 100, capMs: 10 })).toThrow(/1 <= floor <= cap \(ms\), got floor 100, cap 10/);
    expect(() => validatePolicy({ floorMs: 100, capMs: Infinity })).toThrow(UsageError);
    expect(validatePolicy(policy)).toBe(policy);
    const broken = { ...storm, traffic: { ...storm.traffic, reconnect: { floorMs: 500, capMs: 100 } } };
    expect(() => planScenario(broken, 60_000)).toThrow(/scenario storm is malformed: its reconnect policy needs 1 <= floor <= cap/);
  });
});
