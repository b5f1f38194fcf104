/**
 * What a run is, decided up front from its flags: the world from the seed, and when the fleet ramps, drains and
 * ends. The run and each of its workers compute it alike, so a worker started anywhere with the run's flags drives
 * its slice on the run's schedule; the fingerprint lets a worker tell it was given other flags.
 */
import { createHash } from 'node:crypto';
import { UsageError } from '../errors.ts';
import { generateWorld } from '../world/generate.ts';
import { provisionedWorld } from '../world/provisioned.ts';
import { resolveWorldSpec, WorldSpecError, type WorldSpec } from '../world/spec.ts';
import type { World } from '../world/types.ts';
import type { AdapterRef, RunConfig } from './config.ts';
import { applicableChanges } from './world-control.ts';
import type { Phase } from '../scenario/scenario.ts';

/** The flags that decide the world and the schedule; with no adapter, every change kind is applicable. */
export type PlanFlags = Pick<RunConfig, 'scenario' | 'seed' | 'cameras' | 'users' | 'durationMs' | 'world'> & { adapter?: Pick<AdapterRef, 'worldHooks'> };

/** The world (generated from the seed, or the `--world` file's), with only the changes the adapter can apply (so the run and its workers agree). */
export function planWorld(config: PlanFlags): World {
  const world = generatedWorld(config);
  return config.adapter ? { ...world, changes: applicableChanges(world.changes, config.adapter.worldHooks) } : world;
}

/** The world generated from the seed, or the `--world` file's accounts with changes planned from the seed, whatever the adapter can apply. */
export function generatedWorld(config: PlanFlags): World {
  const window = config.scenario.changeWindow(config.durationMs);
  const spec: WorldSpec = {
    seed: config.seed,
    users: config.users,
    cameras: config.cameras,
    timeline: { durationMs: config.durationMs, storm: window, settleMs: config.durationMs - window.endMs },
  };
  try {
    if (!config.world) return generateWorld(spec);
    // The cap on cameras per user shapes generated households; a file's are whatever the backend holds, so only
    // the timeline is checked here.
    const timeline = resolveWorldSpec({ ...spec, users: 1, cameras: 1 });
    return provisionedWorld(config.world.accounts, { ...timeline, users: config.users, cameras: config.cameras });
  } catch (error) {
    if (error instanceof WorldSpecError) throw new UsageError(error.message, config.world ? 'change --duration' : 'change --cameras, --users or --duration');
    throw error;
  }
}

/** When the fleet does what, in ms since the epoch, for a run whose clock started at `startedAt`. */
export interface FleetTimes {
  startedAt: number;
  /** Cameras stop emitting here (the drain), so deliveries can catch up before the end. */
  drainAt: number;
  endsAt: number;
  /** Initial connects and logins are spread over this long. */
  rampMs: number;
}

export function fleetTimes(phases: Phase[], durationMs: number, startedAt: number): FleetTimes {
  return {
    startedAt,
    drainAt: startedAt + (phases.find((phase) => !phase.emit)?.startMs ?? durationMs),
    endsAt: startedAt + durationMs,
    // The fleet comes up gradually in the first phase, as a fleet that has been running for a while would be:
    // the only stampede is the one the scenario's outage causes.
    rampMs: Math.round((phases[0]?.endMs ?? 0) * 0.5),
  };
}

/** What a worker must agree on with its run; `world` hashes the built world, so differing code shows too. */
export interface PlanFingerprint {
  scenario: string;
  seed: number;
  cameras: number;
  users: number;
  durationS: number;
  world: string;
}

export function fingerprintOf(config: PlanFlags, world: World): PlanFingerprint {
  return {
    scenario: config.scenario.name,
    seed: config.seed,
    cameras: config.cameras,
    users: config.users,
    durationS: config.durationMs / 1000,
    world: createHash('sha256').update(JSON.stringify(world)).digest('hex').slice(0, 16),
  };
}

/** How a worker's fingerprint differs from its run's, as flags to fix; empty when they agree. */
export function fingerprintDifferences(mine: PlanFingerprint, run: PlanFingerprint): string[] {
  const flags: [keyof PlanFingerprint, string][] = [['scenario', 'the scenario'], ['seed', '--seed'], ['cameras', '--cameras'], ['users', '--users'], ['durationS', '--duration']];
  const differences = flags.filter(([key]) => mine[key] !== run[key]).map(([key, flag]) => `${flag} ${mine[key]} (the run's is ${run[key]})`);
  if (differences.length === 0 && mine.world !== run.world) differences.push('the same flags build a different world here (run the same Stampede version as the run)');
  return differences;
}
