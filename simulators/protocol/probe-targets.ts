/**
 * Whose events a curious user may poke at: recently acknowledged events of cameras the user never owns, shares
 * or is handed during the run, so every probe is a request the target must refuse, whenever it is made.
 */
import type { World } from '../../src/world/types.ts';
import type { Random } from './random.ts';
import type { RecentEvent, RecentEvents } from './recent-events.ts';

export class ProbeTargets {
  /** cameraId -> users who own, share, or are ever handed it. */
  private readonly involved = new Map<string, Set<string>>();

  constructor(world: World, private readonly recent: RecentEvents | undefined) {
    for (const camera of world.cameras) this.involve(camera.cameraId, camera.ownerId);
    for (const share of world.shares) this.involve(share.cameraId, share.userId);
    for (const change of world.changes) this.involve(change.cameraId, change.kind === 'transfer' ? change.toUserId : change.userId);
  }

  /** A recent event that is never the user's, or undefined when none turns up in a few tries. */
  pick(userId: string, random: Random): RecentEvent | undefined {
    return this.recent?.pick(random, (cameraId) => !this.involved.get(cameraId)?.has(userId));
  }

  private involve(cameraId: string, userId: string): void {
    const users = this.involved.get(cameraId) ?? new Set<string>();
    users.add(userId);
    this.involved.set(cameraId, users);
  }
}
