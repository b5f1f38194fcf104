/**
 * `provisionedWorld`: the world of a world file. Who exists, owns and shares what comes from the file; the run's
 * id (thumbnail provenance) and its planned access changes come from the seed and the scenario's timeline, as
 * for a generated world, so the same file and seed give the same world.
 */
import type { Accounts } from './accounts.ts';
import { runIdOf } from './ids.ts';
import { hashText, randomStream } from './random.ts';
import type { ResolvedWorldSpec } from './rules.ts';
import { scheduleChanges } from './schedule.ts';
import type { Camera, Share, User, World } from './types.ts';

/** `spec` gives the seed, timeline, grace and change counts; its user and camera counts are the file's. */
export function provisionedWorld(accounts: Accounts, spec: ResolvedWorldSpec): World {
  const users: User[] = accounts.users.map(({ id, login, secret }) => ({ userId: id, email: login, password: secret, name: id }));
  const cameras: Camera[] = accounts.cameras.map(({ id, secret, owner }) => ({
    cameraId: id, secret, ownerId: owner, name: id, model: 'provisioned', mac: macOf(id),
  }));
  const shares: Share[] = accounts.cameras.flatMap((camera) => camera.shares.map((userId) => ({ cameraId: camera.id, userId })));
  // The same stream name as a generated world's schedule: one seed, one way of choosing.
  const changes = scheduleChanges(spec, cameras, users.map((user) => user.userId), shares, randomStream(spec.seed, 'schedule'));
  return { seed: spec.seed, runId: runIdOf(spec.seed), users, cameras, shares, changes, graceMs: spec.graceMs };
}

/** A locally administered unicast MAC from the id, only so every camera has one; the backend's is not known here. */
function macOf(id: string): string {
  const low = hashText(id);
  const high = hashText(`mac:${id}`);
  const octets = [((high >>> 8) | 0x02) & 0xfe, high & 0xff, (low >>> 24) & 0xff, (low >>> 16) & 0xff, (low >>> 8) & 0xff, low & 0xff];
  return octets.map((octet) => octet.toString(16).padStart(2, '0')).join(':');
}
