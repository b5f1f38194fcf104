/**
 * The body of `PUT /v1/admin/world` for a world: only what the target needs to know, never names, models or the
 * planned changes (the target must not learn the schedule it is being tested against).
 */
import type { WorldSeed } from '../protocol/schema.ts';
import type { World } from './types.ts';

export function worldToSeed(world: World): WorldSeed {
  return {
    users: world.users.map(({ userId, email, password }) => ({ userId, email, password })),
    cameras: world.cameras.map(({ cameraId, secret, ownerId }) => ({ cameraId, secret, ownerId })),
    shares: world.shares.map(({ cameraId, userId }) => ({ cameraId, userId })),
  };
}
