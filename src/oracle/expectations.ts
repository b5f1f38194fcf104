/**
 * What a run set out to observe, and the one check of it: a run passes only when what it set out to test
 * happened. A target that died, a Toxiproxy that never applied a fault, a fleet mostly refused, ownership changes
 * that all failed: each leaves the oracle with nothing to find, which is not the same as nothing wrong. Every
 * shortfall is one sentence; any of them makes the run an error (exit 3), never a pass.
 *
 * Expectations are plain data, planned before the run from its scenario (src/run/expectations.ts) and written to
 * the journal header, so `stampede report` holds a run to the same ones.
 */
import type { Observed } from './observed.ts';
import type { BySurface } from './verdict.ts';

export interface Expectations {
  /** The run's planned length, ms: phases are measured up to it. */
  durationMs: number;
  fleet: { cameras: number; users: number };
  /** The phases as planned, ms from the start of the load: a phase that began far later did not run as planned. */
  phases: { name: string; startMs: number; endMs: number }[];
  /** By phase name: the least mean share of the fleet's cameras connected through that phase (0 = none needed). */
  connected: Record<string, number>;
  /** The least share of the fleet's cameras with at least one event acknowledged. */
  camerasHeard: number;
  /** The least items checked on each surface, per user of the world. */
  itemsPerUser: BySurface;
  /** The access changes planned, and the least share of them the target must have confirmed. */
  accessChanges: { planned: number; share: number };
  /** Every fault planned, by the id the nemesis gives it: each must be applied and healed, as Toxiproxy confirmed. */
  faults: { id: string; label: string }[];
}

const SURFACE_NAMES: Readonly<Record<keyof BySurface, string>> = {
  list: 'event-list items',
  stream: 'pushed events',
  thumbnail: 'thumbnails',
  cameras: 'camera-list entries',
};

/**
 * Every way the observed run fell short of `expected`, most fundamental first (a service down explains the
 * rest). Empty when the run observed what it set out to. Pure.
 */
export function shortfalls(observed: Observed, expected: Expectations, checked: BySurface): string[] {
  const found: string[] = [];
  for (const down of observed.down) found.push(down.message);
  // A load that never began is one shortfall, not one per thing it would have done (why it never began is said apart).
  if (observed.phases.length === 0) return [...found, 'the load never started: nothing the run set out to test happened'];

  // Timers that fire seconds late mean a process starved of CPU: the schedule ran squeezed, not as planned.
  const loadStart = observed.phases[0]?.start;
  for (const phase of observed.phases) {
    const planned = expected.phases.find((p) => p.name === phase.name);
    if (planned === undefined || loadStart === undefined) continue;
    const late = phase.start - loadStart - planned.startMs;
    if (late > Math.max(LATE_MS, (planned.endMs - planned.startMs) / 2)) {
      found.push(`phase ${phase.name} began ${seconds(late)} late (planned at ${seconds(planned.startMs)}): ` +
        'the harness could not keep its schedule, likely a machine too busy to run it');
    }
  }

  const byId = new Map(observed.faults.map((fault) => [fault.id, fault]));
  for (const planned of expected.faults) {
    const fault = byId.get(planned.id);
    const name = `fault ${planned.id} (${planned.label})`;
    if (fault === undefined || fault.start === null) {
      found.push(`${name} was never applied: ${fault?.failure ?? 'Toxiproxy never confirmed it'}`);
    } else if (fault.state === 'heal-failed') {
      found.push(`${name} was applied but its heal failed: ${fault.failure}`);
    } else if (fault.state === 'heal-unknown') {
      found.push(`${name} was applied but its heal was never confirmed`);
    }
  }

  const { planned, share } = expected.accessChanges;
  const needed = Math.ceil(planned * share);
  if (observed.access.applied < needed) {
    found.push(`only ${observed.access.applied} of ${planned} planned access changes were applied (at least ${needed} needed; ` +
      `${observed.access.failed} failed): the time-aware part of the oracle was barely exercised`);
  }

  const { cameras, users } = expected.fleet;
  for (const phase of observed.phases) {
    const floor = expected.connected[phase.name] ?? 0;
    if (floor > 0 && phase.connected < floor) {
      found.push(`phase ${phase.name}: on average ${percent(phase.connected)} of the ${cameras} cameras were connected (at least ${percent(floor)} needed)`);
    }
  }

  const heardNeeded = Math.ceil(cameras * expected.camerasHeard);
  if (observed.camerasHeard < heardNeeded) {
    found.push(`only ${observed.camerasHeard} of ${cameras} cameras had an event acknowledged (at least ${heardNeeded} needed)`);
  }

  for (const surface of Object.keys(SURFACE_NAMES) as (keyof BySurface)[]) {
    const least = Math.ceil(users * expected.itemsPerUser[surface]);
    if (checked[surface] < least) found.push(`only ${checked[surface]} ${SURFACE_NAMES[surface]} checked (at least ${least} needed for ${users} users)`);
  }
  return found;
}

/** Lateness any phase may have, however short: timers on a busy machine slip by a few hundred ms. */
const LATE_MS = 1_000;

function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(1)} s`;
}

function percent(share: number): string {
  return `${Math.round(share * 100)}%`;
}
