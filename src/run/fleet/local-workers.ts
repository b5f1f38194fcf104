/**
 * `--workers N`: N `stampede worker` processes on this machine, one per slice, started through the managed-child
 * machinery (each has a stop; the watchdog ends orphans). The run's clock starts only once every one has joined,
 * so the ramp and the outage schedule line up for all of them. A worker that dies before the end breaks the run at
 * once; one that does not finish in time is stopped; either way the run is an error naming it.
 */
import { fileURLToPath } from 'node:url';
import { startChild, type ChildExit, type ManagedChild } from '../../services/child.ts';
import type { RunningFleet } from './fleet.ts';
import { openJudgedFleet, WIND_DOWN_MS, type JudgedFleetOptions, type WorkerEnd } from './judged.ts';
import { NODE_CHILD_FLAGS } from '../node-flags.ts';

const STAMPEDE_BIN = fileURLToPath(new URL('../../../bin/stampede', import.meta.url));
/** Starting Node with tsx on a loaded machine can take a while; far longer means something is wrong. */
export const LOCAL_START_TIMEOUT_MS = 120_000;

/** Workers that have joined, waiting for the run's clock. */
export interface StartedWorkers {
  /** Starts the run's clock: the workers begin, and the fleet runs until `endsAt`. */
  begin(startedAt: number, endsAt: number, signal: AbortSignal): RunningFleet;
  /** Stops every worker still running and closes the collector; safe twice. */
  close(): Promise<void>;
}

export interface LocalWorkersOptions extends JudgedFleetOptions {
  /** The worker command's flags besides collector, index and count: scenario, world, target. */
  workerArgs: string[];
  /** Besides this process's environment: what must never be in argv (the adapter's option values). */
  env?: Record<string, string>;
}

export async function startLocalWorkers(options: LocalWorkersOptions): Promise<StartedWorkers> {
  const { count, log } = options;
  const judged = await openJudgedFleet(options);
  const { collector } = judged;
  // The token reaches workers by environment only; the target's admin token is none of their business.
  const { STAMPEDE_ADMIN_TOKEN: _admin, ...env } = process.env;
  const starts = await Promise.allSettled(Array.from({ length: count }, (_, index) => startChild({
    name: `worker ${index + 1} of ${count}`,
    command: process.execPath,
    args: [...NODE_CHILD_FLAGS, STAMPEDE_BIN, 'worker', ...options.workerArgs, '--collector', collector.url, '--index', String(index), '--count', String(count)],
    env: { ...env, ...options.env, STAMPEDE_COLLECTOR_TOKEN: collector.token },
    ready: async () => collector.hellos().has(index),
    readyTimeoutMs: LOCAL_START_TIMEOUT_MS,
    probeIntervalMs: 50,
    graceMs: 5_000,
  })));
  const children = starts.flatMap((start) => (start.status === 'fulfilled' ? [start.value] : []));
  const close = async (): Promise<void> => {
    await Promise.all(children.map((child) => child.stop()));
    await judged.close();
  };
  const failed = starts.find((start) => start.status === 'rejected');
  if (failed) {
    await close();
    throw failed.reason;
  }
  log(`stampede: ${count} worker${count === 1 ? '' : 's'} ready (pid${count === 1 ? '' : 's'} ${children.map((child) => child.pid).join(', ')})`);
  const name = (index: number): string => `worker ${index + 1} of ${count} (pid ${children[index]!.pid})`;

  return {
    close,
    begin(startedAt, endsAt, signal) {
      collector.start(startedAt);
      let ending = false;
      let broke = false;
      const broken = new Promise<string>((resolve) => {
        children.forEach((child, index) => void child.exited.then((exit) => {
          // A worker ends by itself after the run's end; before it, or failing, it leaves its slice unjudged.
          if (ending || signal.aborted || (!failing(exit) && Date.now() >= endsAt)) return;
          broke = true;
          resolve(`${name(index)} ${exitText(exit)}`);
        }));
      });
      const finish = async (aborted: boolean): Promise<WorkerEnd[]> => {
        ending = true;
        const deadline = aborted || broke ? Date.now() : Math.max(Date.now(), endsAt) + WIND_DOWN_MS;
        return Promise.all(children.map((child, index) => endOf(child, index, deadline)));
      };
      const endOf = async (child: ManagedChild, index: number, deadline: number): Promise<WorkerEnd> => {
        let timer: NodeJS.Timeout | undefined;
        const alone = await Promise.race([child.exited.then(() => true), new Promise<false>((resolve) => (timer = setTimeout(() => resolve(false), Math.max(0, deadline - Date.now()))))]);
        clearTimeout(timer);
        const exit = await child.stop();
        const said = lastLine(child.recentOutput());
        if (!alone && !broke) {
          return { index, trouble: 'stopped', failure: `${name(index)} did not finish within ${WIND_DOWN_MS / 1000} s of the run's end and was stopped${said}` };
        }
        if (failing(exit)) return { index, trouble: exitText(exit), failure: `${name(index)} ${exitText(exit)}${said}` };
        return { index, trouble: '' };
      };
      return judged.running(finish, signal, broken);
    },
  };
}

function failing(exit: ChildExit): boolean {
  return exit.code !== 0;
}

function exitText(exit: ChildExit): string {
  return exit.code !== null ? `exited with code ${exit.code}` : `exited with signal ${exit.signal}`;
}

function lastLine(output: string): string {
  const line = output.trim().split('\n').at(-1);
  return line ? ` (its last output: ${line.slice(0, 300)})` : '';
}
