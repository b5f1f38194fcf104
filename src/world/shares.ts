/**
 * Shares in force when the run starts: a fraction of cameras each shared with one or two users other than the
 * owner (a partner, a neighbour). Users who own no camera are the usual recipients in real life, but any
 * non-owner will do: what matters to the oracle is that access crosses accounts.
 */
import type { Random } from './random.ts';
import type { Camera, Share } from './types.ts';

/** Of shared cameras, this fraction is shared with two users rather than one. */
const TWO_RECIPIENTS = 0.3;

export function generateShares(
  cameras: readonly Camera[],
  userIds: readonly string[],
  shareFraction: number,
  random: Random,
): Share[] {
  // Nobody to share with but the owner.
  if (userIds.length < 2) return [];
  const userIndex = new Map(userIds.map((id, index) => [id, index]));
  const sharedCount = Math.round(cameras.length * shareFraction);
  const chosen = random.shuffle(cameras.map((_, index) => index)).slice(0, sharedCount).sort((a, b) => a - b);
  const shares: Share[] = [];
  for (const index of chosen) {
    const camera = cameras[index]!;
    const owner = userIndex.get(camera.ownerId)!;
    const recipients = userIds.length >= 3 && random.chance(TWO_RECIPIENTS) ? 2 : 1;
    const excluded = [owner];
    for (let r = 0; r < recipients; r++) {
      const recipient = pickExcept(userIds.length, excluded, random);
      excluded.push(recipient);
      shares.push({ cameraId: camera.cameraId, userId: userIds[recipient]! });
    }
  }
  return shares;
}

/**
 * A uniform index in [0, size) that is not in `excluded` (distinct indices, fewer than `size`). Draws once among
 * the allowed indices and steps over the excluded ones, so it never loops on rejections.
 */
export function pickExcept(size: number, excluded: readonly number[], random: Random): number {
  let pick = random.below(size - excluded.length);
  for (const skip of [...excluded].sort((a, b) => a - b)) if (pick >= skip) pick++;
  return pick;
}
