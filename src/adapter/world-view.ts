/** The world as adapters see it (`WorldUser`, `WorldCamera`, `WorldSeedView`), made from Stampede's `World`. */
import type { Camera, User, World } from '../world/types.ts';
import type { WorldCamera, WorldSeedView, WorldUser } from './types.ts';

const NO_SHARES: readonly string[] = Object.freeze([]);

export function worldUserOf(user: User): WorldUser {
  return { id: user.userId, login: user.email, secret: user.password };
}

/** `sharesOf` gives the camera's shares when the run starts (see `sharesByCamera`). */
export function worldCameraOf(camera: Camera, sharesOf?: ReadonlyMap<string, string[]>): WorldCamera {
  return { id: camera.cameraId, secret: camera.secret, owner: camera.ownerId, shares: sharesOf?.get(camera.cameraId) ?? NO_SHARES };
}

export function sharesByCamera(world: World): Map<string, string[]> {
  const shares = new Map<string, string[]>();
  for (const { cameraId, userId } of world.shares) {
    const list = shares.get(cameraId);
    if (list) list.push(userId);
    else shares.set(cameraId, [userId]);
  }
  return shares;
}

/** What `world.seed` is given. */
export function seedViewOf(world: World): WorldSeedView {
  const shares = sharesByCamera(world);
  return {
    runId: world.runId,
    users: world.users.map(worldUserOf),
    cameras: world.cameras.map((camera) => worldCameraOf(camera, shares)),
  };
}
