/** Seeded randomness for the drivers: the same seed gives the same jitter, kinds and choices. */
import { hashText, randomStream } from '../../src/world/random.ts';

/** A seeded generator of floats in [0, 1): the world's generator, as one plain function for hot paths. */
export type Random = () => number;

export function seededRandom(seed: number): Random {
  const stream = randomStream(seed >>> 0, 'drivers');
  return () => stream.next();
}

/** A stable per-thing seed (one per event, so a resend rebuilds the same thumbnail size). */
export const hashSeed = hashText;

/** An integer in [min, max]. */
export function between(random: Random, min: number, max: number): number {
  return min + Math.floor(random() * (max - min + 1));
}

/** `mean` spread by +-`spread` (a fraction): the gaps between a device's events are never clockwork. */
export function jittered(random: Random, mean: number, spread = 0.5): number {
  return mean * (1 - spread + 2 * spread * random());
}

/** What an app waits after a failed login, stream or refresh call: full jitter from 50 ms, at most 1 s. */
export const APP_BACKOFF = { baseMs: 50, capMs: 1_000 } as const;

/** A retry's wait with full jitter: anywhere up to min(cap, base * 2^attempts), at least 1 ms (apps' logins and streams). */
export function fullJitterBackoff(random: Random, { baseMs, capMs }: { baseMs: number; capMs: number }, attempts: number): number {
  return Math.max(1, random() * Math.min(capMs, baseMs * 2 ** Math.min(attempts, 30)));
}
