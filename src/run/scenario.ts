/**
 * A scenario: the traffic a fleet makes and the phases a run goes through, with the faults of each phase.
 * Scenarios are TypeScript modules under scenarios/; their phase plans are functions of the run's length, so
 * every scenario scales with --duration. `planScenario` validates a plan so a malformed scenario is one clear error.
 */
import type { FaultSpec } from '../chaos/nemesis.ts';
import { UsageError } from '../cli/exit.ts';
import type { GateSpec } from '../oracle/gates.ts';

/** How the simulated fleet behaves, whatever the phase. Gaps are per client, in ms, jittered by the drivers. */
export interface Traffic {
  /** Events per second per camera while cameras emit. */
  eventRate: number;
  /** How disconnected cameras come back: at once (the storm real fleets make) or with backoff and jitter. */
  reconnect: 'immediate' | 'backoff';
  /** Gap between a user's event-list polls. */
  pollMs: number;
  /** Gap between a user's camera-list refreshes. */
  camerasMs: number;
  /** Gap between a user's taps on an event it was shown, opening its thumbnail. */
  tapMs: number;
  /** Gap between a curious user's tries at someone else's thumbnail. */
  probeMs: number;
}

/** One phase of a run, as planned: [startMs, endMs) from the start of the run. */
export interface Phase {
  name: string;
  startMs: number;
  endMs: number;
  /** Faults applied at the phase start and healed at its end. */
  faults: FaultSpec[];
  /** Whether cameras emit events in this phase (the final drain lets deliveries catch up). */
  emit: boolean;
}

export interface Scenario {
  name: string;
  /** One line for `--help` and reports. */
  summary: string;
  defaults: { cameras: number; users: number; durationS: number };
  traffic: Traffic;
  /** The phases of a run lasting `durationMs`, back to back from 0 to durationMs. */
  phases(durationMs: number): Phase[];
  /** The window most access changes land in (where caches are most confused), in ms from the start. */
  changeWindow(durationMs: number): { startMs: number; endMs: number };
  /**
   * Thresholds besides zero leaks, written as conditions (`lost: '<0.1%'`, `reconnect.p95: '<20s'`); a breach fails the run.
   * `--gate` adds or overrides one.
   */
  gates?: GateSpec;
}

/** A phase by its share of the run, for `sequence`. */
export interface PhaseShare {
  name: string;
  share: number;
  faults?: FaultSpec[];
  emit?: boolean;
}

/** Lays phases end to end by their shares of the run; shares are normalised, so they need not add up to 1. */
export function sequence(durationMs: number, shares: PhaseShare[]): Phase[] {
  const total = shares.reduce((sum, phase) => sum + phase.share, 0);
  let startMs = 0;
  return shares.map((phase, index) => {
    const endMs = index === shares.length - 1 ? durationMs : Math.round(startMs + (durationMs * phase.share) / total);
    const planned = { name: phase.name, startMs, endMs, faults: phase.faults ?? [], emit: phase.emit ?? true };
    startMs = endMs;
    return planned;
  });
}

/** The planned phases of `scenario` for this duration, checked: back to back, non-empty, ending at the run's end. */
export function planScenario(scenario: Scenario, durationMs: number): Phase[] {
  const phases = scenario.phases(durationMs);
  const problems: string[] = [];
  if (phases.length === 0) problems.push('it has no phases');
  let expectedStart = 0;
  for (const phase of phases) {
    if (phase.startMs !== expectedStart) problems.push(`phase ${phase.name} starts at ${phase.startMs} ms, expected ${expectedStart} ms`);
    if (!(phase.endMs > phase.startMs)) problems.push(`phase ${phase.name} is empty at --duration ${durationMs / 1000} s`);
    expectedStart = phase.endMs;
  }
  if (phases.length > 0 && expectedStart !== durationMs) problems.push(`its phases end at ${expectedStart} ms, not at ${durationMs} ms`);
  const window = scenario.changeWindow(durationMs);
  if (!(window.startMs >= 0 && window.endMs > window.startMs && window.endMs <= durationMs)) {
    problems.push(`its change window ${window.startMs}-${window.endMs} ms is not inside the run`);
  }
  if (problems.length > 0) {
    throw new UsageError(`scenario ${scenario.name} is malformed: ${problems.join('; ')}`, 'fix the scenario or pick a longer --duration');
  }
  return phases;
}

/** The span of the named phases, e.g. the storm, for `changeWindow`. */
export function spanOf(phases: Phase[], ...names: string[]): { startMs: number; endMs: number } {
  const chosen = phases.filter((phase) => names.includes(phase.name));
  if (chosen.length === 0) throw new UsageError(`no phase named ${names.join(' or ')}`);
  return { startMs: Math.min(...chosen.map((p) => p.startMs)), endMs: Math.max(...chosen.map((p) => p.endMs)) };
}
