import { describe, expect, it } from 'vitest';
import { scenarios } from '../../scenarios/index.ts';
import { parseSchedule, stepsFromPhases } from '../../src/chaos/nemesis.ts';
import { planScenario, sequence, type Scenario } from '../../src/run/scenario.ts';

describe('scenarios', () => {
  it('knows the four the CLI promises, storm first', () => {
    expect([...scenarios.keys()]).toEqual(['storm', 'cache-brownout', 'flapping', 'soak']);
  });

  for (const scenario of scenarios.values()) {
    for (const seconds of [10, 60, 3600, 4 * 3600]) {
      it(`${scenario.name} plans a valid run of ${seconds} s with valid faults`, () => {
        const durationMs = seconds * 1000;
        const phases = planScenario(scenario, durationMs);
        expect(phases.at(-1)?.endMs).toBe(durationMs);
        expect(phases.at(-1)?.emit).toBe(false);
        expect(() => parseSchedule(stepsFromPhases(phases))).not.toThrow();
        const window = scenario.changeWindow(durationMs);
        expect(window.endMs).toBeLessThan(durationMs);
      });
    }
  }

  it('soak has more outages the longer it runs', () => {
    const outages = (s: number) => planScenario(scenarios.get('soak')!, s * 1000).filter((p) => p.faults.length > 0).length;
    expect(outages(4 * 3600)).toBeGreaterThan(outages(3600));
  });

  it('rejects a malformed scenario with a line naming the problem', () => {
    const broken: Scenario = {
      ...scenarios.get('storm')!,
      name: 'broken',
      phases: (durationMs) => sequence(durationMs, [{ name: 'a', share: 1 }]).map((p) => ({ ...p, endMs: p.endMs - 5 })),
      changeWindow: () => ({ startMs: 0, endMs: 1000 }),
    };
    expect(() => planScenario(broken, 60_000)).toThrow(/scenario broken is malformed: its phases end at 59995 ms/);
  });

  it('rejects a fault the nemesis does not know, naming the phase', () => {
    const phases = sequence(60_000, [{ name: 'odd', share: 1, faults: [{ fault: 'meteor', path: 'client' } as never] }]);
    expect(() => parseSchedule(stepsFromPhases(phases))).toThrow(/phase odd, fault 1/);
  });
});
