/**
 * The limits a world keeps and the shape of a validated spec, free of zod so that rebuilding a world from an
 * already checked spec (`buildWorld` and everything it imports) needs no validator.
 */

/** Cameras a user owns at most: what real households look like. */
export const MAX_CAMERAS_PER_USER = 4;
/** Upper bounds that keep a world within memory and the protocol's 64 MiB seeding body. */
export const MAX_USERS = 1_000_000;
export const MAX_CAMERAS = 1_000_000;
/** Two changes on one camera are at least this many grace windows apart, so their grace windows never overlap. */
export const CHANGE_SPACING_GRACES = 3;

/** A validated world spec with every default resolved (see spec.ts for what each field means). */
export interface ResolvedWorldSpec {
  seed: number;
  users: number;
  cameras: number;
  shareFraction: number;
  timeline: { durationMs: number; storm: { startMs: number; endMs: number }; warmupMs: number; settleMs: number };
  /** Undefined: derived from the fleet once the initial shares are known. */
  transfers: number | undefined;
  revocations: number | undefined;
  stormShare: number;
  graceMs: number;
}

/**
 * A world spec that cannot be satisfied; `message` is one readable line listing every problem. The CLI turns it
 * into a usage error (exit 2); the world does not import the CLI's error classes, imports flow the other way.
 */
export class WorldSpecError extends Error {
  constructor(readonly problems: string[]) {
    super(`invalid world spec: ${problems.join('; ')}`);
    this.name = 'WorldSpecError';
  }
}
