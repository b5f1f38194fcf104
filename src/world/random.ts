/**
 * The seeded randomness every structural choice of the world comes from. sfc32 is small, fast and passes
 * PractRand; it uses only 32-bit integer arithmetic (Math.imul, >>>), so it gives the same sequence in Node,
 * in browsers and in any other JavaScript runtime. Never Math.random: the world must be a pure function of its seed.
 */

/** A deterministic stream of random choices. */
export interface Random {
  /** A float in [0, 1). */
  next(): number;
  /** An integer in [0, bound); bound is a positive integer. */
  below(bound: number): number;
  /** True with probability `p`. */
  chance(p: number): boolean;
  /** One element of a non-empty array. */
  pick<T>(items: readonly T[]): T;
  /** Shuffles `items` in place (Fisher-Yates) and returns it. */
  shuffle<T>(items: T[]): T[];
  /** `length` characters drawn from `alphabet`. */
  text(length: number, alphabet: string): string;
  /** A fresh 32-bit unsigned integer. */
  uint32(): number;
}

/**
 * A stream for one concern of the world (users, cameras, shares, schedule...). Each concern gets its own stream
 * so that changing, say, the share fraction does not reshuffle every user's name and password.
 */
export function randomStream(seed: number, concern: string): Random {
  // Fold the whole safe-integer seed (not just its low 32 bits) and the concern into the sfc32 state.
  const low = seed >>> 0;
  const high = Math.floor(seed / 0x1_0000_0000) >>> 0;
  const label = hashText(concern);
  let mix = splitmix32(low ^ 0x9e3779b9);
  const a = mix();
  mix = splitmix32(high ^ a);
  const b = mix();
  mix = splitmix32(label ^ b);
  return sfc32(a, b, mix(), mix());
}

/** FNV-1a over UTF-16 code units: enough to turn a short label into 32 bits. */
export function hashText(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return hash >>> 0;
}

function splitmix32(state: number): () => number {
  let s = state >>> 0;
  return () => {
    s = (s + 0x9e3779b9) >>> 0;
    let z = s;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
    return (z ^ (z >>> 16)) >>> 0;
  };
}

function sfc32(a0: number, b0: number, c0: number, d0: number): Random {
  let a = a0 >>> 0;
  let b = b0 >>> 0;
  let c = c0 >>> 0;
  let d = d0 >>> 0;
  const uint32 = (): number => {
    const t = (((a + b) | 0) + d) | 0;
    d = (d + 1) | 0;
    a = b ^ (b >>> 9);
    b = (c + (c << 3)) | 0;
    c = (c << 21) | (c >>> 11);
    c = (c + t) | 0;
    return t >>> 0;
  };
  // The first outputs of sfc32 are weakly mixed; discarding a few is the reference recommendation.
  for (let i = 0; i < 12; i++) uint32();

  const next = (): number => uint32() / 0x1_0000_0000;
  const below = (bound: number): number => Math.floor(next() * bound);
  return {
    next,
    below,
    uint32,
    chance: (p) => next() < p,
    pick: <T>(items: readonly T[]): T => {
      if (items.length === 0) throw new RangeError('pick from an empty list');
      return items[below(items.length)] as T;
    },
    shuffle: <T>(items: T[]): T[] => {
      for (let i = items.length - 1; i > 0; i--) {
        const j = below(i + 1);
        const held = items[i] as T;
        items[i] = items[j] as T;
        items[j] = held;
      }
      return items;
    },
    text: (length, alphabet) => {
      let out = '';
      for (let i = 0; i < length; i++) out += alphabet.charAt(below(alphabet.length));
      return out;
    },
  };
}
