/**
 * What conform checks and what it reports. An area (auth, cameras, access, ...) seeds the target, then runs
 * its steps in order; each step is one named expectation of docs/protocol.md.
 */
import type { CAPABILITIES } from '../protocol/schema.ts';
import type { Target } from './target.ts';

export type Capability = (typeof CAPABILITIES)[number];
/**
 * `warn`: a warning-severity expectation that did not hold; it is listed, but does not fail the run. `error`: the
 * check itself could not be made because the adapter it goes through failed (see `NoVerdict`): never a pass.
 */
export type Status = 'pass' | 'fail' | 'warn' | 'skip' | 'error';

/**
 * How much a failed expectation matters. `error` (the default): access control and data integrity, what the
 * protocol requires; a failure fails conform (exit 1). `warning`: input strictness the protocol leaves open (a limit
 * clamped rather than refused, an oversized thumbnail accepted); listed as a warning, exit 0.
 */
export type Severity = 'error' | 'warning';

/** One line of the verdict: an expectation and how the target did against it. */
export interface Result {
  area: string;
  name: string;
  status: Status;
  /** For a failure, what was seen versus what was expected; for a skip, why. */
  detail?: string;
}

/**
 * One expectation. It passes when `run` resolves; any throw is a failure carrying the thrown message (a `NoVerdict`
 * an error). `N` names what a step may need: a capability of `/v1/health`, or an adapter's hook.
 */
export interface Step<S, N extends string = Capability> {
  name: string;
  /** What this expectation needs of the target; without it, it is skipped, never passed. */
  needs?: N[];
  /** Default `error`; see `Severity`. */
  severity?: Severity;
  /** Later steps build on this one: when it fails, they are reported as failed (not checked), naming it. */
  prerequisite?: boolean;
  run(state: S): Promise<void>;
}

/** A group of expectations sharing one seeded world; `setup` builds the state its steps work on from `T`. */
export interface Area<S, T = Target, N extends string = Capability> {
  name: string;
  setup(target: T): Promise<S>;
  steps: Step<S, N>[];
}

/** Thrown by a step when the target's answer is not what the protocol says. */
export class Mismatch extends Error {
  constructor(seen: string, expected: string) {
    super(`saw ${seen}; expected ${expected}`);
    this.name = 'Mismatch';
  }
}

/**
 * Thrown when what checks the backend failed rather than the backend: an adapter's hook threw something that is not
 * the backend's answer, or returned the wrong shape. The expectation gets status `error`, never a pass or a fail.
 */
export class NoVerdict extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'NoVerdict';
  }
}

/** Throws a Mismatch unless `condition` holds. */
export function expectThat(condition: boolean, seen: () => string, expected: string): asserts condition {
  if (!condition) throw new Mismatch(seen(), expected);
}

/** A value an earlier step should have produced; its absence fails this step rather than passing it vacuously. */
export function required<T>(value: T | undefined, what: string): T {
  if (value === undefined) throw new Error(`not checked: ${what} is missing because an earlier step failed`);
  return value;
}
