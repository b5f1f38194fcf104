/**
 * Fast lookups over a world for the drivers: by id, the cameras a user owns and the shares of a camera, as the
 * world stands when the run starts (the access changes are the timeline's business, not this index's).
 */
import type { Camera, Share, User, World } from './types.ts';

/** Indexes over a world's initial state, built once in O(users + cameras + shares). */
export interface WorldIndex {
  userById: ReadonlyMap<string, User>;
  cameraById: ReadonlyMap<string, Camera>;
  /** Cameras `userId` owns when the run starts; empty for unknown users and users owning none. */
  ownedCameras(userId: string): readonly Camera[];
  /** Shares of `cameraId` in force when the run starts. */
  sharesOf(cameraId: string): readonly Share[];
  /** Cameras shared with `userId` when the run starts. */
  sharedWith(userId: string): readonly Camera[];
}

const NONE: readonly never[] = Object.freeze([]);

export function indexWorld(world: World): WorldIndex {
  const userById = new Map(world.users.map((user) => [user.userId, user]));
  const cameraById = new Map(world.cameras.map((camera) => [camera.cameraId, camera]));
  const owned = groupBy(world.cameras, (camera) => camera.ownerId);
  const sharesByCamera = groupBy(world.shares, (share) => share.cameraId);
  const sharedByUser = new Map<string, Camera[]>();
  for (const share of world.shares) {
    const camera = cameraById.get(share.cameraId);
    if (!camera) continue;
    const list = sharedByUser.get(share.userId);
    if (list) list.push(camera);
    else sharedByUser.set(share.userId, [camera]);
  }
  return {
    userById,
    cameraById,
    ownedCameras: (userId) => owned.get(userId) ?? NONE,
    sharesOf: (cameraId) => sharesByCamera.get(cameraId) ?? NONE,
    sharedWith: (userId) => sharedByUser.get(userId) ?? NONE,
  };
}

function groupBy<T>(items: readonly T[], key: (item: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const item of items) {
    const k = key(item);
    const group = groups.get(k);
    if (group) group.push(item);
    else groups.set(k, [item]);
  }
  return groups;
}
