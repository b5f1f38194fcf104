/**
 * Who conform's adapter areas play with. Two users who each own a camera the other cannot see: alice with `front`,
 * bob with `garage`. Seeded fresh (new ids and secrets per area) when the adapter has `world.seed`; otherwise picked
 * from the accounts of `--world`, which already exist on the backend. Who sees which camera is tracked here as the
 * areas change it (share, revoke, transfer), so every expectation is computed, never written in.
 */
import { randomBytes } from 'node:crypto';
import type { WorldCamera, WorldSeedView, WorldUser } from '../../adapter/types.ts';
import { UsageError } from '../../errors.ts';
import { keepSecret } from '../../protocol/redact.ts';
import type { Accounts } from '../../world/accounts.ts';

export interface Cast {
  /** Names what conform makes (event ids, thumbnail provenance), so two areas or runs never mix up their data. */
  readonly tag: string;
  readonly alice: WorldUser;
  readonly bob: WorldUser;
  /** alice's camera, which bob cannot see. */
  readonly front: WorldCamera;
  /** bob's camera, which alice cannot see. */
  readonly garage: WorldCamera;
  /** Every camera of the world: who owns it and who it is shared with now. */
  readonly access: Map<string, { owner: string; shares: Set<string> }>;
  /** True when the world was seeded for this area: the backend holds nothing conform did not send. */
  readonly fresh: boolean;
}

/** A fresh world to seed: alice owns `front`, bob owns `garage`, nothing shared. */
export function freshCast(): { cast: Cast; seed: WorldSeedView } {
  const tag = `cf${randomBytes(4).toString('hex')}`;
  const secret = () => {
    const value = randomBytes(12).toString('base64url');
    keepSecret(value);
    return value;
  };
  const user = (name: string): WorldUser => ({ id: `${tag}-${name}`, login: `${name}.${tag}@conform.example`, secret: secret() });
  const alice = user('alice');
  const bob = user('bob');
  const camera = (name: string, owner: WorldUser): WorldCamera => ({ id: `${tag}-${name}`, secret: secret(), owner: owner.id, shares: [] });
  const front = camera('front', alice);
  const garage = camera('garage', bob);
  const cast: Cast = { tag, alice, bob, front, garage, access: accessOf([front, garage]), fresh: true };
  return { cast, seed: { runId: `conform-${tag}`, users: [alice, bob], cameras: [front, garage] } };
}

/**
 * alice, bob and their cameras from accounts that exist on the backend: the first camera whose owner owns it alone,
 * and a camera of another user that neither shares with the other. One usage line when the file has no such pair.
 */
export function castFromAccounts(accounts: Accounts): Cast {
  const users = new Map(accounts.users.map((user) => [user.id, user]));
  const cameras: WorldCamera[] = accounts.cameras.map((camera) => ({ ...camera }));
  for (const front of cameras) {
    for (const garage of cameras) {
      const apart = front.owner !== garage.owner && !front.shares.includes(garage.owner) && !garage.shares.includes(front.owner);
      if (!apart) continue;
      const tag = `cf${randomBytes(4).toString('hex')}`;
      return { tag, alice: users.get(front.owner)!, bob: users.get(garage.owner)!, front, garage, access: accessOf(cameras), fresh: false };
    }
  }
  throw new UsageError(
    '--world has no two users who each own a camera the other cannot see',
    'conform needs one such pair to check that each is shown only their own; add one to the world file',
  );
}

function accessOf(cameras: readonly WorldCamera[]): Cast['access'] {
  return new Map(cameras.map((camera) => [camera.id, { owner: camera.owner, shares: new Set(camera.shares) }]));
}

/** The cameras `userId` may see now, with their role, sorted by camera id. */
export function camerasOf(cast: Cast, userId: string): { cameraId: string; role: 'owner' | 'shared' }[] {
  const seen: { cameraId: string; role: 'owner' | 'shared' }[] = [];
  for (const [cameraId, { owner, shares }] of cast.access) {
    if (owner === userId) seen.push({ cameraId, role: 'owner' });
    else if (shares.has(userId)) seen.push({ cameraId, role: 'shared' });
  }
  return seen.sort((a, b) => (a.cameraId < b.cameraId ? -1 : a.cameraId > b.cameraId ? 1 : 0));
}

/** Whether `userId` may see `cameraId` now. */
export function sees(cast: Cast, userId: string, cameraId: string): boolean {
  const camera = cast.access.get(cameraId);
  return camera !== undefined && (camera.owner === userId || camera.shares.has(userId));
}
