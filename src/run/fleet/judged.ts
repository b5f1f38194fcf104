/**
 * The run's side of a split fleet, whoever started the workers: the collector and the recorders in front of the
 * run's (time order first, then the live gauge), the clock the workers wait for, and at the end the verdict on
 * what they delivered. The orchestrator's own records go into the same time order (RunningFleet.recorder), so
 * nothing it does overtakes what the workers saw.
 */
import { OutOfOrderError, UnavailableError } from '../../errors.ts';
import type { Recorder, WorkerShare } from '../../world/history.ts';
import type { World } from '../../world/types.ts';
import type { PlanFingerprint } from '../plan.ts';
import { startCollector, type Collector } from './collector.ts';
import { judgeDelivery, type WorkerOutcome } from './delivery.ts';
import type { RunningFleet } from './fleet.ts';
import { FleetGauge } from './gauge.ts';
import { REORDER_WINDOW_MS, Reorder } from './reorder.ts';
import { checkCoverage } from './slice.ts';

/** How long after the run's end workers get to close their sockets, ship what is left and post their tallies. */
export const WIND_DOWN_MS = 30_000;

export interface JudgedFleetOptions {
  count: number;
  /** The run's recorder: the oracle and the journal. */
  recorder: Recorder;
  world: World;
  fingerprint: PlanFingerprint;
  log: (line: string) => void;
  /** Where the collector listens, and its token, for workers started elsewhere; loopback and random otherwise. */
  host?: string;
  port?: number;
  token?: string;
}

/** What a way of starting workers hands the judge at the end: how each one ended besides its tally. */
export interface WorkerEnd {
  index: number;
  /** Why there is no tally, or how the worker ended besides (an exit code); empty when fine. */
  trouble: string;
  /** A failure by itself, whatever the tally says (the process died, or had to be stopped): one line naming it. */
  failure?: string;
}

export interface JudgedFleet {
  collector: Collector;
  /** The fleet the run drives once the clock started; `finish` waits for (and ends) the workers, fleet-specific. */
  running(finish: (aborted: boolean) => Promise<WorkerEnd[]>, signal: AbortSignal, broken?: Promise<string>): RunningFleet;
  /** Closes the collector and releases whatever is still held in time order; safe twice. */
  close(): Promise<void>;
}

export async function openJudgedFleet(options: JudgedFleetOptions): Promise<JudgedFleet> {
  const ordered = new Reorder(options.recorder);
  const gauge = new FleetGauge(ordered);
  const collector = await startCollector({
    recorder: gauge, fingerprint: options.fingerprint, workers: options.count,
    shipped: (worker, through) => ordered.shipped(worker, through),
    done: (worker) => ordered.done(worker),
    ...(options.host ? { host: options.host } : {}), ...(options.port !== undefined ? { port: options.port } : {}), ...(options.token ? { token: options.token } : {}),
  });
  let closing: Promise<void> | undefined;
  const close = (): Promise<void> => {
    closing ??= (async () => {
      await collector.close();
      ordered.flush();
    })();
    return closing;
  };
  const diagnose = (): void => {
    const { log } = options;
    if (collector.refused() > 0) log(`stampede: the collector refused ${collector.refused()} requests`);
    if (collector.repeats() > 0) log(`stampede: ${collector.repeats()} batches came again under a number already taken and were dropped as retries`);
    if (ordered.lateRecords() > 0) log(`stampede: ${ordered.lateRecords()} records arrived too late to be put in time order`);
    const behind = ordered.mostBehindMs();
    if (behind > REORDER_WINDOW_MS) {
      log(`stampede: the workers fell up to ${(behind / 1000).toFixed(1)} s behind their fleet: the judge waited for them, but times they measured then (delivery, reconnect) include their own delay; fewer clients per core measure the target alone`);
    }
  };
  const running = (finish: (aborted: boolean) => Promise<WorkerEnd[]>, signal: AbortSignal, broken?: Promise<string>): RunningFleet => {
    let shares: WorkerShare[] | undefined;
    let stopping: Promise<void> | undefined;
    // From the clock's start every worker is waited for, even one whose first batch is slow to come.
    const startedAt = Date.now();
    for (let worker = 0; worker < options.count; worker++) ordered.shipped(worker, startedAt);
    const stop = (): Promise<void> => {
      stopping ??= (async () => {
        const ends = await finish(signal.aborted);
        await close();
        diagnose();
        const failures = ends.flatMap((end) => (end.failure ? [end.failure] : []));
        const outcomes: WorkerOutcome[] = ends.map(({ index, trouble }) => ({ index, tally: collector.tallies().get(index), trouble }));
        const delivery = judgeDelivery(outcomes, collector, options.log, signal.aborted);
        shares = delivery.workers;
        const problems = [...(signal.aborted ? [] : failures), ...delivery.problems];
        // The slices are checked from the tallies; with one missing that is already the problem to report.
        if (!signal.aborted && outcomes.every((outcome) => outcome.tally)) {
          const claims = outcomes.map(({ index, tally }) => ({ worker: index, cameras: tally!.cameras, users: tally!.users }));
          problems.push(...checkCoverage(options.world, claims, options.count));
        }
        if (problems.length > 0) {
          throw new UnavailableError(`the workers' observations are incomplete: ${[...new Set(problems)].join('; ')}`,
            'a lost record could hide a leak, so this run cannot be judged');
        }
        const late = signal.aborted ? undefined : ordered.lateProblem();
        if (late !== undefined) {
          throw new OutOfOrderError(late, 'out of time order, the phase figures and the verdict cannot be trusted: storm fewer clients, or with more workers (--workers) on a bigger machine');
        }
      })();
      return stopping;
    };
    return {
      camerasConnected: () => gauge.camerasConnected(),
      usersLoggedIn: () => gauge.usersLoggedIn(),
      workers: () => shares ?? [],
      recorder: ordered,
      ...(broken ? { broken } : {}),
      stop,
    };
  };
  return { collector, running, close };
}

/** Waits until every one of `count` workers has said hello; false when the signal fired or `deadline` passed. */
export async function allJoined(collector: Collector, count: number, deadline: number, signal: AbortSignal): Promise<boolean> {
  while (collector.hellos().size < count) {
    if (signal.aborted || Date.now() >= deadline) return false;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return true;
}
