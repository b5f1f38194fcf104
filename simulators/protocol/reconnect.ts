/**
 * How a disconnected camera waits before trying again, as a real device's firmware does: never sooner than a
 * floor, under a ceiling that doubles with each failed attempt up to a cap, with full jitter below it (the AWS
 * architecture blog's recommendation). The floor keeps a dead target from costing the harness more than the
 * target; the jitter and the cap keep the herd that returns after a heal a storm of seconds, not one instant.
 */
import { UsageError } from '../../src/errors.ts';
import type { Random } from './random.ts';

export interface ReconnectPolicy {
  /** The least wait before any retry (ms). */
  floorMs: number;
  /** The most a wait grows to however long the target stays away (ms); equal to the floor for a fixed wait. */
  capMs: number;
}

/**
 * The wait before the next connect, after `failures` failed attempts since the camera was last welcomed (0 after
 * a live connection dropped): uniform between the floor and min(cap, floor * 2^(failures + 1)). `random` is the
 * fleet's seeded stream, so a run's seed decides every wait.
 */
export function reconnectDelay(policy: ReconnectPolicy, failures: number, random: Random): number {
  const ceiling = Math.min(policy.capMs, policy.floorMs * 2 ** Math.min(failures + 1, 30));
  return policy.floorMs + random() * (ceiling - policy.floorMs);
}

/** What is wrong with `policy`, if anything, as a phrase. */
export function policyProblem({ floorMs, capMs }: ReconnectPolicy): string | undefined {
  if (floorMs >= 1 && capMs >= floorMs && Number.isFinite(capMs)) return undefined;
  return `its reconnect policy needs 1 <= floor <= cap (ms), got floor ${floorMs}, cap ${capMs}`;
}

export function validatePolicy(policy: ReconnectPolicy): ReconnectPolicy {
  const problem = policyProblem(policy);
  if (problem) throw new UsageError(`camera fleet: ${problem}`);
  return policy;
}
