/**
 * A scenario: the traffic a fleet makes and the phases a run goes through, with the faults of each phase.
 * Scenarios are TypeScript modules under scenarios/; their phase plans are functions of the run's length, so
 * every scenario scales with --duration. `planScenario` validates a plan so a malformed scenario is one clear error.
 */
import type { FaultSpec } from '../chaos/nemesis.ts';
import { UsageError } from '../errors.ts';
import type { GateSpec } from '../oracle/gates.ts';
import { policyProblem, type ReconnectPolicy } from '../../simulators/protocol/reconnect.ts';

/** How the simulated fleet behaves, whatever the phase. Gaps are per client, in ms, jittered by the drivers. */
export interface Traffic {
  /** Events per second per camera while cameras emit. */
  eventRate: number;
  /**
   * How disconnected cameras come back: no sooner than a floor, backing off to a cap, jittered, as device firmware
   * does. A jitter small beside the floor keeps the fleet's return after a heal a storm.
   */
  reconnect: ReconnectPolicy;
  /** Gap between a user's event-list polls. */
  pollMs: number;
  /** Gap between a user's camera-list refreshes. */
  camerasMs: number;
  /** Gap between a user's taps on an event it was shown, opening its thumbnail. */
  tapMs: number;
  /** Gap between a curious user's tries at someone else's thumbnail. */
  probeMs: number;
  /**
   * Users' reads driven by autocannon instead of the user simulator (`refresh-storm`): one connection per user
   * going round its event list, camera list and a thumbnail, through the adapter's plain-HTTP user calls, with no
   * push channel; the poll, camera and tap gaps above then do not apply. `ratePerUser` caps each connection's
   * requests a second (0: as fast as the target answers), except for `burstMs` after it comes back from failing
   * (the app reopening after an outage, refreshing everything at once); every `probeEvery`th thumbnail is a
   * curious user's probe.
   */
  refresh?: { ratePerUser: number; burstMs: number; probeEvery: number };
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
  /** What a run must observe to have tested anything (see `ObservationSpec`); defaults fill what is left out. */
  observe?: ObservationSpec;
}

/**
 * What a run of a scenario must observe, or it is an error (exit 3) however clean it looks: its fleet connected,
 * its cameras heard, every surface exercised, its access changes applied. Shares are 0..1 and honest floors that
 * a healthy run meets with room to spare on a loaded machine, not targets. (Every planned fault must also be
 * applied and healed; that needs no setting.)
 */
export interface ObservationSpec {
  /**
   * The least mean share of the fleet's cameras connected through a phase. By kind of phase: the first (the fleet
   * ramps up in it), one with a client outage (cameras are meant to be down), one with another client-path fault,
   * the one after a client outage (the fleet reconnecting), and every other phase; `phases` overrides by name.
   */
  connected?: Partial<Record<PhaseKind, number>> & { phases?: Record<string, number> };
  /** The least share of the fleet's cameras with at least one event acknowledged by the target. */
  camerasHeard?: number;
  /** The least items checked per user of the world, on each surface (event list, stream, thumbnails, camera list). */
  itemsPerUser?: number;
  /** The least share of the planned access changes (transfers, shares, revocations) the target must confirm. */
  accessChanges?: number;
}

export type PhaseKind = 'first' | 'outage' | 'clientFault' | 'reconnecting' | 'steady';

/** The defaults of every ObservationSpec field. */
export const defaultObservation: Required<Omit<ObservationSpec, 'connected'>> & { connected: Record<PhaseKind, number> } = {
  // A healthy storm keeps about three quarters of the fleet connected through its first phase (half of it a ramp) and
  // all of it through steady phases; a dead or refusing target keeps next to none.
  connected: { first: 0.3, outage: 0, clientFault: 0.25, reconnecting: 0.25, steady: 0.6 },
  camerasHeard: 0.8,
  itemsPerUser: 0.25,
  accessChanges: 0.9,
};

/** What kind of phase `phases[index]` is, for its connected floor. */
export function phaseKind(phases: readonly Phase[], index: number): PhaseKind {
  const clientFaults = (phase: Phase | undefined) => phase?.faults.filter((fault) => fault.path === 'client') ?? [];
  const here = clientFaults(phases[index]);
  if (here.some((fault) => fault.fault === 'outage')) return 'outage';
  if (here.length > 0) return 'clientFault';
  if (index === 0) return 'first';
  if (clientFaults(phases[index - 1]).some((fault) => fault.fault === 'outage')) return 'reconnecting';
  return 'steady';
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
  const reconnect = policyProblem(scenario.traffic.reconnect);
  if (reconnect) problems.push(reconnect);
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
