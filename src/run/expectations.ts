/**
 * Plans, before anything starts, the fault schedule a run will apply and what it must observe (the oracle's
 * Expectations), from its scenario, phases and world. Both are plain data: the schedule is validated here, so a
 * malformed one is a usage error before any process or socket exists, and the expectations go into the journal
 * header, so `stampede report` holds the run to the same ones.
 */
import { faultId, parseSchedule, stepsFromPhases, type FaultStep, type ProxyPath } from '../chaos/nemesis.ts';
import type { Expectations } from '../oracle/expectations.ts';
import type { World } from '../world/types.ts';
import { defaultObservation, phaseKind, type Phase, type Scenario } from '../scenario/scenario.ts';

export interface FaultPlan {
  /** The steps the nemesis runs, validated. */
  steps: FaultStep[];
  /** Each step's id and label, as the nemesis will name it. */
  faults: { id: string; label: string }[];
  /** Steps left out because the run has no proxy on their path, one note each. */
  skipped: string[];
}

/** The phases' faults on the proxies this run has; throws a UsageError naming the step when one is malformed. */
export function planFaults(phases: readonly Phase[], paths: readonly ProxyPath[]): FaultPlan {
  const all = stepsFromPhases(phases);
  const steps = all.filter((step) => paths.includes(step.path));
  const skipped = all
    .filter((step) => !paths.includes(step.path))
    .map((step) => `${step.label} (${step.fault} on the ${step.path} path) is skipped: this target has no ${step.path} proxy`);
  const faults = parseSchedule(steps).map((planned) => ({ id: faultId(planned), label: planned.label }));
  return { steps, faults, skipped };
}

/** What a run of `scenario` with these phases, faults and world must observe. */
export function planExpectations(scenario: Scenario, phases: readonly Phase[], faults: FaultPlan['faults'], world: World, durationMs: number): Expectations {
  const spec = scenario.observe ?? {};
  const floors = { ...defaultObservation.connected, ...spec.connected };
  const connected: Record<string, number> = {};
  phases.forEach((phase, index) => (connected[phase.name] = spec.connected?.phases?.[phase.name] ?? floors[phaseKind(phases, index)]));
  const perUser = spec.itemsPerUser ?? defaultObservation.itemsPerUser;
  return {
    durationMs,
    fleet: { cameras: world.cameras.length, users: world.users.length },
    phases: phases.map(({ name, startMs, endMs }) => ({ name, startMs, endMs })),
    connected,
    camerasHeard: spec.camerasHeard ?? defaultObservation.camerasHeard,
    // Users driven by autocannon hold no push channel, so nothing is pushed to check.
    itemsPerUser: { list: perUser, stream: scenario.traffic.refresh ? 0 : perUser, thumbnail: perUser, cameras: perUser },
    accessChanges: { planned: world.changes.length, share: spec.accessChanges ?? defaultObservation.accessChanges },
    faults,
  };
}
