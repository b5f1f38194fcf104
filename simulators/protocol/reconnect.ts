/**
 * How a disconnected camera waits before trying again, as device firmware does: the floor after a drop, doubling
 * with each failed attempt up to a cap, plus a random jitter. The floor and the doubling keep a dead target from
 * costing the harness more than the target (a handful of tries per camera in an outage, not one every few ms).
 *
 * The jitter is a real device's, small beside the waits: cameras cut at the same instant keep retrying in waves,
 * and the first wave after a heal brings the fleet back within a fraction of a second, the thundering herd real
 * fleets make (AWS's "full jitter", a jitter as large as the wait, is the cure that spreads it; a scenario that
 * wants the cured fleet sets `jitterMs` to its cap).
 */
import { UsageError } from '../../src/errors.ts';
import type { Random } from './random.ts';

export interface ReconnectPolicy {
  /** The wait after a live connection drops, and the least wait before any retry (ms). */
  floorMs: number;
  /** The most the wait grows to, jitter aside, however long the target stays away (ms). */
  capMs: number;
  /** A random extra wait in [0, jitterMs) on every retry (ms). */
  jitterMs: number;
}

/**
 * The wait before the next connect after `failures` failed attempts since the camera was last welcomed (0 after
 * a live connection dropped): min(cap, floor * 2^failures) plus jitter. `random` is the fleet's seeded stream,
 * so a run's seed decides every wait.
 */
export function reconnectDelay(policy: ReconnectPolicy, failures: number, random: Random): number {
  return Math.min(policy.capMs, policy.floorMs * 2 ** Math.min(failures, 30)) + random() * policy.jitterMs;
}

/** What is wrong with `policy`, if anything, as a phrase. */
export function policyProblem({ floorMs, capMs, jitterMs }: ReconnectPolicy): string | undefined {
  if (floorMs >= 1 && capMs >= floorMs && Number.isFinite(capMs) && jitterMs >= 0 && Number.isFinite(jitterMs)) return undefined;
  return `its reconnect policy needs 1 <= floor <= cap and a jitter of 0 or more (ms), got floor ${floorMs}, cap ${capMs}, jitter ${jitterMs}`;
}

export function validatePolicy(policy: ReconnectPolicy): ReconnectPolicy {
  const problem = policyProblem(policy);
  if (problem) throw new UsageError(`camera fleet: ${problem}`);
  return policy;
}
