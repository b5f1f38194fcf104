/**
 * What the orchestrator hands the k6 VUs: the seeded world as data (k6 cannot run the world generator, which needs
 * npm packages), the run's timings relative to its start, and the traffic. The engine writes it as JSON; the
 * script reads it once per k6 instance into SharedArrays, so a VU holds only its own camera or user.
 */
import type { World } from '../../../src/world/types.ts';

/** Traffic as the drivers speak it (the same fields as the scenario's Traffic, in ms per client). */
export interface K6Traffic {
  eventRate: number;
  reconnect: 'immediate' | 'backoff';
  pollMs: number;
  camerasMs: number;
  tapMs: number;
  probeMs: number;
}

/** The plan file. Times are ms from the run's start, so an exported archive can start whenever it is run. */
export interface K6Plan {
  version: 1;
  world: World;
  /** HTTP base URL of the target (normally the client proxy). */
  target: string;
  /** Cameras stop emitting and close here. */
  drainMs: number;
  /** Users stop here; the whole run ends. */
  durationMs: number;
  /** Initial connects and logins are spread over this long. */
  rampMs: number;
  traffic: K6Traffic;
  /** Thumbnail sizes per event, inclusive, as the Node cameras pick them. */
  thumbnailBytes: { min: number; max: number };
  /**
   * Whether a central judge (a collector) takes the VUs' records. Judged VUs never abort at the first plain leak:
   * the judge needs the whole history, and VUs stopped mid-flight lose the records they still hold. It is in the
   * plan, not read from the environment, because `k6 archive` freezes the options when the export is made.
   */
  judged: boolean;
}

/** A plan's absolute times, once the run's start is known. */
export interface Clock {
  startedAt: number;
  drainAt: number;
  endsAt: number;
}

export function clockOf(plan: Pick<K6Plan, 'drainMs' | 'durationMs'>, startedAt: number): Clock {
  return { startedAt, drainAt: startedAt + plan.drainMs, endsAt: startedAt + plan.durationMs };
}

/** Checks a parsed plan enough that a wrong file is one clear error in the init context, not a crash mid-run. */
export function checkPlan(value: unknown): K6Plan {
  const plan = value as Partial<K6Plan> | null;
  const problems: string[] = [];
  if (!plan || plan.version !== 1) problems.push('version must be 1');
  else {
    if (!plan.world || !Array.isArray(plan.world.cameras) || !Array.isArray(plan.world.users)) problems.push('world is missing');
    if (typeof plan.target !== 'string' || !/^https?:\/\//.test(plan.target)) problems.push('target must be an http(s) URL');
    for (const key of ['drainMs', 'durationMs', 'rampMs'] as const) {
      if (!(typeof plan[key] === 'number' && plan[key] >= 0)) problems.push(`${key} must be a non-negative number`);
    }
    if (!plan.traffic || !(plan.traffic.eventRate > 0)) problems.push('traffic is missing');
    if (typeof plan.judged !== 'boolean') problems.push('judged must be true or false');
  }
  if (problems.length > 0) throw new Error(`the Stampede plan file is malformed: ${problems.join('; ')}`);
  return plan as K6Plan;
}
