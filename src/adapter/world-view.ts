/** The run's world as adapters see it (`WorldSeedView`): ids, logins and secrets, nothing of the plan. */
import type { World } from '../world/types.ts';
import type { WorldSeedView } from './types.ts';

export function seedViewOf(world: World, runId: string): WorldSeedView {
  const shares = new Map<string, string[]>();
  for (const { cameraId, userId } of world.shares) shares.set(cameraId, [...(shares.get(cameraId) ?? []), userId]);
  return {
    runId,
    users: world.users.map(({ userId, email, password }) => ({ id: userId, login: email, secret: password })),
    cameras: world.cameras.map(({ cameraId, secret, ownerId }) => ({ id: cameraId, secret, owner: ownerId, shares: shares.get(cameraId) ?? [] })),
  };
}
