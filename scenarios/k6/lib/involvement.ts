/**
 * Which cameras a user has anything to do with during the whole run: owned, shared, handed over, revoked, as the
 * seeded world plans it. Anything a user is shown from a camera outside this set is a leak under every possible
 * timing of the access changes, so the VUs can count it on their own without the orchestrator's timeline: the
 * "plain leak" behind the k6 threshold. Subtler leaks (a revoked sharee, a stale owner) are the oracle's to judge.
 */
import type { World } from '../../../src/world/types.ts';

export type Involvement = Map<string, Set<string>>;

/** userId -> cameraIds the user is ever involved with. */
export function involvementOf(world: World): Involvement {
  const byUser: Involvement = new Map();
  const involve = (userId: string, cameraId: string): void => {
    const cameras = byUser.get(userId) ?? new Set<string>();
    cameras.add(cameraId);
    byUser.set(userId, cameras);
  };
  for (const camera of world.cameras) involve(camera.ownerId, camera.cameraId);
  for (const share of world.shares) involve(share.userId, share.cameraId);
  for (const change of world.changes) involve(change.kind === 'transfer' ? change.toUserId : change.userId, change.cameraId);
  return byUser;
}
