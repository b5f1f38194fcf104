import { describe, expect, it } from 'vitest';
import { scenarios } from '../../scenarios/index.ts';
import { parseSchedule, stepsFromPhases } from '../../src/chaos/nemesis.ts';
import { planExpectations, planFaults } from '../../src/run/expectations.ts';
import { planScenario, sequence, type Scenario } from '../../src/scenario/scenario.ts';
import { generateWorld } from '../../src/world/generate.ts';

describe('scenarios', () => {
  it('knows the five the CLI promises, storm first', () => {
    expect([...scenarios.keys()]).toEqual(['storm', 'cache-brownout', 'flapping', 'soak', 'refresh-storm']);
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

  it('plans what a run must observe: floors by kind of phase, every fault by its nemesis id, the world\'s changes', () => {
    const storm = scenarios.get('storm')!;
    const phases = planScenario(storm, 60_000);
    const world = generateWorld({ seed: 3, users: 15, cameras: 30, timeline: { durationMs: 60_000, storm: storm.changeWindow(60_000), settleMs: 60_000 - storm.changeWindow(60_000).endMs } });
    const faults = planFaults(phases, ['client', 'cache']);
    expect(faults.faults).toEqual([{ id: 'f1-outage', label: 'phase outage, fault 1' }, { id: 'f2-latency', label: 'phase storm, fault 1' }]);
    const expected = planExpectations(storm, phases, faults.faults, world, 60_000);
    // The fleet ramps up in the first phase, is meant to be down in the outage, reconnects after it.
    expect(expected.connected).toEqual({ 'warm-up': 0.3, outage: 0, storm: 0.25, settle: 0.6, drain: 0.6 });
    expect(expected).toMatchObject({ fleet: { cameras: 30, users: 15 }, camerasHeard: 0.8, accessChanges: { planned: world.changes.length, share: 0.9 } });
    const flapping = planScenario(scenarios.get('flapping')!, 90_000);
    const floors = planExpectations(scenarios.get('flapping')!, flapping, [], world, 90_000).connected;
    expect([floors['outage-3'], floors['storm-3'], floors.drain]).toEqual([0, 0.25, 0.6]);
  });

  it('a scenario states its own floors, by kind or by phase name', () => {
    const storm = scenarios.get('storm')!;
    const strict: Scenario = { ...storm, observe: { connected: { steady: 0.9, phases: { drain: 0.5 } }, accessChanges: 1, itemsPerUser: 2 } };
    const phases = planScenario(strict, 60_000);
    const world = generateWorld({ seed: 3, users: 15, cameras: 30, timeline: { durationMs: 60_000, storm: storm.changeWindow(60_000), settleMs: 20_000 } });
    const expected = planExpectations(strict, phases, [], world, 60_000);
    expect(expected.connected).toMatchObject({ settle: 0.9, drain: 0.5, 'warm-up': 0.3 });
    expect(expected.accessChanges.share).toBe(1);
    expect(expected.itemsPerUser).toEqual({ list: 2, stream: 2, thumbnail: 2, cameras: 2 });
  });

  it('leaves out faults on a proxy the run has none of, saying so, and refuses a bad schedule before anything runs', () => {
    const phases = planScenario(scenarios.get('storm')!, 60_000);
    const plan = planFaults(phases, ['client']);
    expect(plan.faults.map((f) => f.id)).toEqual(['f1-outage']);
    expect(plan.skipped).toEqual(['phase storm, fault 1 (latency on the cache path) is skipped: this target has no cache proxy']);
    const fighting = sequence(60_000, [{ name: 'a', share: 1, faults: [{ fault: 'outage', path: 'client' }, { fault: 'outage', path: 'client' }] }]);
    expect(() => planFaults(fighting, ['client'])).toThrow(/bad fault schedule: phase a, fault 2: its outage overlaps/);
  });

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
