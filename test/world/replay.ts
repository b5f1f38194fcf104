/**
 * Replays a world's planned changes in order on its initial state and lists every inconsistency: the independent
 * check the schedule tests lean on, written against the World type only (not the generator's internals).
 */
import type { World } from '../../src/world/types.ts';

export function scheduleProblems(world: World): string[] {
  const problems: string[] = [];
  const users = new Set(world.users.map((user) => user.userId));
  const owner = new Map(world.cameras.map((camera) => [camera.cameraId, camera.ownerId]));
  const recipients = new Map<string, Set<string>>();
  for (const share of world.shares) {
    const set = recipients.get(share.cameraId) ?? new Set<string>();
    set.add(share.userId);
    recipients.set(share.cameraId, set);
  }
  const lastChange = new Map<string, number>();
  let previousAt = -Infinity;
  world.changes.forEach((change, n) => {
    const where = `change ${n} (${change.kind} ${change.cameraId} at ${change.at})`;
    if (change.at < previousAt) problems.push(`${where}: not sorted`);
    previousAt = change.at;
    if (!owner.has(change.cameraId)) problems.push(`${where}: unknown camera`);
    const last = lastChange.get(change.cameraId);
    if (last !== undefined && change.at - last < 3 * world.graceMs) problems.push(`${where}: within 3 x grace of ${last}`);
    lastChange.set(change.cameraId, change.at);
    const shared = recipients.get(change.cameraId) ?? new Set<string>();
    switch (change.kind) {
      case 'transfer':
        if (!users.has(change.toUserId)) problems.push(`${where}: unknown recipient ${change.toUserId}`);
        if (owner.get(change.cameraId) === change.toUserId) problems.push(`${where}: to the current owner`);
        if (shared.has(change.toUserId)) problems.push(`${where}: to a current share recipient`);
        owner.set(change.cameraId, change.toUserId);
        break;
      case 'revoke':
        if (!shared.delete(change.userId)) problems.push(`${where}: revokes ${change.userId}, who has no share then`);
        break;
      case 'share':
        if (owner.get(change.cameraId) === change.userId || shared.has(change.userId)) problems.push(`${where}: already has access`);
        shared.add(change.userId);
        recipients.set(change.cameraId, shared);
        break;
    }
  });
  return problems;
}
