/**
 * How a disconnected client waits before trying again. `immediate` is the storm real fleets produce after an
 * outage; `backoff` is exponential with full jitter (the AWS architecture blog's recommendation), which spreads
 * the herd.
 */
import { UsageError } from '../../src/errors.ts';
import type { Random } from './random.ts';

export type ReconnectPolicy =
  /** Reconnect at once; `floorMs` keeps a dead target from being spun on at 100% CPU. */
  | { kind: 'immediate'; floorMs?: number }
  | { kind: 'backoff'; baseMs: number; capMs: number };

export const DEFAULT_FLOOR_MS = 25;

/** Delay before attempt number `attempt` (0 = the first try after a disconnect). */
export function reconnectDelay(policy: ReconnectPolicy, attempt: number, random: Random): number {
  if (policy.kind === 'immediate') return policy.floorMs ?? DEFAULT_FLOOR_MS;
  const ceiling = Math.min(policy.capMs, policy.baseMs * 2 ** Math.min(attempt, 30));
  return Math.max(1, random() * ceiling);
}

export function validatePolicy(policy: ReconnectPolicy): ReconnectPolicy {
  if (policy.kind === 'immediate') {
    const floor = policy.floorMs ?? DEFAULT_FLOOR_MS;
    if (!Number.isFinite(floor) || floor < 1) throw new UsageError('reconnect floor must be at least 1 ms');
    return policy;
  }
  if (policy.kind === 'backoff') {
    if (!(policy.baseMs >= 1 && policy.capMs >= policy.baseMs && Number.isFinite(policy.capMs))) {
      throw new UsageError('backoff needs 1 <= base <= cap (ms)', `got base ${policy.baseMs}, cap ${policy.capMs}`);
    }
    return policy;
  }
  throw new UsageError(`unknown reconnect policy "${(policy as { kind: string }).kind}"`, 'use immediate or backoff');
}
