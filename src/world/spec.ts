/**
 * What a scenario asks of the world: fleet size, sharing, the run's timeline and how many access changes to make.
 * Validated with zod into a `ResolvedWorldSpec` with every default filled in, so the generator never guesses.
 */
import { z } from 'zod';
import {
  CHANGE_SPACING_GRACES,
  MAX_CAMERAS,
  MAX_CAMERAS_PER_USER,
  MAX_USERS,
  WorldSpecError,
  type ResolvedWorldSpec,
} from './rules.ts';

export { WorldSpecError, type ResolvedWorldSpec } from './rules.ts';

const count = (what: string, max: number) =>
  z
    .number({ error: `${what} must be a number` })
    .int(`${what} must be a whole number`)
    .min(0, `${what} must not be negative`)
    .max(max, `${what} must be at most ${max}`);
const ms = (what: string) => count(what, 365 * 24 * 3600 * 1000);
const fraction = (what: string) =>
  z.number({ error: `${what} must be a number` }).min(0, `${what} must be between 0 and 1`).max(1, `${what} must be between 0 and 1`);

/** zod's own "expected object, received undefined" names neither the field nor what it should hold. */
const objectError = (what: string) => ({
  error: (issue: { code?: string; input?: unknown }) =>
    issue.code !== 'invalid_type'
      ? undefined
      : issue.input === undefined
        ? `${what} is required`
        : `${what} must be an object`,
});

const Timeline = z.strictObject({
  /** Length of the whole run, ms. */
  durationMs: ms('timeline.durationMs').min(1, 'timeline.durationMs must be at least 1'),
  /** The storm phase, in ms from the start of the run: where caches are most confused. */
  storm: z.strictObject(
    { startMs: ms('timeline.storm.startMs'), endMs: ms('timeline.storm.endMs') },
    objectError('timeline.storm ({ startMs, endMs })'),
  ),
  /** No changes before this (users have not seen their cameras yet). Default: 10% of the run, at most the storm start. */
  warmupMs: ms('timeline.warmupMs').optional(),
  /**
   * No changes in this final part of the run, so there is time to judge. Default: 10% of the run or what follows
   * the storm if that is shorter, never under 3 x grace. Scenarios with settle/drain phases should pass their span.
   */
  settleMs: ms('timeline.settleMs').optional(),
}, objectError('timeline (durationMs and storm: { startMs, endMs })'));

/** The input schema of a world spec. */
export const WorldSpecSchema = z.strictObject({
  /** Same seed and spec, same world byte for byte. */
  seed: z
    .number({ error: 'seed must be a number' })
    .int('seed must be a whole number')
    .min(0, 'seed must not be negative')
    .max(Number.MAX_SAFE_INTEGER, `seed must be at most ${Number.MAX_SAFE_INTEGER}`),
  users: count('users', MAX_USERS).min(1, 'users must be at least 1'),
  cameras: count('cameras', MAX_CAMERAS).min(1, 'cameras must be at least 1'),
  /** Fraction of cameras shared with one or two users other than the owner. Default 0.1. */
  shareFraction: fraction('shareFraction').optional(),
  timeline: Timeline,
  /** Ownership transfers to schedule. Default: about 2% of cameras, at least 1 when there is someone to transfer to. */
  transfers: count('transfers', MAX_CAMERAS).optional(),
  /** Share revocations to schedule. Default: about a third of the initial shares, at least 1 when there are any. */
  revocations: count('revocations', MAX_CAMERAS).optional(),
  /** Fraction of the changes placed inside the storm window. Default 0.8. */
  stormShare: fraction('stormShare').optional(),
  /** Grace window around each change, ms (docs/protocol.md default 2 s). */
  graceMs: ms('graceMs').optional(),
}, objectError('the world spec'));

/** A world spec as a scenario writes it: optional fields take their defaults. */
export type WorldSpec = z.input<typeof WorldSpecSchema>;

/** Validates `input` and fills in defaults; throws `WorldSpecError` on bad input. */
export function resolveWorldSpec(input: unknown): ResolvedWorldSpec {
  const parsed = WorldSpecSchema.safeParse(input);
  if (!parsed.success) {
    throw new WorldSpecError(parsed.error.issues.map(describeIssue));
  }
  const spec = parsed.data;
  const graceMs = spec.graceMs ?? 2000;
  const { durationMs, storm } = spec.timeline;
  const resolved: ResolvedWorldSpec = {
    seed: spec.seed,
    users: spec.users,
    cameras: spec.cameras,
    shareFraction: spec.shareFraction ?? 0.1,
    timeline: {
      durationMs,
      storm: { startMs: storm.startMs, endMs: storm.endMs },
      warmupMs: spec.timeline.warmupMs ?? Math.min(storm.startMs, Math.round(durationMs * 0.1)),
      settleMs: spec.timeline.settleMs ?? defaultSettleMs(durationMs, storm.endMs, graceMs),
    },
    transfers: spec.transfers,
    revocations: spec.revocations,
    stormShare: spec.stormShare ?? 0.8,
    graceMs,
  };
  const problems = crossFieldProblems(resolved);
  if (problems.length > 0) throw new WorldSpecError(problems);
  return resolved;
}

/** A storm that runs late in the run (a soak's last cycle) shrinks the default settle part rather than failing. */
function defaultSettleMs(durationMs: number, stormEndMs: number, graceMs: number): number {
  return Math.max(CHANGE_SPACING_GRACES * graceMs, Math.min(Math.round(durationMs * 0.1), durationMs - stormEndMs));
}

/** Our own messages already name their field; zod's built-in ones (a missing object, an unknown key) do not. */
function describeIssue(issue: z.core.$ZodIssue): string {
  const where = issue.path.map(String).join('.');
  if (where === '' || issue.message.startsWith(where)) return issue.message;
  return `${where}: ${issue.message}`;
}

function crossFieldProblems(spec: ResolvedWorldSpec): string[] {
  const problems: string[] = [];
  const { durationMs, storm, warmupMs, settleMs } = spec.timeline;
  const settleStartMs = durationMs - settleMs;
  if (spec.cameras > MAX_CAMERAS_PER_USER * spec.users) {
    problems.push(
      `cameras must be at most ${MAX_CAMERAS_PER_USER} x users (got ${spec.cameras} cameras for ${spec.users} users)`,
    );
  }
  if (storm.startMs >= storm.endMs) {
    problems.push(`timeline.storm must start before it ends (got ${storm.startMs} ms to ${storm.endMs} ms)`);
  }
  if (storm.endMs > durationMs) {
    problems.push(`timeline.storm must end within the run (ends at ${storm.endMs} ms, the run lasts ${durationMs} ms)`);
  }
  if (settleMs >= durationMs) {
    problems.push(`timeline.settleMs must be shorter than the run (got ${settleMs} ms for a ${durationMs} ms run)`);
  } else if (storm.endMs > settleStartMs) {
    problems.push(
      `timeline.storm must end before the settle part starts (storm ends at ${storm.endMs} ms, settle starts at ` +
        `${settleStartMs} ms = durationMs - settleMs): shorten the storm or settleMs`,
    );
  }
  if (warmupMs > storm.startMs) {
    problems.push(`timeline.warmupMs must end by the storm start (got ${warmupMs} ms, storm starts at ${storm.startMs} ms)`);
  }
  return problems;
}
