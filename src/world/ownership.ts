/**
 * How many cameras each user owns. Real households are skewed: most own one or two cameras, some three or four.
 * We model that with a truncated geometric law over 1..4 (p(k) proportional to r^(k-1)) whose ratio r is solved
 * so its mean is exactly cameras / users, then round to whole users and fix the total. One smooth family covers
 * every ratio the spec allows: near 1 nearly everyone owns one, at 2.5 it is uniform, at 4 everyone owns four.
 */
import { MAX_CAMERAS_PER_USER } from './rules.ts';
import type { Random } from './random.ts';

/**
 * Cameras owned per user, indexed like the users. With fewer cameras than users, a random `cameras` users own
 * one each and the rest own none (they only see cameras shared with them).
 */
export function camerasPerUser(users: number, cameras: number, random: Random): number[] {
  if (cameras <= users) {
    const counts = new Array<number>(users).fill(0);
    for (let i = 0; i < cameras; i++) counts[i] = 1;
    return random.shuffle(counts);
  }
  const usersPerSize = usersPerCameraCount(users, cameras);
  const counts: number[] = [];
  usersPerSize.forEach((howMany, slot) => {
    for (let i = 0; i < howMany; i++) counts.push(slot + 1);
  });
  return random.shuffle(counts);
}

/** Users owning 1, 2, 3 and 4 cameras (index 0..3), summing to `users`, owning exactly `cameras` in total. */
function usersPerCameraCount(users: number, cameras: number): number[] {
  const weights = geometricWeights(ratioForMean(cameras / users));
  const ideal = weights.map((w) => w * users);
  const counts = ideal.map(Math.floor);
  // Largest remainder: hand the users lost to flooring to the sizes that lost the most.
  const order = ideal.map((v, slot) => ({ slot, rest: v - Math.floor(v) })).sort((x, y) => y.rest - x.rest || x.slot - y.slot);
  let missing = users - counts.reduce((sum, n) => sum + n, 0);
  for (const { slot } of order) {
    if (missing-- <= 0) break;
    counts[slot]! += 1;
  }
  // Rounding leaves the total a few cameras off; move single users one size up or down until it is exact.
  // Terminates: users <= cameras <= 4 x users, so there is always someone to move in the needed direction.
  let gap = cameras - counts.reduce((sum, n, slot) => sum + n * (slot + 1), 0);
  while (gap !== 0) {
    const from = gap > 0 ? busiestSlot(counts, 0, MAX_CAMERAS_PER_USER - 2) : busiestSlot(counts, 1, MAX_CAMERAS_PER_USER - 1);
    const to = gap > 0 ? from + 1 : from - 1;
    counts[from]! -= 1;
    counts[to]! += 1;
    gap += gap > 0 ? -1 : 1;
  }
  return counts;
}

function busiestSlot(counts: number[], first: number, last: number): number {
  let best = first;
  for (let slot = first; slot <= last; slot++) if (counts[slot]! > counts[best]!) best = slot;
  return best;
}

function geometricWeights(ratio: number): number[] {
  // Repeated multiplication rather than `**`: basic IEEE arithmetic is exact-rounded in every JS engine, pow is not.
  const raw: number[] = [];
  for (let slot = 0, weight = 1; slot < MAX_CAMERAS_PER_USER; slot++, weight *= ratio) raw.push(weight);
  const total = raw.reduce((sum, w) => sum + w, 0);
  return raw.map((w) => w / total);
}

function meanOf(weights: number[]): number {
  return weights.reduce((sum, w, slot) => sum + w * (slot + 1), 0);
}

/** The mean grows monotonically with the ratio, so bisection finds it; 60 halvings is far below a camera. */
function ratioForMean(mean: number): number {
  let low = 0;
  let high = 1;
  while (meanOf(geometricWeights(high)) < mean && high < 1e6) high *= 2;
  for (let i = 0; i < 60; i++) {
    const mid = (low + high) / 2;
    if (meanOf(geometricWeights(mid)) < mean) low = mid;
    else high = mid;
  }
  return (low + high) / 2;
}
