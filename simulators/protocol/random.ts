/** Seeded randomness for the drivers: the same seed gives the same jitter, kinds and choices. */

/** A seeded generator of floats in [0, 1) (mulberry32: small, fast, good enough for jitter). */
export type Random = () => number;

export function seededRandom(seed: number): Random {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** FNV-1a of text: a stable per-thing seed (one per event, so a resend rebuilds the same thumbnail size). */
export function hashSeed(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return hash >>> 0;
}

/** An integer in [min, max]. */
export function between(random: Random, min: number, max: number): number {
  return min + Math.floor(random() * (max - min + 1));
}

/** `mean` spread by +-`spread` (a fraction): the gaps between a device's events are never clockwork. */
export function jittered(random: Random, mean: number, spread = 0.5): number {
  return mean * (1 - spread + 2 * spread * random());
}
