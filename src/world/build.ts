/**
 * `buildWorld`: the whole world from a validated spec, pure and seeded. The same seed and spec give the same
 * world, byte for byte as JSON; nothing is read from the clock, the locale, Math.random or the environment.
 */
import { generateCameras } from './cameras.ts';
import { runIdOf } from './ids.ts';
import { fakerNames } from './names.ts';
import { camerasPerUser } from './ownership.ts';
import { randomStream } from './random.ts';
import { scheduleChanges } from './schedule.ts';
import { generateShares } from './shares.ts';
import type { ResolvedWorldSpec } from './rules.ts';
import { generateUsers } from './users.ts';
import type { World } from './types.ts';

/** Builds the world of an already validated spec (`resolveWorldSpec`); what a runtime without zod calls. */
export function buildWorld(spec: ResolvedWorldSpec): World {
  const { seed } = spec;
  const runId = runIdOf(seed);
  // One stream per concern: changing one part of the spec leaves the others' choices untouched.
  const users = generateUsers(spec.users, runId, fakerNames(randomStream(seed, 'names')), randomStream(seed, 'passwords'));
  const counts = camerasPerUser(spec.users, spec.cameras, randomStream(seed, 'ownership'));
  const cameras = generateCameras(users, counts, randomStream(seed, 'cameras'));
  const userIds = users.map((user) => user.userId);
  const shares = generateShares(cameras, userIds, spec.shareFraction, randomStream(seed, 'shares'));
  const changes = scheduleChanges(spec, cameras, userIds, shares, randomStream(seed, 'schedule'));
  return { seed, runId, users, cameras, shares, changes, graceMs: spec.graceMs };
}
