/**
 * Runs every area in order against one target and collects one result per expectation. A step that throws
 * is a failure carrying its message, never a pass; a step needing a capability the target lacks is a skip.
 * Each step and the whole run are bounded in time.
 */
import { UnavailableError } from '../errors.ts';
import { CallFailed } from './client.ts';
import { AREAS } from './areas/index.ts';
import type { Area, Result, Step } from './expectation.ts';
import { Target } from './target.ts';

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
  const runDeadline = Date.now() + (options.runTimeoutMs ?? Math.max(MIN_RUN_TIMEOUT_MS, timeoutMs * 40));
  return { results: await runAreas(target, AREAS, runDeadline) };
}

/** Runs `areas` in order against a target already known to answer; every socket is closed when it returns. */
export async function runAreas(target: Target, areas: Area<unknown>[], runDeadline: number): Promise<Result[]> {
  const results: Result[] = [];
  try {
    for (const area of areas) {
      const areaResults = await runArea(area, target, runDeadline);
      results.push(...areaResults.map((result) => redact(result, target.adminToken)));
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

async function runArea(area: Area<unknown>, target: Target, runDeadline: number): Promise<Result[]> {
  const results: Result[] = [];
  const record = (step: Step<unknown>, status: Result['status'], detail?: string) =>
    results.push({ area: area.name, name: step.name, status, ...(detail === undefined ? {} : { detail }) });
  // Each step makes a handful of bounded calls and may wait out a grace window; this caps a wedged one.
  const stepLimitMs = target.timeoutMs * 6 + target.graceMs * 3;
  const bound = <T>(work: Promise<T>): Promise<T> => {
    const left = runDeadline - Date.now();
    return left < stepLimitMs
      ? bounded(work, Math.max(0, left), 'cut short: the run reached its time limit')
      : bounded(work, stepLimitMs, `no verdict within ${stepLimitMs} ms`);
  };
  let blocked: string | undefined;
  let state: unknown;
  try {
    if (Date.now() > runDeadline) throw new Error('the run reached its time limit first');
    state = await bound(area.setup(target));
  } catch (error) {
    blocked = `setup failed: ${messageOf(error)}`;
  }
  try {
    for (const step of area.steps) {
      const missing = (step.needs ?? []).filter((capability) => !target.capabilities.has(capability));
      if (missing.length > 0) {
        record(step, 'skip', `target does not declare capability ${missing.join(', ')}`);
        continue;
      }
      if (blocked !== undefined) {
        record(step, 'fail', `not checked: ${blocked}`);
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
        record(step, step.severity === 'warning' ? 'warn' : 'fail', messageOf(error));
        if (step.prerequisite) blocked = `"${step.name}" failed`;
      }
    }
  } finally {
    target.closeSockets();
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

/** A target may echo what it was sent; the admin token must never reach the output. */
function redact(result: Result, adminToken: string): Result {
  if (result.detail === undefined || adminToken === '' || !result.detail.includes(adminToken)) return result;
  return { ...result, detail: result.detail.split(adminToken).join('<admin token>') };
}
