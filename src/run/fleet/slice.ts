/**
 * How a split fleet is cut: camera k and user k (by their index in the seeded world's arrays) belong to worker
 * k % count. Every worker builds the same world from the same flags, so each can take its slice alone, and the run
 * checks afterwards, from the workers' own tallies, that together they simulated every client exactly once.
 */
import type { Camera, User, World } from '../../world/types.ts';

export interface Slice {
  cameras: Camera[];
  users: User[];
  /** The indices of those cameras and users in the world's arrays, as the worker's tally reports them. */
  cameraIndices: number[];
  userIndices: number[];
}

export function sliceOf(world: World, index: number, count: number): Slice {
  const mine = (_: unknown, k: number): boolean => k % count === index;
  const indices = (length: number): number[] => Array.from({ length }, (_, k) => k).filter((k) => mine(undefined, k));
  return {
    cameras: world.cameras.filter(mine),
    users: world.users.filter(mine),
    cameraIndices: indices(world.cameras.length),
    userIndices: indices(world.users.length),
  };
}

/** What each worker says it simulated: its 0-based index, and the camera and user indices in its tally. */
export interface ClaimedSlice {
  worker: number;
  cameras: readonly number[];
  users: readonly number[];
}

/** At most this many clients are named per kind of problem; the rest are counted. */
const NAMED = 5;

/**
 * Problems with the union of the workers' slices: a camera or user simulated by two workers (an overlap), by none
 * (a gap), or one the world does not have. Empty when the slices cover the world exactly once.
 */
export function checkCoverage(world: World, claims: readonly ClaimedSlice[], count: number): string[] {
  const problems: string[] = [];
  const name = (worker: number): string => `worker ${worker + 1} of ${count}`;
  for (const [kind, clients] of [['camera', world.cameras.map((c) => c.cameraId)], ['user', world.users.map((u) => u.userId)]] as const) {
    const by = new Map<number, number[]>();
    for (const claim of claims) {
      for (const k of kind === 'camera' ? claim.cameras : claim.users) by.set(k, [...(by.get(k) ?? []), claim.worker]);
    }
    const twice = [...by].filter(([, workers]) => workers.length > 1);
    const missing = clients.map((_, k) => k).filter((k) => !by.has(k));
    const strangers = [...by.keys()].filter((k) => k >= clients.length);
    if (twice.length > 0) {
      const named = twice.slice(0, NAMED).map(([k, workers]) => `${clients[k] ?? k} by ${workers.map(name).join(' and ')}`);
      problems.push(`${twice.length} ${kind}s were simulated twice (${named.join('; ')}${twice.length > NAMED ? '; ...' : ''})`);
    }
    if (missing.length > 0) {
      const named = missing.slice(0, NAMED).map((k) => clients[k]);
      problems.push(`${missing.length} ${kind}s were simulated by no worker (${named.join(', ')}${missing.length > NAMED ? ', ...' : ''})`);
    }
    if (strangers.length > 0) problems.push(`workers claimed ${strangers.length} ${kind}s the world does not have (index ${strangers[0]})`);
  }
  return problems;
}
