/**
 * Runs every area in order against one target and collects one result per expectation. A step that throws
 * is a failure carrying its message, never a pass; a step needing a capability the target lacks is a skip.
 * Each step and the whole run are bounded in time.
 */
import { UnavailableError } from '../errors.ts';
import { CallFailed } from './client.ts';
import { AREAS } from './areas/index.ts';
import { NoVerdict, type Area, type Result, type Step } from './expectation.ts';
import { Target } from './target.ts';

/** What the runner needs of whatever the areas check: the protocol's `Target`, or a backend seen through an adapter. */
export interface Subject<N extends string = string> {
  readonly timeoutMs: number;
  readonly graceMs: number;
  /** Why a step needing `needs` cannot be checked here (it is skipped), or undefined when it can. */
  lacking(needs: readonly N[]): string | undefined;
  /** Closes what an area opened (sockets, device connections, push channels), before the next area starts. */
  closeSockets(): void | Promise<void>;
  /** Closes everything now and whatever a step cut short opens later. */
  finish(): void;
  /** A detail as it may be printed: secrets the subject holds taken out. */
  redact(detail: string): string;
}

export interface ConformOptions {
  /** Base URL of the target, e.g. `http://127.0.0.1:8080`. */
  target: string;
  adminToken: string;
  /** Bound on every single call; default 5000 ms. */
  timeoutMs?: number;
  /** The access-change grace window of docs/protocol.md; default 2000 ms. */
  graceMs?: number;
  /** Bound on the whole run; default 180 s or 40 call timeouts, whichever is longer. Steps cut short fail. */
  runTimeoutMs?: number;
}

/** The verdict: one result per expectation, in the order they ran. */
export interface ConformReport {
  results: Result[];
}

export const DEFAULT_TIMEOUT_MS = 5_000;
export const DEFAULT_GRACE_MS = 2_000;
const MIN_RUN_TIMEOUT_MS = 180_000;

/** Checks the target against every expectation; throws UnavailableError when it cannot be reached at all. */
export async function runConformance(options: ConformOptions): Promise<ConformReport> {
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const target = new Target({
    base: new URL(options.target),
    adminToken: options.adminToken,
    timeoutMs,
    graceMs: options.graceMs ?? DEFAULT_GRACE_MS,
  });
  await probe(target, options.target);
  return { results: await runAreas(target, AREAS, runDeadlineOf(options)) };
}

/** When the whole run must end: `runTimeoutMs` from now, by default 180 s or 40 call timeouts, whichever is longer. */
export function runDeadlineOf(options: { timeoutMs?: number; runTimeoutMs?: number }): number {
  return Date.now() + (options.runTimeoutMs ?? Math.max(MIN_RUN_TIMEOUT_MS, (options.timeoutMs ?? DEFAULT_TIMEOUT_MS) * 40));
}

/** Runs `areas` in order against a target already known to answer; every socket is closed when it returns. */
export async function runAreas<T extends Subject<N>, N extends string>(target: T, areas: Area<unknown, T, N>[], runDeadline: number): Promise<Result[]> {
  const results: Result[] = [];
  try {
    for (const area of areas) {
      const areaResults = await runArea(area, target, runDeadline);
      results.push(...areaResults.map((result) => (result.detail === undefined ? result : { ...result, detail: target.redact(result.detail) })));
    }
  } finally {
    target.finish();
  }
  return results;
}

/** One call up front so an unreachable target is one clear line, not sixty failures. */
async function probe(target: Target, url: string): Promise<void> {
  try {
    await target.http.call('GET', '/v1/health');
  } catch (error) {
    const reason = error instanceof CallFailed ? error.reason : String(error);
    throw new UnavailableError(`cannot reach ${url}: ${reason}; is the target running?`);
  }
}

async function runArea<T extends Subject<N>, N extends string>(area: Area<unknown, T, N>, target: T, runDeadline: number): Promise<Result[]> {
  const results: Result[] = [];
  const record = (step: Step<unknown, N>, status: Result['status'], detail?: string) =>
    results.push({ area: area.name, name: step.name, status, ...(detail === undefined ? {} : { detail }) });
  // Each step makes a handful of bounded calls and may wait out a grace window; this caps a wedged one.
  const stepLimitMs = target.timeoutMs * 6 + target.graceMs * 3;
  const bound = <T>(work: Promise<T>): Promise<T> => {
    const left = runDeadline - Date.now();
    return left < stepLimitMs
      ? bounded(work, Math.max(0, left), 'cut short: the run reached its time limit')
      : bounded(work, stepLimitMs, `no verdict within ${stepLimitMs} ms`);
  };
  const lacking = area.steps.map((step) => target.lacking(step.needs ?? []));
  if (lacking.every((why) => why !== undefined)) {
    // Nothing here can be checked: no world is set up (or events sent) for nothing.
    area.steps.forEach((step, i) => record(step, 'skip', lacking[i]));
    return results;
  }
  let blocked: string | undefined;
  // A step not checked because the adapter failed has no verdict either: an error, as the failure it follows.
  let blockedStatus: 'fail' | 'error' = 'fail';
  let state: unknown;
  try {
    if (Date.now() > runDeadline) throw new Error('the run reached its time limit first');
    state = await bound(area.setup(target));
  } catch (error) {
    blocked = `setup failed: ${messageOf(error)}`;
    if (error instanceof NoVerdict) blockedStatus = 'error';
  }
  try {
    for (const [i, step] of area.steps.entries()) {
      if (lacking[i] !== undefined) {
        record(step, 'skip', lacking[i]);
        continue;
      }
      if (blocked !== undefined) {
        record(step, blockedStatus, `not checked: ${blocked}`);
        // The full reason once per area is enough; a page of identical lines hides the other areas.
        blocked = blocked.startsWith('setup failed: ') ? 'setup failed, as above' : blocked;
        continue;
      }
      if (Date.now() > runDeadline) {
        record(step, 'fail', 'not checked: the run reached its time limit');
        continue;
      }
      try {
        await bound(step.run(state));
        record(step, 'pass');
      } catch (error) {
        const noVerdict = error instanceof NoVerdict;
        record(step, noVerdict ? 'error' : step.severity === 'warning' ? 'warn' : 'fail', messageOf(error));
        if (step.prerequisite) {
          blocked = `"${step.name}" ${noVerdict ? 'could not be checked' : 'failed'}`;
          blockedStatus = noVerdict ? 'error' : 'fail';
        }
      }
    }
  } finally {
    await target.closeSockets();
  }
  return results;
}

/** Rejects after `limitMs`; the abandoned work still ends on its own because each of its calls is bounded. */
async function bounded<T>(work: Promise<T>, limitMs: number, why: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  work.catch(() => undefined);
  const limit = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(why)), limitMs);
  });
  try {
    return await Promise.race([work, limit]);
  } finally {
    clearTimeout(timer);
  }
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
