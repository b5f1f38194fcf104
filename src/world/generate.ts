/**
 * `generateWorld`: a scenario's world spec in, its world out. Validation (zod) and building are apart so the
 * building half loads where zod is not wanted (see build.ts).
 */
import { buildWorld } from './build.ts';
import { resolveWorldSpec, type WorldSpec } from './spec.ts';
import type { World } from './types.ts';

/** Validates `spec` (throwing `WorldSpecError`, every problem on one line) and builds its world, pure and seeded. */
export function generateWorld(spec: WorldSpec): World {
  return buildWorld(resolveWorldSpec(spec));
}
